/**
 * Tracing from the standard OpenTelemetry environment variables. Off unless asked for, and then
 * nothing of OpenTelemetry is even loaded (the SDK and exporters are imported here, lazily):
 *
 * - `OTEL_TRACES_EXPORTER=otlp` (or `console`, or both comma-separated), or an OTLP endpoint
 *   (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` / `OTEL_EXPORTER_OTLP_ENDPOINT`) turns tracing on;
 * - `OTEL_TRACES_EXPORTER=none` or `OTEL_SDK_DISABLED=true` keeps it off;
 * - `OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL`: `http/protobuf` (the default and the only one); the
 *   exporter reads the endpoint, headers, timeout and compression variables itself;
 * - `OTEL_SERVICE_NAME` names the service (default `baton`); `OTEL_BSP_*` tune the batching.
 */
import type { Tracing } from './tracing-port.js';

/** The tracing the environment asks for, or undefined when it asks for none. */
export async function tracingFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<Tracing | undefined> {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const named = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (named.includes('none')) return undefined;
  const exporters = named.length ? named : endpoint ? ['otlp'] : [];
  if (!exporters.length) return undefined;
  const unknown = exporters.filter((e) => e !== 'otlp' && e !== 'console');
  if (unknown.length)
    throw new Error(`Expected OTEL_TRACES_EXPORTER to name otlp, console or none, but got ${unknown.join(', ')}`);
  const sdk = await import('@opentelemetry/sdk-trace');
  const spanProcessors = [];
  if (exporters.includes('otlp'))
    spanProcessors.push(new sdk.BatchSpanProcessor({ exporter: await otlpExporter(env) }));
  if (exporters.includes('console'))
    spanProcessors.push(new sdk.SimpleSpanProcessor({ exporter: new sdk.ConsoleSpanExporter() }));
  const { createTracing } = await import('./otel-tracing.js');
  return createTracing({ spanProcessors, ...(env.OTEL_SERVICE_NAME ? { serviceName: env.OTEL_SERVICE_NAME } : {}) });
}

async function otlpExporter(env: NodeJS.ProcessEnv) {
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || 'http/protobuf')
    .trim()
    .toLowerCase();
  if (protocol !== 'http/protobuf')
    throw new Error(
      `Expected OTEL_EXPORTER_OTLP_PROTOCOL to be http/protobuf, but got ${protocol} (use the collector's OTLP/HTTP port, 4318)`,
    );
  return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter();
}

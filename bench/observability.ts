/**
 * Workload (l), the cost of observability: (b) — ten in-process service tasks in a line, 100 in
 * flight — run four ways on fresh databases, one after the other in each round:
 *
 * 1. no-op metrics (what every other workload runs with: the runtime's bookkeeping, no prom-client);
 * 2. real metrics (prom-client counters and histograms, labels by process and element);
 * 3. real metrics and the info-level log (pino to /dev/null: two lines per instance);
 * 4. all that and tracing on (a span per command and per element instance, batched to an exporter
 *    that drops them, so the engine's side is measured, not a network).
 *
 * Tracing off is (3): the tracing code is not loaded and its hooks are one undefined check each.
 * Reported: instances/s of each, and the CPU µs per instance each step adds to the one before.
 *
 * On a loaded machine those differences drown in the noise of whole runs, so the after-commit work
 * is also measured alone: the command records of real (b) instances are captured once, then fed
 * again and again to the metrics and to the tracer (a command span, the element spans, the job
 * headers), timing the CPU per instance.
 */
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { pino } from 'pino';
import { createTracing } from '../engine/src/observability/otel-tracing.js';
import type { Tracing } from '../engine/src/observability/tracing-port.js';
import { createMetrics } from '../engine/src/runtime/metrics.js';
import { recordMetrics, type CommandRecord } from '../engine/src/runtime/observe.js';
import { closeBench, countByStatus, drive, open, type Measure } from './baton.js';
import { lineModel } from './models.js';

/** Drops every span (the engine's cost without a network). */
class DiscardExporter implements SpanExporter {
  spans = 0;
  export(spans: ReadableSpan[], done: (r: { code: number }) => void): void {
    this.spans += spans.length;
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}

type Variant = 'nop' | 'metrics' | 'logs' | 'tracing';

async function once(variant: Variant, n: number, concurrency: number): Promise<{ rate: number; cpuUs: number }> {
  const exporter = new DiscardExporter();
  const tracing =
    variant === 'tracing' ? createTracing({ spanProcessors: [new BatchSpanProcessor({ exporter })] }) : undefined;
  const logger =
    variant === 'logs' || variant === 'tracing'
      ? pino({ level: 'info', base: { name: 'baton' } }, pino.destination({ dest: '/dev/null', sync: true }))
      : undefined;
  const b = await open({
    handlers: true,
    realMetrics: variant !== 'nop',
    engine: { ...(logger ? { logger } : {}), ...(tracing ? { tracing } : {}) },
  });
  await b.engine.deploy(lineModel('zeebe'));
  const warm = Math.max(10, Math.round(n / 10));
  await drive(b, 'bench_b', warm, concurrency, {});
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await drive(b, 'bench_b', n, concurrency, {});
  const cpu = process.cpuUsage(cpu0);
  const s = (performance.now() - t0) / 1000;
  const ok = await countByStatus(b, 'bench_b', 'completed');
  await closeBench(b);
  await tracing?.shutdown();
  if (ok !== n + warm) throw new Error(`Expected ${n + warm} completed instances, but found ${ok}`);
  if (tracing && exporter.spans < (n + warm) * 12)
    throw new Error(`Expected at least 12 spans per instance, but ${exporter.spans} for ${n + warm} instances`);
  return { rate: n / s, cpuUs: (cpu.user + cpu.system) / n };
}

/**
 * (l): instances/s without and with metrics, logs and tracing, and the CPU µs per instance each
 * adds (process CPU time, user + system, over the timed instances: on a shared machine it varies far
 * less than wall time, and it is what the work costs).
 */
export async function batonObservability(n: number, concurrency = 100): Promise<Measure> {
  const r = {} as Record<Variant, { rate: number; cpuUs: number }>;
  for (const v of ['nop', 'metrics', 'logs', 'tracing'] as const) r[v] = await once(v, n, concurrency);
  const replay = await replayCosts(Math.max(20, Math.round(n / 10)));
  return {
    ...replay,
    rateNop: r.nop.rate,
    rateMetrics: r.metrics.rate,
    rateLogs: r.logs.rate,
    rateTracing: r.tracing.rate,
    cpuNop: r.nop.cpuUs,
    metricsUs: r.metrics.cpuUs - r.nop.cpuUs,
    logsUs: r.logs.cpuUs - r.metrics.cpuUs,
    tracingUs: r.tracing.cpuUs - r.logs.cpuUs,
  };
}

/** CPU µs per instance of the after-commit work alone, replaying captured command records of (b). */
async function replayCosts(instances: number): Promise<{ metricsReplayUs: number; tracingReplayUs: number }> {
  const records: CommandRecord[] = [];
  const recorder: Tracing = {
    instances: { command: (r) => records.push(r) },
    startCommand: () => ({ end() {} }),
    jobHeaders: () => ({}),
    shutdown: async () => {},
  };
  const b = await open({ handlers: true, engine: { tracing: recorder } });
  await b.engine.deploy(lineModel('zeebe'));
  await drive(b, 'bench_b', instances, 50, {});
  await closeBench(b);
  const reps = Math.max(5, Math.round(20_000 / instances));
  const cpuPerInstance = (fn: () => void) => {
    fn(); // warm
    const t0 = process.cpuUsage();
    for (let i = 0; i < reps; i++) fn();
    const t = process.cpuUsage(t0);
    return (t.user + t.system) / (reps * instances);
  };
  const metrics = createMetrics({ defaultMetrics: false });
  const metricsReplayUs = cpuPerInstance(() => {
    for (const r of records) recordMetrics(metrics, r);
  });
  const exporter = new DiscardExporter();
  const tracing = createTracing({ spanProcessors: [new BatchSpanProcessor({ exporter })] });
  const tracingReplayUs = cpuPerInstance(() => {
    for (const r of records) {
      const span = tracing.startCommand('CompleteJob');
      tracing.instances.command(r);
      for (const e of r.effects)
        if (e.type === 'CreateJob') tracing.jobHeaders(r.instanceId, r.startedAt, e.job.elementKey);
      span.end();
    }
  });
  await tracing.shutdown();
  return { metricsReplayUs, tracingReplayUs };
}

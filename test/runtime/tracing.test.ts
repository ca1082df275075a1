/**
 * Traces to an in-memory exporter: an instance gives one trace, a root span for the instance and a
 * child span per element instance; the job carries a `traceparent` header naming its element's span,
 * so a worker's own span joins the trace under the service task; each command has a span of its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { createTracing } from '../../engine/src/observability/otel-tracing.js';
import { tracingFromEnv } from '../../engine/src/observability/tracing-env.js';
import type { Tracing } from '../../engine/src/observability/tracing-port.js';
import { openEngine, type Engine } from '../../engine/src/runtime/engine.js';
import { bpmn, chain, end, job, start, userTask } from '../semantics/helpers.js';
import { waitFor } from '../server/helpers.js';

const XML = bpmn(
  'trace_p',
  [start(), job('Charge', 'trace.charge'), userTask('Approve'), end(), chain('Start', 'Charge', 'Approve', 'End')].join(
    '\n',
  ),
);

describe('tracing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-trace-'));
  let engine: Engine | undefined;
  let tracing: Tracing | undefined;
  afterEach(async () => {
    await engine?.close();
    await tracing?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports an instance trace whose spans are the element instances, joined by the worker', async () => {
    // given an engine with tracing to memory, and an in-process worker that continues the job's trace context
    const exporter = new InMemorySpanExporter();
    tracing = createTracing({ spanProcessors: [new SimpleSpanProcessor({ exporter })], serviceName: 'baton-test' });
    engine = await openEngine({ dbPath: join(dir, 't.db'), tracing });
    // (a worker process has its own provider; here it exports to the same memory)
    const workerTracer = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }).getTracer(
      'worker',
    );
    let header: string | undefined;
    engine.handle('trace.charge', (j) => {
      header = j.customHeaders['traceparent'];
      const [, traceId, spanId] = header!.split('-');
      const parent = trace.setSpanContext(ROOT_CONTEXT, {
        traceId: traceId!,
        spanId: spanId!,
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      });
      workerTracer.startSpan('charge the card', {}, parent).end();
      return { charged: true };
    });
    engine.start();
    await engine.deploy(XML);
    // when an instance runs through the job, waits at the user task, and the task is completed
    const i = await engine.startInstance({ processId: 'trace_p' });
    const task = await waitFor('the user task', async () => (await engine!.listUserTasks({ instanceId: i.id }))[0]);
    await engine.completeUserTask(task.id, {});
    await waitFor('completed', async () => (await engine!.getInstance(i.id))?.status === 'completed');

    // then one trace holds the instance span and a child span per element instance
    const spans = exporter.getFinishedSpans();
    const root = spans.find((s) => s.name === 'process trace_p')!;
    expect(root).toBeDefined();
    const traceId = root.spanContext().traceId;
    const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
    const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
    const children = inTrace.filter((s) => parentOf(s) === root.spanContext().spanId).map((s) => s.name);
    expect(children.sort()).toEqual(['endEvent End', 'serviceTask Charge', 'startEvent Start', 'userTask Approve']);
    expect(root.attributes).toMatchObject({
      'bpmn.process_id': 'trace_p',
      'baton.instance_id': i.id,
      'baton.state': 'completed',
    });
    expect(parentOf(root)).toBeUndefined();
    // the service task's span names its job, and the worker's span sits under it through the header
    const charge = inTrace.find((s) => s.name === 'serviceTask Charge')!;
    expect(charge.attributes['baton.job_key']).toEqual(expect.any(String));
    expect(header).toBe(`00-${traceId}-${charge.spanContext().spanId}-01`);
    const worker = inTrace.find((s) => s.name === 'charge the card')!;
    expect(parentOf(worker)).toBe(charge.spanContext().spanId);
    // element spans last from activation to their end, inside the instance's span
    const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;
    for (const s of inTrace.filter((x) => parentOf(x) === root.spanContext().spanId)) {
      expect(ms(s.startTime)).toBeGreaterThanOrEqual(ms(root.startTime));
      expect(ms(s.endTime)).toBeLessThanOrEqual(ms(root.endTime));
    }
    // and every command has a span of its own, outside the instance's trace
    const commands = spans.filter((s) => s.attributes['baton.command'] !== undefined).map((s) => s.name);
    expect(commands).toEqual(expect.arrayContaining(['Deploy', 'StartInstance', 'CompleteJob', 'CompleteUserTask']));
    expect(
      spans
        .filter((s) => s.attributes['baton.command'] !== undefined)
        .every((s) => s.spanContext().traceId !== traceId),
    ).toBe(true);
  });

  it('is off unless the OTEL_* environment asks for it, and refuses what it cannot do', async () => {
    expect(await tracingFromEnv({})).toBeUndefined();
    expect(
      await tracingFromEnv({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' }),
    ).toBeUndefined();
    expect(await tracingFromEnv({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' })).toBeUndefined();
    await expect(tracingFromEnv({ OTEL_TRACES_EXPORTER: 'zipkin' })).rejects.toThrow(/otlp, console or none/);
    await expect(tracingFromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).rejects.toThrow(
      /http\/protobuf/,
    );
    tracing = await tracingFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' });
    expect(tracing?.jobHeaders('1', 0, '2').traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});

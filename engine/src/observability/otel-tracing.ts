/**
 * OpenTelemetry tracing of the engine (loaded only when tracing is on, see ./tracing-env.ts):
 *
 * - a span per engine command (`StartInstance`, `CompleteJob`, …), from submission to answer;
 * - per process instance one trace: a root span for the instance (from start to end) and a child
 *   span per element instance (from activation to completion or termination).
 *
 * An element instance may start in one command and end in another, hours later, on another node or
 * after a restart; so its span is recorded when it ends, with its activation time as start time,
 * and every id is derived from the instance (id and start time) and the element instance key. The
 * span id of a job's element is therefore known when the job is created: the job carries it as a W3C
 * `traceparent` header, and a worker that continues that context puts its own spans under the
 * element's span. The instance's root span is recorded when the instance ends.
 */
import * as crypto from 'node:crypto';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { RandomIdGenerator, TracerProvider, type IdGenerator, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { CommandRecord } from '../runtime/observe.js';
import type { CommandSpan, InstanceTracer, Tracing } from './tracing-port.js';

const ROOT_KEY = '1';
const SCOPE = 'baton';

/** Options of {@link createTracing}. */
export interface TracingOptions {
  /** Where finished spans go (a BatchSpanProcessor with an OTLP exporter, or an in-memory one in tests). */
  readonly spanProcessors: SpanProcessor[];
  /** `service.name` of the spans; default `$OTEL_SERVICE_NAME` or `baton`. */
  readonly serviceName?: string;
}

/** Ids of one instance's trace: derived, so that any node at any time names the same spans. */
export class TraceIds {
  static traceId(instanceId: string, startedAt: number): string {
    return hex(`trace:${instanceId}:${startedAt}`, 32);
  }

  static rootSpanId(instanceId: string, startedAt: number): string {
    return hex(`root:${instanceId}:${startedAt}`, 16);
  }

  static elementSpanId(instanceId: string, startedAt: number, elementKey: string): string {
    return hex(`element:${instanceId}:${startedAt}:${elementKey}`, 16);
  }
}

/** One-shot hashing (Node 20.12+: three times cheaper than a Hash object), else a Hash object. */
const sha256: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text)
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

function hex(text: string, length: number): string {
  const h = sha256(text).slice(0, length);
  // an id of all zeros is invalid in W3C trace context
  return /^0+$/.test(h) ? `${h.slice(0, -1)}1` : h;
}

/** Hands out the ids the next span must have (set just before it starts), random ones otherwise. */
class DerivedIds implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  next: { traceId?: string; spanId?: string } | undefined;

  generateTraceId(): string {
    return this.next?.traceId ?? this.random.generateTraceId();
  }

  generateSpanId(): string {
    return this.next?.spanId ?? this.random.generateSpanId();
  }
}

/** Creates the tracing of one engine on a provider of its own. */
export function createTracing(opts: TracingOptions): Tracing {
  const ids = new DerivedIds();
  const provider = new TracerProvider({
    idGenerator: ids,
    spanProcessors: opts.spanProcessors,
    resource: resourceFromAttributes({ 'service.name': opts.serviceName ?? process.env.OTEL_SERVICE_NAME ?? 'baton' }),
  });
  const tracer = provider.getTracer(SCOPE);
  return {
    instances: new OtelInstanceTracer(tracer, ids),
    startCommand: (command) => commandSpan(tracer, command),
    jobHeaders: (instanceId, startedAt, elementKey) => ({
      traceparent: `00-${TraceIds.traceId(instanceId, startedAt)}-${TraceIds.elementSpanId(instanceId, startedAt, elementKey)}-01`,
    }),
    shutdown: () => provider.shutdown(),
  };
}

function commandSpan(tracer: Tracer, command: string): CommandSpan {
  const span = tracer.startSpan(command, { kind: SpanKind.SERVER, attributes: { 'baton.command': command } });
  return {
    end(error) {
      if (error !== undefined) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      }
      span.end();
    },
  };
}

class OtelInstanceTracer implements InstanceTracer {
  constructor(
    private readonly tracer: Tracer,
    private readonly ids: DerivedIds,
  ) {}

  command(r: CommandRecord): void {
    let traceId: string | undefined;
    let parent: Context | undefined;
    // the instance's trace, derived only when this command ends something
    const instance = (): Context =>
      (parent ??= trace.setSpanContext(ROOT_CONTEXT, {
        traceId: (traceId ??= TraceIds.traceId(r.instanceId, r.startedAt)),
        spanId: TraceIds.rootSpanId(r.instanceId, r.startedAt),
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      }));
    const jobs = new Map<string, unknown>();
    for (const h of r.history) {
      if (h.type.startsWith('job-') && h.elementKey !== undefined)
        jobs.set(h.elementKey, 'jobKey' in h ? h.jobKey : undefined);
      if (h.type !== 'element-completed' && h.type !== 'element-terminated') continue;
      if (h.elementKey === undefined || h.elementKey === ROOT_KEY || typeof h.activatedAt !== 'number') continue;
      // as the XML names it: bpmn:ServiceTask -> serviceTask
      const bare = (h.elementType ?? 'element').replace(/^bpmn:/, '');
      const type = bare.charAt(0).toLowerCase() + bare.slice(1);
      const jobKey = jobs.get(h.elementKey);
      const span = this.start(
        `${type} ${h.elementId}`,
        h.activatedAt,
        {
          'bpmn.process_id': r.processId,
          'bpmn.element_id': h.elementId ?? '',
          'bpmn.element_type': type,
          'baton.instance_id': r.instanceId,
          'baton.element_key': h.elementKey,
          'baton.outcome': h.type === 'element-completed' ? 'completed' : 'terminated',
          ...(typeof jobKey === 'string' ? { 'baton.job_key': jobKey } : {}),
        },
        { spanId: TraceIds.elementSpanId(r.instanceId, r.startedAt, h.elementKey) },
        instance(),
      );
      span.end(r.now);
    }
    if (r.before !== r.after && (r.after === 'completed' || r.after === 'cancelled')) {
      const span = this.start(
        `process ${r.processId}`,
        r.startedAt,
        { 'bpmn.process_id': r.processId, 'baton.instance_id': r.instanceId, 'baton.state': r.after },
        {
          traceId: (traceId ??= TraceIds.traceId(r.instanceId, r.startedAt)),
          spanId: TraceIds.rootSpanId(r.instanceId, r.startedAt),
        },
        ROOT_CONTEXT,
      );
      span.end(r.now);
    }
  }

  private start(
    name: string,
    startTime: number,
    attributes: Record<string, string>,
    ids: { traceId?: string; spanId: string },
    parent: Context,
  ): Span {
    this.ids.next = ids;
    try {
      return this.tracer.startSpan(name, { startTime, attributes, kind: SpanKind.INTERNAL }, parent);
    } finally {
      this.ids.next = undefined;
    }
  }
}

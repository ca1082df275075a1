/**
 * What one committed command tells the outside: metrics (./metrics.ts), log lines (./logger.ts) and
 * trace spans (../observability/). The processor hands each command's history and effects here while
 * the transaction is open; {@link observeCommand} captures what it needs at once (the state object
 * may change again later in the batch) and returns the work to run after the commit, so a batch
 * that rolls back and runs again is observed once. Nothing is captured when nobody listens.
 */
import type { Logger } from 'pino';
import type { Effect, HistoryEvent } from '../core/effects.js';
import type { InstanceState } from '../core/state.js';
import type { ProcessModel } from '../model/types.js';
import type { InstanceTracer } from '../observability/tracing-port.js';
import type { Metrics } from './metrics.js';

/** Who listens to committed commands. */
export interface Observers {
  readonly metrics?: Metrics;
  readonly logger?: Logger;
  readonly tracer?: InstanceTracer;
}

/** One command on one instance, as committed. */
export interface CommandRecord {
  readonly instanceId: string;
  readonly processId: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
  /** Status before and after the command. */
  readonly before: string;
  readonly after: string;
  /** Time of the command (epoch ms): when its history entries happened. */
  readonly now: number;
  readonly history: readonly HistoryEvent[];
  readonly effects: readonly Effect[];
  /** The instance's model (for what an element is: an escalation throw). */
  readonly model: ProcessModel | undefined;
}

const ROOT_KEY = '1';
const THROWS = new Set(['bpmn:IntermediateThrowEvent', 'bpmn:EndEvent']);

/**
 * The after-commit work of a command on `state`, or undefined when nobody listens. Call it inside
 * the transaction, right after the command; register the result with `Work.after`.
 */
export function observeCommand(
  o: Observers,
  state: InstanceState,
  before: string,
  out: { readonly history: readonly HistoryEvent[]; readonly effects: readonly Effect[] },
  now: number,
  model: ProcessModel | undefined,
): (() => void) | undefined {
  const { metrics, logger, tracer } = o;
  const logs = logger?.isLevelEnabled('info') ?? false;
  if (!metrics && !logs && !tracer) return undefined;
  const r: CommandRecord = {
    instanceId: state.id,
    processId: state.processId,
    startedAt: state.startedAt,
    endedAt: state.endedAt,
    before,
    after: state.status,
    now,
    history: out.history,
    effects: out.effects,
    model,
  };
  return () => {
    if (metrics) recordMetrics(metrics, r);
    if (logs) logHistory(logger!, r);
    tracer?.command(r);
  };
}

/** Updates the metrics for one committed command. */
export function recordMetrics(m: Metrics, r: CommandRecord): void {
  const process = m.labels.process(r.processId);
  const element = (id: string | undefined) => m.labels.element(process, id);
  for (const h of r.history) {
    switch (h.type) {
      case 'process-started':
        m.instancesStarted.inc({ process_id: process });
        break;
      case 'element-completed':
        if (h.elementKey === ROOT_KEY || typeof h.activatedAt !== 'number') break;
        m.elementDuration.observe(
          { process_id: process, element_id: element(h.elementId) },
          Math.max(0, r.now - h.activatedAt) / 1000,
        );
        break;
      case 'element-terminated':
        if (h.elementKey !== ROOT_KEY)
          m.elementsTerminated.inc({ process_id: process, element_id: element(h.elementId) });
        break;
      case 'element-activated': {
        const def = h.elementId !== undefined ? r.model?.elements[h.elementId] : undefined;
        if (def?.event?.kind === 'escalation' && THROWS.has(def.type)) m.escalations.inc({ process_id: process });
        break;
      }
      case 'element-compensated':
        m.compensations.inc({ process_id: process });
        break;
      case 'incident-created':
        m.incidentsCreated.inc({
          process_id: process,
          element_id: element(h.elementId),
          incident_type: String(h['incidentType'] ?? 'unknown'),
        });
        break;
      case 'incident-resolved':
        m.incidentsResolved.inc({ process_id: process });
        break;
    }
  }
  for (const e of r.effects)
    if (e.type === 'CreateJob')
      m.jobsCreated.inc({
        process_id: process,
        element_id: element(e.job.elementId),
        job_type: m.labels.jobType(e.job.type),
      });
  if (r.before !== r.after && (r.after === 'completed' || r.after === 'cancelled'))
    m.instanceDuration.observe(
      { process_id: process, state: r.after },
      Math.max(0, (r.endedAt ?? r.now) - r.startedAt) / 1000,
    );
}

/**
 * Log lines of a command (see docs/observability.md, "Logs"): instance-level events at info,
 * element-level ones at debug only, so that a loaded engine writes no line per element at info.
 */
function logHistory(log: Logger, r: CommandRecord): void {
  const debug = log.isLevelEnabled('debug');
  for (const h of r.history) {
    if (h.type.startsWith('process-')) log.info({ instanceId: r.instanceId, processId: r.processId }, h.type);
    else if (debug)
      log.debug(
        {
          instanceId: r.instanceId,
          processId: r.processId,
          elementId: h.elementId,
          ...('jobKey' in h ? { jobKey: h.jobKey } : {}),
        },
        h.type,
      );
  }
}

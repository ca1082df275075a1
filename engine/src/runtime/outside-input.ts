/**
 * Outside input that is not addressed to one instance: messages (correlation, TTL buffering,
 * messageId dedupe), signal broadcasts, and the evaluation of conditional start events.
 */
import { evalCondition } from '../core/feel.js';
import { durationEnd } from '../core/iso-time.js';
import { EngineError } from './api-types.js';
import type { EngineOps } from './engine-ops.js';
import type { WorkItem } from './processor.js';

/** How long a messageId is remembered at least (also without a TTL). */
const MESSAGE_ID_MEMORY_MS = 3_600_000;

/** Correlates a message now, or buffers it for its `timeToLive` when nothing takes it. */
export function publishMessage(
  ops: EngineOps,
  req: {
    name: string;
    correlationKey?: string;
    variables?: Record<string, unknown>;
    timeToLive?: string;
    messageId?: string;
  },
): Promise<{ correlated: string[]; started: string[] }> {
  let ttlMs = 0;
  if (req.timeToLive !== undefined) {
    const now = ops.now();
    const end = durationEnd(req.timeToLive, now);
    const ms = end.ok ? end.value - now : -1;
    if (ms < 0)
      throw new EngineError(
        400,
        'INVALID_REQUEST',
        `Expected timeToLive to be an ISO 8601 duration such as PT1M, but got ${req.timeToLive}`,
        [{ field: 'timeToLive' }],
      );
    ttlMs = ms;
  }
  return ops.submit('PublishMessage', () => {
    const now = ops.now();
    const variables = req.variables ?? {};
    const ck = req.correlationKey ?? null;
    if (req.messageId && !ops.store.rememberMessageId(req.messageId, now + Math.max(ttlMs, MESSAGE_ID_MEMORY_MS), now))
      return { correlated: [], started: [] };
    const { correlated, started } = ops.processor.correlate(req.name, ck, variables);
    if (!correlated.length && !started.length && ttlMs > 0) {
      ops.store.bufferMessage(
        { name: req.name, correlationKey: ck, variables, expiresAt: now + ttlMs, messageId: req.messageId ?? null },
        now,
      );
    }
    return { correlated, started };
  });
}

/** Triggers every signal subscription and signal start event of that name. */
export function broadcastSignal(
  ops: EngineOps,
  req: { name: string; variables?: Record<string, unknown> },
): Promise<{ triggered: number }> {
  return ops.submit('BroadcastSignal', () => {
    const queue: WorkItem[] = [];
    const triggered = ops.processor.broadcast(req.name, req.variables ?? {}, queue);
    for (const item of queue) ops.processor.runIsolated(item);
    return { triggered };
  });
}

/**
 * Evaluates the conditional start events of the latest versions against `variables` and starts an
 * instance for each one whose condition holds (optionally of one process only).
 */
export function evaluateConditions(
  ops: EngineOps,
  req: { variables?: Record<string, unknown>; processId?: string },
): Promise<{ started: string[] }> {
  return ops.submit('EvaluateConditions', () => {
    const variables = req.variables ?? {};
    const started: string[] = [];
    for (const sub of ops.store.startSubscriptions('conditional')) {
      const def = ops.store.definitionByKey(sub.definitionKey!)!;
      if (req.processId && def.processId !== req.processId) continue;
      const ev = def.model.elements[sub.elementId]?.event;
      if (ev?.kind !== 'conditional') continue;
      const holds = evalCondition(ev.condition, variables, { now: ops.now(), random: Math.random });
      if (!holds.ok || !holds.value) continue;
      const id = ops.processor.newInstanceId();
      if (
        ops.processor.runIsolated({
          kind: 'start',
          def,
          init: { id, businessKey: null, variables, startElementId: sub.elementId },
        })
      )
        started.push(id);
    }
    return { started };
  });
}

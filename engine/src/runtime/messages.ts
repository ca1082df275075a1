/**
 * Outside input not addressed to one instance — messages, signals, conditional starts — and the
 * signals and messages that instances throw. Each is planned in one transaction (which instances
 * get it, which start) as inbox items, then delivered item by item (./inbox.ts).
 *
 * Message cardinality follows Camunda 8: a message correlates at most once per process (BPMN
 * process id, across versions) — to the instance whose subscription is oldest — and once to each
 * other process waiting for it; a message start event starts an instance only for a process that no
 * waiting instance took the message for, and only while no instance of it with that correlation key
 * is active. A message with a time to live is kept that long for processes that subscribe later.
 */
import { evalCondition } from '../core/feel.js';
import { durationEnd } from '../core/iso-time.js';
import { ConflictError } from '../storage/port.js';
import { EngineError } from './api-types.js';
import type { InboxRef } from './effects.js';
import type { GroupCommit, Work } from './group-commit.js';
import type { CommandItem, FanOutItem, Inbox, StartItem } from './inbox.js';
import type { Metrics } from './metrics.js';
import type { Processor } from './processor.js';

/** How long a messageId is remembered at least (also without a TTL). */
const MESSAGE_ID_MEMORY_MS = 3_600_000;

export interface MessageDeps {
  readonly commits: GroupCommit;
  readonly processor: Processor;
  readonly inbox: () => Inbox;
  readonly now: () => number;
  readonly metrics?: Metrics;
}

/** Writes the inbox items delivering a message; resolves to them and the processes they go to. */
async function planMessage(
  deps: MessageDeps,
  w: Work,
  m: FanOutItem,
): Promise<{ refs: InboxRef[]; processes: Set<string> }> {
  const ck = m.correlationKey ?? null;
  const subs = await w.tx.subscriptions.forMessage(m.name, ck);
  const now = deps.now();
  const refs: InboxRef[] = [];
  const processes = new Set<string>();
  const waiting = new Map<string, { instanceId: string; subscriptionKey: string }[]>();
  for (const s of subs) {
    if (!s.instanceId) continue;
    const list = waiting.get(s.processId) ?? [];
    if (!list.some((x) => x.instanceId === s.instanceId))
      list.push({ instanceId: s.instanceId, subscriptionKey: s.key });
    waiting.set(s.processId, list);
  }
  for (const [processId, [first, ...alternatives]] of waiting) {
    const payload: CommandItem = {
      cmd: { type: 'CorrelateMessage', subscriptionKey: first!.subscriptionKey, variables: m.variables, name: m.name },
      alternatives,
    };
    const seq = await w.tx.inbox.add({ target: first!.instanceId, kind: 'command', payload, createdAt: now });
    refs.push({ seq, target: first!.instanceId });
    processes.add(processId);
  }
  for (const s of subs) {
    if (s.instanceId || !s.definitionKey || processes.has(s.processId)) continue;
    const startKey = ck !== null ? `${s.processId}\u001f${ck}` : null;
    if (startKey && (await w.tx.instances.activeByStartKey(startKey))) continue;
    const id = deps.processor.newInstanceId();
    const payload: StartItem = {
      definition: { key: s.definitionKey },
      init: {
        id,
        businessKey: ck,
        variables: m.variables,
        startElementId: s.elementId,
        ...(m.callDepth ? { callDepth: m.callDepth } : {}),
      },
      startKey,
    };
    const seq = await w.tx.inbox.add({ target: id, kind: 'start', payload, createdAt: now });
    refs.push({ seq, target: id });
    processes.add(s.processId);
  }
  return { refs, processes };
}

/** Writes the inbox items delivering a signal to every subscription and signal start event. */
async function planSignal(deps: MessageDeps, w: Work, s: FanOutItem): Promise<InboxRef[]> {
  const refs: InboxRef[] = [];
  const now = deps.now();
  for (const sub of await w.tx.subscriptions.forSignal(s.name)) {
    if (sub.instanceId) {
      const payload: CommandItem = {
        cmd: { type: 'TriggerSignal', subscriptionKey: sub.key, variables: s.variables },
      };
      refs.push({
        seq: await w.tx.inbox.add({ target: sub.instanceId, kind: 'command', payload, createdAt: now }),
        target: sub.instanceId,
      });
    } else if (sub.definitionKey) {
      const id = deps.processor.newInstanceId();
      const payload: StartItem = {
        definition: { key: sub.definitionKey },
        init: {
          id,
          businessKey: null,
          variables: s.variables,
          startElementId: sub.elementId,
          ...(s.callDepth ? { callDepth: s.callDepth } : {}),
        },
      };
      refs.push({ seq: await w.tx.inbox.add({ target: id, kind: 'start', payload, createdAt: now }), target: id });
    }
  }
  return refs;
}

/** The fan-out of a signal or message thrown by an instance (an inbox item of kind signal/message). */
export function fanOut(deps: MessageDeps) {
  return async (w: Work, kind: 'signal' | 'message', item: FanOutItem): Promise<InboxRef[]> => {
    if (kind === 'signal') return planSignal(deps, w, item);
    if (!(await w.tx.messages.lock(item.name, item.correlationKey ?? null)))
      throw new ConflictError(`message ${item.name} is being correlated by another node`);
    return (await planMessage(deps, w, item)).refs;
  };
}

/** Correlates a message (see the module comment); keeps it for `timeToLive` for later subscribers. */
export async function publishMessage(
  deps: MessageDeps,
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
    const now = deps.now();
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
  const ck = req.correlationKey ?? null;
  const variables = req.variables ?? {};
  const refs = await deps.commits.submit({
    run: async (w) => {
      if (!(await w.tx.messages.lock(req.name, ck)))
        throw new ConflictError(`message ${req.name} is being correlated by another node`);
      const now = deps.now();
      if (
        req.messageId &&
        !(await w.tx.messages.rememberId(req.messageId, now + Math.max(ttlMs, MESSAGE_ID_MEMORY_MS), now))
      )
        return [];
      const plan = await planMessage(deps, w, {
        name: req.name,
        ...(ck !== null ? { correlationKey: ck } : {}),
        variables,
      });
      const m = deps.metrics;
      if (m)
        w.after(() => {
          m.messagesPublished.inc();
          if (ttlMs > 0) m.messagesBuffered.inc();
        });
      if (ttlMs > 0)
        await w.tx.messages.buffer(
          {
            name: req.name,
            correlationKey: ck,
            variables,
            expiresAt: now + ttlMs,
            messageId: req.messageId ?? null,
            processes: [...plan.processes],
          },
          now,
        );
      return plan.refs;
    },
  });
  const outcomes = await deps.inbox().applyAll(refs);
  return {
    correlated: outcomes.flatMap((o) => (o.kind === 'correlated' ? [o.instanceId] : [])),
    started: outcomes.flatMap((o) => (o.kind === 'started' ? [o.instanceId] : [])),
  };
}

/** Triggers every signal subscription and signal start event of that name. */
export async function broadcastSignal(
  deps: MessageDeps,
  req: { name: string; variables?: Record<string, unknown> },
): Promise<{ triggered: number }> {
  const refs = await deps.commits.submit({
    run: (w) => planSignal(deps, w, { name: req.name, variables: req.variables ?? {} }),
  });
  await deps.inbox().applyAll(refs);
  return { triggered: refs.length };
}

/**
 * Evaluates the conditional start events of the latest versions against `variables` and starts an
 * instance for each one whose condition holds (optionally of one process only).
 */
export async function evaluateConditions(
  deps: MessageDeps,
  req: { variables?: Record<string, unknown>; processId?: string },
): Promise<{ started: string[] }> {
  const variables = req.variables ?? {};
  const started = await deps.commits.submit({
    run: async (w) => {
      const ids: string[] = [];
      for (const sub of await w.tx.subscriptions.startEvents('conditional')) {
        const def = await w.tx.definitions.byKey(sub.definitionKey!);
        if (!def || (req.processId && def.processId !== req.processId)) continue;
        const ev = def.model.elements[sub.elementId]?.event;
        if (ev?.kind !== 'conditional') continue;
        const holds = evalCondition(ev.condition, variables, deps.processor.feelEnv());
        if (!holds.ok || !holds.value) continue;
        const state = await deps.processor.start(
          w,
          def,
          { id: deps.processor.newInstanceId(), businessKey: null, variables, startElementId: sub.elementId },
          { origin: 'continuation' },
        );
        if (state) ids.push(state.id);
      }
      return ids;
    },
  });
  return { started };
}

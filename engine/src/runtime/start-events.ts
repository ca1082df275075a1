/**
 * Message, signal and timer start events of the latest version of each process: registered at
 * deployment (replacing the previous version's), fired by publish, broadcast and the scheduler.
 */
import { evalExpr } from '../core/feel.js';
import { firstDue, nextDue, parseCycle, parseDateMs, parseDurationMs, type CycleSpec } from '../core/timer-spec.js';
import type { DefinitionRow, Store, TimerRow } from '../storage/store.js';

function text(v: ReturnType<typeof evalExpr>): string | undefined {
  return v.ok && v.value !== null ? String(v.value) : undefined;
}

/** Registers the start events of a newly deployed latest version. */
export function registerStartEvents(store: Store, def: DefinitionRow, now: number): void {
  store.deleteStartSubscriptions(def.processId);
  store.deleteStartTimers(def.processId);
  for (const id of def.model.root.children ?? []) {
    const el = def.model.elements[id]!;
    if (el.type !== 'bpmn:StartEvent' || !el.event) continue;
    const key = `start:${def.key}:${el.id}`;
    const ev = el.event;
    if (ev.kind === 'message' || ev.kind === 'signal') {
      const name = text(evalExpr(ev.kind === 'message' ? ev.messageName : ev.signalName, {}, { now }));
      if (name === undefined) continue;
      store.insertSubscription(
        {
          key,
          kind: ev.kind,
          name,
          correlationKey: null,
          instanceId: null,
          elementKey: null,
          elementId: el.id,
          definitionKey: def.key,
        },
        now,
      );
    } else if (ev.kind === 'conditional') {
      store.insertSubscription(
        {
          key,
          kind: 'conditional',
          name: el.id,
          correlationKey: null,
          instanceId: null,
          elementKey: null,
          elementId: el.id,
          definitionKey: def.key,
        },
        now,
      );
    } else if (ev.kind === 'timer') {
      const spec = text(evalExpr(ev.value, {}, { now }));
      if (spec === undefined) continue;
      const first = firstTimer(ev.timer, spec, now);
      if (first)
        store.upsertTimer({
          key,
          instanceId: null,
          elementKey: null,
          elementId: el.id,
          definitionKey: def.key,
          dueAt: first.dueAt,
          repeat: first.repeat,
        });
    }
  }
}

function firstTimer(
  kind: 'duration' | 'date' | 'cycle',
  spec: string,
  now: number,
): { dueAt: number; repeat: string | null } | undefined {
  if (kind === 'duration') {
    const ms = parseDurationMs(spec);
    return ms === undefined ? undefined : { dueAt: now + ms, repeat: null };
  }
  if (kind === 'date') {
    const at = parseDateMs(spec);
    return at === undefined ? undefined : { dueAt: at, repeat: null };
  }
  const cycle = parseCycle(spec);
  if (!cycle) return undefined;
  return {
    dueAt: firstDue(cycle, now),
    repeat: JSON.stringify({ spec, left: cycle.repetitions < 0 ? -1 : cycle.repetitions - 1 }),
  };
}

/**
 * The next occurrence of a start timer cycle after it fired, or undefined when it is exhausted.
 * Catch-up rule: after downtime a cycle fires once for all missed due times, then continues from now.
 */
export function nextStartTimer(t: TimerRow, now: number): TimerRow | undefined {
  if (!t.repeat) return undefined;
  const { spec, left } = JSON.parse(t.repeat) as { spec: string; left: number };
  if (left === 0) return undefined;
  const cycle: CycleSpec | undefined = parseCycle(spec);
  if (!cycle) return undefined;
  let due = nextDue(cycle, t.dueAt);
  if (due <= now) due = nextDue(cycle, now);
  return { ...t, dueAt: due, repeat: JSON.stringify({ spec, left: left < 0 ? -1 : left - 1 }) };
}

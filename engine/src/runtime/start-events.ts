/**
 * Message, signal and timer start events of the latest version of each process: registered at
 * deployment (replacing the previous version's), fired by publish, broadcast and the scheduler.
 */
import { evalExpr } from '../core/feel.js';
import { DEFAULT_MIN_TIMER_CYCLE_MS, nextCycleFiring, planTimer, type CycleProgress } from '../core/timer-plan.js';
import type { DefinitionRow, TimerRow, Tx } from '../storage/port.js';

function text(v: ReturnType<typeof evalExpr>): string | undefined {
  return v.ok && v.value !== null ? String(v.value) : undefined;
}

/** Registers the start events of a newly deployed latest version. */
export async function registerStartEvents(tx: Tx, def: DefinitionRow, now: number): Promise<void> {
  await tx.subscriptions.deleteStartEvents(def.processId);
  await tx.timers.deleteStartTimers(def.processId);
  for (const id of def.model.root.children ?? []) {
    const el = def.model.elements[id]!;
    if (el.type !== 'bpmn:StartEvent' || !el.event) continue;
    const key = `start:${def.key}:${el.id}`;
    const ev = el.event;
    if (ev.kind === 'message' || ev.kind === 'signal') {
      const name = text(evalExpr(ev.kind === 'message' ? ev.messageName : ev.signalName, {}, { now }));
      if (name === undefined) continue;
      await tx.subscriptions.insert(
        {
          key,
          kind: ev.kind,
          name,
          correlationKey: null,
          instanceId: null,
          elementKey: null,
          elementId: el.id,
          definitionKey: def.key,
          processId: def.processId,
        },
        now,
      );
    } else if (ev.kind === 'conditional') {
      await tx.subscriptions.insert(
        {
          key,
          kind: 'conditional',
          name: el.id,
          correlationKey: null,
          instanceId: null,
          elementKey: null,
          elementId: el.id,
          definitionKey: def.key,
          processId: def.processId,
        },
        now,
      );
    } else if (ev.kind === 'timer') {
      const spec = text(evalExpr(ev.value, {}, { now }));
      if (spec === undefined) continue;
      const first = firstTimer(ev.timer, spec, now, def.model.minTimerCycleMs ?? DEFAULT_MIN_TIMER_CYCLE_MS);
      if (first)
        await tx.timers.upsert({
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
  minCycleMs: number,
): { dueAt: number; repeat: string | null } | undefined {
  const planned = planTimer(kind, spec, now, minCycleMs);
  if (!planned.ok) return undefined;
  const { dueAt, cycle } = planned.plan;
  return { dueAt, repeat: cycle ? JSON.stringify(cycle) : null };
}

/**
 * The next occurrence of a start timer cycle after it fired, or undefined when it is exhausted.
 * Catch-up: the rule every timer cycle follows ({@link nextCycleFiring}).
 */
export function nextStartTimer(t: TimerRow, now: number): TimerRow | undefined {
  if (!t.repeat) return undefined;
  const next = nextCycleFiring(JSON.parse(t.repeat) as CycleProgress, t.dueAt, now);
  return next ? { ...t, dueAt: next.dueAt, repeat: JSON.stringify(next.cycle) } : undefined;
}

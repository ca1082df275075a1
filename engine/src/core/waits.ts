/**
 * Timers and message/signal subscriptions owned by element instances: armed for boundary events,
 * event sub-process start events, event-based gateway targets and catch events; closed when the
 * owner leaves.
 */
import type { ElementDef } from '../model/types.js';
import { evalString, type EvalFailure } from './feel.js';
import type { Run } from './run.js';
import type { ElementInstance, Wait, WaitCycle } from './state.js';
import { DEFAULT_MIN_TIMER_CYCLE_MS, planTimer, timerProblem, timerText } from './timer-plan.js';

type Result = { ok: true } | EvalFailure;

/** Opens the wait for the event of `target`, owned by `owner`, evaluated in `owner`'s scope. */
export function openWait(run: Run, owner: ElementInstance, target: ElementDef): Result {
  const ev = target.event;
  if (!ev) return { ok: true };
  const key = run.globalKey();
  switch (ev.kind) {
    case 'timer': {
      const t = timerDue(run, owner, target);
      if (!t.ok) return t;
      addWait(owner, { key, kind: 'timer', target: target.id, ...(t.cycle ? { cycle: t.cycle } : {}) });
      run.effect({ type: 'ScheduleTimer', key, elementKey: owner.key, elementId: target.id, dueAt: t.dueAt });
      return { ok: true };
    }
    case 'message': {
      const vars = run.visible(owner.key);
      const name = evalString(ev.messageName, vars, 'the message name', run.ctx);
      if (!name.ok) return name;
      let correlationKey: string | undefined;
      if (ev.correlationKey) {
        const ck = evalString(ev.correlationKey, vars, 'the correlation key', run.ctx);
        if (!ck.ok) return ck;
        correlationKey = ck.value;
      }
      addWait(owner, { key, kind: 'message', target: target.id });
      run.effect({
        type: 'OpenSubscription',
        key,
        kind: 'message',
        name: name.value,
        ...(correlationKey !== undefined ? { correlationKey } : {}),
        elementKey: owner.key,
        elementId: target.id,
      });
      return { ok: true };
    }
    case 'signal': {
      const name = evalString(ev.signalName, run.visible(owner.key), 'the signal name', run.ctx);
      if (!name.ok) return name;
      addWait(owner, { key, kind: 'signal', target: target.id });
      run.effect({
        type: 'OpenSubscription',
        key,
        kind: 'signal',
        name: name.value,
        elementKey: owner.key,
        elementId: target.id,
      });
      return { ok: true };
    }
    case 'conditional':
      addWait(owner, { key, kind: 'conditional', target: target.id, held: false });
      return { ok: true };
    default:
      return { ok: true };
  }
}

function addWait(owner: ElementInstance, w: Wait): void {
  (owner.waits ??= []).push(w);
}

/** Plans the timer of `target`: its value evaluated in `owner`'s scope, checked and scheduled by the shared rule. */
function timerDue(
  run: Run,
  owner: ElementInstance,
  target: ElementDef,
): { ok: true; dueAt: number; cycle?: WaitCycle } | EvalFailure {
  const ev = target.event as Extract<ElementDef['event'], { kind: 'timer' }>;
  const r = run.evalIn(owner.key, ev.value);
  if (!r.ok) return r;
  const text = timerText(r.value);
  const now = run.ctx.now;
  const planned = planTimer(ev.timer, text, now, run.model.minTimerCycleMs ?? DEFAULT_MIN_TIMER_CYCLE_MS);
  if (!planned.ok) return { ok: false, message: timerProblem(ev.timer, target.id, planned.expected, text) };
  const { dueAt, cycle } = planned.plan;
  return { ok: true, dueAt, ...(cycle ? { cycle: { ...cycle, dueAt } } : {}) };
}

/** Arms the boundary events of an activity. False when arming failed (an incident was raised). */
export function armBoundaries(run: Run, ei: ElementInstance, el: ElementDef): boolean {
  if (ei.waits?.length) return true;
  for (const b of el.boundaries ?? []) {
    const r = openWait(run, ei, run.def(b));
    if (!r.ok) {
      run.incident(ei, 'EXPRESSION_FAILED', r, 'activate');
      return false;
    }
  }
  return true;
}

/** Arms the start events of the event sub-processes of a scope (process or sub-process). */
export function armEventSubprocesses(run: Run, scope: ElementInstance, el: ElementDef): boolean {
  for (const espId of el.eventSubprocesses ?? []) {
    const start = startOf(run, espId);
    if (!start) continue;
    const r = openWait(run, scope, start);
    if (!r.ok) {
      run.incident(scope, 'EXPRESSION_FAILED', r, 'activate');
      return false;
    }
  }
  return true;
}

/** The start event of an event sub-process. */
export function startOf(run: Run, espId: string): ElementDef | undefined {
  const esp = run.def(espId);
  const id = (esp.children ?? []).find((c) => run.def(c).type === 'bpmn:StartEvent');
  return id ? run.def(id) : undefined;
}

export function closeWait(run: Run, owner: ElementInstance, w: Wait): void {
  owner.waits = (owner.waits ?? []).filter((x) => x.key !== w.key);
  if (owner.waits.length === 0) delete owner.waits;
  if (w.kind === 'timer') run.effect({ type: 'CancelTimer', key: w.key });
  else if (w.kind !== 'conditional') run.effect({ type: 'CloseSubscription', key: w.key });
}

/** Closes every wait the element instance owns, and its job and user task. */
export function disarm(run: Run, ei: ElementInstance): void {
  for (const w of [...(ei.waits ?? [])]) closeWait(run, ei, w);
  if (ei.job) {
    run.effect({ type: 'RemoveJob', key: ei.job.key });
    delete ei.job;
  }
  if (ei.userTask) {
    run.effect({ type: 'RemoveUserTask', id: ei.userTask });
    delete ei.userTask;
  }
}

/** Finds the element instance that owns a wait key. */
export function findWait(run: Run, key: string): { owner: ElementInstance; wait: Wait } | undefined {
  for (const owner of Object.values(run.state.elements)) {
    const wait = owner.waits?.find((w) => w.key === key);
    if (wait) return { owner, wait };
  }
  return undefined;
}

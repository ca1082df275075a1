/**
 * Catching: a fired wait (timer, message, signal) reaches its target — the element itself, a
 * boundary event, an event sub-process or an event-based gateway; thrown errors and escalations
 * travel outwards through boundaries and event sub-processes to the nearest matching catch.
 */
import type { ElementDef } from '../model/types.js';
import { behaviorOf } from './elements/registry.js';
import { activate, terminate, terminateChildren } from './lifecycle.js';
import type { Run } from './run.js';
import type { ElementInstance, LegacyWaitCycle, Wait, WaitCycle } from './state.js';
import { ROOT_KEY } from './state.js';
import { closeWait, startOf } from './waits.js';
import { nextCycleFiring } from './timer-plan.js';

type Vars = Record<string, unknown>;

/** A wait fired: route it to whatever it was armed for. */
export function fireWait(run: Run, owner: ElementInstance, wait: Wait, vars: Vars | undefined): void {
  const target = run.def(wait.target);
  const ownerEl = run.def(owner.elementId);
  if (target.id === owner.elementId && !target.attachedTo) {
    closeWait(run, owner, wait);
    behaviorOf(ownerEl, owner).trigger?.(run, owner, ownerEl, { kind: wait.kind, variables: vars ?? {} });
    return;
  }
  if (ownerEl.type === 'bpmn:EventBasedGateway') {
    behaviorOf(ownerEl, owner).trigger?.(run, owner, ownerEl, {
      kind: wait.kind,
      variables: vars ?? {},
      target: target.id,
    });
    return;
  }
  const interrupting = target.interrupting !== false;
  if (interrupting || !repeats(run, owner, wait)) closeWait(run, owner, wait);
  if (target.attachedTo) fireBoundary(run, owner, target, vars);
  else triggerEventSubprocess(run, owner, target, vars);
}

/** Non-interrupting timer cycles schedule their next firing (by the shared catch-up rule); message and signal catches stay open. */
function repeats(run: Run, owner: ElementInstance, wait: Wait): boolean {
  if (wait.kind !== 'timer') return true;
  if (!wait.cycle) return false;
  const now = run.ctx.now;
  const current = currentCycle(wait.cycle, now);
  const next = nextCycleFiring(current, current.dueAt, now);
  if (!next) return false;
  (wait as { cycle: WaitCycle }).cycle = { ...next.cycle, dueAt: next.dueAt };
  run.effect({
    type: 'ScheduleTimer',
    key: wait.key,
    elementKey: owner.key,
    elementId: wait.target,
    dueAt: next.dueAt,
  });
  return true;
}

/** A cycle as kept by the wait; one stored before cycles kept their text and due time continues from now. */
function currentCycle(cycle: WaitCycle | LegacyWaitCycle, now: number): WaitCycle {
  if ('spec' in cycle) return cycle;
  const spec = cycle.cron ?? `R/PT${cycle.everyMs / 1000}S`;
  return { spec, left: cycle.left, dueAt: now };
}

/** A boundary event fires on the activity instance it is attached to. */
export function fireBoundary(run: Run, activity: ElementInstance, boundary: ElementDef, vars: Vars | undefined): void {
  const parentKey = activity.parent!;
  if (boundary.interrupting !== false) terminate(run, activity);
  activate(run, boundary.id, parentKey, { pretriggered: vars ?? {} });
}

/** Starts an event sub-process in `scope`; an interrupting one first ends everything else there. */
export function triggerEventSubprocess(
  run: Run,
  scope: ElementInstance,
  start: ElementDef,
  vars: Vars | undefined,
): void {
  const interrupting = start.interrupting !== false;
  if (interrupting) {
    terminateChildren(run, scope.key);
    const scopeEl = run.def(scope.elementId);
    const espStarts = new Set((scopeEl.eventSubprocesses ?? []).map((id) => startOf(run, id)?.id));
    for (const w of [...(scope.waits ?? [])]) if (espStarts.has(w.target)) closeWait(run, scope, w);
    scope.interrupted = true;
  }
  activate(run, start.scope, scope.key, { pretriggered: vars ?? {}, interrupting });
}

type Caught = 'caught' | 'uncaught';

/**
 * Throws a BPMN error or escalation from `from`: the nearest boundary event or event sub-process
 * start event with the same code (else a catch-all one) catches it, level by level outwards.
 */
export function throwEvent(
  run: Run,
  from: ElementInstance,
  kind: 'error' | 'escalation',
  code: string | undefined,
  vars: Vars,
): Caught {
  for (let cur: ElementInstance | undefined = from; cur;) {
    const el = run.def(cur.elementId);
    if (cur.iteration === undefined && cur.key !== ROOT_KEY) {
      const b = match(run, el.boundaries ?? [], kind, code);
      if (b) {
        fireBoundary(run, cur, b, vars);
        return 'caught';
      }
    }
    const scope: ElementInstance | undefined = cur.parent !== null ? run.ei(cur.parent) : undefined;
    if (!scope) break;
    if (!scope.mi) {
      const starts = (run.def(scope.elementId).eventSubprocesses ?? [])
        .map((id) => startOf(run, id)?.id)
        .filter((x): x is string => !!x);
      const s = match(run, starts, kind, code);
      if (s && !(s.interrupting !== false && scope.interrupted && isInsideEsp(run, cur, scope))) {
        triggerEventSubprocess(run, scope, s, vars);
        return 'caught';
      }
    }
    cur = scope;
  }
  const parent = run.state.parent;
  if (parent) {
    run.effect({
      type: 'NotifyParent',
      parentId: parent.instanceId,
      elementKey: parent.elementKey,
      outcome: kind,
      variables: vars,
      ...(code !== undefined ? { code } : {}),
    });
    return 'caught';
  }
  return 'uncaught';
}

function isInsideEsp(run: Run, cur: ElementInstance, scope: ElementInstance): boolean {
  return run.def(cur.elementId).triggeredByEvent === true && cur.parent === scope.key;
}

function match(
  run: Run,
  ids: readonly string[],
  kind: 'error' | 'escalation',
  code: string | undefined,
): ElementDef | undefined {
  let catchAll: ElementDef | undefined;
  for (const id of ids) {
    const d = run.def(id);
    const ev = d.event;
    if (!ev || ev.kind !== kind) continue;
    const c = ev.kind === 'error' ? ev.errorCode : ev.kind === 'escalation' ? ev.escalationCode : undefined;
    if (c === undefined) catchAll ??= d;
    else if (c === code) return d;
  }
  return catchAll;
}

/**
 * Compensation (BPMN 2.0.2 §10.6): completed activities with a compensation handler are recorded
 * in their scope; a compensation throw runs the handlers one after another, in reverse order of
 * completion, and waits for them. Completed sub-processes without a handler of their own pass
 * their inner records on, so their inner activities are compensated too.
 */
import type { ElementDef } from '../model/types.js';
import { activate, complete } from './lifecycle.js';
import type { Run } from './run.js';
import type { CompensationRecord, ElementInstance } from './state.js';

/** Called as an activity completes: remember it if it (or something inside it) can be compensated. */
export function registerCompensation(run: Run, ei: ElementInstance, el: ElementDef): void {
  if (ei.parent === null || ei.compensates) return;
  const inner = run.state.compensation[ei.key];
  const handlerBoundary = (el.boundaries ?? []).map((b) => run.def(b)).find((b) => b.event?.kind === 'compensate');
  const isIteration = ei.iteration !== undefined;
  const isMiBody = !!ei.mi;
  let rec: CompensationRecord | undefined;
  if (handlerBoundary?.compensationHandler && (isIteration || !(el.multiInstance || el.loop))) {
    const vars = run.state.vars[ei.key];
    rec = {
      elementId: ei.elementId,
      seq: run.state.seq++,
      handler: handlerBoundary.compensationHandler,
      ...(vars && Object.keys(vars).length ? { vars: { ...vars } } : {}),
    };
  } else if (inner?.length && (isMiBody || !hasCompensationEventSubprocess(run, el))) {
    rec = { elementId: ei.elementId, seq: run.state.seq++, inner: [...inner] };
  } else if (hasCompensationEventSubprocess(run, el)) {
    rec = {
      elementId: ei.elementId,
      seq: run.state.seq++,
      handler: compensationEventSubprocess(run, el)!,
      inner: inner ? [...inner] : [],
    };
  }
  if (rec) (run.state.compensation[ei.parent] ??= []).push(rec);
}

function compensationEventSubprocess(run: Run, el: ElementDef): string | undefined {
  return (el.eventSubprocesses ?? []).find((id) => {
    const start = (run.def(id).children ?? []).map((c) => run.def(c)).find((c) => c.type === 'bpmn:StartEvent');
    return start?.event?.kind === 'compensate';
  });
}

function hasCompensationEventSubprocess(run: Run, el: ElementDef): boolean {
  return compensationEventSubprocess(run, el) !== undefined;
}

/** Flattens records into handler runs, newest completion first. */
function order(records: readonly CompensationRecord[]): CompensationRecord[] {
  const out: CompensationRecord[] = [];
  for (const r of [...records].sort((a, b) => b.seq - a.seq)) {
    if (r.handler) out.push(r);
    else if (r.inner) out.push(...order(r.inner));
  }
  return out;
}

/**
 * A compensation throw (intermediate or end event) in scope `thrower.parent`: compensates the
 * activity named by activityRef, or every compensable activity of the scope.
 */
export function throwCompensation(run: Run, thrower: ElementInstance, activityRef?: string): void {
  const scopeKey = compensationScope(run, thrower.parent!);
  const all = run.state.compensation[scopeKey] ?? [];
  const chosen = activityRef ? all.filter((r) => r.elementId === activityRef) : all;
  run.state.compensation[scopeKey] = all.filter((r) => !chosen.includes(r));
  const pending = order(chosen);
  if (pending.length === 0) {
    complete(run, thrower);
    return;
  }
  thrower.compensation = { pending };
  startNext(run, thrower);
}

/**
 * The scope whose activities a throw compensates: its own, or, from inside an event sub-process,
 * the enclosing one (BPMN 2.0.2 §10.6.4: an event sub-process compensates its parent's activities).
 */
function compensationScope(run: Run, scopeKey: string): string {
  const scope = run.ei(scopeKey);
  if (scope && scope.parent !== null && run.def(scope.elementId).triggeredByEvent)
    return compensationScope(run, scope.parent);
  return scopeKey;
}

function startNext(run: Run, thrower: ElementInstance): void {
  const next = thrower.compensation!.pending.shift();
  if (!next) {
    delete thrower.compensation;
    complete(run, thrower);
    return;
  }
  const handlerEl = run.def(next.handler!);
  const opts = {
    compensates: { thrower: thrower.key, elementId: next.elementId },
    ...(next.vars ? { vars: next.vars } : {}),
  };
  if (handlerEl.triggeredByEvent) {
    const h = activate(run, handlerEl.id, thrower.key, { ...opts, pretriggered: {} });
    thrower.compensation!.current = h.key;
    return;
  }
  const h = activate(run, handlerEl.id, thrower.key, opts);
  thrower.compensation!.current = h.key;
}

/** A handler finished: record the compensation and run the next one. */
export function onHandlerDone(run: Run, handler: ElementInstance): void {
  const { thrower: throwerKey, elementId } = handler.compensates!;
  const el = run.def(elementId);
  run.history.push({ type: 'element-compensated', elementId, elementType: el.type });
  const thrower = run.ei(throwerKey);
  if (thrower?.compensation) startNext(run, thrower);
}

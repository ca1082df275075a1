/**
 * Ad-hoc sub-processes, as Camunda 8.7+ runs them. On activation the `activeElementsCollection`
 * names inner elements to start (an empty or absent list starts none: the sub-process waits); the
 * API can start more later (`ActivateAdHocElements`). Each start runs in a scope of its own (an
 * "inner instance") that keeps the variables written inside. When an inner flow ends, its
 * `outputElement` joins the `outputCollection`, and the completion condition is evaluated: true
 * completes the sub-process (terminating what still runs, unless `cancelRemainingInstances` is
 * false: then it waits for it). Without a condition, it completes when nothing runs inside any more.
 */
import type { ElementDef } from '../../model/types.js';
import { evalCondition } from '../feel.js';
import { activate, complete, remove, terminateChildren } from '../lifecycle.js';
import type { Run } from '../run.js';
import type { ElementInstance } from '../state.js';
import { armEventSubprocesses } from '../waits.js';
import type { ElementBehavior } from './element-behavior.js';

type Vars = Record<string, unknown>;

/** Inner elements an ad-hoc sub-process can start: activities and events without incoming flows. */
export function activatableElements(run: Run, el: ElementDef): string[] {
  return (el.children ?? []).filter((id) => {
    const d = run.def(id);
    return d.incoming.length === 0 && !d.triggeredByEvent && !d.attachedTo && !d.isForCompensation;
  });
}

/** The ids among `ids` that the ad-hoc sub-process `el` cannot start, as a problem sentence (undefined: none). */
export function unknownInnerElements(run: Run, el: ElementDef, ids: readonly unknown[]): string | undefined {
  const allowed = new Set(activatableElements(run, el));
  const wrong = ids.filter((id) => typeof id !== 'string' || !allowed.has(id));
  if (wrong.length === 0) return undefined;
  return `Expected ids of elements without incoming flows inside ad-hoc sub-process ${el.id} (${[...allowed].join(', ')}), but found ${wrong.map((w) => JSON.stringify(w)).join(', ')}`;
}

/** Starts inner element `elementId` in a new inner instance of `adHoc`, with `variables` local to it. */
export function activateInner(run: Run, adHoc: ElementInstance, elementId: string, variables?: Vars): void {
  const inner: ElementInstance = {
    key: run.localKey(),
    elementId: adHoc.elementId,
    parent: adHoc.key,
    phase: 'active',
    adHocInner: true,
  };
  run.addElement(inner);
  if (variables && Object.keys(variables).length) run.state.vars[inner.key] = { ...variables };
  activate(run, elementId, inner.key);
}

export const adHocSubProcess: ElementBehavior = {
  activate(run, ei, el) {
    const def = el.adHoc!;
    if (!armEventSubprocesses(run, ei, el)) return;
    let ids: unknown[] = [];
    if (def.activeElements) {
      const r = run.evalIn(ei.key, def.activeElements);
      if (!r.ok) {
        run.incident(ei, 'EXPRESSION_FAILED', r, 'activate');
        return;
      }
      if (r.value !== null && !Array.isArray(r.value)) {
        const message = `Expected the active elements collection of ${el.id} to be a list of element ids, but got ${JSON.stringify(r.value)}`;
        run.incident(ei, 'EXPRESSION_FAILED', message, 'activate');
        return;
      }
      ids = r.value ?? [];
      const wrong = unknownInnerElements(run, el, ids);
      if (wrong) {
        run.incident(ei, 'EXPRESSION_FAILED', wrong, 'activate');
        return;
      }
    }
    if (def.outputCollection) run.setLocal(ei.key, def.outputCollection, []);
    for (const id of ids as string[]) activateInner(run, ei, id);
  },
  onScopeEmpty(run, ei, el) {
    // an event sub-process inside ended, or the last inner instance went (decided in innerDone)
    if (!el.adHoc!.completionCondition || ei.adHocCompleting) finish(run, ei, el);
  },
};

/** One inner instance: when the flow inside it ends, collect its output and decide on completion. */
export const adHocInner: ElementBehavior = {
  activate() {
    throw new Error('Expected an ad-hoc inner instance to be created by activateInner, not activated');
  },
  onScopeEmpty(run, inner) {
    const adHoc = run.ei(inner.parent!)!;
    const el = run.def(adHoc.elementId);
    const def = el.adHoc!;
    if (def.outputElement && def.outputCollection && !inner.adHocCompleting) {
      const r = run.evalIn(inner.key, def.outputElement);
      if (!r.ok) {
        run.incident(inner, 'EXPRESSION_FAILED', r, 'leave');
        return;
      }
      const list = run.state.vars[adHoc.key]?.[def.outputCollection];
      run.setLocal(adHoc.key, def.outputCollection, [...(Array.isArray(list) ? list : []), r.value]);
      // collected: a retry of an incident of the completion condition does not collect it twice
      inner.adHocCompleting = true;
    }
    decideAdHoc(run, adHoc, inner);
  },
};

/**
 * After an inner flow ended (`inner`, removed here) or its incident was retried: evaluate the
 * completion condition (in the inner instance's scope, which sees what the flow wrote) and complete when due.
 */
export function decideAdHoc(run: Run, adHoc: ElementInstance, inner?: ElementInstance): void {
  const el = run.def(adHoc.elementId);
  const def = el.adHoc!;
  if (def.completionCondition && !adHoc.adHocCompleting) {
    const r = evalCondition(def.completionCondition, run.visible((inner ?? adHoc).key), run.ctx);
    if (!r.ok) {
      run.incident(inner ?? adHoc, 'EXPRESSION_FAILED', r, inner ? 'leave' : 'complete');
      return;
    }
    if (inner) remove(run, inner);
    if (!r.value) return;
    if (def.cancelRemainingInstances) terminateChildren(run, adHoc.key);
    adHoc.adHocCompleting = true;
  } else if (inner) remove(run, inner);
  if (!run.hasChildren(adHoc.key)) finish(run, adHoc, el);
}

/** Completes the ad-hoc sub-process; its output collection goes to the parent scope. */
function finish(run: Run, adHoc: ElementInstance, el: ElementDef): void {
  const name = el.adHoc!.outputCollection;
  if (name && adHoc.parent !== null) run.setPropagating(adHoc.parent, name, run.state.vars[adHoc.key]?.[name] ?? []);
  delete adHoc.adHocCompleting;
  complete(run, adHoc);
}

/** What `ActivateAdHocElements` asks: the sub-process (by element id or instance key) and the elements to start. */
export interface AdHocActivation {
  readonly adHocElementId: string;
  readonly elementKey?: string;
  readonly elements: readonly { readonly elementId: string; readonly variables?: Vars }[];
}

/** A refusal of the core (see execute.ts `Outcome`). */
export interface Refusal {
  readonly ok: false;
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

function refuse(status: number, code: string, message: string): Refusal {
  return { ok: false, status, code, message };
}

/** Starts inner elements of an active ad-hoc sub-process through the API; a refusal changes nothing. */
export function activateAdHocElements(run: Run, cmd: AdHocActivation, audit: Vars): Refusal | undefined {
  const el = run.model.elements[cmd.adHocElementId];
  if (!el?.adHoc)
    return refuse(
      404,
      'ELEMENT_NOT_FOUND',
      `Expected ${cmd.adHocElementId} to be an ad-hoc sub-process, but it is not`,
    );
  const looped = el.multiInstance !== undefined || el.loop !== undefined;
  // the ad-hoc sub-process itself: not an inner instance, and (when looped) an iteration, not the body
  const active = Object.values(run.state.elements).filter(
    (e) =>
      e.elementId === el.id && !e.adHocInner && (looped ? e.iteration !== undefined : true) && e.phase === 'active',
  );
  const candidates = cmd.elementKey ? active.filter((e) => e.key === cmd.elementKey) : active;
  if (candidates.length === 0)
    return refuse(
      409,
      'ELEMENT_NOT_ACTIVE',
      `Expected ad-hoc sub-process ${el.id} to be active in instance ${run.state.id}, but it is not`,
    );
  if (candidates.length > 1)
    return refuse(
      409,
      'AMBIGUOUS_ELEMENT',
      `Expected one active instance of ${el.id}, but found ${candidates.length}: name one by elementKey (${candidates.map((c) => c.key).join(', ')})`,
    );
  const adHoc = candidates[0]!;
  if (adHoc.adHocCompleting)
    return refuse(
      409,
      'ELEMENT_COMPLETING',
      `Expected ad-hoc sub-process ${el.id} to accept new elements, but its completion condition already holds`,
    );
  if (adHoc.listener)
    return refuse(
      409,
      'ELEMENT_NOT_ACTIVE',
      `Expected ad-hoc sub-process ${el.id} to be running, but it waits for an execution listener`,
    );
  const wrong = unknownInnerElements(
    run,
    el,
    cmd.elements.map((e) => e.elementId),
  );
  if (wrong) return refuse(400, 'INVALID_ELEMENT', wrong);
  run.record('ad-hoc-elements-activated', adHoc, { elements: cmd.elements.map((e) => e.elementId), ...audit });
  for (const e of cmd.elements) activateInner(run, adHoc, e.elementId, e.variables);
  return undefined;
}

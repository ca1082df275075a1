/**
 * Multi-instance (parallel and sequential, over inputCollection or loopCardinality, with
 * outputCollection / outputElement and completionCondition) and the standard loop. The body is an
 * element instance of the activity; each iteration is a child instance of the same element.
 */
import type { ElementDef } from '../../model/types.js';
import { evalCondition, type EvalFailure } from '../feel.js';
import { activate, complete, terminate } from '../lifecycle.js';
import { setOwn } from '../plain-data.js';
import type { Run } from '../run.js';
import type { ElementInstance } from '../state.js';
import type { ElementBehavior } from './element-behavior.js';

const DEFAULT_LOOP_MAXIMUM = 1000;

export const multiInstanceBody: ElementBehavior = {
  activate(run, body, el) {
    if (el.loop) {
      body.mi = { items: [], next: 0, completed: 0, active: 0 };
      if (el.loop.testBefore) {
        const go = loopContinues(run, body, el, 'activate');
        if (go === undefined) return;
        if (!go) {
          complete(run, body);
          return;
        }
      }
      startIteration(run, body, el, 0);
      return;
    }
    const mi = el.multiInstance!;
    let items: unknown[];
    if (mi.inputCollection) {
      const r = run.evalIn(body.key, mi.inputCollection);
      if (!r.ok || !Array.isArray(r.value)) {
        run.incident(
          body,
          'EXPRESSION_FAILED',
          r.ok
            ? `Expected the input collection '=${mi.inputCollection.src}' of ${el.id} to be a list, but it was ${JSON.stringify(r.value)}`
            : r,
          'activate',
        );
        return;
      }
      items = r.value;
      if (overTokens(run, body, el, items.length)) return;
    } else {
      const r = mi.loopCardinality
        ? run.evalIn(body.key, mi.loopCardinality)
        : { ok: false as const, message: 'no cardinality' };
      const n = r.ok ? Number(r.value) : NaN;
      if (!Number.isInteger(n) || n < 0) {
        run.incident(
          body,
          'EXPRESSION_FAILED',
          r.ok
            ? `Expected the loop cardinality of ${el.id} to be a whole number, but got ${JSON.stringify(r.value)}`
            : r,
          'activate',
        );
        return;
      }
      if (overTokens(run, body, el, n, true)) return;
      items = Array.from({ length: n }, (_, i) => i + 1);
    }
    body.mi = { items, next: 0, completed: 0, active: 0 };
    if (mi.outputCollection)
      run.setLocal(
        body.key,
        mi.outputCollection,
        items.map(() => null),
      );
    counters(run, body);
    if (items.length === 0) {
      finishBody(run, body, el);
      return;
    }
    if (mi.sequential) startIteration(run, body, el, 0);
    else for (let i = 0; i < items.length; i++) startIteration(run, body, el, i);
  },
};

/**
 * A parallel body creates all its iterations in one step, and a loop cardinality becomes a list of that
 * length in the state: either is refused (an incident the activation retries) when it would not fit
 * the tokens budget, before anything is created.
 */
function overTokens(run: Run, body: ElementInstance, el: ElementDef, n: number, cardinality = false): boolean {
  const max = run.budget.limits.tokens;
  const held = run.budget.tokens;
  const parallel = !el.multiInstance?.sequential;
  if (parallel ? held + n <= max : !cardinality || n <= max) return false;
  const message = parallel
    ? `Expected the ${n} parallel iterations of ${el.id} to fit the budget of ${max} tokens, but the instance already holds ${held}`
    : `Expected the loop cardinality of ${el.id} to be at most the budget of ${max} tokens, but it is ${n}`;
  run.incident(body, 'BUDGET_EXCEEDED', { message, budget: { budget: 'tokens', limit: max } }, 'activate');
  return true;
}

function counters(run: Run, body: ElementInstance): void {
  const mi = body.mi!;
  run.setLocal(body.key, 'numberOfInstances', mi.items.length);
  run.setLocal(body.key, 'numberOfActiveInstances', mi.active);
  run.setLocal(body.key, 'numberOfCompletedInstances', mi.completed);
}

function startIteration(run: Run, body: ElementInstance, el: ElementDef, i: number): void {
  const mi = body.mi!;
  const vars: Record<string, unknown> = { loopCounter: i + 1 };
  const inputElement = el.multiInstance?.inputElement;
  if (inputElement) setOwn(vars, inputElement, mi.items[i]);
  mi.next = i + 1;
  mi.active++;
  activate(run, el.id, body.key, { iteration: i, vars });
}

/**
 * Before an iteration's scope goes: put its outputElement into the body's outputCollection. Returns
 * the failure when the output element cannot be evaluated (the caller raises an incident; nothing
 * is collected).
 */
export function collectIterationOutput(run: Run, inner: ElementInstance): EvalFailure | undefined {
  const body = run.ei(inner.parent!);
  const el = run.def(inner.elementId);
  const mi = el.multiInstance;
  if (!body || !mi?.outputCollection || !mi.outputElement) return undefined;
  const r = run.evalIn(inner.key, mi.outputElement);
  if (!r.ok) return r;
  const list = run.state.vars[body.key]?.[mi.outputCollection];
  if (Array.isArray(list)) list[inner.iteration!] = r.value;
  return undefined;
}

/** An iteration completed: count it, then decide how the body goes on. */
export function onIterationDone(run: Run, bodyKey: string, _inner: ElementInstance): void {
  const body = run.ei(bodyKey);
  if (!body?.mi) return;
  body.mi.active--;
  body.mi.completed++;
  continueBody(run, body);
}

/**
 * Starts the next iteration, or completes the body (completion condition, loop condition or
 * maximum, or all iterations done). A condition that cannot be evaluated raises an incident whose
 * retry calls this again.
 */
export function continueBody(run: Run, body: ElementInstance): void {
  const el = run.def(body.elementId);
  const mi = body.mi!;
  if (el.loop) {
    if (mi.completed >= (el.loop.maximum ?? DEFAULT_LOOP_MAXIMUM)) {
      complete(run, body);
      return;
    }
    const go = loopContinues(run, body, el);
    if (go === undefined) return;
    if (go) startIteration(run, body, el, mi.next);
    else complete(run, body);
    return;
  }
  counters(run, body);
  const cond = el.multiInstance!.completionCondition;
  if (cond) {
    const r = evalCondition(cond, run.visible(body.key), run.ctx);
    if (!r.ok) {
      run.incident(body, 'EXPRESSION_FAILED', r, 'complete');
      return;
    }
    if (r.value) {
      for (const c of run.children(body.key)) terminate(run, c);
      finishBody(run, body, el);
      return;
    }
  }
  if (el.multiInstance!.sequential && mi.next < mi.items.length) startIteration(run, body, el, mi.next);
  else if (mi.active === 0) finishBody(run, body, el);
}

function finishBody(run: Run, body: ElementInstance, el: ElementDef): void {
  const out = el.multiInstance?.outputCollection;
  if (out) run.setPropagating(body.parent!, out, run.state.vars[body.key]?.[out] ?? []);
  complete(run, body);
}

/** Whether the standard loop runs again; undefined when its condition failed (an incident is raised). */
function loopContinues(
  run: Run,
  body: ElementInstance,
  el: ElementDef,
  retry: 'activate' | 'complete' = 'complete',
): boolean | undefined {
  const cond = el.loop?.condition;
  if (!cond) return false;
  const r = evalCondition(cond, run.visible(body.key), run.ctx);
  if (!r.ok) {
    run.incident(body, 'EXPRESSION_FAILED', r, retry);
    return undefined;
  }
  return r.value;
}

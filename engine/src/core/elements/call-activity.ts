/**
 * Call activity: starts an instance of the called process and waits for it. Variables go in
 * (all visible ones, or only the input mappings with propagateAllParentVariables=false) and come
 * back through output mappings, or all of them with propagateAllChildVariables. The child carries its
 * call depth, so that a process calling itself stops at the call-depth budget, with or without wait
 * states in between.
 */
import { evalString } from '../feel.js';
import { complete } from '../lifecycle.js';
import type { ElementBehavior } from './element-behavior.js';

export const callActivity: ElementBehavior = {
  activate(run, ei, el) {
    const called = el.calledElement!;
    const pid = evalString(called.processId, run.visible(ei.key), 'the called process id', run.ctx);
    if (!pid.ok) {
      run.incident(ei, 'EXPRESSION_FAILED', pid, 'activate');
      return;
    }
    const depth = (run.state.callDepth ?? 0) + 1;
    const max = run.budget.limits.callDepth;
    if (depth > max) {
      const message = `Expected calls to nest at most ${max} deep, but ${el.id} would start level ${depth} (a process that calls itself?)`;
      run.incident(ei, 'BUDGET_EXCEEDED', { message, budget: { budget: 'callDepth', limit: max } }, 'activate');
      return;
    }
    const variables = called.propagateAllParentVariables ? run.visible(ei.key) : { ...(run.state.vars[ei.key] ?? {}) };
    const childId = run.ctx.newInstanceId();
    ei.child = childId;
    run.effect({
      type: 'StartChildInstance',
      childId,
      elementKey: ei.key,
      processId: pid.value,
      callDepth: depth,
      variables,
      ...(called.bindingType === 'versionTag' && called.versionTag ? { versionTag: called.versionTag } : {}),
      ...(called.bindingType === 'deployment' ? { sameDeployment: true } : {}),
    });
  },
  trigger(run, ei, el, t) {
    delete ei.child;
    const called = el.calledElement!;
    if (el.outputs) {
      if (called.propagateAllChildVariables) run.mergePropagating(ei.parent!, t.variables);
      complete(run, ei, t.variables);
      return;
    }
    complete(run, ei, called.propagateAllChildVariables ? t.variables : undefined);
  },
};

/**
 * Call activity: starts an instance of the called process and waits for it. Variables go in
 * (all visible ones, or only the input mappings with propagateAllParentVariables=false) and come
 * back through output mappings, or all of them with propagateAllChildVariables.
 */
import { evalString, failureType } from '../feel.js';
import { complete } from '../lifecycle.js';
import type { ElementBehavior } from './element-behavior.js';

export const callActivity: ElementBehavior = {
  activate(run, ei, el) {
    const called = el.calledElement!;
    const pid = evalString(called.processId, run.visible(ei.key), 'the called process id', run.ctx);
    if (!pid.ok) {
      run.incident(ei, failureType(pid), pid.message, 'activate');
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

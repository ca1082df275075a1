/**
 * Intermediate throw and end events: none, message (as a job with a `zeebe:taskDefinition`, else
 * published to this engine's own subscriptions), signal, error, escalation, compensation,
 * terminate, link.
 */
import type { ElementDef } from '../../model/types.js';
import { throwCompensation } from '../compensation.js';
import { throwEvent } from '../events.js';
import { evalString } from '../feel.js';
import { activate, complete, leave, terminateChildren } from '../lifecycle.js';
import type { Run } from '../run.js';
import type { ElementInstance } from '../state.js';
import type { ElementBehavior } from './element-behavior.js';
import { createJob } from './job-task.js';

function localVars(run: Run, ei: ElementInstance): Record<string, unknown> {
  return { ...(run.state.vars[ei.key] ?? {}) };
}

export const throwEventBehavior: ElementBehavior = {
  activate(run, ei, el) {
    const ev = el.event;
    if (el.job) {
      createJob(run, ei, el);
      return;
    }
    switch (ev?.kind) {
      case undefined:
        complete(run, ei);
        return;
      case 'message': {
        const vars = run.visible(ei.key);
        const name = evalString(ev.messageName, vars, 'the message name', run.ctx);
        if (!name.ok) {
          run.incident(ei, 'EXPRESSION_FAILED', name, 'activate');
          return;
        }
        let correlationKey: string | undefined;
        if (ev.correlationKey) {
          const ck = evalString(ev.correlationKey, vars, 'the correlation key', run.ctx);
          if (!ck.ok) {
            run.incident(ei, 'EXPRESSION_FAILED', ck, 'activate');
            return;
          }
          correlationKey = ck.value;
        }
        run.effect({
          type: 'PublishMessage',
          name: name.value,
          ...(correlationKey !== undefined ? { correlationKey } : {}),
          variables: localVars(run, ei),
        });
        complete(run, ei);
        return;
      }
      case 'signal': {
        const name = evalString(ev.signalName, run.visible(ei.key), 'the signal name', run.ctx);
        if (!name.ok) {
          run.incident(ei, 'EXPRESSION_FAILED', name, 'activate');
          return;
        }
        run.effect({ type: 'BroadcastSignal', name: name.value, variables: localVars(run, ei) });
        complete(run, ei);
        return;
      }
      case 'error': {
        if (throwEvent(run, ei, 'error', ev.errorCode, localVars(run, ei)) === 'uncaught') {
          run.incident(
            ei,
            'UNHANDLED_ERROR_EVENT',
            `Expected a catch event for the error '${ev.errorCode ?? ''}' thrown by ${el.id}, but none was found`,
            'activate',
          );
        }
        return;
      }
      case 'escalation':
        throwEvent(run, ei, 'escalation', ev.escalationCode, localVars(run, ei));
        if (run.ei(ei.key) === ei) complete(run, ei);
        return;
      case 'compensate':
        throwCompensation(run, ei, ev.activityRef);
        return;
      case 'terminate':
        terminateChildren(run, ei.parent!, ei.key);
        complete(run, ei);
        return;
      case 'link':
        leave(run, ei, { flows: [], then: (parentKey) => activate(run, linkTarget(run, el, ev.name), parentKey) });
        return;
      case 'cancel':
        cancelTransaction(run, ei);
        return;
      default:
        complete(run, ei);
    }
  },
  trigger(run, ei, _el, t) {
    delete ei.job;
    complete(run, ei, t.variables);
  },
};

function linkTarget(run: Run, el: ElementDef, name: string): string {
  const scope = run.def(el.scope);
  const found = (scope.children ?? []).find((id) => {
    const d = run.def(id);
    return d.type === 'bpmn:IntermediateCatchEvent' && d.event?.kind === 'link' && d.event.name === name;
  });
  if (!found) throw new Error(`Expected a link catch event named ${name} in ${scope.id}, but none exists`);
  return found;
}

/**
 * Cancel end event inside a transaction: compensate what completed inside it, then interrupt it
 * through its cancel boundary event.
 */
function cancelTransaction(run: Run, ei: ElementInstance): void {
  const tx = run.ei(ei.parent!);
  if (!tx) return;
  const txEl = run.def(tx.elementId);
  const boundary = (txEl.boundaries ?? []).map((b) => run.def(b)).find((b) => b.event?.kind === 'cancel');
  tx.interrupted = true;
  if (boundary) tx.cancelBoundary = boundary.id;
  terminateChildren(run, tx.key, ei.key);
  throwCompensation(run, ei);
}

/**
 * Business rule tasks. With a `zeebe:calledDecision` the decision is evaluated in the engine, in the
 * task's variable scope (input mappings applied): the result goes to the result variable (then
 * output mappings apply, as for any task) and a `decision-evaluated` history entry records the
 * decision, its version, every input, the matched rules and the outputs. A decision that is not
 * deployed, or an evaluation that fails (two rules matching a UNIQUE table, a FEEL error), raises an
 * incident whose retry evaluates again — with the decision deployed then and the variables then.
 * With a `zeebe:taskDefinition` the task is a job like a service task.
 */
import { evaluateDecision } from '../../decisions/evaluate.js';
import type { ElementDef } from '../../model/types.js';
import { evalString } from '../feel.js';
import { complete } from '../lifecycle.js';
import type { DecisionFields } from '../history.js';
import { describeLink, lookupLink, type DecisionLink, type LinkRef } from '../links.js';
import type { Run } from '../run.js';
import type { ElementInstance } from '../state.js';
import type { ElementBehavior } from './element-behavior.js';
import { jobTask } from './job-task.js';

export const businessRuleTask: ElementBehavior = {
  activate(run, ei, el) {
    if (el.calledDecision) evaluateCalledDecision(run, ei, el);
    else jobTask.activate(run, ei, el);
  },
  trigger(run, ei, el, t) {
    jobTask.trigger!(run, ei, el, t);
  },
};

function evaluateCalledDecision(run: Run, ei: ElementInstance, el: ElementDef): void {
  const called = el.calledDecision!;
  const vars = run.visible(ei.key);
  const id = evalString(called.decisionId, vars, 'the called decision id', run.ctx);
  if (!id.ok) {
    run.incident(ei, 'EXPRESSION_FAILED', id, 'activate');
    return;
  }
  const ref: LinkRef & { kind: 'decision' } = {
    kind: 'decision',
    id: id.value,
    bindingType: called.bindingType,
    ...(called.versionTag ? { versionTag: called.versionTag } : {}),
  };
  const decision = lookupLink(run.ctx.links, ref);
  if (!decision) {
    const message = `Expected a deployed decision ${describeLink(ref)} for business rule task ${el.id} to evaluate, but there is none`;
    run.incident(ei, 'CALLED_DECISION_NOT_FOUND', message, 'activate');
    return;
  }
  const answer = evaluateDecision(decision.graph, decision.decisionId, vars, run.ctx);
  const entry = { ...describeDecision(decision), resultVariable: called.resultVariable };
  if (!answer.ok) {
    run.record('decision-evaluation-failed', ei, {
      ...entry,
      evaluations: answer.audit.decisions,
      failedDecisionId: answer.decisionId,
      failure: answer.message,
    });
    const message = `Expected decision ${decision.decisionId} (version ${decision.version}) to evaluate, but ${answer.message}`;
    run.incident(
      ei,
      'DECISION_EVALUATION_FAILED',
      answer.budget ? { message, budget: answer.budget } : message,
      'activate',
    );
    return;
  }
  run.record('decision-evaluated', ei, { ...entry, evaluations: answer.audit.decisions, result: answer.result });
  complete(run, ei, { [called.resultVariable]: answer.result });
}

/** The history fields that name the evaluated decision version. */
function describeDecision(d: DecisionLink): Omit<DecisionFields, 'resultVariable' | 'evaluations'> {
  return {
    decisionId: d.decisionId,
    decisionKey: d.key,
    decisionName: d.name,
    version: d.version,
    decisionRequirementsId: d.decisionRequirementsId,
    decisionRequirementsKey: d.decisionRequirementsKey,
  };
}

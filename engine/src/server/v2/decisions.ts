/**
 * `POST /v2/decision-definitions/evaluation`: evaluates a deployed decision (by
 * `decisionDefinitionId`, latest version, or by `decisionDefinitionKey`) as Baton's
 * `POST /api/decisions/:id/evaluate` does, answered in Camunda's shape: the output and every
 * decision evaluated (required ones first) with their inputs and matched rules, values as JSON
 * text. A failed evaluation is a `400` problem. Baton keeps no record of a standalone evaluation,
 * so its `decisionEvaluationKey` names nothing that can be read back.
 */
import type { EvaluatedDecision } from '../../decisions/types.js';
import { field, invalidField, jsonBody, variablesField } from '../validate.js';
import type { KeyedDecision } from './catalog.js';
import type { V2Context } from './context.js';
import { eventKey, notFoundKey } from './keys.js';
import { checkTenant, DEFAULT_TENANT } from './search.js';

const json = (v: unknown): string => JSON.stringify(v ?? null);

export function decisionRoutes({ router, engine, catalog }: V2Context): void {
  router.post('/decision-definitions/evaluation', { access: 'operator', body: 'json' }, async (req, res) => {
    const body = jsonBody(req);
    checkTenant(body.tenantId);
    const variables = variablesField(body) ?? {};
    const key = field(body, 'decisionDefinitionKey', 'string', { optional: true });
    const { decisions } = await catalog.fresh();
    let target: KeyedDecision | undefined;
    if (key !== undefined) {
      target = decisions.find((d) => d.key === key);
      if (!target) throw notFoundKey('Decision definition', key);
    } else {
      const id = field(body, 'decisionDefinitionId', 'string', { optional: true });
      if (!id) throw invalidField('decisionDefinitionId', 'or decisionDefinitionKey is required');
      const versions = decisions.filter((d) => d.row.decisionId === id);
      target = versions.sort((a, b) => b.row.version - a.row.version)[0];
      if (!target) throw notFoundKey('Decision definition', id);
    }
    const answer = await engine.resources.evaluateDecision(target.row.decisionId, {
      variables,
      version: target.row.version,
    });
    const evaluationKey = eventKey();
    const inGraph = (id: string) =>
      decisions.find((d) => d.row.decisionId === id && d.requirementsKey === target!.requirementsKey);
    res.json({
      decisionDefinitionId: target.row.decisionId,
      decisionDefinitionKey: target.key,
      decisionDefinitionName: target.row.name ?? target.row.decisionId,
      decisionDefinitionVersion: target.row.version,
      decisionEvaluationKey: evaluationKey,
      decisionInstanceKey: evaluationKey,
      decisionRequirementsId: target.row.decisionRequirementsId,
      decisionRequirementsKey: target.requirementsKey,
      evaluatedDecisions: answer.evaluations.map((e, i) =>
        evaluated(e, inGraph(e.decisionId), `${evaluationKey}-${i + 1}`),
      ),
      failedDecisionDefinitionId: null,
      failureMessage: null,
      output: json(answer.result),
      tenantId: DEFAULT_TENANT,
    });
  });
}

function evaluated(e: EvaluatedDecision, d: KeyedDecision | undefined, instanceKey: string) {
  return {
    decisionDefinitionId: e.decisionId,
    decisionDefinitionName: e.decisionName ?? e.decisionId,
    decisionDefinitionVersion: d?.row.version ?? 0,
    decisionDefinitionType: e.kind === 'table' ? 'DECISION_TABLE' : 'LITERAL_EXPRESSION',
    output: json(e.result),
    tenantId: DEFAULT_TENANT,
    matchedRules: e.matchedRules.map((r) => ({
      ruleId: r.ruleId,
      ruleIndex: r.ruleIndex,
      evaluatedOutputs: r.outputs.map((o) => ({
        outputId: o.outputId,
        outputName: o.name ?? o.label ?? o.outputId,
        outputValue: json(o.value),
        ruleId: r.ruleId,
        ruleIndex: r.ruleIndex,
      })),
    })),
    evaluatedInputs: e.inputs.map((i) => ({
      inputId: i.inputId,
      inputName: i.label ?? i.expression,
      inputValue: json(i.value),
    })),
    decisionDefinitionKey: d?.key ?? '0',
    decisionEvaluationInstanceKey: instanceKey,
  };
}

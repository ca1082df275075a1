/**
 * The pure DMN evaluator: a decision of a compiled {@link DecisionGraph} + variables -> its result
 * and an audit of every decision evaluated. No I/O, no clock; failures are values.
 *
 * @example
 * const { graph } = await compileDmn(xml);
 * const answer = evaluateDecision(graph!, 'riskClass', { age: 42, income: 52_000 });
 * if (answer.ok) variables[resultVariable] = answer.result;
 * else raiseIncident(answer.message); // e.g. two rules matched a UNIQUE table
 */
import { evalNative, toJson } from '../core/feel.js';
import type { DecisionDef, DecisionGraph } from '../model/dmn/types.js';
import { evaluateTable, type TableOutcome } from './table.js';
import type { DecisionEvaluation, EvaluatedDecision } from './types.js';
import { typeRefMismatch } from './values.js';

/**
 * Evaluates decision `decisionId` of `graph` against `variables`. The decisions it requires,
 * directly or not, are evaluated first, each once, in dependency order; each decision sees the
 * variables plus the results of the decisions it requires directly, under their result names.
 *
 * The result is shaped as Camunda 8 shapes it: a table with one output gives that output's value,
 * several outputs a context, COLLECT / RULE ORDER / OUTPUT ORDER a list of those, COLLECT with an
 * aggregation a number, and no matching rule null (or the default outputs). Every value in the
 * answer is plain JSON.
 */
export function evaluateDecision(
  graph: Pick<DecisionGraph, 'decisions'>,
  decisionId: string,
  variables: Readonly<Record<string, unknown>>,
): DecisionEvaluation {
  const order = evaluationOrder(graph.decisions, decisionId);
  if (typeof order === 'string') return { ok: false, message: order, decisionId, audit: { decisionId, decisions: [] } };
  const results = new Map<string, unknown>();
  const audit: EvaluatedDecision[] = [];
  for (const decision of order) {
    const vars: Record<string, unknown> = { ...variables };
    for (const required of decision.requires) {
      // defined, not assigned: a result named __proto__ is a variable like any other
      const value = results.get(required) ?? null;
      const name = graph.decisions[required]!.resultName;
      Object.defineProperty(vars, name, { value, enumerable: true, writable: true, configurable: true });
    }
    const outcome = checkType(decision, evaluateOne(decision, vars));
    audit.push(record(decision, outcome));
    if (!outcome.ok) {
      return { ok: false, message: outcome.message, decisionId: decision.id, audit: { decisionId, decisions: audit } };
    }
    results.set(decision.id, outcome.value);
  }
  return { ok: true, result: toJson(results.get(decisionId)), audit: { decisionId, decisions: audit } };
}

function evaluateOne(decision: DecisionDef, vars: Record<string, unknown>): TableOutcome {
  if (decision.table) return evaluateTable(decision.table, decision.id, vars);
  const expression = decision.literal?.expression ?? '';
  const r = evalNative(expression, vars);
  return r.ok
    ? { ok: true, value: r.value, inputs: [], matchedRules: [] }
    : { ok: false, message: `${r.message} (decision ${decision.id})`, inputs: [], matchedRules: [] };
}

/** A result that does not fit the decision variable's typeRef fails, as on Camunda 8. */
function checkType(decision: DecisionDef, outcome: TableOutcome): TableOutcome {
  if (!outcome.ok) return outcome;
  const mismatch = typeRefMismatch(outcome.value, decision.resultType);
  if (mismatch === null) return outcome;
  const message = `Expected the result of decision ${decision.id} to be of type ${decision.resultType}, but ${mismatch}`;
  return { ok: false, message, inputs: outcome.inputs, matchedRules: outcome.matchedRules };
}

function record(decision: DecisionDef, outcome: TableOutcome): EvaluatedDecision {
  const table = decision.table;
  return {
    decisionId: decision.id,
    ...(decision.name ? { decisionName: decision.name } : {}),
    ...(decision.versionTag ? { versionTag: decision.versionTag } : {}),
    kind: decision.kind,
    ...(table ? { hitPolicy: table.aggregation ? `${table.hitPolicy} ${table.aggregation}` : table.hitPolicy } : {}),
    inputs: outcome.inputs,
    matchedRules: outcome.matchedRules,
    result: outcome.ok ? toJson(outcome.value) : null,
    ...(outcome.ok ? {} : { failure: outcome.message }),
  };
}

/**
 * The decisions to evaluate for `decisionId`, each once, every one after those it requires
 * (depth-first post-order, iterative so a long chain cannot overflow the stack). A message when
 * a decision is missing or the requirements form a cycle: the compiler refuses both, but a graph
 * may come from elsewhere.
 */
export function evaluationOrder(
  decisions: Readonly<Record<string, DecisionDef>>,
  decisionId: string,
): DecisionDef[] | string {
  const known = (id: string): DecisionDef | undefined =>
    Object.prototype.hasOwnProperty.call(decisions, id) ? decisions[id] : undefined;
  if (!known(decisionId)) {
    const ids = Object.keys(decisions);
    return `Expected a decision with id "${decisionId}", but the graph has ${ids.length === 0 ? 'none' : ids.map((i) => `"${i}"`).join(', ')}`;
  }
  const order: DecisionDef[] = [];
  const state = new Map<string, 'active' | 'done'>([[decisionId, 'active']]);
  const path: { def: DecisionDef; next: number }[] = [{ def: known(decisionId)!, next: 0 }];
  while (path.length > 0) {
    const top = path[path.length - 1]!;
    const required = top.def.requires[top.next++];
    if (required === undefined) {
      state.set(top.def.id, 'done');
      order.push(top.def);
      path.pop();
      continue;
    }
    const def = known(required);
    if (!def)
      return `Expected decision ${top.def.id} to require an existing decision, but "${required}" does not exist`;
    const seen = state.get(required);
    if (seen === 'active')
      return `Expected the decision requirements to form no cycle, but ${required} requires itself`;
    if (seen === undefined) {
      state.set(required, 'active');
      path.push({ def, next: 0 });
    }
  }
  return order;
}

/**
 * The pure DMN evaluator: a decision of a compiled {@link DecisionGraph} + variables -> its result
 * and an audit of every decision evaluated. No I/O, no clock (the caller's comes in through the FEEL
 * environment); failures are values. Every FEEL expression goes through the FEEL layer: Camunda's
 * built-in functions, a work budget per evaluation.
 *
 * @example
 * const { graph } = await compileDmn(xml);
 * const answer = evaluateDecision(graph!, 'riskClass', { age: 42, income: 52_000 }, { now: clock });
 * if (answer.ok) variables[resultVariable] = answer.result;
 * else raiseIncident(answer.message); // e.g. two rules matched a UNIQUE table
 */
import { BudgetExceededError } from '../core/budgets.js';
import { evalNative, toJson, ValueTooDeepError } from '../core/feel.js';
import type { FeelEnv } from '../feel/index.js';
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
 *
 * `env` is the FEEL environment: the clock `now()` and `today()` answer (without one they fail the
 * evaluation), the randomness of `uuid()` and `random number()`, the FEEL budget of each evaluation.
 * A failure that ran out of a budget carries it (`budget`), as the core's evaluations do.
 */
export function evaluateDecision(
  graph: Pick<DecisionGraph, 'decisions'>,
  decisionId: string,
  variables: Readonly<Record<string, unknown>>,
  env: FeelEnv = {},
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
    const { outcome, entry } = evaluateRecorded(decision, vars, env);
    audit.push(entry);
    if (!outcome.ok) {
      const { message, budget } = outcome;
      const failure = { ok: false as const, message, decisionId: decision.id, audit: { decisionId, decisions: audit } };
      return budget ? { ...failure, budget } : failure;
    }
    results.set(decision.id, outcome.value);
  }
  return { ok: true, result: audit[audit.length - 1]!.result, audit: { decisionId, decisions: audit } };
}

/**
 * Evaluates one decision and its audit entry. A value that cannot be plain JSON (nested deeper than
 * variables may be, or too large) fails the decision, so that the evaluator never throws for it.
 */
function evaluateRecorded(
  decision: DecisionDef,
  vars: Record<string, unknown>,
  env: FeelEnv,
): { outcome: TableOutcome; entry: EvaluatedDecision } {
  try {
    const outcome = checkType(decision, evaluateOne(decision, vars, env));
    return { outcome, entry: record(decision, outcome) };
  } catch (e) {
    if (!(e instanceof ValueTooDeepError || e instanceof BudgetExceededError)) throw e;
    const message = `Expected the values of decision ${decision.id} to be plain JSON, but ${e.message}`;
    const outcome: TableOutcome =
      e instanceof BudgetExceededError
        ? { ok: false, message, budget: { budget: e.budget, limit: e.limit }, inputs: [], matchedRules: [] }
        : { ok: false, message, inputs: [], matchedRules: [] };
    return { outcome, entry: record(decision, outcome) };
  }
}

function evaluateOne(decision: DecisionDef, vars: Record<string, unknown>, env: FeelEnv): TableOutcome {
  if (decision.table) return evaluateTable(decision.table, decision.id, vars, env);
  const expression = decision.literal?.expression ?? '';
  const r = evalNative(expression, vars, env);
  if (r.ok) return { ok: true, value: r.value, inputs: [], matchedRules: [] };
  return { ...r, message: `${r.message} (decision ${decision.id})`, inputs: [], matchedRules: [] };
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

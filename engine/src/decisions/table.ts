/**
 * One decision table, evaluated: inputs once, rules in order, outputs of the matched rules, the
 * hit policy, and default outputs when nothing matched.
 */
import type { BudgetTrip } from '../core/budgets.js';
import { evalNative, toJson } from '../core/feel.js';
import type { FeelEnv } from '../feel/index.js';
import type { TableDef } from '../model/dmn/types.js';
import { applyHitPolicy, shape, type Hit } from './hit-policy.js';
import type { EvaluatedInput, MatchedRule } from './types.js';
import { testUnary } from './unary-tests.js';

/** A failure inside a table: its message, and the budget it ran out of when it did. */
export interface TableFailure {
  readonly ok: false;
  readonly message: string;
  readonly budget?: BudgetTrip;
}

/** A table's value (a FEEL value) with what the audit shows, or a failure with what was known by then. */
export type TableOutcome = {
  readonly inputs: readonly EvaluatedInput[];
  readonly matchedRules: readonly MatchedRule[];
} & ({ readonly ok: true; readonly value: unknown } | TableFailure);

/**
 * Evaluates `table` of decision `decisionId` against `vars`, FEEL in the environment `env`. Pure;
 * never throws for model or data problems.
 */
export function evaluateTable(
  table: TableDef,
  decisionId: string,
  vars: Record<string, unknown>,
  env: FeelEnv,
): TableOutcome {
  const inputs: EvaluatedInput[] = [];
  const values: unknown[] = [];
  for (const input of table.inputs) {
    const r = evalNative(input.expression, vars, env);
    if (!r.ok) return failed(r, `(input ${input.label ?? input.id} of decision ${decisionId})`, inputs, []);
    values.push(r.value);
    inputs.push({
      inputId: input.id,
      ...(input.label ? { label: input.label } : {}),
      expression: input.expression,
      value: toJson(r.value),
    });
  }
  const hits: Hit[] = [];
  const matchedRules: MatchedRule[] = [];
  for (const rule of table.rules) {
    const where = `(rule ${rule.index} (${rule.id}) of decision ${decisionId})`;
    const matched = matches(rule.inputEntries, values, vars, env);
    if (typeof matched !== 'boolean') return failed(matched, where, inputs, matchedRules);
    if (!matched) continue;
    const outputs = evaluateAll(rule.outputEntries, vars, env);
    if (!Array.isArray(outputs)) return failed(outputs, where, inputs, matchedRules);
    hits.push({ rule, values: outputs });
    matchedRules.push({ ruleId: rule.id, ruleIndex: rule.index, outputs: auditOutputs(table, outputs) });
    if (table.hitPolicy === 'FIRST') break;
  }
  if (hits.length === 0) return defaults(table, decisionId, vars, env, inputs);
  const result = applyHitPolicy(table, decisionId, hits);
  return result.ok
    ? { ok: true, value: result.value, inputs, matchedRules }
    : { ok: false, message: result.message, inputs, matchedRules };
}

/** true when every entry holds for its input; the failure when one cannot be evaluated. */
function matches(
  entries: readonly string[],
  values: readonly unknown[],
  vars: Record<string, unknown>,
  env: FeelEnv,
): boolean | TableFailure {
  for (let i = 0; i < entries.length; i++) {
    const r = testUnary(entries[i]!, values[i] ?? null, vars, env);
    if (!r.ok) return { ...r, message: `${r.message} in input column ${i + 1}` };
    if (r.value !== true) return false;
  }
  return true;
}

/** Evaluates expressions in order; the first failure stops it. */
function evaluateAll(
  expressions: readonly string[],
  vars: Record<string, unknown>,
  env: FeelEnv,
): unknown[] | TableFailure {
  const out: unknown[] = [];
  for (const expression of expressions) {
    const r = evalNative(expression, vars, env);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return out;
}

function auditOutputs(table: TableDef, values: readonly unknown[]): MatchedRule['outputs'] {
  return table.outputs.map((o, i) => ({
    outputId: o.id,
    ...(o.name ? { name: o.name } : {}),
    ...(o.label ? { label: o.label } : {}),
    value: toJson(values[i] ?? null),
  }));
}

/**
 * No rule matched: null, unless an output has a default. Then the result is shaped as one hit
 * whose outputs are the defaults (null where an output has none), whatever the hit policy, as
 * Camunda 8 answers a COLLECT table with defaults.
 */
function defaults(
  table: TableDef,
  decisionId: string,
  vars: Record<string, unknown>,
  env: FeelEnv,
  inputs: readonly EvaluatedInput[],
): TableOutcome {
  if (!table.outputs.some((o) => o.defaultValue !== undefined))
    return { ok: true, value: null, inputs, matchedRules: [] };
  const values = evaluateAll(
    table.outputs.map((o) => o.defaultValue ?? 'null'),
    vars,
    env,
  );
  if (!Array.isArray(values)) return failed(values, `(default output of decision ${decisionId})`, inputs, []);
  return { ok: true, value: shape(table.outputs, values), inputs, matchedRules: [] };
}

/** A failure located in the table (`where`), keeping the budget it ran out of. */
function failed(
  failure: TableFailure,
  where: string,
  inputs: readonly EvaluatedInput[],
  matchedRules: readonly MatchedRule[],
): TableOutcome {
  const message = `${failure.message} ${where}`;
  return failure.budget
    ? { ok: false, message, budget: failure.budget, inputs, matchedRules }
    : { ok: false, message, inputs, matchedRules };
}

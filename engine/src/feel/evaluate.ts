/**
 * Evaluating FEEL as Camunda 8 does, with feelin as the interpreter: Camunda's built-in functions,
 * the clock and randomness of the caller, a work budget per evaluation, and failures as values.
 *
 * @example
 *   const r = evaluateExpression('if is defined(host) then host else "localhost"', { host: 'a' }, { now });
 *   if (r.ok) r.value; // 'a'
 *   evaluateUnaryTests('[1..10], > 100', 150, {}, { now }); // { ok: true, value: true }
 */
import { evaluate, unaryTest, type Warning } from 'feelin';
import { BudgetExceededError, type BudgetTrip } from '../core/budgets.js';
import { ValueTooDeepError } from '../core/plain-data.js';
import {
  DEFAULT_FEEL_BUDGET,
  FEEL_NESTING_LIMIT,
  FEEL_RESULT_LIMIT,
  FeelBudget,
  FeelEvaluationError,
  type FeelEnv,
} from './env.js';
import { MAX_NESTING, prepare, type FeelTop, type Prepared } from './prepare.js';
import { bindFunctions } from './registry.js';
import { toPlainJson } from './values.js';

/** Work units a result may have when it is turned into JSON (about one per element). */
export const MAX_RESULT_UNITS = 1_000_000;

/**
 * The outcome of one evaluation. A failure is `budget` when the evaluation's work budget (or the
 * nesting or result limit) was exhausted, with the {@link BudgetTrip} that names it (the core raises
 * BUDGET_EXCEEDED for it), else `expression` (a syntax error, an unknown function, a failed
 * `assert`, a function called with the wrong arguments, a result nested too deep).
 */
export type FeelResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly kind: 'expression'; readonly message: string }
  | { readonly ok: false; readonly kind: 'budget'; readonly message: string; readonly budget: BudgetTrip };

/** How the result is handed back: plain JSON (dates as ISO strings; the default) or FEEL values. */
export interface EvaluateOptions {
  readonly result?: 'json' | 'feel';
}

/** Evaluates a FEEL expression (without Camunda's leading `=`) against variables. */
export function evaluateExpression(
  src: string,
  vars: Readonly<Record<string, unknown>>,
  env: FeelEnv,
  options: EvaluateOptions = {},
): FeelResult {
  return run(src, 'expression', vars, env, undefined, options);
}

/**
 * Evaluates FEEL unary tests (a DMN input entry such as `> 10, "a"`, `-` or `not(1, 2)`) against
 * the `input` value: true, false or null.
 */
export function evaluateUnaryTests(
  src: string,
  input: unknown,
  vars: Readonly<Record<string, unknown>>,
  env: FeelEnv,
): FeelResult {
  return run(src, 'unaryTests', vars, env, input, {});
}

function run(
  src: string,
  top: FeelTop,
  vars: Readonly<Record<string, unknown>>,
  env: FeelEnv,
  input: unknown,
  options: EvaluateOptions,
): FeelResult {
  const p = prepare(src, top);
  if (!p.ok) {
    if (p.kind === 'budget') return overBudget(p.message, { budget: FEEL_NESTING_LIMIT, limit: MAX_NESTING });
    return { ok: false, kind: 'expression', message: `Expected valid FEEL, but ${p.message}` };
  }
  const budget = new FeelBudget(env.feelBudget ?? DEFAULT_FEEL_BUDGET);
  const context = contextFor(p, vars, bindFunctions(p.uses, { env, budget, vars }));
  try {
    const r =
      top === 'expression'
        ? evaluate(p.text, context, 'camunda')
        : unaryTest(p.text, { ...context, '?': input === undefined ? null : input }, 'camunda');
    const failure = failureOf(r.warnings, p);
    if (failure) return failure;
    return { ok: true, value: options.result === 'feel' ? r.value : toPlainJson(r.value, MAX_RESULT_UNITS) };
  } catch (e) {
    return classify(e);
  }
}

/** The variables feelin must find itself (names read inside filters), plus the functions the expression calls. */
function contextFor(
  p: Prepared,
  vars: Readonly<Record<string, unknown>>,
  functions: Record<string, unknown>,
): Record<string, unknown> {
  const entries: Array<[string, unknown]> = [];
  for (const name of p.reads) {
    if (Object.prototype.hasOwnProperty.call(vars, name) && vars[name] !== undefined) entries.push([name, vars[name]]);
  }
  for (const [id, f] of Object.entries(functions)) entries.push([id, f]);
  return Object.fromEntries(entries);
}

/** The failure a warning stands for: calls of functions that do not exist or do not fit. */
function failureOf(warnings: readonly Warning[], p: Prepared): FeelResult | undefined {
  for (const w of warnings) {
    const name = p.callsAt.get(w.position.from);
    if (w.type === 'NO_FUNCTION_FOUND') {
      const message = name
        ? `Expected a function named '${name}', but there is none (not a built-in, not defined in the expression)`
        : `Expected a function, but ${w.message}`;
      return { ok: false, kind: 'expression', message };
    }
    if (w.type === 'FUNCTION_INVOCATION_FAILURE') {
      const message = name
        ? `Expected arguments that ${name}() takes, but it was called with others: ${w.message}`
        : `Expected a function call that fits the function, but ${w.message}`;
      return { ok: false, kind: 'expression', message };
    }
    if (w.type === 'UNSUPPORTED')
      return { ok: false, kind: 'expression', message: `Expected supported FEEL, but ${w.message}` };
  }
  return undefined;
}

function overBudget(message: string, budget: BudgetTrip): FeelResult {
  return { ok: false, kind: 'budget', message, budget };
}

/**
 * What a throw inside an evaluation means. A {@link BudgetExceededError} (the FEEL budget, the result
 * limit, or any evaluator that ran out of a budget of its own) is a budget failure naming it.
 */
function classify(e: unknown): FeelResult {
  if (e instanceof BudgetExceededError) return overBudget(e.message, { budget: e.budget, limit: e.limit });
  if (e instanceof FeelEvaluationError || e instanceof ValueTooDeepError)
    return { ok: false, kind: 'expression', message: e.message };
  if (e instanceof RangeError) {
    const stack = /call stack/i.test(e.message);
    const what = stack ? 'it nests or recurses too deeply' : `it built a value too large (${e.message})`;
    return overBudget(
      `Expected the FEEL evaluation to stay within its limits, but ${what}`,
      stack
        ? { budget: FEEL_NESTING_LIMIT, limit: MAX_NESTING }
        : { budget: FEEL_RESULT_LIMIT, limit: MAX_RESULT_UNITS },
    );
  }
  return { ok: false, kind: 'expression', message: (e as Error).message ?? String(e) };
}

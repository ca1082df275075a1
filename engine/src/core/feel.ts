/**
 * FEEL evaluation for the core: expressions are {@link Expr} records compiled at deploy; results are
 * plain JSON values (FEEL dates and durations become ISO strings). Failures are values, not throws;
 * one that ran out of a FEEL budget carries its {@link BudgetTrip} (an incident of type
 * BUDGET_EXCEEDED). Evaluation itself is the FEEL layer's (engine/src/feel), which gets the
 * command's clock and randomness through {@link FeelEnv} (the core's context is one).
 */
import { evaluateExpression, toPlainJson, type FeelEnv, type FeelResult } from '../feel/index.js';
import type { Expr } from '../model/types.js';
import type { BudgetTrip } from './budgets.js';
import { compileFast, FALLBACK, type FastExpr } from './feel-fast.js';
import { ValueTooDeepError } from './plain-data.js';

const fastCache = new Map<string, FastExpr | null>();

/** Longest source the fast path considers (its expressions are short; long keys would fill the cache). */
const FAST_MAX_LENGTH = 256;

function fastOf(src: string): FastExpr | null {
  if (src.length > FAST_MAX_LENGTH) return null;
  let f = fastCache.get(src);
  if (f === undefined) {
    f = compileFast(src) ?? null;
    if (fastCache.size > 10_000) fastCache.clear();
    fastCache.set(src, f);
  }
  return f;
}

/**
 * A failed evaluation. `budget` is set when the evaluation ran out of a budget (the FEEL layer's work
 * budget, its nesting or result limit): {@link Run.incident} then raises `BUDGET_EXCEEDED` instead of
 * the caller's incident type. This is the only way a FEEL budget failure becomes an incident.
 */
export interface EvalFailure {
  readonly ok: false;
  readonly message: string;
  readonly budget?: BudgetTrip;
}

export type Evaluation = { readonly ok: true; readonly value: unknown } | EvalFailure;

export { ValueTooDeepError };

/**
 * Turns FEEL values (temporal objects, ranges) into JSON-safe values (see the FEEL layer's
 * `toPlainJson`). Context keys become own properties whatever their name (`__proto__` included);
 * nesting deeper than the variable depth limit throws {@link ValueTooDeepError}, so that no variable
 * is ever too deep to store.
 */
export function toJson(value: unknown): unknown {
  return toPlainJson(value);
}

/** Evaluates an expression against variables; a literal evaluates to its text. */
export function evalExpr(expr: Expr, vars: Record<string, unknown>, env: FeelEnv): Evaluation {
  if (!expr.feel) return { ok: true, value: expr.src };
  const fast = fastOf(expr.src);
  if (fast) {
    const v = fast(vars);
    if (v !== FALLBACK) return { ok: true, value: v };
  }
  const r = evaluateExpression(expr.src, vars, env);
  return r.ok ? r : failure(`=${expr.src}`, r);
}

/** A failure of the FEEL layer as the core's {@link EvalFailure}: a budget failure keeps its trip. */
function failure(src: string, r: Extract<FeelResult, { ok: false }>): EvalFailure {
  const message = `Expected to evaluate '${src}', but it failed: ${r.message}`;
  return r.kind === 'budget' ? { ok: false, message, budget: r.budget } : { ok: false, message };
}

/** Evaluates a condition: only `true` counts as true (null from a missing variable is false). */
export function evalCondition(
  expr: Expr,
  vars: Record<string, unknown>,
  env: FeelEnv,
): { ok: true; value: boolean } | EvalFailure {
  const r = evalExpr(expr, vars, env);
  if (!r.ok) return r;
  if (!expr.feel) return { ok: true, value: expr.src.trim() === 'true' };
  if (r.value === true) return { ok: true, value: true };
  if (r.value === false || r.value === null) return { ok: true, value: false };
  return {
    ok: false,
    message: `Expected the condition '=${expr.src}' to be a boolean, but it was ${JSON.stringify(r.value)}`,
  };
}

/** Evaluates to a string (job types, message names, correlation keys). */
export function evalString(
  expr: Expr,
  vars: Record<string, unknown>,
  what: string,
  env: FeelEnv,
): { ok: true; value: string } | EvalFailure {
  const r = evalExpr(expr, vars, env);
  if (!r.ok) return r;
  if (typeof r.value === 'string') return { ok: true, value: r.value };
  if (typeof r.value === 'number' || typeof r.value === 'boolean') return { ok: true, value: String(r.value) };
  return {
    ok: false,
    message: `Expected ${what} '=${expr.src}' to be a string, but it was ${JSON.stringify(r.value)}`,
  };
}

/**
 * Evaluates FEEL source (no leading `=`) through the FEEL layer to its FEEL value: dates, times and
 * durations stay typed, where {@link evalExpr} turns them into ISO strings. DMN needs this: an input
 * value is compared with its unary tests by type, and a required decision's result reaches the
 * decisions that need it unchanged. Turn the value into JSON with {@link toJson} at the edge.
 */
export function evalNative(src: string, vars: Record<string, unknown>, env: FeelEnv): Evaluation {
  const fast = fastOf(src);
  if (fast) {
    const v = fast(vars);
    if (v !== FALLBACK) return { ok: true, value: v };
  }
  const r = evaluateExpression(src, vars, env, { result: 'feel' });
  return r.ok ? { ok: true, value: r.value === undefined ? null : r.value } : failure(src, r);
}

/**
 * FEEL evaluation for the core: expressions are {@link Expr} records compiled at deploy; results are
 * plain JSON values (FEEL dates and durations become ISO strings). Failures are values, not throws.
 */
import { evaluate } from 'feelin';
import type { Expr } from '../model/types.js';
import { BudgetExceededError, type BudgetTrip } from './budgets.js';
import { compileFast, FALLBACK, type FastExpr } from './feel-fast.js';
import { MAX_VARIABLE_DEPTH, setOwn } from './plain-data.js';

const fastCache = new Map<string, FastExpr | null>();

function fastOf(src: string): FastExpr | null {
  let f = fastCache.get(src);
  if (f === undefined) {
    f = compileFast(src) ?? null;
    if (fastCache.size > 10_000) fastCache.clear();
    fastCache.set(src, f);
  }
  return f;
}

/**
 * A failed evaluation. `budget` is set when the evaluator ran out of a budget (it threw a
 * {@link BudgetExceededError}): the incident raised for it is then `BUDGET_EXCEEDED`.
 */
export interface EvalFailure {
  readonly ok: false;
  readonly message: string;
  readonly budget?: BudgetTrip;
}

export type Evaluation = { readonly ok: true; readonly value: unknown } | EvalFailure;

/** Thrown by {@link toJson} for a value nested deeper than {@link MAX_VARIABLE_DEPTH}. */
export class ValueTooDeepError extends Error {
  constructor() {
    super(`Expected a value nesting at most ${MAX_VARIABLE_DEPTH} levels of objects and arrays, but it nests deeper`);
    this.name = 'ValueTooDeepError';
  }
}

/**
 * Turns feelin results (temporal objects, ranges) into JSON-safe values. Context keys become own
 * properties whatever their name (`__proto__` included); nesting deeper than the variable depth
 * limit throws {@link ValueTooDeepError}, so that no variable is ever too deep to store.
 */
export function toJson(value: unknown, level = 0): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value !== 'object') return null;
  const iso = (value as { iso?: unknown }).iso;
  if (typeof iso === 'string') return iso;
  if (typeof (value as { toISO?: unknown }).toISO === 'function') return (value as { toISO(): string }).toISO();
  if (level >= MAX_VARIABLE_DEPTH) throw new ValueTooDeepError();
  if (Array.isArray(value)) return value.map((v) => toJson(v, level + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) setOwn(out, k, toJson(v, level + 1));
  return out;
}

/** Evaluates an expression against variables; a literal evaluates to its text. */
export function evalExpr(expr: Expr, vars: Record<string, unknown>): Evaluation {
  if (!expr.feel) return { ok: true, value: expr.src };
  const fast = fastOf(expr.src);
  if (fast) {
    const v = fast(vars);
    if (v !== FALLBACK) return { ok: true, value: v };
  }
  try {
    const { value } = evaluate(expr.src, vars);
    return { ok: true, value: toJson(value) };
  } catch (e) {
    const message = `Expected to evaluate '=${expr.src}', but it failed: ${(e as Error).message}`;
    if (e instanceof BudgetExceededError) return { ok: false, message, budget: { budget: e.budget, limit: e.limit } };
    return { ok: false, message };
  }
}

/** Evaluates a condition: only `true` counts as true (null from a missing variable is false). */
export function evalCondition(expr: Expr, vars: Record<string, unknown>): { ok: true; value: boolean } | EvalFailure {
  const r = evalExpr(expr, vars);
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
): { ok: true; value: string } | EvalFailure {
  const r = evalExpr(expr, vars);
  if (!r.ok) return r;
  if (typeof r.value === 'string') return { ok: true, value: r.value };
  if (typeof r.value === 'number' || typeof r.value === 'boolean') return { ok: true, value: String(r.value) };
  return {
    ok: false,
    message: `Expected ${what} '=${expr.src}' to be a string, but it was ${JSON.stringify(r.value)}`,
  };
}

/**
 * Evaluates FEEL source (no leading `=`) to feelin's own value: dates, times and durations stay
 * typed, where {@link evalExpr} turns them into ISO strings. DMN needs this: an input value is
 * compared with its unary tests by type, and a required decision's result reaches the decisions
 * that need it unchanged. Turn the value into JSON with {@link toJson} at the edge.
 */
export function evalNative(src: string, vars: Record<string, unknown>): Evaluation {
  const fast = fastOf(src);
  if (fast) {
    const v = fast(vars);
    if (v !== FALLBACK) return { ok: true, value: v };
  }
  try {
    const { value } = evaluate(src, vars);
    return { ok: true, value: value === undefined ? null : value };
  } catch (e) {
    return { ok: false, message: `Expected to evaluate '${src}', but it failed: ${(e as Error).message}` };
  }
}

/**
 * FEEL evaluation for the core: expressions are {@link Expr} records compiled at deploy; results are
 * plain JSON values (FEEL dates and durations become ISO strings). Failures are values, not throws:
 * `kind: 'budget'` when the FEEL work budget ran out (an incident of type BUDGET_EXCEEDED), else
 * `kind: 'expression'`. Evaluation itself is the FEEL layer's (engine/src/feel), which gets the
 * command's clock and randomness through {@link FeelEnv} (the core's context is one).
 */
import { evaluateExpression, toPlainJson, type FeelEnv } from '../feel/index.js';
import type { Expr } from '../model/types.js';
import { compileFast, FALLBACK, type FastExpr } from './feel-fast.js';

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

/** Why an evaluation failed: the FEEL budget ran out, or anything else. */
export type FailureKind = 'expression' | 'budget';

/** A failed evaluation. */
export interface EvalFailure {
  readonly ok: false;
  readonly message: string;
  readonly kind?: FailureKind;
}

export type Evaluation = { readonly ok: true; readonly value: unknown } | EvalFailure;

/**
 * The incident type for a failure: BUDGET_EXCEEDED when the FEEL budget ran out, else `otherwise`.
 * Takes any failure (messages wrapped on the way keep their `kind`).
 */
export function failureType(
  failure: { readonly message: string; readonly kind?: FailureKind },
  otherwise = 'EXPRESSION_FAILED',
): 'BUDGET_EXCEEDED' | string {
  return failure.kind === 'budget' ? 'BUDGET_EXCEEDED' : otherwise;
}

/** Turns FEEL values (temporal objects, ranges) into JSON-safe values. */
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
  if (r.ok) return r;
  return { ok: false, kind: r.kind, message: `Expected to evaluate '=${expr.src}', but it failed: ${r.message}` };
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

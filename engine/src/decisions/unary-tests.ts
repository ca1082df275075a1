/**
 * Input entries of decision tables: FEEL unary tests (`-`, `"a","b"`, `< 10`, `[1..5]`,
 * `not(…)`, `? > x`, `contains(?, "x")`) tested against an input value.
 *
 * The tests themselves follow Camunda 8's FEEL (feel-scala) rule by rule: a comparison or
 * interval over values of different types, or over null, is null (no match, and `not(…)` of it
 * does not match either); null equals only null; an interval contains x when start ≤ x ≤ end;
 * a plain expression matches when it is true, equals the input, or is a list holding it; an
 * expression using `?` matches when it is true. feelin's own `unaryTest` answers otherwise for
 * several of these (`"abc" >= 5` is true there, `contains(?, "x")` of null is true), so it is
 * not used. The expressions inside the tests (bounds, `? > x`, calls) are evaluated by the FEEL
 * layer (Camunda's built-in functions, the work budget); literals and names are read without it.
 *
 * Each distinct test text is parsed once into a plan (cached).
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { parseUnaryTests } from 'feelin';
import type { BudgetTrip } from '../core/budgets.js';
import { evalNative, type EvalFailure } from '../core/feel.js';
import type { FeelEnv } from '../feel/index.js';
import { readLiteral } from '../model/dmn/feel-check.js';
import { feelTypeOf, sameValue } from './values.js';

type Simple = string | number | boolean | null;
type Operand =
  | { readonly kind: 'literal'; readonly value: Simple }
  | { readonly kind: 'path'; readonly parts: readonly string[] }
  | { readonly kind: 'expression'; readonly src: string };
type CompareOp = '<' | '<=' | '>' | '>=' | '=' | '!=';
type Item =
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly operand: Operand }
  | {
      readonly kind: 'interval';
      readonly low: Operand;
      readonly high: Operand;
      readonly closed: readonly [boolean, boolean];
    }
  | { readonly kind: 'value'; readonly operand: Operand; readonly usesInput: boolean };
type Plan =
  | { readonly kind: 'any' }
  | { readonly kind: 'tests'; readonly negated: boolean; readonly items: readonly Item[] }
  | { readonly kind: 'invalid'; readonly message: string };

/** The result of testing an input: true (match), false or null (no match), or a failure. */
export type TestResult = { readonly ok: true; readonly value: boolean | null } | EvalFailure;

/** A failure inside a test, carried out of the item loop (with the budget it ran out of, if it did). */
class TestFailure {
  constructor(
    readonly message: string,
    readonly budget?: BudgetTrip,
  ) {}

  static of(r: EvalFailure): TestFailure {
    return new TestFailure(r.message, r.budget);
  }
}

const planCache = new Map<string, Plan>();

/**
 * Tests `input` (a FEEL value) against the unary tests `src`, with `vars` for the names they
 * use and `env` for the FEEL they evaluate. Pure; never throws for model or data problems.
 */
export function testUnary(src: string, input: unknown, vars: Record<string, unknown>, env: FeelEnv): TestResult {
  const plan = planOf(src);
  if (plan.kind === 'any') return { ok: true, value: true };
  if (plan.kind === 'invalid') return { ok: false, message: plan.message };
  let result: boolean | null = false;
  for (const item of plan.items) {
    const r = runItem(item, input, vars, env);
    if (r instanceof TestFailure) {
      const message = `${r.message} (in the unary tests '${src}')`;
      return r.budget ? { ok: false, message, budget: r.budget } : { ok: false, message };
    }
    if (r === true) {
      result = true;
      break;
    }
    if (r === null) result = null;
  }
  return { ok: true, value: plan.negated && result !== null ? !result : result };
}

/** Whether `src` is read without feelin (literals, names, comparisons and intervals of them): for tests. */
export function isPlainTest(src: string): boolean {
  const plan = planOf(src);
  if (plan.kind !== 'tests') return plan.kind === 'any';
  const plain = (o: Operand): boolean => o.kind !== 'expression';
  return plan.items.every((i) => (i.kind === 'interval' ? plain(i.low) && plain(i.high) : plain(i.operand)));
}

function planOf(src: string): Plan {
  let plan = planCache.get(src);
  if (plan === undefined) {
    plan = compilePlan(src);
    if (planCache.size > 10_000) planCache.clear();
    planCache.set(src, plan);
  }
  return plan;
}

function compilePlan(src: string): Plan {
  if (src.trim() === '-') return { kind: 'any' };
  const invalid: Plan = { kind: 'invalid', message: `Expected valid FEEL unary tests, but '${src}' does not parse` };
  let tree: Tree;
  try {
    tree = parseUnaryTests(src, {}, undefined);
  } catch {
    return invalid;
  }
  let hasError = false;
  tree.iterate({ enter: (n) => void (n.type.isError && (hasError = true)) });
  if (hasError) return invalid;
  let first = tree.topNode.firstChild;
  if (first?.name === 'Wildcard' && !first.nextSibling) return { kind: 'any' };
  const negated = first?.name === 'not';
  if (negated) first = first!.nextSibling?.nextSibling ?? null;
  if (first?.name !== 'PositiveUnaryTests') return invalid;
  const items: Item[] = [];
  for (let test = first.firstChild; test; test = test.nextSibling) {
    if (test.name !== 'PositiveUnaryTest' || !test.firstChild || test.firstChild.nextSibling) return invalid;
    const item = readItem(test.firstChild, src);
    if (!item) return invalid;
    items.push(item);
  }
  return items.length > 0 ? { kind: 'tests', negated, items } : invalid;
}

function readItem(node: SyntaxNode, src: string): Item | undefined {
  const inner = node.name === 'ParenthesizedExpression' ? node.firstChild?.nextSibling : null;
  if (inner?.name === 'SimplePositiveUnaryTest' && inner.nextSibling?.name === ')') return readItem(inner, src);
  if (node.name !== 'SimplePositiveUnaryTest') {
    const operand = readOperand(node, src);
    // A literal (a boolean too, as in Camunda) is an equality test; anything else a FEEL expression test.
    if (operand.kind === 'literal') return { kind: 'compare', op: '=', operand };
    return { kind: 'value', operand, usesInput: usesInput(node) };
  }
  const head = node.firstChild;
  if (head?.name === 'CompareOp' && head.nextSibling && !head.nextSibling.nextSibling) {
    return {
      kind: 'compare',
      op: src.slice(head.from, head.to) as CompareOp,
      operand: readOperand(head.nextSibling, src),
    };
  }
  if (head?.name !== 'Interval' || head.nextSibling) return undefined;
  const parts: SyntaxNode[] = [];
  for (let c = head.firstChild; c; c = c.nextSibling) parts.push(c);
  if (parts.length !== 5 || parts[2]!.name !== '..') return undefined;
  return {
    kind: 'interval',
    low: readOperand(parts[1]!, src),
    high: readOperand(parts[3]!, src),
    closed: [parts[0]!.name === '[', parts[4]!.name === ']'],
  };
}

function readOperand(node: SyntaxNode, src: string): Operand {
  const literal = readLiteral(node, src);
  if (literal) return { kind: 'literal', value: literal.value };
  const parts = readPath(node, src);
  return parts ? { kind: 'path', parts } : { kind: 'expression', src: src.slice(node.from, node.to) };
}

function readPath(node: SyntaxNode, src: string): string[] | undefined {
  const single = (n: SyntaxNode | null): string | undefined =>
    n?.firstChild?.name === 'Identifier' && !n.firstChild.nextSibling ? src.slice(n.from, n.to) : undefined;
  if (node.name === 'VariableName') {
    const name = single(node);
    return name === undefined ? undefined : [name];
  }
  if (node.name !== 'PathExpression') return undefined;
  const head = node.firstChild ? readPath(node.firstChild, src) : undefined;
  const last = node.lastChild?.name === 'PathName' ? single(node.lastChild) : undefined;
  return head && last !== undefined ? [...head, last] : undefined;
}

function usesInput(node: SyntaxNode): boolean {
  let found = false;
  node.toTree().iterate({ enter: (n) => void (n.name === '?' && (found = true)) });
  return found;
}

function runItem(
  item: Item,
  input: unknown,
  vars: Record<string, unknown>,
  env: FeelEnv,
): boolean | null | TestFailure {
  if (item.kind === 'compare') {
    const w = valueOf(item.operand, input, vars, env);
    if (w instanceof TestFailure) return w;
    if (item.op === '=' || item.op === '!=') {
      const equal = equals(input, w, env);
      return equal === null || item.op === '=' ? equal : !equal;
    }
    return order(item.op, input, w, env);
  }
  if (item.kind === 'interval') {
    const low = valueOf(item.low, input, vars, env);
    if (low instanceof TestFailure) return low;
    const high = valueOf(item.high, input, vars, env);
    if (high instanceof TestFailure) return high;
    const above = order(item.closed[0] ? '>=' : '>', input, low, env);
    const below = order(item.closed[1] ? '<=' : '<', input, high, env);
    return above === null || below === null ? null : above && below;
  }
  const x = valueOf(item.operand, input, vars, env);
  if (x instanceof TestFailure) return x;
  return item.usesInput ? (typeof x === 'boolean' ? x : null) : expressionTest(input, x, env);
}

/** A plain expression as a test (feel-scala): true, a list holding the input, or equal to it. */
function expressionTest(input: unknown, x: unknown, env: FeelEnv): boolean | null {
  if (x === true) return true;
  if (Array.isArray(x) && x.some((e) => equals(input, e, env) === true)) return true;
  const equal = equals(input, x, env);
  if (equal === true) return true;
  if (x === false || Array.isArray(x)) return false;
  return equal;
}

function valueOf(operand: Operand, input: unknown, vars: Record<string, unknown>, env: FeelEnv): unknown {
  if (operand.kind === 'literal') return operand.value;
  if (operand.kind === 'path') {
    let v: unknown = vars;
    for (const part of operand.parts) {
      if (v === null || v === undefined) return null;
      if (typeof v !== 'object' || Array.isArray(v) || TEMPORAL.has(feelTypeOf(v))) return pathInto(operand, vars, env);
      v = Object.prototype.hasOwnProperty.call(v, part) ? (v as Record<string, unknown>)[part] : null;
    }
    return v ?? null;
  }
  const r = evalNative(operand.src, { ...vars, '?': input }, env);
  return r.ok ? r.value : TestFailure.of(r);
}

/** A path through a list, a string or a temporal value: FEEL's meaning, from the FEEL layer. */
function pathInto(operand: Extract<Operand, { kind: 'path' }>, vars: Record<string, unknown>, env: FeelEnv): unknown {
  const r = evalNative(operand.parts.join('.'), vars, env);
  return r.ok ? r.value : TestFailure.of(r);
}

const TEMPORAL = new Set(['date', 'time', 'date and time', 'days and time duration', 'years and months duration']);

/** FEEL equality as Camunda compares: null equals only null; values of different types are not comparable. */
function equals(a: unknown, b: unknown, env: FeelEnv): boolean | null {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  const type = feelTypeOf(a);
  if (type !== feelTypeOf(b)) return null;
  if (type === 'number' || type === 'string' || type === 'boolean') return a === b;
  if (TEMPORAL.has(type)) return temporal('=', a, b, env);
  return type === 'list' || type === 'context' ? sameValue(a, b) : null;
}

/** FEEL ordering: numbers, strings and temporal values of one type; anything else (null included) is null. */
function order(op: CompareOp, a: unknown, b: unknown, env: FeelEnv): boolean | null {
  const type = feelTypeOf(a);
  if (type !== feelTypeOf(b)) return null;
  if (type === 'number' || type === 'string') {
    const x = a as number | string;
    const y = b as number | string;
    return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
  }
  return TEMPORAL.has(type) ? temporal(op, a, b, env) : null;
}

/** Two temporal values of one type, compared by the FEEL layer. */
function temporal(op: CompareOp, a: unknown, b: unknown, env: FeelEnv): boolean | null {
  const r = evalNative(`a ${op} b`, { a, b }, env);
  return r.ok && typeof r.value === 'boolean' ? r.value : null;
}

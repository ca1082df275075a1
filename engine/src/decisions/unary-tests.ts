/**
 * Input entries of decision tables: FEEL unary tests (`-`, `"a","b"`, `< 10`, `[1..5]`,
 * `not(…)`, `? > x`) tested against an input value.
 *
 * The forms analysts write most (literals, names, comparisons, intervals, lists of them, `not`)
 * compile once to a plan that runs without parsing. The plan follows Camunda 8's FEEL where
 * feelin differs: comparing values of different types (`"abc" < 10`, `"2024-01-01" <
 * date("2025-01-01")`, `"gold"` against 5), ordering null, and an interval with a null bound
 * give null, so the rule does not match and `not(…)` of it does not match either; an interval
 * whose bounds are reversed (`[5..1]`) contains nothing. Everything else, and any case whose
 * meaning is not plain (lists, contexts, two temporal values), goes to feelin through the core's
 * FEEL wrapper, so it is always evaluated, never guessed.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { FeelDate, FeelDateTime, FeelDuration, FeelTime, parseUnaryTests } from 'feelin';
import { evalUnaryTests } from '../core/feel.js';
import { readLiteral } from '../model/dmn/feel-check.js';

type Simple = string | number | boolean | null;
type Temporal = 'date' | 'time' | 'date and time' | 'duration';
type Operand =
  | { readonly kind: 'literal'; readonly value: Simple }
  | { readonly kind: 'temporal'; readonly type: Temporal }
  | { readonly kind: 'path'; readonly parts: readonly string[] };
type CompareOp = '<' | '<=' | '>' | '>=' | '=' | '!=';
type Item =
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly operand: Operand }
  | {
      readonly kind: 'interval';
      readonly low: Operand;
      readonly high: Operand;
      readonly lowClosed: boolean;
      readonly highClosed: boolean;
    };
type Plan =
  | { readonly kind: 'any' }
  | { readonly kind: 'items'; readonly negated: boolean; readonly items: readonly Item[] }
  | { readonly kind: 'feel' };

/** An outcome the plan cannot decide on its own: feelin decides. */
const DELEGATE: unique symbol = Symbol('delegate');
type Outcome = boolean | null | typeof DELEGATE;

const ANY: Plan = { kind: 'any' };
const FEEL: Plan = { kind: 'feel' };
const planCache = new Map<string, Plan>();

/** The result of testing an input: true (match), false or null (no match), or a failure. */
export type TestResult =
  { readonly ok: true; readonly value: boolean | null } | { readonly ok: false; readonly message: string };

/**
 * Tests `input` (a FEEL value) against the unary tests `src`, with `vars` for the names they
 * use. Pure; plans are cached by source text.
 */
export function testUnary(src: string, input: unknown, vars: Record<string, unknown>): TestResult {
  const plan = planOf(src);
  if (plan.kind === 'any') return { ok: true, value: true };
  if (plan.kind === 'items' && isPlain(input)) {
    const outcome = runItems(plan.items, input, vars);
    if (outcome !== DELEGATE) return { ok: true, value: plan.negated && outcome !== null ? !outcome : outcome };
  }
  return evalUnaryTests(src, input, vars);
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

/** Exported for tests: whether `src` runs on a plan (true) or always through feelin. */
export function hasPlan(src: string): boolean {
  return planOf(src).kind !== 'feel';
}

function compilePlan(src: string): Plan {
  if (src.trim() === '-') return ANY;
  let tree: Tree;
  try {
    tree = parseUnaryTests(src, {}, undefined);
  } catch {
    return FEEL;
  }
  let hasError = false;
  tree.iterate({ enter: (n) => void (n.type.isError && (hasError = true)) });
  if (hasError) return FEEL;
  let first = tree.topNode.firstChild;
  if (first?.name === 'Wildcard' && !first.nextSibling) return ANY;
  const negated = first?.name === 'not';
  if (negated) first = first!.nextSibling?.nextSibling ?? null;
  if (first?.name !== 'PositiveUnaryTests') return FEEL;
  const items: Item[] = [];
  for (let test = first.firstChild; test; test = test.nextSibling) {
    const item = test.name === 'PositiveUnaryTest' && test.firstChild ? readItem(test.firstChild, src) : undefined;
    if (!item || test.firstChild!.nextSibling) return FEEL;
    items.push(item);
  }
  return items.length > 0 ? { kind: 'items', negated, items } : FEEL;
}

function readItem(node: SyntaxNode, src: string): Item | undefined {
  if (node.name !== 'SimplePositiveUnaryTest') {
    const operand = readOperand(node, src);
    return operand && { kind: 'compare', op: '=', operand };
  }
  const head = node.firstChild;
  if (head?.name === 'CompareOp') {
    const operand = head.nextSibling && !head.nextSibling.nextSibling ? readOperand(head.nextSibling, src) : undefined;
    return operand && { kind: 'compare', op: src.slice(head.from, head.to) as CompareOp, operand };
  }
  if (head?.name !== 'Interval' || head.nextSibling) return undefined;
  const parts: SyntaxNode[] = [];
  for (let c = head.firstChild; c; c = c.nextSibling) parts.push(c);
  if (parts.length !== 5 || parts[2]!.name !== '..') return undefined;
  const low = readOperand(parts[1]!, src);
  const high = readOperand(parts[3]!, src);
  if (!low || !high) return undefined;
  return { kind: 'interval', low, high, lowClosed: parts[0]!.name === '[', highClosed: parts[4]!.name === ']' };
}

function readOperand(node: SyntaxNode, src: string): Operand | undefined {
  const literal = readLiteral(node, src);
  if (literal) return { kind: 'literal', value: literal.value };
  if (node.name === 'DateTimeLiteral') {
    const ctor = node.firstChild;
    const params = ctor?.nextSibling?.nextSibling;
    if (ctor?.name !== 'DateTimeConstructor' || params?.name !== 'PositionalParameters') return undefined;
    if (params.firstChild?.name !== 'StringLiteral' || params.firstChild.nextSibling) return undefined;
    const type = src.slice(ctor.from, ctor.to).replace(/\s+/g, ' ') as Temporal;
    return ['date', 'time', 'date and time', 'duration'].includes(type) ? { kind: 'temporal', type } : undefined;
  }
  const parts = readPath(node, src);
  return parts && { kind: 'path', parts };
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

/** Inputs the plan handles: numbers, strings, booleans, null, and FEEL dates, times and durations. */
function isPlain(v: unknown): boolean {
  return v === null || typeof v !== 'object' || temporalOf(v) !== undefined;
}

function temporalOf(v: unknown): Temporal | undefined {
  if (v instanceof FeelDate) return 'date';
  if (v instanceof FeelDateTime) return 'date and time';
  if (v instanceof FeelTime) return 'time';
  if (v instanceof FeelDuration) return 'duration';
  return undefined;
}

/** FEEL's disjunction of the tests: true if any is true, false if all are false, else null. */
function runItems(items: readonly Item[], input: unknown, vars: Record<string, unknown>): Outcome {
  let result: Outcome = false;
  for (const item of items) {
    const r = item.kind === 'compare' ? runCompare(item.op, input, item.operand, vars) : runInterval(item, input, vars);
    if (r === true) return true;
    if (r === DELEGATE) result = DELEGATE;
    else if (r === null && result === false) result = null;
  }
  return result;
}

/** The operand's value, or DELEGATE when it is not a plain value (a list, a context, a boolean name). */
function valueOf(operand: Operand, vars: Record<string, unknown>): Simple | typeof DELEGATE {
  if (operand.kind === 'literal') return operand.value;
  if (operand.kind === 'temporal') return DELEGATE;
  let v: unknown = vars;
  for (const part of operand.parts) {
    if (v === null || v === undefined) return null;
    if (typeof v !== 'object' || Array.isArray(v) || temporalOf(v) !== undefined) return DELEGATE;
    v = Object.prototype.hasOwnProperty.call(v, part) ? (v as Record<string, unknown>)[part] : null;
  }
  if (v === undefined || v === null) return null;
  // A name that is a boolean is itself the test in feelin (`isVip`), not an equality.
  return typeof v === 'string' || typeof v === 'number' ? v : DELEGATE;
}

function runCompare(op: CompareOp, input: unknown, operand: Operand, vars: Record<string, unknown>): Outcome {
  if (operand.kind === 'temporal') return runTemporal(op, input, operand.type);
  const w = valueOf(operand, vars);
  if (w === DELEGATE) return DELEGATE;
  const v = input as Simple;
  if (op === '=' || op === '!=') {
    // null equals only null; values of two other types are not comparable (null), as in Camunda's FEEL
    const equal = v === null || w === null ? v === w : typeof v === typeof w ? v === w : null;
    return equal === null ? null : op === '=' ? equal : !equal;
  }
  if (v === null || w === null || typeof v !== typeof w || typeof v === 'boolean') return null;
  return order(op, v as string | number, w as string | number);
}

/** Against a temporal literal: the same kind of value is left to feelin; null is unequal; any other is not comparable. */
function runTemporal(op: CompareOp, input: unknown, type: Temporal): Outcome {
  if (temporalOf(input) === type) return DELEGATE;
  if (input === null && (op === '=' || op === '!=')) return op === '!=';
  return null;
}

function runInterval(
  item: Extract<Item, { kind: 'interval' }>,
  input: unknown,
  vars: Record<string, unknown>,
): Outcome {
  if (item.low.kind === 'temporal' || item.high.kind === 'temporal') {
    const t = temporalOf(input);
    const fits = (o: Operand): boolean => o.kind === 'temporal' && o.type === t;
    return t !== undefined && fits(item.low) && fits(item.high) ? DELEGATE : null;
  }
  const low = valueOf(item.low, vars);
  const high = valueOf(item.high, vars);
  if (low === DELEGATE || high === DELEGATE) return DELEGATE;
  const v = input as Simple;
  if (v === null || low === null || high === null) return null;
  const t = typeof v;
  if ((t !== 'number' && t !== 'string') || typeof low !== t || typeof high !== t) return null;
  const a = v as string | number;
  const above = item.lowClosed ? order('>=', a, low as string | number) : order('>', a, low as string | number);
  const below = item.highClosed ? order('<=', a, high as string | number) : order('<', a, high as string | number);
  return above && below;
}

function order(op: CompareOp, a: string | number, b: string | number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

/**
 * A fast path for the FEEL expressions models use most: a variable or path (`approved`,
 * `order.total`), a literal, one comparison of the two (`amount > 100`, `status = "new"`), or one
 * arithmetic operation on two numbers (`item * 2`, `total + fee`).
 * feelin parses every expression on every evaluation (~100 µs); these compile once to a closure.
 *
 * Anything outside that subset, or any case whose FEEL meaning is not plain (a list in a path,
 * values of different types compared), returns {@link FALLBACK} and is evaluated by the FEEL layer
 * (engine/src/feel, on feelin), so results are always the FEEL layer's (a property test checks it).
 */

export const FALLBACK: unique symbol = Symbol('feel-fallback');
export type FastExpr = (vars: Record<string, unknown>) => unknown;

const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'if',
  'then',
  'else',
  'for',
  'some',
  'every',
  'in',
  'return',
  'satisfies',
  'instance',
  'of',
  'between',
  'function',
  'null',
  'true',
  'false',
]);
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const STRING = /^"([^"\\]*)"$/;
const COMPARISON = /^(.+?)\s*(!=|<=|>=|=|<|>)\s*(.+)$/;
const ARITHMETIC = /^(.+?)\s*([-+*/])\s*(.+)$/;

type Operand = FastExpr;

function operand(text: string): Operand | undefined {
  const t = text.trim();
  if (NUMBER.test(t)) {
    const n = Number(t);
    return () => n;
  }
  const s = STRING.exec(t);
  if (s) {
    const v = s[1]!;
    return () => v;
  }
  if (t === 'true') return () => true;
  if (t === 'false') return () => false;
  if (t === 'null') return () => null;
  const parts = t.split('.');
  if (!parts.every((p) => IDENT.test(p) && !KEYWORDS.has(p))) return undefined;
  return (vars) => {
    let v: unknown = vars;
    for (const p of parts) {
      if (v === null || v === undefined) return null;
      if (typeof v !== 'object' || Array.isArray(v)) return FALLBACK;
      v = Object.prototype.hasOwnProperty.call(v, p) ? (v as Record<string, unknown>)[p] : null;
    }
    return v === undefined ? null : v;
  };
}

function compare(op: string, a: unknown, b: unknown): unknown {
  if (a === FALLBACK || b === FALLBACK) return FALLBACK;
  if ((a !== null && typeof a === 'object') || (b !== null && typeof b === 'object')) return FALLBACK;
  if (op === '=' || op === '!=') {
    if (a === null || b === null) return op === '=' ? a === b : a !== b;
    const ta = typeof a;
    if (ta !== typeof b || (ta !== 'number' && ta !== 'string' && ta !== 'boolean')) return FALLBACK;
    return op === '=' ? a === b : a !== b;
  }
  if (a === null || b === null) {
    const other = a === null ? b : a;
    return other === null || typeof other === 'number' || typeof other === 'string' ? null : FALLBACK;
  }
  if (!((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string')))
    return FALLBACK;
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

/** `a op b` on two numbers with a finite result; anything else (strings, dates, null, 0 divisor) is the FEEL layer's. */
function arithmetic(op: string, a: unknown, b: unknown): unknown {
  if (typeof a !== 'number' || typeof b !== 'number') return FALLBACK;
  const r = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : b === 0 ? FALLBACK : a / b;
  return typeof r === 'number' && Number.isFinite(r) && !Object.is(r, -0) ? r : FALLBACK;
}

function nameWith(vars: Record<string, unknown>, op: string): boolean {
  for (const k in vars) if (k.includes(op)) return true;
  return false;
}

/** Compiles an expression of the fast subset, or returns undefined. */
export function compileFast(src: string): FastExpr | undefined {
  const text = src.trim();
  if (!text || text.includes('(') || text.includes('[') || text.includes('{')) return undefined;
  const whole = operand(text);
  if (whole)
    return (vars) => {
      const v = whole(vars);
      return v !== null && typeof v === 'object' ? FALLBACK : v;
    };
  const m = COMPARISON.exec(text);
  if (!m) {
    const a = ARITHMETIC.exec(text);
    const l = a && operand(a[1]!);
    const r = a && operand(a[3]!);
    if (!l || !r) return undefined;
    const aop = a[2]!;
    // FEEL names may hold operators (`net-total`): with such a variable the text may be its name
    return (vars) => (nameWith(vars, aop) ? FALLBACK : arithmetic(aop, l(vars), r(vars)));
  }
  const left = operand(m[1]!);
  const right = operand(m[3]!);
  if (!left || !right) return undefined;
  const op = m[2]!;
  return (vars) => compare(op, left(vars), right(vars));
}

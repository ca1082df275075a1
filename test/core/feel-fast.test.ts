import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFast, FALLBACK } from '../../engine/src/core/feel-fast.js';
import { evaluateExpression } from '../../engine/src/feel/index.js';

const value = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom('a', 'b', ''),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.record({ x: fc.integer({ min: -3, max: 3 }) }, { noNullPrototype: true }),
  fc.constant([1, 2]),
);
const operand = fc.oneof(
  fc.constantFrom('a', 'b', 'o.x', 'o.y', 'missing', 'a.x'),
  fc.constantFrom('1', '-2', '0', '3.5', '"a"', '"b"', 'true', 'false', 'null'),
);
const op = fc.constantFrom('=', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/');

describe('FEEL fast path', () => {
  // the oracle is the full FEEL layer (feelin with Camunda's built-ins), which the fast path falls back to
  it('agrees with the FEEL layer on every expression it accepts', () => {
    fc.assert(
      fc.property(operand, op, operand, value, value, value, (l, o, r, a, b, ov) => {
        const vars: Record<string, unknown> = {};
        if (a !== undefined) vars['a'] = a;
        if (b !== undefined) vars['b'] = b;
        if (ov !== undefined) vars['o'] = ov;
        if (a === 2) vars['a-b'] = 7; // a name holding an operator
        for (const src of [`${l} ${o} ${r}`, l]) {
          const fast = compileFast(src);
          expect(fast).toBeDefined();
          const got = fast!(vars);
          if (got === FALLBACK) continue;
          expect({ ok: true, value: got }).toEqual(evaluateExpression(src, vars, { now: 0 }));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves everything else to the FEEL layer', () => {
    for (const src of [
      'count(items)',
      'a + 1 * b',
      'a - b - 1',
      'a ** 2',
      'if a then 1 else 2',
      '[1,2]',
      'a and b',
      '{x: 1}',
      'date("2024-01-01")',
      'is defined(a)',
      'get or else(a, 5)',
    ]) {
      expect(compileFast(src)).toBeUndefined();
    }
  });
});

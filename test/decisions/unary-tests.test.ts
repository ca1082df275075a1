/**
 * Input entries (FEEL unary tests): every form analysts write, the compiled plan proven equal to
 * feelin wherever both follow FEEL, and Camunda 8's answer where feelin's differs.
 */
import fc from 'fast-check';
import { evaluate, unaryTest } from 'feelin';
import { describe, expect, it } from 'vitest';
import { evaluateDecision } from '../../engine/src/decisions/evaluate.js';
import { isPlainTest, testUnary } from '../../engine/src/decisions/unary-tests.js';
import { compileGraph, dmn, table } from './dmn-helpers.js';

/** The test's answer for `input` (a FEEL value) and `vars`, or the failure message. */
function check(src: string, input: unknown, vars: Record<string, unknown> = {}): boolean | null | string {
  const r = testUnary(src, input, vars, { now: 0 });
  return r.ok ? r.value : r.message;
}

describe('unary test forms', () => {
  it.each([
    ['-', 'anything', true],
    ['-', null, true],
    ['"gold"', 'gold', true],
    ['"gold"', 'silver', false],
    ['"gold","silver"', 'silver', true],
    ['"gold","silver"', 'bronze', false],
    ['42', 42, true],
    ['-1.5', -1.5, true],
    ['true', true, true],
    ['false', true, false],
    ['null', null, true],
    ['< 10', 9, true],
    ['< 10', 10, false],
    ['<= 10', 10, true],
    ['> 10', 11, true],
    ['>= 10', 10, true],
    ['= 10', 10, true],
    ['!= 10', 10, false],
    ['< "m"', 'k', true],
    ['[1..10]', 1, true],
    ['[1..10]', 10, true],
    ['(1..10]', 1, false],
    [']1..10]', 1, false],
    ['[1..10)', 10, false],
    ['[1..10[', 10, false],
    ['["a".."f"]', 'c', true],
    ['< 0, > 100', 150, true],
    ['< 0, [10..20]', 5, false],
    ['not("gold")', 'silver', true],
    ['not("gold")', 'gold', false],
    ['not(< 0, > 100)', 50, true],
    ['not([1..5])', 3, false],
  ])('%s with %j -> %s', (src, input, expected) => {
    expect(check(src, input)).toBe(expected);
    expect(isPlainTest(src)).toBe(true);
  });

  it('compares with variables, also through paths', () => {
    expect(check('< limit', 5, { limit: 10 })).toBe(true);
    expect(check('[order.min..order.max]', 5, { order: { min: 1, max: 4 } })).toBe(false);
    expect(check('category', 'toys', { category: 'toys' })).toBe(true);
  });

  it('compares FEEL dates, times and durations by value', () => {
    const day = (iso: string): unknown => evaluate(`date("${iso}")`).value;
    expect(check('< date("2024-03-01")', day('2024-02-29'))).toBe(true);
    expect(check('[date("2024-01-01")..date("2024-12-31")]', day('2025-01-01'))).toBe(false);
    expect(check('date("2024-03-01")', day('2024-03-01'))).toBe(true);
    expect(check('> duration("PT1H")', evaluate('duration("PT90M")').value)).toBe(true);
  });

  it('evaluates ? expressions and function calls through feelin', () => {
    expect(check('? > x * 2', 7, { x: 3 })).toBe(true);
    expect(check('contains(?, "rush")', 'rush order')).toBe(true);
    expect(check('count(?) > 1', [1, 2])).toBe(true);
    expect(check('list contains(?, "b")', ['a', 'b'])).toBe(true);
    expect(isPlainTest('? > x * 2')).toBe(false);
  });

  it('reports unary tests that cannot be evaluated as a failure', () => {
    // given a ? expression that feelin cannot evaluate (a range over a list), when tested
    const answer = check('? in [x..10]', 5, { x: [1] });
    // then a failure message, not a throw
    expect(answer).toMatch(
      /^Expected to evaluate '\? in \[x\.\.10\]', but it failed: .* \(in the unary tests '\? in \[x\.\.10\]'\)$/,
    );
  });
});

describe('where Camunda 8 and feelin disagree, Baton answers as Camunda 8', () => {
  // Camunda's FEEL (feel-scala): comparing values of different types, or ordering null, is null
  // (not comparable); `not(null)` is null; null equals only null; an interval contains x when
  // start <= x <= end, so a reversed interval contains nothing; an expression using ? matches only
  // when it is true. feelin's unaryTest answers otherwise here.
  it.each([
    ['>= 5', 'abc', null, true],
    ['[1..10]', 'abc', null, true],
    ['not(< 5)', 'abc', null, true],
    ['>= date("2020-01-01")', '2020-06-01', null, true],
    ['not("a")', 5, null, true],
    ['"a"', 5, null, false],
    ['not(< 5)', null, null, true],
    ['[1..null]', 5, null, true],
    ['[5..1]', 3, false, true],
    ['- 5', -5, true, false],
    ['contains(?, "fragile")', null, null, true],
    ['"a"', ['a'], null, true],
  ])('%s with %j -> %s (feelin: %s)', (src, input, camunda, feelin) => {
    expect(check(src, input)).toBe(camunda);
    expect(unaryTest(src, { '?': input }).value).toBe(feelin);
  });

  it('so a rule never matches on a value of the wrong type', async () => {
    // given a table on an amount, and a caller who passes the amount as a string
    const graph = await compileGraph(
      dmn(
        table({
          id: 'tier',
          hitPolicy: 'FIRST',
          inputs: ['amount'],
          outputs: ['tier'],
          rules: [
            [['>= 1000'], ['"large"']],
            [['not(>= 1000)'], ['"small"']],
          ],
        }),
      ),
    );
    // when evaluated, then neither rule matches (feelin alone would call "12" large)
    expect(evaluateDecision(graph, 'tier', { amount: '12' })).toMatchObject({ ok: true, result: null });
    expect(evaluateDecision(graph, 'tier', { amount: 12 })).toMatchObject({ ok: true, result: 'small' });
  });
});

describe('the compiled plan', () => {
  const compare = fc.constantFrom('<', '<=', '>', '>=', '=', '!=');
  const open = fc.constantFrom('[', '(', ']');
  const close = fc.constantFrom(']', ')', '[');

  /** Unary tests over one value type, with variables x and o.y of that type. */
  function testsOver<T>(value: fc.Arbitrary<T>, literal: (v: T) => string): fc.Arbitrary<string> {
    const operand = fc.oneof(value.map(literal), fc.constantFrom('x', 'o.y'));
    const interval = fc
      .tuple(open, value, value, close)
      .map(([a, l, h, b]) => `${a}${literal(l < h ? l : h)}..${literal(l < h ? h : l)}${b}`);
    const item = fc.oneof(
      operand,
      fc.tuple(compare, operand).map(([op, v]) => `${op} ${v}`),
      interval,
    );
    return fc
      .tuple(fc.array(item, { minLength: 1, maxLength: 3 }), fc.boolean())
      .map(([items, negated]) => (negated ? `not(${items.join(', ')})` : items.join(', ')));
  }

  it.each([
    ['numbers', fc.integer({ min: -3, max: 3 }), (n: number) => String(n)],
    ['strings', fc.constantFrom('a', 'b', 'c', ''), (s: string) => JSON.stringify(s)],
  ] as const)('agrees with feelin on %s (non-null, ascending intervals)', (_name, value, literal) => {
    const gen = value as fc.Arbitrary<number | string>;
    const lit = literal as (v: number | string) => string;
    fc.assert(
      fc.property(testsOver(gen, lit), gen, gen, gen, (src, input, x, y) => {
        const vars = { x, o: { y } };
        expect(isPlainTest(src)).toBe(true);
        expect(check(src, input, vars)).toBe(unaryTest(src, { ...vars, '?': input }).value);
      }),
      { numRuns: 3000 },
    );
  });

  it('tests plain expressions as Camunda does: true, equal to the input, or a list holding it', () => {
    // a variable that is true is itself the test, whatever the input
    expect(check('isVip', 5, { isVip: true })).toBe(true);
    // a list holds the input
    expect(check('allowed', 'b', { allowed: ['a', 'b'] })).toBe(true);
    expect(check('allowed', 'c', { allowed: ['a', 'b'] })).toBe(false);
    // contexts and lists compare by value
    expect(check('{a: 1}', { a: 1 })).toBe(true);
    expect(check('[1, 2]', [1, 2])).toBe(true);
    // a path through a list is FEEL's (a list of the items' values)
    expect(check('items.sku', 'x', { items: [{ sku: 'x' }, { sku: 'y' }] })).toBe(true);
  });
});

/**
 * Names bound inside an expression (for, some, every, function parameters, context entries, filter
 * elements and `item`) resolve exactly as in feelin itself, although Baton reads the caller's
 * variables through a helper: the oracle here is feelin evaluating the original source.
 */
import { evaluate } from 'feelin';
import { describe, expect, it } from 'vitest';
import { evaluateExpression, toPlainJson } from '../../engine/src/feel/index.js';

const vars = {
  a: 1,
  b: 2,
  x: 10,
  item: 'root item',
  l: [1, 2, 3, 4],
  people: [
    { name: 'ann', age: 31, a: 100 },
    { name: 'bob', age: 17 },
  ],
  nested: { a: { b: { c: 3 } }, list: [{ v: 1 }, { v: 2 }] },
  'order total': 5,
};

describe('names resolve as in feelin', () => {
  it.each([
    'a + b',
    'for a in l return a + b',
    'for a in l, b in 1..a return a * b',
    'for a in [a, b] return a',
    'some a in l satisfies a > x',
    'every b in l satisfies b > a',
    '{a: 5, c: a + b}.c',
    '{a: a + 1, c: a}.c',
    '{c: a, a: 7}.c',
    '{"a": 9, c: a}.c',
    '{a: 5, n: {m: a * 2}}.n.m',
    '{f: function(x) x + a}.f(1)',
    '{f: function(a) a + b}.f(100)',
    '{a: 3, f: function(y) a * y}.f(2)',
    'people[age > 18].name',
    'people[a > 50].name',
    'people[item.age > a].name',
    'people[x > 5].name',
    'l[item > a]',
    'l[item > b][item < 4]',
    'item',
    'for item in l return item + a',
    'nested.a.b.c',
    'nested.list.v',
    'nested.list[v > a].v',
    '`order total` + a',
    'x instance of number',
    'if a > b then a else b',
    'a in l',
    'for i in 1..3 return for j in 1..i return i + j + a',
    'sort(l, function(x, y) x > y)',
    '{b: 1, r: for b in [b, 10] return b}.r',
    'missing',
    'missing.deeper',
    'for z in l return missing',
  ])('%s', (expr) => {
    const expected = toPlainJson(evaluate(expr, vars, 'camunda').value);
    expect(evaluateExpression(expr, vars, { now: 0 })).toEqual({ ok: true, value: expected });
  });
});

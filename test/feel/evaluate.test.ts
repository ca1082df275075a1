/**
 * The FEEL layer beyond single built-ins: calls of functions that do not exist, variables that share
 * a function's name, Camunda's parser, unary tests, named arguments, and the deploy-time check.
 */
import { describe, expect, it } from 'vitest';
import { checkFeel, evaluateExpression, evaluateUnaryTests } from '../../engine/src/feel/index.js';

const env = { now: Date.UTC(2024, 0, 15, 10, 0, 0) };
const value = (expr: string, vars: Record<string, unknown> = {}) => evaluateExpression(expr, vars, env);

describe('calls of functions that do not exist', () => {
  it('fail (never a silent null) and name the function', () => {
    // when an expression calls a function nobody defined
    const r = value('foo bar(1) + 1');
    // then the evaluation fails, naming it
    expect(r).toEqual({ ok: false, kind: 'expression', message: expect.stringMatching(/'foo bar'/) });
  });

  it('fail even where the call is behind a null-tolerant construct', () => {
    expect(value('get or else(notThere(x), 5)').ok).toBe(false);
    expect(value('if x then y else missingFn()', { x: false }).ok).toBe(false);
  });

  it('a function defined in the expression is no unknown function', () => {
    expect(value('{double: function(n) n * 2, r: double(21)}.r')).toEqual({ ok: true, value: 42 });
  });

  it('a built-in called with arguments it does not take fails, naming it', () => {
    const r = value('string join(["a"], "-", "[")');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/string join\(\)/);
    const named = value('upper case(text: "a")');
    expect(named.ok).toBe(false);
    if (!named.ok) expect(named.message).toMatch(/upper case\(\)/);
  });
});

describe('Camunda semantics where feelin differs', () => {
  it('a variable never hides a built-in function of the same name', () => {
    // given variables named like functions
    const vars = { count: [1, 2, 3], trim: '  x ', uuid: 'mine' };
    // then calls reach the functions and names reach the variables
    expect(value('count(count)', vars)).toEqual({ ok: true, value: 3 });
    expect(value('trim(trim)', vars)).toEqual({ ok: true, value: 'x' });
    expect(value('uuid', vars)).toEqual({ ok: true, value: 'mine' });
  });

  it('parses names that contain keywords (get or else) and backtick names', () => {
    expect(value('get or else(x, 5)')).toEqual({ ok: true, value: 5 });
    expect(value('`order total` * 2', { 'order total': 21 })).toEqual({ ok: true, value: 42 });
  });

  it('is defined is false for a missing variable, a null value and a missing path (8.4+)', () => {
    const vars = { n: null, o: { p: 1 } };
    expect(value('[is defined(n), is defined(o), is defined(o.p), is defined(o.q), is defined(nope)]', vars)).toEqual({
      ok: true,
      value: [false, true, true, false, false],
    });
  });

  it('partial in a for expression is the results so far, not the growing list', () => {
    expect(value('for i in 1..3 return partial')).toEqual({ ok: true, value: [[], [[]], [[], [[]]]] });
    expect(value('for i in 1..5 return if i <= 2 then 1 else partial[-1] + partial[-2]')).toEqual({
      ok: true,
      value: [1, 1, 2, 3, 5],
    });
  });

  it('takes named arguments by Camunda’s parameter names', () => {
    expect(value('substring(string: "foobar", start position: 3)')).toEqual({ ok: true, value: 'obar' });
    expect(value('get value(context: {a: {b: 1}}, keys: ["a", "b"])')).toEqual({ ok: true, value: 1 });
    expect(value('context put(context: {}, key: "k", value: 1)')).toEqual({ ok: true, value: { k: 1 } });
  });

  it('keeps a context key "__proto__" as a plain key', () => {
    const r = value('context put({}, "__proto__", {polluted: true})');
    expect(r.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (r.ok) expect(Object.keys(r.value as object)).toEqual(['__proto__']);
  });
});

describe('unary tests (DMN input entries)', () => {
  it.each([
    ['> 10, "a"', 11, true],
    ['> 10, "a"', 'a', true],
    ['> 10, "a"', 5, false],
    ['[1..5]', 6, false],
    ['-', 6, true],
    ['not(1, 2)', 1, false],
    ['x', 3, true],
    ['is defined(?)', null, false],
  ])('%s against %j is %j', (tests, input, expected) => {
    expect(evaluateUnaryTests(tests, input, { x: 3 }, env)).toEqual({ ok: true, value: expected });
  });

  it('reads the input value `?` inside an expression too (the DMN evaluator evaluates `? > x * 2` so)', () => {
    // given the input value handed in as the variable `?`
    const vars = { '?': 7, x: 3 };
    // when expressions read it, then they see it, in filters and calls too
    expect(value('? > x * 2', vars)).toEqual({ ok: true, value: true });
    expect(value('contains(?, "rush")', { '?': 'rush order' })).toEqual({ ok: true, value: true });
    expect(value('[1, 2, 3][item > ?]', { '?': 1 })).toEqual({ ok: true, value: [2, 3] });
  });

  it('tests a FEEL value handed back by an expression evaluated with result: "feel"', () => {
    const d = evaluateExpression('date(s)', { s: '2024-06-01' }, env, { result: 'feel' });
    expect(d.ok).toBe(true);
    if (d.ok)
      expect(evaluateUnaryTests('[date("2024-01-01")..date("2024-12-31")]', d.value, {}, env)).toEqual({
        ok: true,
        value: true,
      });
  });
});

describe('the deploy-time check', () => {
  it('reports syntax errors, and calls of functions that neither are built-ins nor defined inside', () => {
    expect(checkFeel('get or else(x, 5)')).toEqual({ syntaxError: null, unknownFunctions: [] });
    expect(checkFeel('foo(1) + {f: function(x) x}.f(1) + g(2) + f(3)')).toEqual({
      syntaxError: null,
      unknownFunctions: ['foo', 'g'],
    });
    expect(checkFeel('a +').syntaxError).toMatch(/ends early/);
    expect(checkFeel('> 5, foo(1)', 'unaryTests')).toEqual({ syntaxError: null, unknownFunctions: ['foo'] });
  });
});

describe('regular expressions (matches, replace, split, extract) run on RE2', () => {
  it('a pattern that backtracks catastrophically in other engines answers at once', () => {
    // given the classic exponential pattern against a non-matching input
    const t0 = performance.now();
    const r = value(`matches(s, "^(a+)+$")`, { s: `${'a'.repeat(5000)}!` });
    // then the answer comes in linear time
    expect(r).toEqual({ ok: true, value: false });
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('a pattern RE2 cannot run (lookahead, backreference) or that is not valid fails, naming it', () => {
    for (const pattern of ['a(?=b)', '(a)\\\\1', '[']) {
      const r = value(`matches("ab", "${pattern}")`);
      expect(r).toMatchObject({ ok: false, kind: 'expression' });
      if (!r.ok) expect(r.message).toMatch(/valid regular expression/);
    }
  });

  it('supports the flags s, m, i and x (whitespace ignored outside character classes)', () => {
    expect(value('matches("A\nB", "a.b", "si")')).toEqual({ ok: true, value: true });
    expect(value('matches("x\ny", "^y$", "m")')).toEqual({ ok: true, value: true });
    expect(value('matches("ab c", "a b [ ]c", "x")')).toEqual({ ok: true, value: true });
    expect(value('matches("a", "a", "q")').ok).toBe(false);
  });

  it('replace refers to groups as $1; a group that does not exist fails', () => {
    expect(value('replace("John Doe", "(\\w+) (\\w+)", "$2, $1")')).toEqual({ ok: true, value: 'Doe, John' });
    expect(value('replace("abc", "(b)", "[$2]")').ok).toBe(false);
  });
});

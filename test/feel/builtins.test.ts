/**
 * Every documented example of every FEEL built-in function of Camunda 8 evaluates to the documented
 * result (the table in examples.ts), every function Camunda documents has examples there, and
 * docs/feel.md lists every function Baton has.
 */
import { camundaBuiltins } from '@camunda/feel-builtins';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_NAMES, evaluateExpression, type FeelEnv } from '../../engine/src/feel/index.js';
import { EXAMPLE_NOW, EXAMPLES } from './examples.js';

/** A seeded generator, so that random number() and uuid() are repeatable in tests. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const env: FeelEnv = { now: EXAMPLE_NOW, random: seeded(42) };

describe('Camunda 8 FEEL built-in functions: every documented example', () => {
  for (const [category, rows] of Object.entries(EXAMPLES)) {
    it.each(rows.map((r) => [r.expr.replace(/\s+/g, ' '), r] as const))(`${category}: %s`, (_name, row) => {
      // given the variables the documentation assumes; when the example is evaluated
      const r = evaluateExpression(row.expr, row.vars ?? {}, env);
      // then it answers the documented value, or fails as documented
      if (row.fails) {
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.message).toMatch(row.fails);
      } else if (row.satisfies) {
        expect(r.ok && row.satisfies(r.value), JSON.stringify(r)).toBe(true);
      } else {
        expect(r).toEqual({ ok: true, value: row.expect });
      }
    });
  }

  it('has examples for every function in Camunda’s reference, and implements each of them', () => {
    // given the names of Camunda's reference (@camunda/feel-builtins is generated from the docs)
    const documented = new Set(camundaBuiltins.map((b) => b.name));
    const all = Object.values(EXAMPLES)
      .flat()
      .map((r) => r.expr);
    // then each is implemented and appears in some example
    for (const name of documented) {
      expect(BUILTIN_NAMES.has(name), `${name} is implemented`).toBe(true);
      expect(
        all.some((e) => e.replace(/\s+\(/g, '(').includes(`${name}(`)),
        `${name} has an example`,
      ).toBe(true);
    }
    expect(documented.size).toBeGreaterThanOrEqual(100);
  });
});

describe('functions without a fixed documented value', () => {
  it('random number() is in [0, 1) and comes from the randomness handed in', () => {
    // given two evaluations with the same seed
    const a = evaluateExpression('random number()', {}, { now: 0, random: seeded(7) });
    const b = evaluateExpression('random number()', {}, { now: 0, random: seeded(7) });
    // then both give the same number in [0, 1)
    expect(a).toEqual(b);
    expect(a.ok && typeof a.value === 'number' && a.value >= 0 && a.value < 1).toBe(true);
  });

  it('uuid() is a version 4 UUID of 36 characters, from the randomness handed in', () => {
    const r = evaluateExpression('uuid()', {}, { now: 0, random: seeded(1) });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const other = evaluateExpression('uuid()', {}, { now: 0, random: seeded(2) });
    expect(other).not.toEqual(r);
  });

  it('uuid() and random number() fail, not answer null, when no randomness is handed in', () => {
    for (const expr of ['uuid()', 'random number()']) {
      const r = evaluateExpression(expr, {}, { now: 0 });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/randomness/);
    }
  });

  it('now() and today() read the clock handed in, not the wall clock', () => {
    // given a clock at 1999-12-31T23:59:59Z
    const clock = { now: Date.UTC(1999, 11, 31, 23, 59, 59) };
    // then
    expect(evaluateExpression('now()', {}, clock)).toEqual({ ok: true, value: '1999-12-31T23:59:59Z' });
    expect(evaluateExpression('today()', {}, clock)).toEqual({ ok: true, value: '1999-12-31' });
    expect(evaluateExpression('now() < date and time("2000-01-01T00:00:00Z")', {}, clock)).toEqual({
      ok: true,
      value: true,
    });
  });
});

describe('docs/feel.md', () => {
  it('lists every built-in function', () => {
    const doc = readFileSync(new URL('../../docs/feel.md', import.meta.url), 'utf8');
    const missing = [...BUILTIN_NAMES].filter((name) => !doc.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});

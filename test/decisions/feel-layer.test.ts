/**
 * The DMN evaluator evaluates its FEEL through the FEEL layer (engine/src/feel), as the core does:
 * Camunda's built-in functions in every place a table or literal expression holds FEEL, the caller's
 * clock, a work budget per evaluation whose failure names the budget, and a result too deep to be a
 * variable is a failure, never a throw. The unary tests themselves still follow Camunda rule by rule
 * (test/decisions/unary-tests.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { evaluateDecision } from '../../engine/src/decisions/evaluate.js';
import { compileGraph, dmn, literal, table } from './dmn-helpers.js';

const env = { now: Date.UTC(2024, 1, 28, 23, 0, 0) };

describe('DMN FEEL through the FEEL layer', () => {
  it("has Camunda's built-ins in input expressions, input entries, output entries and literal expressions", async () => {
    // given a table whose cells call functions feelin does not have (get or else, is defined, string join)
    const graph = await compileGraph(
      dmn(
        table({
          id: 'greeting',
          hitPolicy: 'FIRST',
          inputs: ['get or else(tier, "basic")'],
          outputs: ['text'],
          rules: [
            [['"gold"'], ['string join(["Dear", name], " ", "", "!")']],
            [['is defined(?)'], ['"Hello"']],
          ],
        }),
        literal({ id: 'known', expression: 'is defined(customer.name)' }),
      ),
    );
    // when evaluated, then each built-in answers as on Camunda 8
    expect(evaluateDecision(graph, 'greeting', { tier: 'gold', name: 'Ada' }, env)).toMatchObject({
      ok: true,
      result: 'Dear Ada!',
    });
    expect(evaluateDecision(graph, 'greeting', { name: 'Ada' }, env)).toMatchObject({ ok: true, result: 'Hello' });
    expect(evaluateDecision(graph, 'known', { customer: {} }, env)).toMatchObject({ ok: true, result: false });
    expect(evaluateDecision(graph, 'known', { customer: { name: 'Ada' } }, env)).toMatchObject({
      ok: true,
      result: true,
    });
  });

  it("reads the caller's clock; without one, now() and today() fail naming it", async () => {
    const graph = await compileGraph(dmn(literal({ id: 'day', expression: 'string(today())' })));
    expect(evaluateDecision(graph, 'day', {}, env)).toMatchObject({ ok: true, result: '2024-02-28' });
    expect(evaluateDecision(graph, 'day', {})).toMatchObject({
      ok: false,
      message: expect.stringMatching(/Expected a clock for today\(\), but none was given/),
    });
  });

  it('stops an expression over the FEEL budget with a failure that names the budget', async () => {
    // given a literal decision and a table input that iterate n times
    const graph = await compileGraph(
      dmn(
        literal({ id: 'loop', expression: 'count(for i in 1..n return i)' }),
        table({ id: 'cells', inputs: ['count(for i in 1..n return i)'], outputs: ['o'], rules: [[['> 0'], ['"x"']]] }),
      ),
    );
    const budget = { ...env, feelBudget: 10 };
    // when evaluated within and over a budget of 10 work units
    expect(evaluateDecision(graph, 'loop', { n: 5 }, budget)).toMatchObject({ ok: true, result: 5 });
    // then over it, each fails naming the FEEL budget (a caller raises BUDGET_EXCEEDED for it)
    for (const id of ['loop', 'cells'])
      expect(evaluateDecision(graph, id, { n: 100 }, budget)).toMatchObject({
        ok: false,
        decisionId: id,
        message: expect.stringMatching(/budget of 10 work units/),
        budget: { budget: 'feelBudget', limit: 10 },
      });
    // and an ordinary failure carries no budget
    const plain = evaluateDecision(graph, 'loop', { n: 'x' }, budget);
    expect(plain.ok).toBe(false);
    expect(plain).not.toHaveProperty('budget');
  });

  it('answers a failure, not a throw, for a result nested deeper than a variable may be', async () => {
    // given a literal decision that builds a context 65 levels deep
    const deep = '{a: '.repeat(65) + '1' + '}'.repeat(65);
    const graph = await compileGraph(dmn(literal({ id: 'deep', expression: deep })));
    // when evaluated, then it fails naming the limit
    expect(evaluateDecision(graph, 'deep', {}, env)).toMatchObject({
      ok: false,
      decisionId: 'deep',
      message: expect.stringMatching(/^Expected the values of decision deep to be plain JSON, but .*64 levels/),
    });
  });
});

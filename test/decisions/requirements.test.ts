/**
 * The decision requirements graph and literal-expression decisions against the pure evaluator:
 * required decisions first, each once, their results visible to the decisions that require them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateDecision, evaluationOrder } from '../../engine/src/decisions/evaluate.js';
import type { DecisionDef } from '../../engine/src/model/dmn/types.js';
import { compileGraph, dmn, literal, table } from './dmn-helpers.js';

const LOAN = readFileSync(new URL('../fixtures/dmn/loan-underwriting.dmn', import.meta.url), 'utf8');

const applicant = (creditScore: number, monthlyDebts: number) => ({
  applicant: { creditScore, monthlyDebts, monthlyIncome: 4000 },
});

describe('the loan underwriting DRD (as Camunda Modeler writes it)', () => {
  it('evaluates the required decisions first, each once, and the asked one last', async () => {
    // given the DRD: loanOffer requires riskClass and debtRatio; riskClass requires creditBand and debtRatio
    const graph = await compileGraph(LOAN);
    // when the loan offer is evaluated
    const answer = evaluateDecision(graph, 'loanOffer', { ...applicant(700, 500), loan: { amount: 150_000 } });
    // then debtRatio (needed twice) is evaluated once, before both decisions that need it
    expect(answer.audit.decisions.map((d) => d.decisionId)).toEqual([
      'creditBand',
      'debtRatio',
      'riskClass',
      'loanOffer',
    ]);
    expect(answer.audit.decisions.map((d) => d.result)).toEqual([
      'B',
      0.125,
      'medium',
      { approved: true, rate: 4.325 },
    ]);
    expect(answer).toMatchObject({ ok: true, result: { approved: true, rate: 4.325 } });
  });

  it.each([
    [800, 400, 100_000, { approved: true, rate: 3.1 }],
    [800, 2000, 100_000, { approved: true, rate: 4.7 }],
    [700, 2000, 100_000, { approved: false, rate: null }],
    [600, 100, 900_000, { approved: false, rate: null }],
    [800, 400, 900_000, null],
  ])('score %i, debts %i, amount %i -> %j', async (score, debts, amount, expected) => {
    const graph = await compileGraph(LOAN);
    const answer = evaluateDecision(graph, 'loanOffer', { ...applicant(score, debts), loan: { amount } });
    expect(answer.ok && answer.result).toEqual(expected);
  });

  it('evaluates only what the asked decision needs', async () => {
    const graph = await compileGraph(LOAN);
    const answer = evaluateDecision(graph, 'riskClass', applicant(820, 100));
    expect(answer.audit.decisions.map((d) => d.decisionId)).toEqual(['creditBand', 'debtRatio', 'riskClass']);
    expect(answer.ok && answer.result).toBe('low');
  });

  it('records the version tag and the kind of each decision', async () => {
    const graph = await compileGraph(LOAN);
    const answer = evaluateDecision(graph, 'loanOffer', { ...applicant(700, 500), loan: { amount: 1 } });
    expect(answer.audit.decisions.at(-1)).toMatchObject({
      decisionId: 'loanOffer',
      versionTag: '2024-06',
      kind: 'table',
    });
    expect(answer.audit.decisions[1]).toMatchObject({
      decisionId: 'debtRatio',
      kind: 'literal',
      inputs: [],
      matchedRules: [],
    });
  });
});

describe('required decisions', () => {
  it('are seen under their variable name, else under their id', async () => {
    // given a literal decision with variable "total" and a table decision without a variable
    const graph = await compileGraph(
      dmn(
        literal({ id: 'sum', variable: 'total', expression: 'a + b' }),
        table({
          id: 'band',
          inputs: ['a'],
          outputs: ['band'],
          rules: [
            [['< 5'], ['"small"']],
            [['>= 5'], ['"large"']],
          ],
        }),
        literal({ id: 'label', expression: 'band + ":" + string(total)', requires: ['sum', 'band'] }),
      ),
    );
    // when the decision needing both is evaluated, then it reads them by those names
    const answer = evaluateDecision(graph, 'label', { a: 2, b: 3 });
    expect(answer).toMatchObject({ ok: true, result: 'small:5' });
  });

  it('see only what they require directly, plus the variables', async () => {
    // given c requires b, b requires a: c does not see a's result
    const graph = await compileGraph(
      dmn(
        literal({ id: 'a', expression: '1' }),
        literal({ id: 'b', expression: 'a + 1', requires: ['a'] }),
        literal({ id: 'c', expression: '[a, b]', requires: ['b'] }),
      ),
    );
    expect(evaluateDecision(graph, 'c', {})).toMatchObject({ ok: true, result: [null, 2] });
    // and a variable of the same name is shadowed by a required result
    expect(evaluateDecision(graph, 'b', { a: 40 })).toMatchObject({ ok: true, result: 2 });
  });

  it('stop the evaluation at the first failing decision, which the answer names', async () => {
    // given a required decision whose UNIQUE table is violated
    const graph = await compileGraph(
      dmn(
        table({
          id: 'inner',
          inputs: ['x'],
          outputs: ['y'],
          rules: [
            [['> 0'], ['1']],
            [['> 1'], ['2']],
          ],
        }),
        literal({ id: 'outer', expression: 'inner * 10', requires: ['inner'] }),
      ),
    );
    // when the outer decision is evaluated
    const answer = evaluateDecision(graph, 'outer', { x: 5 });
    // then it fails in "inner", and the outer one was never evaluated
    expect(answer).toMatchObject({ ok: false, decisionId: 'inner' });
    expect(answer.audit.decisions.map((d) => d.decisionId)).toEqual(['inner']);
    expect(answer.audit.decisionId).toBe('outer');
  });
});

describe('hostile names', () => {
  it('keep a decision named __proto__ and a variable named constructor as plain entries', async () => {
    // given decisions whose id and variable name are Object.prototype's
    const graph = await compileGraph(
      dmn(
        literal({ id: '__proto__', expression: '{polluted: true}' }),
        literal({ id: 'b', variable: 'constructor', expression: '2' }),
        literal({ id: 'c', expression: '[__proto__.polluted, constructor]', requires: ['__proto__', 'b'] }),
      ),
    );
    // when compiled and evaluated, then both are decisions like any other, and nothing leaks
    expect(Object.keys(graph.decisions).sort()).toEqual(['__proto__', 'b', 'c']);
    expect(evaluateDecision(graph, 'c', {})).toMatchObject({ ok: true, result: [true, 2] });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('keep an output named __proto__ in the result context', async () => {
    // given a two-output table whose first output is named __proto__
    const graph = await compileGraph(
      dmn(table({ id: 'd', inputs: ['x'], outputs: ['__proto__', 'b'], rules: [[['-'], ['1', '2']]] })),
    );
    // when evaluated, then the result has both outputs as its own entries
    const answer = evaluateDecision(graph, 'd', { x: 0 });
    expect(answer.ok && Object.entries(answer.result as object)).toEqual([
      ['__proto__', 1],
      ['b', 2],
    ]);
  });
});

describe('literal-expression decisions', () => {
  it('answer the value of their expression, any FEEL type', async () => {
    const graph = await compileGraph(
      dmn(
        literal({ id: 'greeting', expression: '"Hello " + name' }),
        literal({ id: 'items', expression: 'for i in 1..n return i * i' }),
        literal({ id: 'due', expression: 'date(start) + duration("P1M")' }),
        literal({ id: 'ctx', expression: '{total: sum(prices), count: count(prices)}' }),
      ),
    );
    const vars = { name: 'Ada', n: 3, start: '2024-01-31', prices: [2, 3] };
    expect(evaluateDecision(graph, 'greeting', vars)).toMatchObject({ ok: true, result: 'Hello Ada' });
    expect(evaluateDecision(graph, 'items', vars)).toMatchObject({ ok: true, result: [1, 4, 9] });
    expect(evaluateDecision(graph, 'due', vars)).toMatchObject({ ok: true, result: '2024-02-29' });
    expect(evaluateDecision(graph, 'ctx', vars)).toMatchObject({ ok: true, result: { total: 5, count: 2 } });
  });

  it('keep FEEL dates typed between decisions, so a required date compares as a date', async () => {
    // given a literal decision that answers a date, and a table that compares it with a date
    const graph = await compileGraph(
      dmn(
        literal({ id: 'due', variable: 'due', expression: 'date(start) + duration("P10D")' }),
        table({
          id: 'late',
          requires: ['due'],
          inputs: ['due'],
          outputs: ['late'],
          rules: [
            [['> date("2024-03-01")'], ['true']],
            [['<= date("2024-03-01")'], ['false']],
          ],
        }),
      ),
    );
    expect(evaluateDecision(graph, 'late', { start: '2024-02-25' })).toMatchObject({ ok: true, result: true });
    expect(evaluateDecision(graph, 'late', { start: '2024-02-01' })).toMatchObject({ ok: true, result: false });
  });

  it('fail when the result does not fit the variable typeRef (as Camunda 8), null passes', async () => {
    const graph = await compileGraph(dmn(literal({ id: 'n', variable: 'n', typeRef: 'number', expression: 'x' })));
    expect(evaluateDecision(graph, 'n', { x: 4 })).toMatchObject({ ok: true, result: 4 });
    expect(evaluateDecision(graph, 'n', {})).toMatchObject({ ok: true, result: null });
    expect(evaluateDecision(graph, 'n', { x: 'four' })).toMatchObject({
      ok: false,
      message: 'Expected the result of decision n to be of type number, but it is a string: "four"',
    });
  });

  it('fail with a message when the expression cannot be evaluated', async () => {
    // given an expression that feelin cannot evaluate for a list bound
    const graph = await compileGraph(
      dmn(literal({ id: 'bad', expression: '[x..10]' }), literal({ id: 'ok', expression: '1' })),
    );
    // when evaluated with a list, then it fails naming the decision; a path into nothing is null
    expect(evaluateDecision(graph, 'bad', { x: [1] })).toMatchObject({
      ok: false,
      decisionId: 'bad',
      message: expect.stringMatching(/^Expected to evaluate '\[x\.\.10\]', but it failed: .*\(decision bad\)$/),
    });
    expect(evaluateDecision(graph, 'bad', { x: 1 })).toMatchObject({ ok: true });
  });

  it('answer a failure, not a throw, for a decision that does not exist', async () => {
    const graph = await compileGraph(dmn(literal({ id: 'a', expression: '1' }), literal({ id: 'b', expression: '2' })));
    expect(evaluateDecision(graph, 'missing', {})).toMatchObject({
      ok: false,
      message: 'Expected a decision with id "missing", but the graph has "a", "b"',
    });
    // and an inherited property name is not a decision
    expect(evaluateDecision(graph, 'toString', {})).toMatchObject({ ok: false });
  });
});

describe('evaluation order', () => {
  const def = (id: string, requires: string[]): DecisionDef => ({
    id,
    line: 1,
    kind: 'literal',
    requires,
    resultName: id,
    literal: { id, expression: '1' },
  });

  it('refuses a cycle or a missing decision in a graph that did not come from the compiler', () => {
    const cyclic = { a: def('a', ['b']), b: def('b', ['a']) };
    expect(evaluationOrder(cyclic, 'a')).toBe(
      'Expected the decision requirements to form no cycle, but a requires itself',
    );
    expect(evaluationOrder({ a: def('a', ['nope']) }, 'a')).toBe(
      'Expected decision a to require an existing decision, but "nope" does not exist',
    );
  });

  it('handles a chain of 20,000 decisions without overflowing the stack', () => {
    const decisions: Record<string, DecisionDef> = {};
    for (let i = 0; i < 20_000; i++) decisions[`d${i}`] = def(`d${i}`, i === 0 ? [] : [`d${i - 1}`]);
    const order = evaluationOrder(decisions, 'd19999');
    expect(Array.isArray(order) && order.length).toBe(20_000);
    expect(Array.isArray(order) && order[0]!.id).toBe('d0');
  });
});

/**
 * Every hit policy against the pure evaluator: which rules count, in which order, and how the
 * result is shaped (Camunda 8: one output -> its value, several -> a context, multi-hit -> a list).
 */
import { describe, expect, it } from 'vitest';
import { evaluateDecision } from '../../engine/src/decisions/evaluate.js';
import type { DecisionEvaluation } from '../../engine/src/decisions/types.js';
import { compileGraph, dmn, table, type TableSpec } from './dmn-helpers.js';

/** Compiles a one-table document and evaluates it. */
async function run(spec: Omit<TableSpec, 'id'>, variables: Record<string, unknown>): Promise<DecisionEvaluation> {
  const graph = await compileGraph(dmn(table({ id: 'd', ...spec })));
  return evaluateDecision(graph, 'd', variables);
}

async function resultOf(spec: Omit<TableSpec, 'id'>, variables: Record<string, unknown>): Promise<unknown> {
  const answer = await run(spec, variables);
  if (!answer.ok) throw new Error(answer.message);
  return answer.result;
}

const matchedIndices = (answer: DecisionEvaluation): number[] =>
  answer.audit.decisions.at(-1)!.matchedRules.map((r) => r.ruleIndex);

// A table where rules 1, 2 and 4 match an order of 120 from "gold" customers
const overlapping = {
  inputs: ['customer', 'total'],
  outputs: ['discount'],
  rules: [
    [['"gold"', '> 100'], ['10']],
    [['"gold", "silver"', '-'], ['5']],
    [['"silver"', '> 100'], ['7']],
    [['-', '[100..200]'], ['2']],
  ],
} as const satisfies Omit<TableSpec, 'id' | 'hitPolicy'>;
const goldOrder = { customer: 'gold', total: 120 };

describe('UNIQUE (the default)', () => {
  it('answers the one matching rule', async () => {
    // given a UNIQUE table, when one rule matches, then its output is the result
    const answer = await run(overlapping, { customer: 'silver', total: 50 });
    expect(answer).toMatchObject({ ok: true, result: 5 });
    expect(matchedIndices(answer)).toEqual([2]);
  });

  it('fails with the rules named when two rules match', async () => {
    // given the overlapping table as UNIQUE, when three rules match
    const answer = await run({ ...overlapping, hitPolicy: 'UNIQUE' }, goldOrder);
    // then the evaluation fails, naming them, and the audit keeps what matched
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.message).toBe(
      'Expected at most one rule of decision d to match (hit policy UNIQUE), but rules 1 (DecisionRule_d_1), 2 (DecisionRule_d_2) and 4 (DecisionRule_d_4) matched',
    );
    expect(answer.decisionId).toBe('d');
    expect(answer.audit.decisions[0]).toMatchObject({ failure: answer.message, result: null });
    expect(matchedIndices(answer)).toEqual([1, 2, 4]);
  });

  it('names at most five of the rules that matched', async () => {
    // given eight rules that all match
    const rules = Array.from({ length: 8 }, (_, i) => [['-'], [String(i)]] as const);
    const answer = await run({ inputs: ['x'], outputs: ['o'], rules }, { x: 1 });
    // then the message names five and counts the rest
    expect(!answer.ok && answer.message).toBe(
      'Expected at most one rule of decision d to match (hit policy UNIQUE), but rules 1 (DecisionRule_d_1), 2 (DecisionRule_d_2), 3 (DecisionRule_d_3), 4 (DecisionRule_d_4), 5 (DecisionRule_d_5) and 3 more matched',
    );
  });

  it('answers null when no rule matches and no output has a default', async () => {
    // given no matching rule, when evaluated, then the result is null with no matched rules
    const answer = await run(overlapping, { customer: 'bronze', total: 50 });
    expect(answer).toMatchObject({ ok: true, result: null });
    expect(matchedIndices(answer)).toEqual([]);
  });
});

describe('FIRST', () => {
  it('answers the first matching rule in table order, and records only it', async () => {
    const answer = await run({ ...overlapping, hitPolicy: 'FIRST' }, goldOrder);
    expect(answer).toMatchObject({ ok: true, result: 10 });
    expect(matchedIndices(answer)).toEqual([1]);
  });
});

describe('ANY', () => {
  it('answers the common output when every matching rule agrees', async () => {
    // given rules 1 and 2 that both give "ship"
    const spec = {
      hitPolicy: 'ANY',
      inputs: ['weight'],
      outputs: ['mode'],
      rules: [
        [['< 10'], ['"ship"']],
        [['< 20'], ['"ship"']],
        [['>= 20'], ['"freight"']],
      ],
    } as const;
    // when both match, then their shared value is the result
    const answer = await run(spec, { weight: 5 });
    expect(answer).toMatchObject({ ok: true, result: 'ship' });
    expect(matchedIndices(answer)).toEqual([1, 2]);
  });

  it('fails when matching rules disagree', async () => {
    const answer = await run({ ...overlapping, hitPolicy: 'ANY' }, goldOrder);
    expect(answer.ok).toBe(false);
    if (!answer.ok) {
      expect(answer.message).toBe(
        'Expected the matching rules of decision d to agree on their outputs (hit policy ANY), but rule 1 (DecisionRule_d_1) gives 10 and rule 2 (DecisionRule_d_2) gives 5',
      );
    }
  });
});

describe('PRIORITY and OUTPUT ORDER', () => {
  // outputValues rank "high" over "medium" over "low"; rules 1-3 match an amount of 5000
  const ranked = {
    inputs: ['amount'],
    outputs: [{ name: 'risk', values: '"high","medium","low"' }],
    rules: [
      [['> 1000'], ['"low"']],
      [['> 4000'], ['"high"']],
      [['> 2000'], ['"medium"']],
      [['< 0'], ['"high"']],
    ],
  } as const;

  it('PRIORITY answers the matching output ranked highest by the output values', async () => {
    const answer = await run({ ...ranked, hitPolicy: 'PRIORITY' }, { amount: 5000 });
    expect(answer).toMatchObject({ ok: true, result: 'high' });
  });

  it('OUTPUT ORDER answers every matching output, highest ranked first', async () => {
    expect(await resultOf({ ...ranked, hitPolicy: 'OUTPUT ORDER' }, { amount: 5000 })).toEqual([
      'high',
      'medium',
      'low',
    ]);
  });

  it('ranks by the first output with values, then the next, keeping table order for ties', async () => {
    // given two outputs, both ranked, and rules that tie on the first
    const spec = {
      hitPolicy: 'OUTPUT ORDER',
      inputs: ['x'],
      outputs: [
        { name: 'level', values: '"gold","silver"' },
        { name: 'channel', values: '"phone","mail"' },
      ],
      rules: [
        [['-'], ['"silver"', '"phone"']],
        [['-'], ['"gold"', '"mail"']],
        [['-'], ['"gold"', '"phone"']],
        [['-'], ['"gold"', '"phone"']],
      ],
    } as const;
    // when all match, then gold/phone (rules 3, 4) come before gold/mail before silver/phone
    expect(await resultOf(spec, { x: 1 })).toEqual([
      { level: 'gold', channel: 'phone' },
      { level: 'gold', channel: 'phone' },
      { level: 'gold', channel: 'mail' },
      { level: 'silver', channel: 'phone' },
    ]);
  });

  it('ranks a value missing from the output values after every listed one', async () => {
    const spec = {
      hitPolicy: 'PRIORITY',
      inputs: ['x'],
      outputs: [{ name: 'risk', values: '"high","low"' }],
      rules: [
        [['-'], ['"unknown"']],
        [['-'], ['"low"']],
      ],
    } as const;
    expect(await resultOf(spec, { x: 1 })).toBe('low');
  });
});

describe('RULE ORDER and COLLECT', () => {
  it('RULE ORDER answers every matching output in table order', async () => {
    expect(await resultOf({ ...overlapping, hitPolicy: 'RULE ORDER' }, goldOrder)).toEqual([10, 5, 2]);
  });

  it('COLLECT answers a list of the matching outputs, and contexts for several outputs', async () => {
    expect(await resultOf({ ...overlapping, hitPolicy: 'COLLECT' }, goldOrder)).toEqual([10, 5, 2]);
    const twoOutputs = {
      hitPolicy: 'COLLECT',
      inputs: ['n'],
      outputs: ['step', 'who'],
      rules: [
        [['> 0'], ['"check"', '"clerk"']],
        [['> 5'], ['"approve"', '"manager"']],
      ],
    } as const;
    expect(await resultOf(twoOutputs, { n: 9 })).toEqual([
      { step: 'check', who: 'clerk' },
      { step: 'approve', who: 'manager' },
    ]);
  });

  it.each([
    ['SUM', 17],
    ['MIN', 2],
    ['MAX', 10],
    ['COUNT', 3],
  ])('COLLECT %s folds the matching outputs into %s', async (aggregation, expected) => {
    const answer = await run({ ...overlapping, hitPolicy: 'COLLECT', aggregation }, goldOrder);
    expect(answer).toMatchObject({ ok: true, result: expected });
    expect(answer.audit.decisions[0]!.hitPolicy).toBe(`COLLECT ${aggregation}`);
  });

  it('COLLECT SUM fails on an output that is not a number', async () => {
    const spec = {
      hitPolicy: 'COLLECT',
      aggregation: 'SUM',
      inputs: ['x'],
      outputs: ['fee'],
      rules: [
        [['-'], ['3']],
        [['-'], ['"three"']],
      ],
    } as const;
    const answer = await run(spec, { x: 1 });
    expect(answer.ok).toBe(false);
    if (!answer.ok) {
      expect(answer.message).toBe(
        'Expected every matched output of decision d to be a number for COLLECT SUM, but rule 2 (DecisionRule_d_2) gives a string: "three"',
      );
    }
  });

  it('multi-hit tables answer null, not an empty list, when nothing matches (as Camunda 8)', async () => {
    for (const [hitPolicy, aggregation] of [
      ['COLLECT', undefined],
      ['COLLECT', 'SUM'],
      ['COLLECT', 'COUNT'],
      ['RULE ORDER', undefined],
    ]) {
      const spec = { ...overlapping, hitPolicy: hitPolicy!, ...(aggregation ? { aggregation } : {}) };
      expect(await resultOf(spec, { customer: 'bronze', total: 1 })).toBeNull();
    }
  });
});

describe('outputs', () => {
  it('a table with several outputs answers a context by output name; an empty output cell is null', async () => {
    const spec = {
      inputs: ['tier'],
      outputs: ['approved', 'limit'],
      rules: [
        [['"A"'], ['true', '10000']],
        [['"B"'], ['false', '']],
      ],
    } as const;
    expect(await resultOf(spec, { tier: 'A' })).toEqual({ approved: true, limit: 10000 });
    expect(await resultOf(spec, { tier: 'B' })).toEqual({ approved: false, limit: null });
  });

  it('output entries are FEEL expressions over the variables', async () => {
    const spec = {
      inputs: ['total'],
      outputs: ['fee'],
      rules: [[['> 0'], ['total * 0.02 + base']]],
    } as const;
    expect(await resultOf(spec, { total: 500, base: 1 })).toBe(11);
  });

  it('default outputs answer when no rule matches, null for an output without one', async () => {
    // given a two-output table with a default on "approved" only
    const spec = {
      inputs: ['tier'],
      outputs: [{ name: 'approved', default: 'false' }, { name: 'reason' }],
      rules: [[['"A"'], ['true', '"good standing"']]],
    } as const;
    // when no rule matches, then the defaults are the result
    const answer = await run(spec, { tier: 'Z' });
    expect(answer).toMatchObject({ ok: true, result: { approved: false, reason: null } });
    expect(matchedIndices(answer)).toEqual([]);
    // and a single-output table answers the bare default, also under COLLECT (as Camunda 8)
    const collect = {
      hitPolicy: 'COLLECT',
      inputs: ['x'],
      outputs: [{ name: 'tag', default: '"none"' }],
      rules: [[['1'], ['"one"']]],
    } as const;
    expect(await resultOf(collect, { x: 2 })).toBe('none');
  });

  it('records inputs and every matched rule with its outputs in the audit', async () => {
    const answer = await run({ ...overlapping, hitPolicy: 'COLLECT' }, goldOrder);
    expect(answer.audit).toEqual({
      decisionId: 'd',
      decisions: [
        {
          decisionId: 'd',
          decisionName: 'd',
          kind: 'table',
          hitPolicy: 'COLLECT',
          inputs: [
            { inputId: 'Input_d_1', expression: 'customer', value: 'gold' },
            { inputId: 'Input_d_2', expression: 'total', value: 120 },
          ],
          matchedRules: [1, 2, 4].map((i) => ({
            ruleId: `DecisionRule_d_${i}`,
            ruleIndex: i,
            outputs: [{ outputId: 'Output_d_1', name: 'discount', value: [10, 5, 0, 2][i - 1] }],
          })),
          result: [10, 5, 2],
        },
      ],
    });
  });
});

/**
 * Deployed decisions over HTTP (issue 12 items 2 and 4): every hit policy and the requirements
 * graph through `POST /api/decisions/:id/evaluate`, the list and the XML by version, and the
 * failures (a UNIQUE table with two matching rules, an unknown decision) as clear 4xx answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dmn, literal, table } from '../decisions/dmn-helpers.js';
import { errorOf, startTestServer, type TestServer } from './helpers.js';

// One table per hit policy over the same rules: for customer "gold" and total 120, rules 1, 2 and 4 match.
const RULES = [
  [['"gold"', '> 100'], ['10']],
  [['"gold", "silver"', '-'], ['5']],
  [['"silver"', '> 100'], ['7']],
  [['-', '[100..200]'], ['2']],
] as const;
const policy = (id: string, hitPolicy: string, aggregation?: string) =>
  table({
    id,
    inputs: ['customer', 'total'],
    outputs: [{ name: 'discount', values: '10,7,5,2' }],
    hitPolicy,
    ...(aggregation ? { aggregation } : {}),
    rules: RULES.map(([i, o]) => [[...i], [...o]]),
  });

const POLICIES = dmn(
  policy('unique', 'UNIQUE'),
  policy('first', 'FIRST'),
  policy('priority', 'PRIORITY'),
  policy('any', 'ANY'),
  policy('collect', 'COLLECT'),
  policy('sum', 'COLLECT', 'SUM'),
  policy('min', 'COLLECT', 'MIN'),
  policy('max', 'COLLECT', 'MAX'),
  policy('count', 'COLLECT', 'COUNT'),
  policy('ruleOrder', 'RULE ORDER'),
  policy('outputOrder', 'OUTPUT ORDER'),
).replace('id="Definitions_test"', 'id="Policies"');

// A requirements graph: price requires base (a table) and factor (a literal expression).
const GRAPH = dmn(
  table({
    id: 'price',
    requires: ['base', 'factor'],
    inputs: [{ expression: 'base', typeRef: 'number' }],
    outputs: ['price'],
    hitPolicy: 'FIRST',
    rules: [
      [['> 50'], ['base * factor']],
      [['-'], ['base']],
    ],
  }),
  table({
    id: 'base',
    inputs: ['size'],
    outputs: ['base'],
    rules: [
      [['"S"'], ['40']],
      [['"L"'], ['80']],
    ],
  }),
  literal({ id: 'factor', expression: 'if vip then 0.5 else 1', variable: 'factor', typeRef: 'number' }),
).replace('id="Definitions_test"', 'id="Pricing"');

describe('decisions over HTTP', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    for (const content of [POLICIES, GRAPH]) {
      const answer = await t.call('POST', '/api/deployments', { raw: content, contentType: 'application/xml' });
      expect(answer.status, answer.text).toBe(201);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  const evaluate = (id: string, body: unknown) => t.call('POST', `/api/decisions/${id}/evaluate`, { json: body });
  const gold = { variables: { customer: 'gold', total: 120 } };

  it.each([
    ['first', 10, [1]],
    ['priority', 10, [1, 2, 4]],
    ['collect', [10, 5, 2], [1, 2, 4]],
    ['sum', 17, [1, 2, 4]],
    ['min', 2, [1, 2, 4]],
    ['max', 10, [1, 2, 4]],
    ['count', 3, [1, 2, 4]],
    ['ruleOrder', [10, 5, 2], [1, 2, 4]],
    ['outputOrder', [10, 5, 2], [1, 2, 4]],
  ])('evaluates hit policy %s: result %j, matched rules %j', async (id, result, rules) => {
    // when the decision is evaluated for a gold customer's order of 120
    const answer = await evaluate(id, gold);
    // then the result and the matched rules are as the hit policy says
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toMatchObject({ decisionId: id, version: 1, result });
    const audit = answer.body.evaluations.at(-1);
    expect(audit.matchedRules.map((r: { ruleIndex: number }) => r.ruleIndex)).toEqual(rules);
    expect(audit.inputs.map((i: { value: unknown }) => i.value)).toEqual(['gold', 120]);
  });

  it('evaluates UNIQUE and ANY when their rules allow it', async () => {
    expect((await evaluate('unique', { variables: { customer: 'silver', total: 50 } })).body.result).toBe(5);
    expect((await evaluate('any', { variables: { customer: 'silver', total: 50 } })).body.result).toBe(5);
  });

  it('answers 400 DECISION_EVALUATION_FAILED when two rules match a UNIQUE table, with the audit', async () => {
    const answer = await evaluate('unique', gold);
    expect(answer.status).toBe(400);
    const error = errorOf(answer);
    expect(error.code).toBe('DECISION_EVALUATION_FAILED');
    expect(error.message).toMatch(/^Expected decision unique \(version 1\) to evaluate, but Expected at most one rule/);
    expect(error.details[0]).toMatchObject({ decisionId: 'unique', evaluations: [{ decisionId: 'unique' }] });
    // and ANY when matching rules disagree
    expect(errorOf(await evaluate('any', gold)).code).toBe('DECISION_EVALUATION_FAILED');
  });

  it('evaluates a requirements graph: required decisions first, each once, in the audit', async () => {
    // when price is evaluated for a large VIP order
    const answer = await evaluate('price', { variables: { size: 'L', vip: true } });
    // then base and factor were evaluated first and price used their results
    expect(answer.body.result).toBe(40);
    expect(answer.body.evaluations.map((e: { decisionId: string }) => e.decisionId)).toEqual([
      'base',
      'factor',
      'price',
    ]);
    expect(answer.body.evaluations[0]).toMatchObject({ result: 80, matchedRules: [{ ruleIndex: 2 }] });
    expect(answer.body.evaluations[1]).toMatchObject({ kind: 'literal', result: 0.5 });
    // and a required decision can be evaluated on its own
    expect((await evaluate('base', { variables: { size: 'S' } })).body.result).toBe(40);
  });

  it('lists every decision with its versions and serves each version’s XML', async () => {
    // given a second version of the pricing graph
    const v2 = GRAPH.replace('if vip then 0.5 else 1', 'if vip then 0.25 else 1');
    expect((await t.call('POST', '/api/deployments', { raw: v2, contentType: 'text/xml' })).status).toBe(201);
    // then the list has every version
    const list = (await t.call('GET', '/api/decisions')).body as { decisionId: string; version: number }[];
    expect(list.filter((d) => d.decisionId === 'factor').map((d) => d.version)).toEqual([1, 2]);
    expect(list.filter((d) => d.decisionId === 'first').map((d) => d.version)).toEqual([1]);
    // and the XML and the evaluation follow the version asked for, the latest by default
    expect((await t.call('GET', '/api/decisions/price/xml')).text).toBe(v2);
    expect((await t.call('GET', '/api/decisions/price/xml?version=1')).text).toBe(GRAPH);
    expect((await evaluate('price', { variables: { size: 'L', vip: true } })).body).toMatchObject({
      version: 2,
      result: 20,
    });
    expect((await evaluate('price', { variables: { size: 'L', vip: true }, version: 1 })).body.result).toBe(40);
  });

  it('answers 404 for an unknown decision or version and 400 for bad input', async () => {
    expect(errorOf(await evaluate('nope', {})).code).toBe('DECISION_NOT_FOUND');
    expect((await evaluate('first', { version: 9 })).status).toBe(404);
    expect((await t.call('GET', '/api/decisions/nope/xml')).status).toBe(404);
    expect(errorOf(await evaluate('first', { variables: 'x' })).code).toBe('INVALID_REQUEST');
    expect(errorOf(await evaluate('first', { version: 0 })).code).toBe('INVALID_REQUEST');
    expect((await t.call('GET', '/api/decisions/first/xml?version=x')).status).toBe(400);
  });
});

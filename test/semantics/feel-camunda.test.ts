/**
 * FEEL as Camunda 8 evaluates it, through the engine (real SQLite file): the symptoms real Camunda 8
 * models showed (issue 11), a call of a function that does not exist, and the FEEL budget (issue 9).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bpmn,
  chain,
  end,
  esc,
  flow,
  instance,
  run,
  script,
  start,
  startEngine,
  waitFor,
  waitStatus,
  type TestEngine,
} from './helpers.js';

const output = (source: string, target: string) =>
  `<bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="${esc(source)}" target="${target}" /></zeebe:ioMapping></bpmn:extensionElements>`;

describe('FEEL as Camunda 8 evaluates it, through the engine', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startEngine();
  });
  afterEach(() => t.close());

  it('a start event output `if is defined(host) then host else …` keeps the host the caller passed', async () => {
    // given a start event that fills in a default host, as Camunda's example models do
    const xml = bpmn(
      'sem_feel_default_host',
      [
        start('Start', output('=if is defined(host) then host else "https://default.example"', 'host')),
        end(),
        chain('Start', 'End'),
      ].join('\n'),
    );
    // when started with a host, and without one
    const passed = await run(t.engine, xml, 'sem_feel_default_host', { host: 'https://mine.example' });
    const defaulted = await t.engine.startInstance({ processId: 'sem_feel_default_host', variables: {} });
    await waitStatus(t.engine, passed.id, 'completed');
    await waitStatus(t.engine, defaulted.id, 'completed');
    // then the passed host is kept, the missing one defaulted
    expect((await instance(t.engine, passed.id)).variables).toEqual({ host: 'https://mine.example' });
    expect((await instance(t.engine, defaulted.id)).variables).toEqual({ host: 'https://default.example' });
  });

  it('a gateway condition `is defined(x)` chooses its flow instead of raising "no condition is true"', async () => {
    // given an exclusive gateway whose flows test is defined(x) and its negation
    const xml = bpmn(
      'sem_feel_gateway_defined',
      [
        start(),
        '<bpmn:exclusiveGateway id="Has" />',
        end('WithX'),
        end('WithoutX'),
        chain('Start', 'Has'),
        flow('Has', 'WithX', '=is defined(x)'),
        flow('Has', 'WithoutX', '=not(is defined(x))'),
      ].join('\n'),
    );
    // when started with x, with x null, and without x
    const a = await run(t.engine, xml, 'sem_feel_gateway_defined', { x: 1 });
    const b = await t.engine.startInstance({ processId: 'sem_feel_gateway_defined', variables: { x: null } });
    const c = await t.engine.startInstance({ processId: 'sem_feel_gateway_defined', variables: {} });
    for (const i of [a, b, c]) await waitStatus(t.engine, i.id, 'completed');
    // then each took its flow
    const ends = async (id: string) =>
      ((await t.engine.getHistory(id)) ?? []).filter((h) => h.type === 'element-completed');
    expect((await ends(a.id)).map((h) => h.elementId)).toContain('WithX');
    expect((await ends(b.id)).map((h) => h.elementId)).toContain('WithoutX');
    expect((await ends(c.id)).map((h) => h.elementId)).toContain('WithoutX');
    expect(await t.engine.listIncidents({})).toEqual([]);
  });

  it('Camunda’s extension functions evaluate in scripts and mappings (get or else deploys)', async () => {
    // given a script chain using extension functions, get or else among them
    const xml = bpmn(
      'sem_feel_extensions',
      [
        start(),
        script('A', '=get or else(missing, 5)', 'orElse'),
        script('B', '=string join(["a", "b"], ", ", "[", "]")', 'joined'),
        script('C', '=partition([1, 2, 3], 2)', 'parts'),
        script('D', '=last day of month(date("2024-02-10"))', 'last'),
        end(),
        chain('Start', 'A', 'B', 'C', 'D', 'End'),
      ].join('\n'),
    );
    const i = await run(t.engine, xml, 'sem_feel_extensions');
    await waitStatus(t.engine, i.id, 'completed');
    expect((await instance(t.engine, i.id)).variables).toEqual({
      orElse: 5,
      joined: '[a, b]',
      parts: [[1, 2], [3]],
      last: '2024-02-29',
    });
  });

  it('a call of a function that does not exist raises an incident naming the function, never a null', async () => {
    const xml = bpmn(
      'sem_feel_unknown_fn',
      [start(), script('S', '=frobnicate(1)', 'r'), end(), chain('Start', 'S', 'End')].join('\n'),
    );
    const i = await run(t.engine, xml, 'sem_feel_unknown_fn');
    const [incident] = await waitFor('an incident', async () => await t.engine.listIncidents({ instanceId: i.id }));
    expect(incident).toMatchObject({ elementId: 'S', type: 'EXPRESSION_FAILED' });
    expect(incident!.message).toMatch(/'frobnicate'/);
    expect((await instance(t.engine, i.id)).variables).toEqual({});
  });

  it('an expression over the FEEL budget raises BUDGET_EXCEEDED; fixed and retried, the instance goes on', async () => {
    // given a script whose work depends on a variable
    const xml = bpmn(
      'sem_feel_budget',
      [start(), script('S', '=count(for i in 1..n return i)', 'count'), end(), chain('Start', 'S', 'End')].join('\n'),
    );
    // when n asks for three million iterations
    const t0 = performance.now();
    const i = await run(t.engine, xml, 'sem_feel_budget', { n: 3_000_000 });
    const [incident] = await waitFor('an incident', async () => await t.engine.listIncidents({ instanceId: i.id }));
    // then an incident names the FEEL budget, quickly (it took 3.9 s of blocked event loop before)
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(incident).toMatchObject({ elementId: 'S', type: 'BUDGET_EXCEEDED' });
    expect(incident!.message).toMatch(/FEEL evaluation to stay within its budget/);
    // when n is fixed and the incident retried
    await t.engine.setVariables(i.id, { n: 3 });
    await t.engine.retryIncident(incident!.id, {});
    // then the instance completes
    await waitStatus(t.engine, i.id, 'completed');
    expect((await instance(t.engine, i.id)).variables).toMatchObject({ count: 3 });
  });
});

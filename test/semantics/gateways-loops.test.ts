/**
 * Complex gateway (activation condition), standard loop (loopCondition, testBefore, maximum) and
 * multi-instance completionCondition and loopCardinality.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bpmn,
  chain,
  completeJob,
  completions,
  end,
  esc,
  idsOf,
  job,
  run,
  sleep,
  start,
  startEngine,
  waitActive,
  waitStatus,
  type TestEngine,
} from './helpers.js';

describe('complex gateway', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startEngine();
  });
  afterEach(() => t.close());

  it('fires once when its activation condition holds (2 of 3 tokens), and swallows the late token', async () => {
    const xml = bpmn(
      'sem_complex',
      [
        start(),
        '<bpmn:parallelGateway id="Fork" />',
        job('A', 'sem-cx.a'),
        job('B', 'sem-cx.b'),
        job('C', 'sem-cx.c'),
        `<bpmn:complexGateway id="TwoOfThree"><bpmn:activationCondition xsi:type="bpmn:tFormalExpression">${esc('=_activeTokens >= 2')}</bpmn:activationCondition></bpmn:complexGateway>`,
        job('After', 'sem-cx.after'),
        end(),
        chain('Start', 'Fork'),
        chain('Fork', 'A', 'TwoOfThree'),
        chain('Fork', 'B', 'TwoOfThree'),
        chain('Fork', 'C', 'TwoOfThree'),
        chain('TwoOfThree', 'After', 'End'),
      ].join('\n'),
    );
    const i = await run(t.engine, xml, 'sem_complex');
    await completeJob(t.engine, 'sem-cx.b');
    await sleep(50);
    expect(await completions(t.engine, i.id, 'TwoOfThree')).toBe(0);
    await completeJob(t.engine, 'sem-cx.a');
    await waitActive(t.engine, i.id, 'After');
    await completeJob(t.engine, 'sem-cx.c');
    await completeJob(t.engine, 'sem-cx.after');
    await waitStatus(t.engine, i.id, 'completed');
    expect(await completions(t.engine, i.id, 'TwoOfThree')).toBe(1);
    expect(await completions(t.engine, i.id, 'After')).toBe(1);
    expect(await completions(t.engine, i.id, 'End')).toBe(1);
  });
});

const loop = (condition: string, testBefore: boolean, maximum?: number) =>
  `<bpmn:standardLoopCharacteristics testBefore="${testBefore}"${maximum !== undefined ? ` loopMaximum="${maximum}"` : ''}><bpmn:loopCondition xsi:type="bpmn:tFormalExpression">${esc(condition)}</bpmn:loopCondition></bpmn:standardLoopCharacteristics>`;

const loopModel = (id: string, l: string) =>
  bpmn(
    id,
    [
      start(),
      `<bpmn:scriptTask id="Count"><bpmn:extensionElements><zeebe:script expression="=n + 1" resultVariable="n" /></bpmn:extensionElements>${l}</bpmn:scriptTask>`,
      end(),
      chain('Start', 'Count', 'End'),
    ].join('\n'),
  );

describe('standard loop', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startEngine();
  });
  afterEach(() => t.close());

  it('loops while loopCondition holds, testing after each run (testBefore=false)', async () => {
    const i = await run(t.engine, loopModel('sem_loop_after', loop('=n < 3', false)), 'sem_loop_after', { n: 0 });
    const done = await waitStatus(t.engine, i.id, 'completed');
    expect(done.variables.n).toBe(3);
  });

  it('runs at least once with testBefore=false even when the condition is false', async () => {
    const i = await run(t.engine, loopModel('sem_loop_once', loop('=n < 3', false)), 'sem_loop_once', { n: 10 });
    expect((await waitStatus(t.engine, i.id, 'completed')).variables.n).toBe(11);
  });

  it('with testBefore=true does not run when the condition is false at the start', async () => {
    await t.engine.deploy(loopModel('sem_loop_before', loop('=n < 3', true)));
    const skip = await t.engine.startInstance({ processId: 'sem_loop_before', variables: { n: 10 } });
    expect((await waitStatus(t.engine, skip.id, 'completed')).variables.n).toBe(10);
    const some = await t.engine.startInstance({ processId: 'sem_loop_before', variables: { n: 1 } });
    expect((await waitStatus(t.engine, some.id, 'completed')).variables.n).toBe(3);
  });

  it('stops at loopMaximum although the condition still holds', async () => {
    const i = await run(t.engine, loopModel('sem_loop_max', loop('=true', false, 4)), 'sem_loop_max', { n: 0 });
    const done = await waitStatus(t.engine, i.id, 'completed');
    expect(done.variables.n).toBe(4);
    expect(await completions(t.engine, i.id, 'End')).toBe(1);
  });
});

describe('multi-instance', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startEngine();
  });
  afterEach(() => t.close());

  it('loopCardinality runs the activity N times with loopCounter 1..N', async () => {
    const mi =
      '<bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:loopCardinality xsi:type="bpmn:tFormalExpression">=times</bpmn:loopCardinality>' +
      '<bpmn:extensionElements><zeebe:loopCharacteristics outputCollection="seen" outputElement="=loopCounter * 10" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>';
    const xml = bpmn(
      'sem_mi_card',
      [start(), `<bpmn:task id="Each">${mi}</bpmn:task>`, end(), chain('Start', 'Each', 'End')].join('\n'),
    );
    const i = await run(t.engine, xml, 'sem_mi_card', { times: 3 });
    const done = await waitStatus(t.engine, i.id, 'completed');
    expect(done.variables.seen).toEqual([10, 20, 30]);
  });

  it('completionCondition ends a parallel multi-instance early and terminates the open iterations', async () => {
    const mi =
      '<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=bids" inputElement="bid" outputCollection="offers" outputElement="=offer" /></bpmn:extensionElements>' +
      '<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=some o in offers satisfies o != null and o &gt; 100</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics>';
    const xml = bpmn(
      'sem_mi_cond',
      [
        start(),
        job(
          'Ask',
          'sem-mi-cond.ask',
          '<zeebe:ioMapping><zeebe:output source="=offer" target="offer" /></zeebe:ioMapping>',
          mi,
        ),
        end(),
        chain('Start', 'Ask', 'End'),
      ].join('\n'),
    );
    const i = await run(t.engine, xml, 'sem_mi_cond', { bids: ['x', 'y', 'z'] });
    await completeJob(t.engine, 'sem-mi-cond.ask', { offer: 50 });
    await completeJob(t.engine, 'sem-mi-cond.ask', { offer: 500 });
    const done = await waitStatus(t.engine, i.id, 'completed');
    expect(await idsOf(t.engine, i.id, 'element-terminated')).toEqual(['Ask']);
    expect(done.variables.offers).toHaveLength(3);
    expect((done.variables.offers as unknown[]).filter((o) => o !== null).sort()).toEqual([50, 500]);
    expect(await t.engine.listIncidents({ instanceId: i.id })).toEqual([]);
  });
});

/**
 * Signal start events and signal intermediate throw events; link events (throw -> catch of the
 * same name in the same scope).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bpmn,
  chain,
  completeJob,
  completions,
  end,
  flow,
  idsOf,
  job,
  run,
  signal,
  signalDef,
  start,
  startEngine,
  waitActive,
  waitFor,
  waitStatus,
  type TestEngine,
} from './helpers.js';

describe('signals', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startEngine();
  });
  afterEach(() => t.close());

  it('a signal start event starts one instance per broadcast, with the signal variables', async () => {
    // given
    await t.engine.deploy(
      bpmn(
        'sem_sig_start',
        [start('SigStart', signal('S1')), end(), flow('SigStart', 'End')].join('\n'),
        signalDef('S1', 'sem-sig-start'),
      ),
    );
    // when
    const r1 = await t.engine.broadcastSignal({ name: 'sem-sig-start', variables: { n: 1 } });
    const r2 = await t.engine.broadcastSignal({ name: 'sem-sig-start', variables: { n: 2 } });
    // then
    expect(r1.triggered).toBe(1);
    expect(r2.triggered).toBe(1);
    const items = (await t.engine.listInstances({ processId: 'sem_sig_start' })).items;
    expect(items.map((i) => i.variables.n).sort()).toEqual([1, 2]);
    for (const i of items) {
      expect(i.status).toBe('completed');
      expect(await idsOf(t.engine, i.id, 'element-completed')).toEqual(['SigStart', 'End']);
    }
    await expect(t.engine.startInstance({ processId: 'sem_sig_start' })).rejects.toMatchObject({ status: 409 });
  });

  it('an intermediate signal throw reaches waiting catch events and signal start events, and continues', async () => {
    // given: a receiver waiting at a catch event, a process started by the signal, and a thrower
    await t.engine.deploy(
      bpmn(
        'sem_sig_receiver',
        [
          start(),
          `<bpmn:intermediateCatchEvent id="Catch">${signal('S2')}</bpmn:intermediateCatchEvent>`,
          end(),
          chain('Start', 'Catch', 'End'),
        ].join('\n'),
        signalDef('S2', 'sem-sig-throw'),
      ),
    );
    await t.engine.deploy(
      bpmn(
        'sem_sig_started',
        [start('SigStart', signal('S2')), end(), flow('SigStart', 'End')].join('\n'),
        signalDef('S2', 'sem-sig-throw'),
      ),
    );
    const receiver = await t.engine.startInstance({ processId: 'sem_sig_receiver' });
    await waitActive(t.engine, receiver.id, 'Catch');
    // when
    const thrower = await run(
      t.engine,
      bpmn(
        'sem_sig_thrower',
        [
          start(),
          `<bpmn:intermediateThrowEvent id="Throw">${signal('S2')}</bpmn:intermediateThrowEvent>`,
          job('After', 'sem-sig-after'),
          end(),
          chain('Start', 'Throw', 'After', 'End'),
        ].join('\n'),
        signalDef('S2', 'sem-sig-throw'),
      ),
      'sem_sig_thrower',
      { fromThrower: true },
    );
    // then
    await waitStatus(t.engine, receiver.id, 'completed');
    expect(await completions(t.engine, receiver.id, 'Catch')).toBe(1);
    await waitFor(
      'signal-started instance',
      async () => (await t.engine.listInstances({ processId: 'sem_sig_started' })).total === 1,
    );
    await waitActive(t.engine, thrower.id, 'After');
    expect(await completions(t.engine, thrower.id, 'Throw')).toBe(1);
    await completeJob(t.engine, 'sem-sig-after');
    await waitStatus(t.engine, thrower.id, 'completed');
  });
});

describe('link events', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startEngine();
  });
  afterEach(() => t.close());

  const link = (name: string) => `<bpmn:linkEventDefinition name="${name}" />`;

  it('a link throw continues at the link catch of the same name', async () => {
    // given
    const xml = bpmn(
      'sem_link',
      [
        start(),
        `<bpmn:intermediateThrowEvent id="GoTo">${link('next')}</bpmn:intermediateThrowEvent>`,
        `<bpmn:intermediateCatchEvent id="Landing">${link('next')}</bpmn:intermediateCatchEvent>`,
        `<bpmn:intermediateCatchEvent id="Other">${link('other')}</bpmn:intermediateCatchEvent>`,
        `<bpmn:task id="Skipped" />`,
        end(),
        end('OtherEnd'),
        flow('Start', 'GoTo'),
        flow('Landing', 'End'),
        chain('Other', 'Skipped', 'OtherEnd'),
      ].join('\n'),
    );
    // when
    const i = await run(t.engine, xml, 'sem_link');
    // then
    await waitStatus(t.engine, i.id, 'completed');
    expect(await idsOf(t.engine, i.id, 'element-completed')).toEqual(['Start', 'GoTo', 'Landing', 'End']);
  });

  it('links inside a sub-process stay in that scope', async () => {
    const xml = bpmn(
      'sem_link_sub',
      [
        start(),
        '<bpmn:subProcess id="Sub">',
        start('SubStart'),
        `<bpmn:intermediateThrowEvent id="GoTo">${link('jump')}</bpmn:intermediateThrowEvent>`,
        `<bpmn:intermediateCatchEvent id="Landing">${link('jump')}</bpmn:intermediateCatchEvent>`,
        end('SubEnd'),
        flow('SubStart', 'GoTo'),
        flow('Landing', 'SubEnd'),
        '</bpmn:subProcess>',
        end(),
        chain('Start', 'Sub', 'End'),
      ].join('\n'),
    );
    const i = await run(t.engine, xml, 'sem_link_sub');
    await waitStatus(t.engine, i.id, 'completed');
    expect(await idsOf(t.engine, i.id, 'element-completed')).toEqual([
      'Start',
      'SubStart',
      'GoTo',
      'Landing',
      'SubEnd',
      'Sub',
      'End',
    ]);
  });
});

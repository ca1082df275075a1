/**
 * Conditional events are re-evaluated whenever variables change: an intermediate catch waits until
 * its condition holds; conditional boundary events (interrupting and not) and a conditional event
 * sub-process fire on a variable update (PATCH variables) or on a job completion.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bpmn,
  chain,
  completeJob,
  completions,
  conditional,
  end,
  idsOf,
  job,
  run,
  sleep,
  start,
  startEngine,
  userTask,
  waitActive,
  waitCompleted,
  waitStatus,
  type TestEngine,
} from './helpers.js';

describe('conditional events', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startEngine();
  });
  afterEach(() => t.close());

  it('an intermediate catch that is already true passes; one that is false waits for a variable change', async () => {
    const xml = bpmn(
      'sem_cond_catch',
      [
        start(),
        `<bpmn:intermediateCatchEvent id="Wait">${conditional('=temperature > 30')}</bpmn:intermediateCatchEvent>`,
        end(),
        chain('Start', 'Wait', 'End'),
      ].join('\n'),
    );
    // given: already true
    const hot = await run(t.engine, xml, 'sem_cond_catch', { temperature: 35 });
    await waitStatus(t.engine, hot.id, 'completed');
    // given: false
    const cold = await t.engine.startInstance({ processId: 'sem_cond_catch', variables: { temperature: 10 } });
    await waitActive(t.engine, cold.id, 'Wait');
    // when: a change that keeps it false
    await t.engine.setVariables(cold.id, { temperature: 20 });
    await sleep(100);
    expect((await t.engine.getInstance(cold.id))!.activeElements).toEqual(['Wait']);
    // when: a change that makes it true
    await t.engine.setVariables(cold.id, { temperature: 31 });
    // then
    await waitStatus(t.engine, cold.id, 'completed');
    expect(await idsOf(t.engine, cold.id, 'element-completed')).toEqual(['Start', 'Wait', 'End']);
  });

  it('an interrupting conditional boundary fires when the variables are patched', async () => {
    // given
    const xml = bpmn(
      'sem_cond_boundary',
      [
        start(),
        userTask('Review'),
        end(),
        chain('Start', 'Review', 'End'),
        `<bpmn:boundaryEvent id="Withdrawn" attachedToRef="Review">${conditional('=withdrawn = true')}</bpmn:boundaryEvent>`,
        end('WithdrawnEnd'),
        chain('Withdrawn', 'WithdrawnEnd'),
      ].join('\n'),
    );
    const i = await run(t.engine, xml, 'sem_cond_boundary', { withdrawn: false });
    await waitActive(t.engine, i.id, 'Review');
    // when
    await t.engine.setVariables(i.id, { withdrawn: true });
    // then
    await waitStatus(t.engine, i.id, 'completed');
    expect(await idsOf(t.engine, i.id, 'element-terminated')).toEqual(['Review']);
    expect(await completions(t.engine, i.id, 'WithdrawnEnd')).toBe(1);
    expect(await t.engine.listUserTasks({ instanceId: i.id })).toEqual([]);
  });

  it('a non-interrupting conditional boundary fires when a job in a parallel branch sets the variable, once per change to true', async () => {
    // given: Wait (user task) has the boundary; a parallel branch runs a job that raises the flag
    const xml = bpmn(
      'sem_cond_nonint',
      [
        start(),
        '<bpmn:parallelGateway id="Fork" />',
        userTask('Wait'),
        job('Raise', 'sem-cond-raise'),
        job('Raise2', 'sem-cond-raise2'),
        '<bpmn:parallelGateway id="Join" />',
        end(),
        chain('Start', 'Fork'),
        chain('Fork', 'Wait', 'Join'),
        chain('Fork', 'Raise', 'Raise2', 'Join'),
        chain('Join', 'End'),
        `<bpmn:boundaryEvent id="Flag" attachedToRef="Wait" cancelActivity="false">${conditional('=flag = true')}</bpmn:boundaryEvent>`,
        '<bpmn:task id="OnFlag" />',
        end('FlagEnd'),
        chain('Flag', 'OnFlag', 'FlagEnd'),
      ].join('\n'),
    );
    const i = await run(t.engine, xml, 'sem_cond_nonint', { flag: false });
    await waitActive(t.engine, i.id, 'Wait');
    // when
    await completeJob(t.engine, 'sem-cond-raise', { flag: true });
    await waitCompleted(t.engine, i.id, 'FlagEnd');
    // then: the boundary fired once and Wait is still active
    expect((await t.engine.getInstance(i.id))!.activeElements).toContain('Wait');
    // when: the flag stays true on another change: no new firing (the condition must become true again)
    await completeJob(t.engine, 'sem-cond-raise2', { other: 1 });
    await sleep(100);
    expect(await completions(t.engine, i.id, 'Flag')).toBe(1);
  });

  it('a conditional event sub-process starts when a variable change makes its condition true', async () => {
    const xml = bpmn(
      'sem_cond_esp',
      [
        start(),
        userTask('Work'),
        end(),
        chain('Start', 'Work', 'End'),
        '<bpmn:subProcess id="OnHigh" triggeredByEvent="true">',
        `<bpmn:startEvent id="HighStart" isInterrupting="false">${conditional('=load > 100')}</bpmn:startEvent>`,
        '<bpmn:task id="Alert" />',
        end('HighEnd'),
        chain('HighStart', 'Alert', 'HighEnd'),
        '</bpmn:subProcess>',
      ].join('\n'),
    );
    const i = await run(t.engine, xml, 'sem_cond_esp', { load: 1 });
    await waitActive(t.engine, i.id, 'Work');
    await t.engine.setVariables(i.id, { load: 500 });
    await waitCompleted(t.engine, i.id, 'HighEnd');
    expect((await t.engine.getInstance(i.id))!.activeElements).toEqual(['Work']);
    expect(await completions(t.engine, i.id, 'Alert')).toBe(1);
  });
});

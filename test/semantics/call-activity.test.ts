/**
 * Call activity rows: binding by versionTag, propagateAllChildVariables, and cancelling the parent
 * cancels the child.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bpmn,
  chain,
  completeJob,
  end,
  job,
  run,
  start,
  startEngine,
  waitActive,
  waitFor,
  waitStatus,
  type TestEngine,
} from './helpers.js';

const child = (id: string, tag: string, result: string) =>
  bpmn(
    id,
    [
      start(),
      `<bpmn:scriptTask id="Mark"><bpmn:extensionElements><zeebe:script expression="=&quot;${result}&quot;" resultVariable="built" /></bpmn:extensionElements></bpmn:scriptTask>`,
      end(),
      chain('Start', 'Mark', 'End'),
    ].join('\n'),
  ).replace(
    `<bpmn:process id="${id}" isExecutable="true">`,
    `<bpmn:process id="${id}" isExecutable="true"><bpmn:extensionElements><zeebe:versionTag value="${tag}" /></bpmn:extensionElements>`,
  );

const caller = (id: string, calledElement: string, body = '') =>
  bpmn(
    id,
    [
      start(),
      `<bpmn:callActivity id="Call"><bpmn:extensionElements>${calledElement}</bpmn:extensionElements>${body}</bpmn:callActivity>`,
      end(),
      chain('Start', 'Call', 'End'),
    ].join('\n'),
  );

describe('call activity', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startEngine();
  });
  afterEach(() => t.close());

  it('binds to the version with the versionTag, not the latest', async () => {
    // given: v1 tagged "stable", v2 tagged "next"
    await t.engine.deploy(child('sem_call_child', 'stable', 'v1'));
    await t.engine.deploy(child('sem_call_child', 'next', 'v2'));
    // when
    const pinned = await run(
      t.engine,
      caller(
        'sem_call_pinned',
        '<zeebe:calledElement processId="sem_call_child" bindingType="versionTag" versionTag="stable" propagateAllChildVariables="true" />',
      ),
      'sem_call_pinned',
    );
    const latest = await run(
      t.engine,
      caller('sem_call_latest', '<zeebe:calledElement processId="sem_call_child" propagateAllChildVariables="true" />'),
      'sem_call_latest',
    );
    // then
    expect((await waitStatus(t.engine, pinned.id, 'completed')).variables.built).toBe('v1');
    expect((await waitStatus(t.engine, latest.id, 'completed')).variables.built).toBe('v2');
  });

  it('returns all child variables with propagateAllChildVariables="true", none without', async () => {
    await t.engine.deploy(child('sem_call_vars_child', 'x', 'done'));
    const all = await run(
      t.engine,
      caller(
        'sem_call_all',
        '<zeebe:calledElement processId="sem_call_vars_child" propagateAllChildVariables="true" />',
      ),
      'sem_call_all',
      { input: 1 },
    );
    const none = await run(
      t.engine,
      caller(
        'sem_call_none',
        '<zeebe:calledElement processId="sem_call_vars_child" propagateAllChildVariables="false" />',
      ),
      'sem_call_none',
      { input: 1 },
    );
    expect((await waitStatus(t.engine, all.id, 'completed')).variables).toEqual({ input: 1, built: 'done' });
    expect((await waitStatus(t.engine, none.id, 'completed')).variables).toEqual({ input: 1 });
  });

  it('cancelling the parent cancels the child', async () => {
    // given: the child waits at a job
    await t.engine.deploy(
      bpmn(
        'sem_call_wait_child',
        [start(), job('Work', 'sem-call-wait'), end(), chain('Start', 'Work', 'End')].join('\n'),
      ),
    );
    const parent = await run(
      t.engine,
      caller('sem_call_cancel', '<zeebe:calledElement processId="sem_call_wait_child" />'),
      'sem_call_cancel',
    );
    await waitActive(t.engine, parent.id, 'Call');
    const kid = await waitFor(
      'child',
      async () => (await t.engine.listInstances({ processId: 'sem_call_wait_child' })).items[0],
    );
    await waitActive(t.engine, kid.id, 'Work');
    // when
    await t.engine.cancelInstance(parent.id, { reason: 'test' });
    // then
    expect((await t.engine.getInstance(parent.id))!.status).toBe('cancelled');
    const after = await waitStatus(t.engine, kid.id, 'cancelled');
    expect(after.activeElements).toEqual([]);
    expect(await t.engine.activateJobs({ type: 'sem-call-wait', maxJobs: 1 })).toEqual([]);
  });

  it('a completed child completes the call activity (sanity for the cases above)', async () => {
    await t.engine.deploy(
      bpmn('sem_call_ok_child', [start(), job('Work', 'sem-call-ok'), end(), chain('Start', 'Work', 'End')].join('\n')),
    );
    const parent = await run(
      t.engine,
      caller('sem_call_ok', '<zeebe:calledElement processId="sem_call_ok_child" />'),
      'sem_call_ok',
    );
    await completeJob(t.engine, 'sem-call-ok');
    await waitStatus(t.engine, parent.id, 'completed');
  });
});

/**
 * Escalation and error rows: an escalation intermediate throw caught by an event sub-process
 * (non-interrupting and interrupting), an uncaught escalation (the thrower continues, no incident),
 * an error caught by an event sub-process inside a sub-process, an uncaught error (incident on the
 * thrower), and a terminate end event inside a sub-process (ends only that scope).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  activate,
  bpmn,
  chain,
  completeJob,
  completions,
  end,
  errorDef,
  escalationDef,
  idsOf,
  job,
  run,
  sleep,
  start,
  startEngine,
  userTask,
  waitActive,
  waitFor,
  waitStatus,
  type TestEngine,
} from './helpers.js';

const escThrow = (id: string, ref = 'Esc') =>
  `<bpmn:intermediateThrowEvent id="${id}"><bpmn:escalationEventDefinition escalationRef="${ref}" /></bpmn:intermediateThrowEvent>`;

describe('escalation', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startEngine();
  });
  afterEach(() => t.close());

  const model = (id: string, interrupting: boolean) =>
    bpmn(
      id,
      [
        start(),
        escThrow('Raise'),
        job('After', `${id}.after`),
        end(),
        chain('Start', 'Raise', 'After', 'End'),
        '<bpmn:subProcess id="OnEscalation" triggeredByEvent="true">',
        `<bpmn:startEvent id="EscStart"${interrupting ? '' : ' isInterrupting="false"'}><bpmn:escalationEventDefinition escalationRef="Esc" /></bpmn:startEvent>`,
        job('Handle', `${id}.handle`),
        end('EscEnd'),
        chain('EscStart', 'Handle', 'EscEnd'),
        '</bpmn:subProcess>',
      ].join('\n'),
      escalationDef('Esc', 'LATE'),
    );

  it('a non-interrupting escalation event sub-process runs beside the thrower, which continues', async () => {
    const i = await run(t.engine, model('sem_esc_nonint', false), 'sem_esc_nonint');
    await waitActive(t.engine, i.id, 'After');
    await waitActive(t.engine, i.id, 'Handle');
    await completeJob(t.engine, 'sem_esc_nonint.handle');
    await completeJob(t.engine, 'sem_esc_nonint.after');
    await waitStatus(t.engine, i.id, 'completed');
    expect(await completions(t.engine, i.id, 'Raise')).toBe(1);
    expect(await completions(t.engine, i.id, 'EscEnd')).toBe(1);
    expect(await completions(t.engine, i.id, 'End')).toBe(1);
  });

  it("an interrupting escalation event sub-process ends the thrower's scope", async () => {
    const i = await run(t.engine, model('sem_esc_int', true), 'sem_esc_int');
    await completeJob(t.engine, 'sem_esc_int.handle');
    await waitStatus(t.engine, i.id, 'completed');
    expect(await completions(t.engine, i.id, 'After')).toBe(0);
    expect(await completions(t.engine, i.id, 'End')).toBe(0);
    expect(await completions(t.engine, i.id, 'EscEnd')).toBe(1);
  });

  it('an uncaught escalation lets the thrower continue without an incident', async () => {
    const xml = bpmn(
      'sem_esc_uncaught',
      [
        start(),
        escThrow('Raise'),
        end('EscEndEvent', '<bpmn:escalationEventDefinition escalationRef="Esc" />'),
        chain('Start', 'Raise', 'EscEndEvent'),
      ].join('\n'),
      escalationDef('Esc', 'NOBODY'),
    );
    const i = await run(t.engine, xml, 'sem_esc_uncaught');
    const done = await waitStatus(t.engine, i.id, 'completed');
    expect(done.incidents).toEqual([]);
    expect(await idsOf(t.engine, i.id, 'element-completed')).toEqual(['Start', 'Raise', 'EscEndEvent']);
  });
});

describe('errors', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startEngine();
  });
  afterEach(() => t.close());

  it("an error inside a sub-process is caught by the sub-process's error event sub-process; the process continues", async () => {
    // given: Sub holds Work (job) and an error event sub-process catching BROKEN
    const xml = bpmn(
      'sem_err_esp_sub',
      [
        start(),
        '<bpmn:subProcess id="Sub">',
        start('SubStart'),
        job('Work', 'sem-err-work'),
        end('SubEnd'),
        chain('SubStart', 'Work', 'SubEnd'),
        '<bpmn:subProcess id="OnError" triggeredByEvent="true">',
        '<bpmn:startEvent id="ErrStart"><bpmn:errorEventDefinition errorRef="Err" /></bpmn:startEvent>',
        '<bpmn:task id="Repair" />',
        end('ErrEnd'),
        chain('ErrStart', 'Repair', 'ErrEnd'),
        '</bpmn:subProcess>',
        '</bpmn:subProcess>',
        job('After', 'sem-err-after'),
        end(),
        chain('Start', 'Sub', 'After', 'End'),
      ].join('\n'),
      errorDef('Err', 'BROKEN'),
    );
    const i = await run(t.engine, xml, 'sem_err_esp_sub');
    // when
    const j = await activate(t.engine, 'sem-err-work');
    await t.engine.throwJobError(j.key, { errorCode: 'BROKEN', variables: { cause: 'gear' } });
    // then
    await waitActive(t.engine, i.id, 'After');
    expect(await idsOf(t.engine, i.id, 'element-terminated')).toContain('Work');
    expect(await completions(t.engine, i.id, 'SubEnd')).toBe(0);
    expect(await completions(t.engine, i.id, 'ErrEnd')).toBe(1);
    expect(await completions(t.engine, i.id, 'Sub')).toBe(1);
    await completeJob(t.engine, 'sem-err-after');
    await waitStatus(t.engine, i.id, 'completed');
  });

  it('an uncaught error end event raises an incident on the thrower and the instance stays active', async () => {
    const xml = bpmn(
      'sem_err_uncaught',
      [start(), end('Fail', '<bpmn:errorEventDefinition errorRef="Err" />'), chain('Start', 'Fail')].join('\n'),
      errorDef('Err', 'NOBODY_CATCHES'),
    );
    const i = await run(t.engine, xml, 'sem_err_uncaught');
    const view = await waitFor('incident', async () => {
      const v = (await t.engine.getInstance(i.id))!;
      return v.incidents.length ? v : undefined;
    });
    expect(view.status).toBe('active');
    expect(view.incidents.map((x) => x.elementId)).toEqual(['Fail']);
  });

  it('an uncaught BPMN error thrown by a job raises an incident on its task', async () => {
    const xml = bpmn(
      'sem_err_job_uncaught',
      [start(), job('Work', 'sem-err-job-uncaught'), end(), chain('Start', 'Work', 'End')].join('\n'),
    );
    const i = await run(t.engine, xml, 'sem_err_job_uncaught');
    const j = await activate(t.engine, 'sem-err-job-uncaught');
    await t.engine.throwJobError(j.key, { errorCode: 'NOBODY' });
    const view = await waitFor('incident', async () => {
      const v = (await t.engine.getInstance(i.id))!;
      return v.incidents.length ? v : undefined;
    });
    expect(view.incidents.map((x) => x.elementId)).toEqual(['Work']);
    expect(view.status).toBe('active');
  });
});

describe('terminate end event inside a sub-process', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startEngine();
  });
  afterEach(() => t.close());

  it('ends only the sub-process (its other branch is terminated); the parallel branch outside keeps running', async () => {
    const xml = bpmn(
      'sem_terminate_sub',
      [
        start(),
        '<bpmn:parallelGateway id="Fork" />',
        '<bpmn:subProcess id="Sub">',
        start('SubStart'),
        '<bpmn:parallelGateway id="SubFork" />',
        userTask('Slow'),
        end('SlowEnd'),
        end('Kill', '<bpmn:terminateEventDefinition />'),
        chain('SubStart', 'SubFork'),
        chain('SubFork', 'Slow', 'SlowEnd'),
        chain('SubFork', 'Kill'),
        '</bpmn:subProcess>',
        userTask('Outside'),
        '<bpmn:parallelGateway id="Join" />',
        end(),
        chain('Start', 'Fork'),
        chain('Fork', 'Sub', 'Join'),
        chain('Fork', 'Outside', 'Join'),
        chain('Join', 'End'),
      ].join('\n'),
    );
    const i = await run(t.engine, xml, 'sem_terminate_sub');
    await waitFor('Sub done', async () => (await completions(t.engine, i.id, 'Sub')) === 1);
    await sleep(50);
    const view = (await t.engine.getInstance(i.id))!;
    expect(view.status).toBe('active');
    expect(view.activeElements).toEqual(['Outside']);
    expect(await idsOf(t.engine, i.id, 'element-terminated')).toEqual(['Slow']);
    expect(await completions(t.engine, i.id, 'Kill')).toBe(1);
    const task = await t.engine.listUserTasks({ instanceId: i.id });
    expect(task.map((x) => x.elementId)).toEqual(['Outside']);
    await t.engine.completeUserTask(task[0]!.id);
    await waitStatus(t.engine, i.id, 'completed');
  });
});

/**
 * Coverage-table rows not exercised elsewhere: conditional start event, interrupting event
 * sub-processes started by timer, signal, message and condition, a non-interrupting signal event
 * sub-process, the none and message intermediate throw events, interrupting escalation and signal
 * boundaries, and a non-interrupting message boundary.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bpmn,
  chain,
  completeJob,
  completions,
  conditional,
  end,
  escalationDef,
  idsOf,
  job,
  message,
  messageDef,
  run,
  signal,
  signalDef,
  start,
  startEngine,
  timer,
  userTask,
  waitActive,
  waitCompleted,
  waitStatus,
  type TestEngine,
} from './helpers.js';

const esp = (def: string, interrupting: boolean) =>
  [
    '<bpmn:subProcess id="Esp" triggeredByEvent="true">',
    `<bpmn:startEvent id="EspStart"${interrupting ? '' : ' isInterrupting="false"'}>${def}</bpmn:startEvent>`,
    end('EspEnd'),
    chain('EspStart', 'EspEnd'),
    '</bpmn:subProcess>',
  ].join('\n');

describe('event rows', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startEngine();
  });
  afterEach(() => t.close());

  it('conditional start event: evaluating conditions starts an instance only when the condition holds', async () => {
    await t.engine.deploy(
      bpmn(
        'sem_cond_start',
        [start('CondStart', conditional('=stock < 5')), end(), chain('CondStart', 'End')].join('\n'),
      ),
    );
    expect((await t.engine.evaluateConditions({ variables: { stock: 50 } })).started).toEqual([]);
    const { started } = await t.engine.evaluateConditions({ variables: { stock: 2 } });
    expect(started).toHaveLength(1);
    const i = await waitStatus(t.engine, started[0]!, 'completed');
    expect(i.variables.stock).toBe(2);
  });

  it.each([
    ['timer', timer('timeDuration', 'PT0.1S'), async () => {}],
    [
      'signal',
      signal('Sig'),
      async (e: TestEngine) => {
        await e.engine.broadcastSignal({ name: 'sem-rows-signal' });
      },
    ],
    [
      'message',
      message('Msg'),
      async (e: TestEngine) => {
        await e.engine.publishMessage({ name: 'sem-rows-message', correlationKey: 'k' });
      },
    ],
    [
      'conditional',
      conditional('=stop = true'),
      async (e: TestEngine, id: string) => {
        await e.engine.setVariables(id, { stop: true });
      },
    ],
  ] as const)("an interrupting %s event sub-process ends the process scope's work", async (kind, def, trigger) => {
    const id = `sem_esp_int_${kind}`;
    const xml = bpmn(
      id,
      [start(), userTask('Work'), end(), chain('Start', 'Work', 'End'), esp(def, true)].join('\n'),
      signalDef('Sig', 'sem-rows-signal') + messageDef('Msg', 'sem-rows-message', '=key'),
    );
    const i = await run(t.engine, xml, id, { key: 'k', stop: false });
    await waitActive(t.engine, i.id, 'Work');
    await trigger(t, i.id);
    await waitStatus(t.engine, i.id, 'completed');
    expect(await idsOf(t.engine, i.id, 'element-terminated')).toEqual(['Work']);
    expect(await completions(t.engine, i.id, 'EspEnd')).toBe(1);
    expect(await completions(t.engine, i.id, 'End')).toBe(0);
  });

  it('a non-interrupting signal event sub-process runs once per signal beside the work', async () => {
    const xml = bpmn(
      'sem_esp_sig_non',
      [start(), userTask('Work'), end(), chain('Start', 'Work', 'End'), esp(signal('Sig'), false)].join('\n'),
      signalDef('Sig', 'sem-rows-sig-non'),
    );
    const i = await run(t.engine, xml, 'sem_esp_sig_non');
    await waitActive(t.engine, i.id, 'Work');
    await t.engine.broadcastSignal({ name: 'sem-rows-sig-non' });
    await t.engine.broadcastSignal({ name: 'sem-rows-sig-non' });
    await waitCompleted(t.engine, i.id, 'EspEnd', 2);
    expect((await t.engine.getInstance(i.id))!.activeElements).toEqual(['Work']);
  });

  it('a none intermediate throw passes through; a message intermediate throw is a job', async () => {
    const xml = bpmn(
      'sem_throw_rows',
      [
        start(),
        '<bpmn:intermediateThrowEvent id="Milestone" />',
        `<bpmn:intermediateThrowEvent id="Notify"><bpmn:extensionElements><zeebe:taskDefinition type="sem-rows-notify" /></bpmn:extensionElements>${message('Msg')}</bpmn:intermediateThrowEvent>`,
        end(),
        chain('Start', 'Milestone', 'Notify', 'End'),
      ].join('\n'),
      messageDef('Msg', 'sem-rows-notify'),
    );
    const i = await run(t.engine, xml, 'sem_throw_rows');
    await waitActive(t.engine, i.id, 'Notify');
    const j = await completeJob(t.engine, 'sem-rows-notify', { sent: true });
    expect(j.elementId).toBe('Notify');
    const done = await waitStatus(t.engine, i.id, 'completed');
    expect(done.variables.sent).toBe(true);
    expect(await idsOf(t.engine, i.id, 'element-completed')).toEqual(['Start', 'Milestone', 'Notify', 'End']);
  });

  it('an interrupting escalation boundary on a sub-process catches an escalation end event inside it', async () => {
    const xml = bpmn(
      'sem_esc_boundary',
      [
        start(),
        '<bpmn:subProcess id="Sub">',
        start('SubStart'),
        '<bpmn:parallelGateway id="Fork" />',
        userTask('Other'),
        end('Raise', '<bpmn:escalationEventDefinition escalationRef="Esc" />'),
        chain('SubStart', 'Fork'),
        chain('Fork', 'Other'),
        chain('Fork', 'Raise'),
        '</bpmn:subProcess>',
        '<bpmn:boundaryEvent id="Caught" attachedToRef="Sub"><bpmn:escalationEventDefinition escalationRef="Esc" /></bpmn:boundaryEvent>',
        end(),
        end('CaughtEnd'),
        chain('Start', 'Sub', 'End'),
        chain('Caught', 'CaughtEnd'),
      ].join('\n'),
      escalationDef('Esc', 'UP'),
    );
    const i = await run(t.engine, xml, 'sem_esc_boundary');
    await waitStatus(t.engine, i.id, 'completed');
    expect(await idsOf(t.engine, i.id, 'element-terminated')).toEqual(expect.arrayContaining(['Other', 'Sub']));
    expect(await completions(t.engine, i.id, 'CaughtEnd')).toBe(1);
    expect(await completions(t.engine, i.id, 'End')).toBe(0);
  });

  it('an interrupting signal boundary ends its task; a non-interrupting message boundary does not', async () => {
    const xml = bpmn(
      'sem_boundary_rows',
      [
        start(),
        job('Work', 'sem-rows-work'),
        end(),
        chain('Start', 'Work', 'End'),
        `<bpmn:boundaryEvent id="Ping" attachedToRef="Work" cancelActivity="false">${message('Msg')}</bpmn:boundaryEvent>`,
        end('PingEnd'),
        chain('Ping', 'PingEnd'),
        `<bpmn:boundaryEvent id="Abort" attachedToRef="Work">${signal('Sig')}</bpmn:boundaryEvent>`,
        end('AbortEnd'),
        chain('Abort', 'AbortEnd'),
      ].join('\n'),
      messageDef('Msg', 'sem-rows-ping', '=key') + signalDef('Sig', 'sem-rows-abort'),
    );
    const i = await run(t.engine, xml, 'sem_boundary_rows', { key: 'p' });
    await waitActive(t.engine, i.id, 'Work');
    expect((await t.engine.publishMessage({ name: 'sem-rows-ping', correlationKey: 'p' })).correlated).toEqual([i.id]);
    await waitCompleted(t.engine, i.id, 'PingEnd');
    expect((await t.engine.getInstance(i.id))!.activeElements).toEqual(['Work']);
    await t.engine.broadcastSignal({ name: 'sem-rows-abort' });
    await waitStatus(t.engine, i.id, 'completed');
    expect(await idsOf(t.engine, i.id, 'element-terminated')).toEqual(['Work']);
    expect(await completions(t.engine, i.id, 'AbortEnd')).toBe(1);
    expect(await t.engine.activateJobs({ type: 'sem-rows-work', maxJobs: 1 })).toEqual([]);
  });
});

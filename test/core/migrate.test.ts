/**
 * Process instance migration in the pure core (issue 15, item 2), by Camunda 8's rules: active
 * elements map to elements of the same type in the same flow scope; jobs, user tasks, variables and
 * incidents stay; mapped catch events keep their timer or subscription, the others are closed and
 * the target's opened; joining gateways keep their tokens; any problem refuses the whole migration.
 */
import { describe, expect, it } from 'vitest';
import type { ProcessModel } from '../../engine/src/model/types.js';
import { bpmn, compile, CoreDriver, flow, job } from './harness.js';

const MSG = `<bpmn:message id="M" name="paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>
<bpmn:message id="M2" name="changed"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>`;

const p = (body: string) => compile(bpmn('p', body, MSG));
const timer = (id: string, on: string, duration: string) =>
  `<bpmn:boundaryEvent id="${id}" attachedToRef="${on}"><bpmn:timerEventDefinition><bpmn:timeDuration>${duration}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent><bpmn:endEvent id="End${id}" />${flow(`f${id}`, id, `End${id}`)}`;
const userTask = (id: string) => `<bpmn:userTask id="${id}" name="${id}" />`;

/** v1: S → A (job a) → E */
const v1 = () =>
  p(`<bpmn:startEvent id="S" />${job('A', 'a')}<bpmn:endEvent id="E" />${flow('f1', 'S', 'A')}${flow('f2', 'A', 'E')}`);

describe('migration: active elements', () => {
  it('moves an instance waiting at a job to the next version, which changes what comes after it', async () => {
    // given an instance waiting at A on v1, and v2 with a user task B after A
    const d = new CoreDriver(await v1()).start();
    const jobKey = d.jobOf('a');
    const v2 = await p(
      `<bpmn:startEvent id="S" />${job('A', 'a')}${userTask('B')}<bpmn:endEvent id="E" />${flow('f1', 'S', 'A')}${flow('f2', 'A', 'B')}${flow('f3', 'B', 'E')}`,
    );
    // when it migrates with the default mapping (equal ids)
    const out = d.migrate(v2, 2);
    // then it runs on v2 with the same job (not created again), and the history says who and why
    expect(out.ok).toBe(true);
    expect(d.state).toMatchObject({ version: 2, definitionKey: 'p:2' });
    expect(d.jobOf('a')).toBe(jobKey);
    expect(out.ok && out.effects.map((e) => e.type)).toEqual(['ChangeDefinition']);
    expect(d.history.at(-1)).toMatchObject({ type: 'process-migrated', fromVersion: 1, toVersion: 2, actor: 'dana' });
    // and completing the job reaches v2's user task
    d.completeJob('a');
    expect(d.active()).toEqual(['B']);
  });

  it('maps an active element to another id by instruction: the job follows it, keeping its type', async () => {
    const d = new CoreDriver(await v1()).start();
    const jobKey = d.jobOf('a');
    const v2 = await p(
      `<bpmn:startEvent id="S" />${job('C', 'c')}<bpmn:endEvent id="E" />${flow('f1', 'S', 'C')}${flow('f2', 'C', 'E')}`,
    );
    const out = d.migrate(v2, 2, [{ sourceElementId: 'A', targetElementId: 'C' }]);
    expect(out.ok).toBe(true);
    expect(d.active()).toEqual(['C']);
    expect(d.jobs.get(jobKey)).toEqual({ type: 'a', elementId: 'C' });
    expect(out.report.mapping).toEqual([
      { elementKey: expect.any(String), sourceElementId: 'A', targetElementId: 'C' },
    ]);
  });

  it.each([
    ['the target has no element for an active one', `${job('Other', 'o')}`, [], 'to be mapped'],
    ['a mapping changes the element type', `${userTask('A')}`, [], 'to be mapped'],
    [
      'an explicit mapping changes the element type',
      `${userTask('U')}`,
      [{ sourceElementId: 'A', targetElementId: 'U' }],
      'ServiceTask to UserTask',
    ],
    [
      'an active element would leave its flow scope',
      `<bpmn:subProcess id="Sub"><bpmn:startEvent id="SS" />${job('A', 'a')}${flow('s1', 'SS', 'A')}</bpmn:subProcess>`,
      [],
      'flow scope',
    ],
    [
      'a mapping names an element the target lacks',
      `${job('A', 'a')}`,
      [{ sourceElementId: 'A', targetElementId: 'Ghost' }],
      'no element Ghost',
    ],
  ])('refuses when %s, listing why, and changes nothing', async (_what, body, instructions, why) => {
    const d = new CoreDriver(await v1()).start();
    const before = structuredClone(d.state);
    const target = await p(`<bpmn:startEvent id="S" />${body}`);
    const out = d.migrate(target, 2, instructions as never[]);
    expect(out).toMatchObject({ ok: false, status: 409, code: 'MIGRATION_REJECTED' });
    expect(out.report.problems.map((x) => x.message).join(' | ')).toContain(why);
    expect(d.state).toEqual(before);
  });

  it('refuses an instance that has ended', async () => {
    const d = new CoreDriver(await v1()).start();
    d.completeJob('a');
    expect(d.migrate(await v1(), 2)).toMatchObject({ ok: false, code: 'INSTANCE_NOT_ACTIVE' });
  });

  it('moves a user task, keeping its task (and so its assignee) under the new element', async () => {
    const d = new CoreDriver(
      await p(`<bpmn:startEvent id="S" />${userTask('Review')}${flow('f1', 'S', 'Review')}`),
    ).start();
    const [taskId] = [...d.userTasks.keys()];
    const out = d.migrate(await p(`<bpmn:startEvent id="S" />${userTask('Check')}${flow('f1', 'S', 'Check')}`), 2, [
      { sourceElementId: 'Review', targetElementId: 'Check' },
    ]);
    expect(out.ok).toBe(true);
    expect(d.userTasks.get(taskId!)).toBe('Check');
    expect(out.ok && out.effects.filter((e) => e.type === 'CreateUserTask')).toEqual([]);
  });

  it('migrates a task inside a sub-process with its sub-process, opening the event sub-process the target adds', async () => {
    const inSub = (extra: string) =>
      p(
        `<bpmn:startEvent id="S" /><bpmn:subProcess id="Sub"><bpmn:startEvent id="SS" />${job('A', 'a')}${flow('s1', 'SS', 'A')}${extra}</bpmn:subProcess>${flow('f1', 'S', 'Sub')}`,
      );
    const d = new CoreDriver(await inSub('')).start({ orderId: 'o-1' });
    const esp = `<bpmn:subProcess id="Cancel" triggeredByEvent="true"><bpmn:startEvent id="CancelStart"><bpmn:messageEventDefinition messageRef="M" /></bpmn:startEvent><bpmn:endEvent id="CE" />${flow('c1', 'CancelStart', 'CE')}</bpmn:subProcess>`;
    const out = d.migrate(await inSub(esp), 2);
    expect(out.ok).toBe(true);
    expect(out.report.opened).toEqual(['CancelStart']);
    expect([...d.subscriptions.values()]).toEqual([{ kind: 'message', name: 'paid', correlationKey: 'o-1' }]);
    const owner = Object.values(d.state.elements).find((e) => e.waits?.length)!;
    expect(owner.elementId).toBe('Sub');
  });
});

describe('migration: catch events', () => {
  const withTimer = (duration: string, id = 'Late') =>
    p(
      `<bpmn:startEvent id="S" />${job('A', 'a')}${timer(id, 'A', duration)}<bpmn:endEvent id="E" />${flow('f1', 'S', 'A')}${flow('f2', 'A', 'E')}`,
    );

  it('keeps an equal timer boundary with its due time', async () => {
    const d = new CoreDriver(await withTimer('PT1H')).start();
    const before = [...d.timers];
    d.now += 50 * 60_000;
    const out = d.migrate(await withTimer('PT1H'), 2);
    expect(out.ok && out.effects.filter((e) => e.type !== 'ChangeDefinition')).toEqual([]);
    expect([...d.timers]).toEqual(before);
    // and it fires at its old due time
    d.advance(10 * 60_000);
    expect(d.completed()).toContain('EndLate');
  });

  it('closes a timer the target changed and opens the target one (default mapping)', async () => {
    const d = new CoreDriver(await withTimer('PT1H')).start();
    const out = d.migrate(await withTimer('PT2H'), 2);
    expect(out.ok).toBe(true);
    expect(out.report).toMatchObject({ closed: ['Late'], opened: ['Late'] });
    expect([...d.timers.values()]).toEqual([d.now + 2 * 3_600_000]);
  });

  it('keeps a changed timer when the mapping names it (its remaining time stays)', async () => {
    const d = new CoreDriver(await withTimer('PT1H')).start();
    const due = [...d.timers.values()];
    const out = d.migrate(await withTimer('PT2H', 'Later'), 2, [{ sourceElementId: 'Late', targetElementId: 'Later' }]);
    expect(out.ok).toBe(true);
    expect([...d.timers.values()]).toEqual(due);
    expect(out.ok && out.effects.find((e) => e.type === 'MoveWork')).toMatchObject({
      kind: 'timer',
      elementId: 'Later',
    });
    d.advance(3_600_000);
    expect(d.completed()).toContain('EndLater');
  });

  it('closes a boundary the target removed, and refuses a catch event mapped onto another activity', async () => {
    const d = new CoreDriver(await withTimer('PT1H')).start();
    const bare = await v1();
    const refused = d.migrate(
      await p(
        `<bpmn:startEvent id="S" />${job('A', 'a')}${job('B', 'b')}${timer('T', 'B', 'PT1H')}${flow('f1', 'S', 'A')}`,
      ),
      2,
      [{ sourceElementId: 'Late', targetElementId: 'T' }],
    );
    expect(refused).toMatchObject({ ok: false, code: 'MIGRATION_REJECTED' });
    const out = d.migrate(bare, 2);
    expect(out.ok && out.report.closed).toEqual(['Late']);
    expect(d.timers.size).toBe(0);
  });

  it('keeps the subscription of a waiting message catch event', async () => {
    const catching = (ref: string) =>
      p(
        `<bpmn:startEvent id="S" /><bpmn:intermediateCatchEvent id="B"><bpmn:messageEventDefinition messageRef="${ref}" /></bpmn:intermediateCatchEvent>${flow('f1', 'S', 'B')}`,
      );
    const d = new CoreDriver(await catching('M')).start({ orderId: 'o-9' });
    const subs = [...d.subscriptions];
    const out = d.migrate(await catching('M2'), 2);
    expect(out.ok).toBe(true);
    expect([...d.subscriptions]).toEqual(subs);
    expect(
      d.send({ type: 'CorrelateMessage', subscriptionKey: subs[0]![0], variables: { paid: true } }),
    ).toBeUndefined();
    expect(d.state.status).toBe('completed');
  });
});

describe('migration: incidents, gateways, markers', () => {
  it('fixes an incident: the migrated element keeps it, and retrying it runs the corrected version', async () => {
    const withInput = (source: string) =>
      p(
        `<bpmn:startEvent id="S" />${job('A', 'a', `<zeebe:ioMapping><zeebe:input source="${source}" target="x" /></zeebe:ioMapping>`)}${flow('f1', 'S', 'A')}`,
      );
    const d = new CoreDriver(await withInput('=frobnicate(1)')).start();
    expect(d.incidents()).toHaveLength(1);
    const out = d.migrate(await withInput('=1'), 2);
    expect(out.ok).toBe(true);
    expect(d.incidents()).toHaveLength(1);
    expect(d.send({ type: 'RetryIncident', incidentId: d.incidents()[0]!.id })).toBeUndefined();
    expect([...d.jobs.values()].map((j) => j.type)).toEqual(['a']);
  });

  it('keeps tokens waiting at a joining gateway when it and its taken flows map; refuses a gateway with fewer incoming flows', async () => {
    const fork = (extra: string, joinFlows: string) =>
      p(`<bpmn:startEvent id="S" /><bpmn:parallelGateway id="F" />${job('A', 'a')}${job('B', 'b')}${extra}<bpmn:parallelGateway id="J" /><bpmn:endEvent id="E" />
        ${flow('f1', 'S', 'F')}${flow('f2', 'F', 'A')}${flow('f3', 'F', 'B')}${joinFlows}${flow('f6', 'J', 'E')}`);
    const d = new CoreDriver(await fork('', `${flow('fa', 'A', 'J')}${flow('fb', 'B', 'J')}`)).start();
    d.completeJob('a');
    expect(Object.keys(d.state.joins)).toEqual(['1/J']);
    const fewer = await p(
      `<bpmn:startEvent id="S" />${job('B', 'b')}<bpmn:exclusiveGateway id="J" /><bpmn:endEvent id="E" />${flow('f1', 'S', 'B')}${flow('fb', 'B', 'J')}${flow('f6', 'J', 'E')}`,
    );
    expect(d.migrate(fewer, 2)).toMatchObject({ ok: false });
    // the target adds a task C before the join: A's token waits on its flow fa, still
    const out = d.migrate(
      await fork(job('C', 'c'), `${flow('fa', 'A', 'J')}${flow('fb', 'B', 'J')}${flow('fc', 'C', 'J')}`),
      3,
    );
    expect(out.ok).toBe(true);
    d.completeJob('b');
    expect(d.state.status).toBe('active');
  });

  it('refuses a parallel multi-instance mapped to a sequential one', async () => {
    const mi = (sequential: boolean) =>
      p(
        `<bpmn:startEvent id="S" /><bpmn:serviceTask id="A"><bpmn:extensionElements><zeebe:taskDefinition type="a" /></bpmn:extensionElements><bpmn:multiInstanceLoopCharacteristics isSequential="${sequential}"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1,2]" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>${flow('f1', 'S', 'A')}`,
      );
    const d = new CoreDriver(await mi(false)).start();
    const out = d.migrate(await mi(true), 2);
    expect(out).toMatchObject({ ok: false });
    expect(out.report.problems[0]!.message).toContain('parallel and a sequential');
    expect(d.migrate(await mi(false), 2).ok).toBe(true);
    expect(d.jobs.size).toBe(2);
  });
});

export type { ProcessModel };

/**
 * The process testing kit (engine/src/testing): an in-memory engine on a clock the test moves,
 * job doubles, and assertions whose failures show the path and where the instance stands.
 */
import { AssertionError } from 'node:assert';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bpmnError,
  ClockError,
  complete,
  createTestEngine,
  expectInstance,
  fail,
  type TestEngine,
} from '../../engine/src/testing/index.js';
import {
  bpmn,
  chain,
  end,
  errorDef,
  flow,
  job,
  message,
  messageDef,
  signal,
  signalDef,
  start,
  timer,
} from '../semantics/helpers.js';

const T0 = '2030-01-01T00:00:00.000Z';

/** Reserve → Pay (error boundary: Declined) → wait a week → Ship → Approve (user task) → End. */
const ORDER = bpmn(
  'order',
  [
    start(),
    job('Reserve', 'reserve'),
    job('Pay', 'charge-card', '', '', ' name="Pay"'),
    `<bpmn:boundaryEvent id="Declined" attachedToRef="Pay"><bpmn:errorEventDefinition errorRef="Err" /></bpmn:boundaryEvent>`,
    end('End_Declined'),
    `<bpmn:intermediateCatchEvent id="Wait" name="Wait a week">${timer('timeDuration', 'P7D')}</bpmn:intermediateCatchEvent>`,
    job('Ship', 'ship', '', '', ' name="Ship"'),
    `<bpmn:userTask id="Approve" name="Approve" />`,
    end(),
    chain('Start', 'Reserve', 'Pay', 'Wait', 'Ship', 'Approve', 'End'),
    flow('Declined', 'End_Declined'),
  ].join('\n'),
  errorDef('Err', 'DECLINED'),
);

/** Waits `wait`, then `after` (job type `after`). */
const DELAYED = bpmn(
  'delayed',
  [
    start(),
    `<bpmn:intermediateCatchEvent id="Wait">${timer('timeDuration', '=wait')}</bpmn:intermediateCatchEvent>`,
    job('After', 'after'),
    end(),
    chain('Start', 'Wait', 'After', 'End'),
  ].join('\n'),
);

/** Waits for a message (correlated by orderId), then for a signal. */
const EVENTS = bpmn(
  'events',
  [
    start(),
    `<bpmn:intermediateCatchEvent id="Paid" name="Paid">${message('Msg')}</bpmn:intermediateCatchEvent>`,
    `<bpmn:intermediateCatchEvent id="Go">${signal('Sig')}</bpmn:intermediateCatchEvent>`,
    end(),
    chain('Start', 'Paid', 'Go', 'End'),
  ].join('\n'),
  messageDef('Msg', 'paid', '=orderId') + signalDef('Sig', 'go'),
);

let t: TestEngine;
afterEach(() => t?.close());

describe('testing kit', () => {
  it('fires a one-week timer when the clock is advanced by a week, not before', async () => {
    t = await createTestEngine({ startAt: T0 });
    await t.deploy(ORDER);
    t.jobs.onType('reserve', { reserved: true }).onType('charge-card', complete({ charged: 30 }));
    t.jobs.onType('ship', (job) => ({ shippedAt: t.clock.read(), amount: job.variables.charged }));
    const i = await t.start('order', { orderId: 'A-1' });
    await expectInstance(i).toHaveCompleted('Reserve', 'Pay').toBeWaitingAt('Wait a week').toHaveNoIncidents();

    expect(await t.clock.advance('P6D')).toBe('2030-01-07T00:00:00.000Z');
    await expectInstance(i).toBeWaitingAt('Wait').toNotHaveReached('Ship');

    expect(await t.clock.advance('P1D')).toBe('2030-01-08T00:00:00.000Z');
    await expectInstance(i)
      .toHaveCompletedInOrder('Reserve', 'Pay', 'Wait a week', 'Ship')
      .toBeWaitingAt('Approve')
      .toHaveVariables({ reserved: true, shippedAt: '2030-01-08T00:00:00.000Z', amount: 30 });

    await t.completeUserTask(i, 'Approve', { approved: true });
    const done = await expectInstance(i).toBeCompleted().toHaveVariables({ approved: true }).toHaveNoIncidents();
    expect(done.status).toBe('completed');
    expect(t.jobs.calls('ship')).toHaveLength(1);
  });

  it('fires timers of many instances in due order, each at its due time', async () => {
    t = await createTestEngine({ startAt: T0 });
    await t.deploy(DELAYED);
    const seen: string[] = [];
    t.jobs.onType('after', (job) => {
      seen.push(`${job.variables.name}@${t.clock.read()}`);
    });
    for (const [name, wait] of [
      ['c', 'PT3H'],
      ['a', 'PT1H'],
      ['b', 'PT2H'],
      ['d', 'P2D'],
    ] as const)
      await t.start('delayed', { name, wait });
    await t.clock.advance('P1D');
    expect(seen).toEqual(['a@2030-01-01T01:00:00.000Z', 'b@2030-01-01T02:00:00.000Z', 'c@2030-01-01T03:00:00.000Z']);
    await t.clock.set('2030-01-03T00:00:00Z');
    expect(seen[3]).toBe('d@2030-01-03T00:00:00.000Z');
  });

  it('takes the error path when a double throws a BPMN error', async () => {
    t = await createTestEngine();
    await t.deploy(ORDER);
    t.jobs.onType('reserve', {}).onType('charge-card', bpmnError('DECLINED', 'card declined', { reason: 'limit' }));
    const i = await t.start('order');
    await expectInstance(i).toBeCompleted().toHaveCompleted('Declined', 'End_Declined').toNotHaveReached('Wait');
    await expectInstance(i).toHaveVariables({ reason: 'limit' });
  });

  it('retries a failing double after its back-off and raises an incident when retries run out', async () => {
    t = await createTestEngine();
    await t.deploy(ORDER);
    t.jobs.onType('reserve', {}).onType('charge-card', fail('card service down'));
    const i = await t.start('order');
    expect(t.jobs.calls('charge-card')).toHaveLength(1);
    await t.clock.advance('PT1S');
    expect(t.jobs.calls('charge-card')).toHaveLength(2);
    await t.clock.advance('PT1S');
    expect(t.jobs.calls('charge-card')).toHaveLength(3);
    await expectInstance(i).toBeActive().toHaveIncidentAt('Pay', 'card service down');
    await expect(expectInstance(i).toHaveNoIncidents()).rejects.toThrow(/incidents: Pay \[Pay\]: .*card service down/);
  });

  it('leaves job types without a double waiting, for the test to answer', async () => {
    t = await createTestEngine();
    await t.deploy(ORDER);
    const i = await t.start('order', { orderId: 'A-2' });
    await expectInstance(i).toBeWaitingAt('Reserve');
    const reserved = await t.jobs.complete('reserve', { reserved: true });
    expect(reserved.variables).toMatchObject({ orderId: 'A-2' });
    await t.jobs.throwError('charge-card', 'DECLINED');
    await expectInstance(i).toBeCompleted().toHaveCompleted('End_Declined').toHaveVariables({ reserved: true });
    await expect(t.jobs.complete('reserve')).rejects.toThrow(
      'Expected a job of type reserve waiting, but there is none',
    );
  });

  it('drives messages and signals from the test', async () => {
    t = await createTestEngine();
    await t.deploy(EVENTS);
    const a = await t.start('events', { orderId: 'A' });
    const b = await t.start('events', { orderId: 'B' });
    const r = await t.publishMessage('paid', { correlationKey: 'B', variables: { paid: true } });
    expect(r.correlated).toEqual([b.id]);
    await t.engine.publishMessage({ name: 'ignored' });
    await t.expect(b).toHaveCompleted('Paid').toBeWaitingAt('Go').toHaveVariables({ paid: true });
    await t.expect(a).toBeWaitingAt('Paid');
    await t.broadcastSignal('go');
    await t.expect(b).toBeCompleted();
    await t.expect(a).toBeWaitingAt('Paid');
  });

  it('fails with the path the instance took and where it stands', async () => {
    t = await createTestEngine();
    await t.deploy(ORDER);
    t.jobs.onType('reserve', {}).onType('charge-card', { charged: 1 });
    const i = await t.start('order', { orderId: 'A-3' });
    const err = await expectInstance(i)
      .toHaveCompleted('Pay', 'Ship')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(AssertionError);
    const text = (err as Error).message;
    expect(text).toContain('Expected Ship to have completed.');
    expect(text).toContain(`Instance ${i.id} of order v1 is active.`);
    expect(text).toContain('path: Start → Reserve → Pay [Pay]');
    expect(text).toContain('waiting at: Wait a week [Wait]');
    expect(text).toContain('"orderId":"A-3"');
    await expect(expectInstance(i).toBeWaitingAt('Nope')).rejects.toThrow(
      'Expected an element with id or name "Nope" in process order, but there is none',
    );
    await expect(expectInstance(i).toHaveVariables({ charged: 2 })).rejects.toThrow(
      'Expected variable charged to be 2, but it is 1',
    );
  });

  it('refuses to move the clock backwards or by what it cannot read', async () => {
    t = await createTestEngine({ startAt: T0 });
    await expect(t.clock.set('2029-12-31T00:00:00Z')).rejects.toThrow(ClockError);
    await expect(t.clock.advance('seven days')).rejects.toThrow('Expected an ISO 8601 duration');
    await expect(t.clock.advance('-P1D')).rejects.toThrow('forward in time');
    expect(await t.clock.advance('P1M')).toBe('2030-02-01T00:00:00.000Z');
    expect(await t.clock.advance(500)).toBe('2030-02-01T00:00:00.500Z');
    expect(t.clock.read()).toBe('2030-02-01T00:00:00.500Z');
  });
});

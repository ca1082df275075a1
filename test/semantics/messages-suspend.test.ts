/**
 * Message rows: a message start event starts at most one active instance per correlation key,
 * messageId deduplication, timeToLive buffering and expiry. Suspension defers timers and
 * messages until resume. An expression failure raises an incident that a retry resolves.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bpmn,
  chain,
  completeJob,
  completions,
  end,
  flow,
  job,
  message,
  messageDef,
  run,
  sleep,
  start,
  startEngine,
  timer,
  waitActive,
  waitFor,
  waitStatus,
  type TestEngine,
} from './helpers.js';

const catchMsg = (id: string, ref: string) =>
  `<bpmn:intermediateCatchEvent id="${id}">${message(ref)}</bpmn:intermediateCatchEvent>`;

describe('messages', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startEngine();
  });
  afterEach(() => t.close());

  it('a message start event starts at most one active instance per correlation key', async () => {
    // given: the started instance waits at a job
    await t.engine.deploy(
      bpmn(
        'sem_msg_start',
        [
          start('MsgStart', message('M')),
          job('Work', 'sem-msg-start.work'),
          end(),
          chain('MsgStart', 'Work', 'End'),
        ].join('\n'),
        messageDef('M', 'sem-msg-start'),
      ),
    );
    // when
    const first = await t.engine.publishMessage({ name: 'sem-msg-start', correlationKey: 'k1', variables: { n: 1 } });
    const again = await t.engine.publishMessage({ name: 'sem-msg-start', correlationKey: 'k1', variables: { n: 2 } });
    const other = await t.engine.publishMessage({ name: 'sem-msg-start', correlationKey: 'k2' });
    // then
    expect(first.started).toHaveLength(1);
    expect(again.started).toEqual([]);
    expect(other.started).toHaveLength(1);
    expect((await t.engine.getInstance(first.started[0]!))!.businessKey).toBe('k1');
    // when the first instance has ended, the key is free again
    await completeJob(t.engine, 'sem-msg-start.work', undefined, first.started[0]);
    await waitStatus(t.engine, first.started[0]!, 'completed');
    const later = await t.engine.publishMessage({ name: 'sem-msg-start', correlationKey: 'k1' });
    expect(later.started).toHaveLength(1);
  });

  it('a second message with the same messageId is acknowledged and ignored', async () => {
    const xml = bpmn(
      'sem_msg_dedupe',
      [start(), catchMsg('C1', 'M'), catchMsg('C2', 'M'), end(), chain('Start', 'C1', 'C2', 'End')].join('\n'),
      messageDef('M', 'sem-msg-dedupe', '=key'),
    );
    const i = await run(t.engine, xml, 'sem_msg_dedupe', { key: 'a' });
    await waitActive(t.engine, i.id, 'C1');
    const r1 = await t.engine.publishMessage({
      name: 'sem-msg-dedupe',
      correlationKey: 'a',
      messageId: 'once',
      variables: { hit: 1 },
    });
    await waitActive(t.engine, i.id, 'C2');
    const r2 = await t.engine.publishMessage({
      name: 'sem-msg-dedupe',
      correlationKey: 'a',
      messageId: 'once',
      variables: { hit: 2 },
    });
    expect(r1.correlated).toEqual([i.id]);
    expect(r2).toEqual({ correlated: [], started: [] });
    await sleep(50);
    expect((await t.engine.getInstance(i.id))!.activeElements).toEqual(['C2']);
    expect((await t.engine.getInstance(i.id))!.variables.hit).toBe(1);
  });

  it('a message with timeToLive waits for a subscription until it expires; one without is not kept', async () => {
    const xml = bpmn(
      'sem_msg_ttl',
      [
        start(),
        job('Before', 'sem-msg-ttl.before'),
        catchMsg('Catch', 'M'),
        end(),
        chain('Start', 'Before', 'Catch', 'End'),
      ].join('\n'),
      messageDef('M', 'sem-msg-ttl', '=key'),
    );
    // (on an engine whose clock the test moves, so that expiry does not wait on the wall clock)
    let now = Date.now();
    await t.close();
    t = await startEngine({}, { now: () => now });
    await t.engine.deploy(xml);
    const kept = await t.engine.startInstance({ processId: 'sem_msg_ttl', variables: { key: 'kept' } });
    const expired = await t.engine.startInstance({ processId: 'sem_msg_ttl', variables: { key: 'expired' } });
    const dropped = await t.engine.startInstance({ processId: 'sem_msg_ttl', variables: { key: 'dropped' } });
    // when: messages arrive before the catch events open
    await t.engine.publishMessage({ name: 'sem-msg-ttl', correlationKey: 'kept', timeToLive: 'PT10S' });
    await t.engine.publishMessage({ name: 'sem-msg-ttl', correlationKey: 'expired', timeToLive: 'PT0.1S' });
    await t.engine.publishMessage({ name: 'sem-msg-ttl', correlationKey: 'dropped' });
    // and a second passes: the message with PT0.1S expires, the one with PT10S is still kept
    now += 1000;
    for (const i of [kept, expired, dropped]) await completeJob(t.engine, 'sem-msg-ttl.before', undefined, i.id);
    // then
    await waitStatus(t.engine, kept.id, 'completed');
    await sleep(100);
    expect((await t.engine.getInstance(expired.id))!.activeElements).toEqual(['Catch']);
    expect((await t.engine.getInstance(dropped.id))!.activeElements).toEqual(['Catch']);
  });
});

describe('suspend and resume', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startEngine();
  });
  afterEach(() => t.close());

  it('a timer due while suspended fires on resume; a message correlated while suspended takes effect on resume', async () => {
    // given
    const xml = bpmn(
      'sem_suspend',
      [
        start(),
        '<bpmn:parallelGateway id="Fork" />',
        `<bpmn:intermediateCatchEvent id="Wait">${timer('timeDuration', 'PT0.2S')}</bpmn:intermediateCatchEvent>`,
        catchMsg('Catch', 'M'),
        '<bpmn:parallelGateway id="Join" />',
        end(),
        chain('Start', 'Fork'),
        chain('Fork', 'Wait', 'Join'),
        chain('Fork', 'Catch', 'Join'),
        flow('Join', 'End'),
      ].join('\n'),
      messageDef('M', 'sem-suspend', '=key'),
    );
    const i = await run(t.engine, xml, 'sem_suspend', { key: 's' });
    await waitActive(t.engine, i.id, 'Catch');
    // when
    await t.engine.suspendInstance(i.id);
    const r = await t.engine.publishMessage({ name: 'sem-suspend', correlationKey: 's', variables: { got: true } });
    await sleep(500);
    // then: nothing moved
    const suspended = (await t.engine.getInstance(i.id))!;
    expect(suspended.status).toBe('suspended');
    expect(await completions(t.engine, i.id, 'Wait')).toBe(0);
    expect(await completions(t.engine, i.id, 'Catch')).toBe(0);
    expect(r.correlated).toEqual([i.id]);
    // when
    await t.engine.resumeInstance(i.id);
    // then
    const done = await waitStatus(t.engine, i.id, 'completed');
    expect(done.variables.got).toBe(true);
    expect(await completions(t.engine, i.id, 'Wait')).toBe(1);
  });

  it("a suspended instance's jobs are not handed out until resume", async () => {
    const i = await run(
      t.engine,
      bpmn(
        'sem_suspend_job',
        [start(), job('Work', 'sem-suspend-job'), end(), chain('Start', 'Work', 'End')].join('\n'),
      ),
      'sem_suspend_job',
    );
    await waitActive(t.engine, i.id, 'Work');
    await t.engine.suspendInstance(i.id);
    expect(await t.engine.activateJobs({ type: 'sem-suspend-job', maxJobs: 1 })).toEqual([]);
    await t.engine.resumeInstance(i.id);
    await completeJob(t.engine, 'sem-suspend-job');
    await waitStatus(t.engine, i.id, 'completed');
  });
});

describe('incident on an expression failure', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startEngine();
  });
  afterEach(() => t.close());

  it('raises an incident when a condition cannot be evaluated; fixing the variable and retrying resolves it', async () => {
    // given: `approved` is a string, so the condition is not a boolean
    const xml = bpmn(
      'sem_incident_expr',
      [
        start(),
        '<bpmn:exclusiveGateway id="Check" />',
        end('High'),
        end('Low'),
        flow('Start', 'Check'),
        flow('Check', 'High', '=approved'),
        flow('Check', 'Low', '=not(approved)'),
      ].join('\n'),
    );
    const i = await run(t.engine, xml, 'sem_incident_expr', { approved: 'yes' });
    const incident = await waitFor('incident', async () => (await t.engine.listIncidents({ instanceId: i.id }))[0]);
    expect(incident.elementId).toBe('Check');
    expect((await t.engine.getInstance(i.id))!.status).toBe('active');
    // when
    await t.engine.setVariables(i.id, { approved: false });
    await t.engine.retryIncident(incident.id, {});
    // then
    await waitStatus(t.engine, i.id, 'completed');
    expect(await completions(t.engine, i.id, 'Low')).toBe(1);
    expect((await t.engine.getInstance(i.id))!.incidents).toEqual([]);
    expect((await t.engine.getHistory(i.id))!.map((h) => h.type)).toEqual(
      expect.arrayContaining(['incident-created', 'incident-resolved']),
    );
  });
});

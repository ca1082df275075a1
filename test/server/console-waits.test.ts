/**
 * `GET /api/console/instances/:id/waits`: what a running instance waits for (jobs and their worker,
 * messages, signals, timers), so the console can say so and show the way on. Real HTTP, real SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, startTestServer, waitFor, type TestServer } from './helpers.js';

/** One instance that waits for four things at once: a job, a message, a signal and a timer. */
const FOUR_WAITS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Defs_waits" targetNamespace="http://baton.test/server">
  <bpmn:message id="Msg_Paid" name="waits.paid">
    <bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements>
  </bpmn:message>
  <bpmn:signal id="Sig_Go" name="waits.go" />
  <bpmn:process id="waits" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:sequenceFlow id="F0" sourceRef="Start" targetRef="Split" />
    <bpmn:parallelGateway id="Split" />
    <bpmn:sequenceFlow id="F1" sourceRef="Split" targetRef="Work" />
    <bpmn:sequenceFlow id="F2" sourceRef="Split" targetRef="Paid" />
    <bpmn:sequenceFlow id="F3" sourceRef="Split" targetRef="Go" />
    <bpmn:sequenceFlow id="F4" sourceRef="Split" targetRef="Later" />
    <bpmn:sequenceFlow id="F5" sourceRef="Split" targetRef="Inside" />
    <bpmn:serviceTask id="Work" name="Do the work">
      <bpmn:extensionElements><zeebe:taskDefinition type="waits.work" retries="3" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:serviceTask id="Inside" name="Handled inside">
      <bpmn:extensionElements><zeebe:taskDefinition type="waits.inside" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:intermediateCatchEvent id="Paid" name="Paid">
      <bpmn:messageEventDefinition messageRef="Msg_Paid" />
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="Go" name="Go">
      <bpmn:signalEventDefinition signalRef="Sig_Go" />
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="Later" name="In an hour">
      <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
  </bpmn:process>
</bpmn:definitions>`;

describe('what an instance waits for', () => {
  let t: TestServer;
  let id: string;
  let releaseInside: () => void = () => {};
  const inside = new Promise<void>((resolve) => {
    releaseInside = resolve;
  });

  beforeAll(async () => {
    // given a server with an in-process handler for waits.inside that does not finish yet
    t = await startTestServer({ handlers: { 'waits.inside': () => inside } });
    const deployed = await t.call('POST', '/api/deployments', { raw: FOUR_WAITS, contentType: 'application/xml' });
    expect(deployed.status, deployed.text).toBe(201);
    const started = await t.call('POST', '/api/processes/waits/instances', { json: { variables: { orderId: 'A-1' } } });
    expect(started.status).toBe(201);
    id = started.body.id;
  });
  afterAll(async () => {
    releaseInside();
    await t.close();
  });

  it('lists the job with its type, the message, the signal and the timer', async () => {
    // when asked
    const before = Date.now();
    const answer = await t.call('GET', `/api/console/instances/${id}/waits`);
    // then every wait is there, named by element
    expect(answer.status).toBe(200);
    expect(answer.body.jobs).toEqual([
      {
        key: expect.any(String),
        type: 'waits.work',
        elementId: 'Work',
        retries: 3,
        worker: null,
        lockedUntil: null,
        retryAt: null,
        errorMessage: null,
        inProcess: false,
      },
      expect.objectContaining({ type: 'waits.inside', elementId: 'Inside', inProcess: true }),
    ]);
    expect(answer.body.subscriptions).toEqual(
      expect.arrayContaining([
        { kind: 'message', name: 'waits.paid', correlationKey: 'A-1', elementId: 'Paid' },
        { kind: 'signal', name: 'waits.go', correlationKey: null, elementId: 'Go' },
      ]),
    );
    expect(answer.body.subscriptions).toHaveLength(2);
    expect(answer.body.timers).toEqual([{ elementId: 'Later', dueAt: expect.any(String) }]);
    const due = Date.parse(answer.body.timers[0].dueAt) - before;
    expect(due).toBeGreaterThan(3_590_000);
    expect(due).toBeLessThan(3_610_000);
  });

  it('shows the worker holding a job, then the retry after a failure', async () => {
    // given an outside worker locks the job
    const activated = await t.call('POST', '/api/jobs/activate', {
      json: { type: 'waits.work', worker: 'me', maxJobs: 1, lockMs: 60_000 },
    });
    const key = activated.body.jobs[0].key as string;
    // when asked, then the lock is shown
    const locked = (await t.call('GET', `/api/console/instances/${id}/waits`)).body.jobs[0];
    expect(locked).toMatchObject({ key, worker: 'me', retryAt: null });
    expect(Date.parse(locked.lockedUntil)).toBeGreaterThan(Date.now() + 50_000);
    // given the worker fails it with a back-off
    const failed = await t.call('POST', `/api/jobs/${key}/fail`, {
      json: { retries: 2, errorMessage: 'stock service down', retryBackoffMs: 60_000 },
    });
    expect(failed.status).toBe(200);
    // then the job waits for its retry, with the error
    const retrying = (await t.call('GET', `/api/console/instances/${id}/waits`)).body.jobs[0];
    expect(retrying).toMatchObject({ key, retries: 2, lockedUntil: null, errorMessage: 'stock service down' });
    expect(Date.parse(retrying.retryAt)).toBeGreaterThan(Date.now() + 50_000);
  });

  it('forgets a message once it has arrived', async () => {
    // when the message arrives
    await t.call('POST', '/api/messages', { json: { name: 'waits.paid', correlationKey: 'A-1' } });
    // then it is no longer listed
    await waitFor('the message subscription gone', async () => {
      const answer = await t.call('GET', `/api/console/instances/${id}/waits`);
      return answer.body.subscriptions.every((s: { kind: string }) => s.kind !== 'message');
    });
  });

  it('answers 404 INSTANCE_NOT_FOUND for an unknown instance', async () => {
    const answer = await t.call('GET', '/api/console/instances/no-such-instance/waits');
    expect(answer.status).toBe(404);
    expect(errorOf(answer).code).toBe('INSTANCE_NOT_FOUND');
  });
});

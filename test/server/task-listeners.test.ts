/**
 * User task listeners over real HTTP: a claim and a completion held by listener jobs that outside
 * workers complete with a job result (corrections, denied), as Camunda 8.8's job result carries them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, startTestServer, takeJob, waitFor, type TestServer } from './helpers.js';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D_tl" targetNamespace="http://baton.dev/test">
  <bpmn:process id="leave_request" isExecutable="true">
    <bpmn:startEvent id="Requested" />
    <bpmn:userTask id="Review" name="Review leave request">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:assignmentDefinition candidateGroups="hr" />
        <zeebe:taskListeners>
          <zeebe:taskListener eventType="creating" type="leave.prioritise" />
          <zeebe:taskListener eventType="assigning" type="leave.check-assignee" />
          <zeebe:taskListener eventType="completing" type="leave.validate" />
        </zeebe:taskListeners>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="Decided" />
    <bpmn:sequenceFlow id="f1" sourceRef="Requested" targetRef="Review" />
    <bpmn:sequenceFlow id="f2" sourceRef="Review" targetRef="Decided" />
  </bpmn:process>
</bpmn:definitions>`;

describe('user task listeners over HTTP', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    await t.close();
  });

  const take = (type: string) => takeJob(t, type);

  it('creating corrects, assigning denies and corrects, completing denies then lets the task complete', async () => {
    expect((await t.call('POST', '/api/deployments', { raw: XML, contentType: 'application/xml' })).status).toBe(201);
    const { body: started } = await t.call('POST', '/api/processes/leave_request/instances', {
      json: { variables: { days: 12 } },
    });
    // creating: the worker raises the priority and adds a group
    const create = await take('leave.prioritise');
    expect(create.customHeaders).toMatchObject({
      'io.camunda.zeebe:action': 'create',
      'io.camunda.zeebe:candidateGroups': '["hr"]',
    });
    expect((await t.call('GET', `/api/user-tasks?instanceId=${started.id}`)).body).toEqual([]);
    const corrected = await t.call('POST', `/api/jobs/${create.key}/complete`, {
      json: { result: { type: 'userTask', corrections: { priority: 90, candidateGroups: ['hr', 'managers'] } } },
    });
    expect(corrected.status).toBe(200);
    const [task] = (await t.call('GET', `/api/user-tasks?instanceId=${started.id}`)).body;
    expect(task).toMatchObject({ candidateGroups: ['hr', 'managers'], priority: 90, assignee: null });

    // assigning: a claim waits for the listener, which denies it
    const claim = await t.call('POST', `/api/user-tasks/${task.id}/claim`, { json: { assignee: 'mallory' } });
    expect(claim.status).toBe(200);
    expect(claim.body.assignee).toBeNull();
    const check = await take('leave.check-assignee');
    expect(check.customHeaders['io.camunda.zeebe:assignee']).toBe('mallory');
    await t.call('POST', `/api/jobs/${check.key}/complete`, {
      json: { result: { denied: true, deniedReason: 'not in HR' } },
    });
    expect((await t.call('GET', `/api/user-tasks?instanceId=${started.id}`)).body[0].assignee).toBeNull();
    // a second claim is corrected to the team lead
    await t.call('POST', `/api/user-tasks/${task.id}/claim`, { json: { assignee: 'erin' } });
    const check2 = await take('leave.check-assignee');
    await t.call('POST', `/api/jobs/${check2.key}/complete`, {
      json: { result: { corrections: { assignee: 'hr-lead' } } },
    });
    expect((await t.call('GET', `/api/user-tasks?assignee=hr-lead`)).body.map((x: any) => x.id)).toEqual([task.id]);

    // completing: denied first, the task stays open
    await t.call('POST', `/api/user-tasks/${task.id}/complete`, { json: { variables: { approved: true } } });
    const busy = await t.call('POST', `/api/user-tasks/${task.id}/claim`, { json: { assignee: 'hr-lead' } });
    expect(busy.status).toBe(409);
    expect(errorOf(busy).code).toBe('USER_TASK_BUSY');
    const validate = await take('leave.validate');
    const withVars = await t.call('POST', `/api/jobs/${validate.key}/complete`, { json: { variables: { x: 1 } } });
    expect(withVars.status).toBe(400);
    expect(errorOf(withVars).code).toBe('INVALID_JOB_RESULT');
    await t.call('POST', `/api/jobs/${validate.key}/complete`, { json: { result: { denied: true } } });
    expect((await t.call('GET', `/api/instances/${started.id}`)).body.variables).not.toHaveProperty('approved');
    await t.call('POST', `/api/user-tasks/${task.id}/complete`, { json: { variables: { approved: true } } });
    const validate2 = await take('leave.validate');
    await t.call('POST', `/api/jobs/${validate2.key}/complete`, { json: {} });
    await waitFor(
      'completion',
      async () => (await t.call('GET', `/api/instances/${started.id}`)).body.status === 'completed',
    );
    const history = (await t.call('GET', `/api/instances/${started.id}/history`)).body as Record<string, unknown>[];
    expect(history.filter((h) => h.type === 'user-task-transition-denied').map((h) => h.eventType)).toEqual([
      'assigning',
      'completing',
    ]);
    expect(history).toContainEqual(expect.objectContaining({ type: 'user-task-claimed', assignee: 'hr-lead' }));
  });

  it('refuses a malformed job result', async () => {
    await t.call('POST', '/api/deployments', { raw: XML, contentType: 'application/xml' });
    await t.call('POST', '/api/processes/leave_request/instances', { json: {} });
    const create = await take('leave.prioritise');
    const bad = await t.call('POST', `/api/jobs/${create.key}/complete`, {
      json: { result: { corrections: { candidateGroups: 'hr' } } },
    });
    expect(bad.status).toBe(400);
    expect(errorOf(bad).code).toBe('INVALID_REQUEST');
  });
});

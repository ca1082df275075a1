import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, startTestServer, waitFor, type TestServer } from './helpers.js';

describe('user tasks, messages and incidents over HTTP', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    await t.close();
  });

  async function statusOf(id: string): Promise<string> {
    return (await t.call('GET', `/api/instances/${id}`)).body.status;
  }

  it('lists an open user task, lets it be claimed and completed', async () => {
    // given
    await t.deploy('server-user-task.bpmn');
    const { body: started } = await t.call('POST', '/api/processes/srv_user_task/instances', {
      json: { variables: { total: 120 } },
    });
    // when
    const task = await waitFor(
      'the user task',
      async () => (await t.call('GET', `/api/user-tasks?instanceId=${started.id}`)).body[0],
    );
    // then
    expect(task).toMatchObject({
      instanceId: started.id,
      elementId: 'Approve',
      name: 'Approve order',
      assignee: null,
      candidateGroups: ['sales'],
      formKey: 'approve-form',
      hasForm: false,
      variables: { total: 120 },
      createdAt: expect.any(String),
    });
    expect((await t.call('GET', '/api/user-tasks?candidateGroup=sales')).body).toHaveLength(1);
    expect((await t.call('GET', '/api/user-tasks?candidateGroup=finance')).body).toHaveLength(0);

    const claimed = await t.call('POST', `/api/user-tasks/${task.id}/claim`, { json: { assignee: 'ann' } });
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ id: task.id, assignee: 'ann' });
    expect((await t.call('GET', '/api/user-tasks?assignee=ann')).body.map((x: { id: string }) => x.id)).toEqual([
      task.id,
    ]);
    const unclaimed = await t.call('POST', `/api/user-tasks/${task.id}/unclaim`);
    expect(unclaimed.body.assignee).toBeNull();

    const completed = await t.call('POST', `/api/user-tasks/${task.id}/complete`, {
      json: { variables: { approved: true } },
    });
    expect(completed.status).toBe(200);
    await waitFor('completion', async () => (await statusOf(started.id)) === 'completed');
    expect((await t.call('GET', `/api/instances/${started.id}`)).body.variables).toEqual({
      total: 120,
      approved: true,
    });
    expect((await t.call('GET', `/api/user-tasks?instanceId=${started.id}`)).body).toEqual([]);
    const twice = await t.call('POST', `/api/user-tasks/${task.id}/complete`, { json: {} });
    expect(twice.status).toBe(404);
    expect(errorOf(twice).code).toBe('USER_TASK_NOT_FOUND');
  });

  it('correlates a message to the waiting instance with the matching key only', async () => {
    // given: two instances waiting for payment of different orders
    await t.deploy('server-message.bpmn');
    const a = (
      await t.call('POST', '/api/processes/srv_message/instances', { json: { variables: { orderId: 'A-1' } } })
    ).body;
    const b = (
      await t.call('POST', '/api/processes/srv_message/instances', { json: { variables: { orderId: 'B-2' } } })
    ).body;
    await waitFor('both waiting', async () => {
      const [x, y] = await Promise.all([a.id, b.id].map((id) => t.call('GET', `/api/instances/${id}`)));
      return x!.body.activeElements.includes('Wait_Paid') && y!.body.activeElements.includes('Wait_Paid');
    });
    // when
    const answer = await t.call('POST', '/api/messages', {
      json: { name: 'srv.paid', correlationKey: 'B-2', variables: { paidAmount: 99 } },
    });
    const unmatched = await t.call('POST', '/api/messages', { json: { name: 'srv.paid', correlationKey: 'nobody' } });
    // then
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ correlated: [b.id], started: [] });
    expect(unmatched.body).toEqual({ correlated: [], started: [] });
    await waitFor('B completed', async () => (await statusOf(b.id)) === 'completed');
    expect((await t.call('GET', `/api/instances/${b.id}`)).body.variables).toEqual({ orderId: 'B-2', paidAmount: 99 });
    expect(await statusOf(a.id)).toBe('active');
  });

  it('raises an incident when a job fails with no retries left, and retrying it runs the job again', async () => {
    // given
    await t.deploy('server-job.bpmn');
    const { body: started } = await t.call('POST', '/api/processes/srv_job/instances', { json: {} });
    const job = await waitFor(
      'a job',
      async () => (await t.call('POST', '/api/jobs/activate', { json: { type: 'srv.work', maxJobs: 1 } })).body.jobs[0],
    );
    // when
    const failed = await t.call('POST', `/api/jobs/${job.key}/fail`, {
      json: { errorMessage: 'printer on fire', retries: 0 },
    });
    expect(failed.status).toBe(200);
    // then
    const incident = await waitFor(
      'an incident',
      async () => (await t.call('GET', `/api/incidents?instanceId=${started.id}`)).body[0],
    );
    expect(incident).toMatchObject({
      instanceId: started.id,
      elementId: 'Work',
      message: expect.stringContaining('printer on fire'),
    });
    const stuck = (await t.call('GET', `/api/instances/${started.id}`)).body;
    expect(stuck.status).toBe('active');
    expect(stuck.incidents).toEqual([expect.objectContaining({ id: incident.id, elementId: 'Work' })]);
    expect((await t.call('POST', '/api/jobs/activate', { json: { type: 'srv.work' } })).body.jobs).toEqual([]);

    const retried = await t.call('POST', `/api/incidents/${incident.id}/retry`, {
      json: { retries: 1, reason: 'printer fixed' },
    });
    expect(retried.status).toBe(200);
    expect((await t.call('GET', `/api/instances/${started.id}`)).body.incidents).toEqual([]);
    const again = await waitFor(
      'the job again',
      async () => (await t.call('POST', '/api/jobs/activate', { json: { type: 'srv.work', maxJobs: 1 } })).body.jobs[0],
    );
    expect(again).toMatchObject({ instanceId: started.id, elementId: 'Work', retries: 1 });
    await t.call('POST', `/api/jobs/${again.key}/complete`, { json: {} });
    await waitFor('completion', async () => (await statusOf(started.id)) === 'completed');
    const history = (await t.call('GET', `/api/instances/${started.id}/history`)).body as Record<string, unknown>[];
    expect(history.map((e) => e.type)).toEqual(expect.arrayContaining(['incident-created', 'incident-resolved']));
    expect(history).toContainEqual(expect.objectContaining({ reason: 'printer fixed' }));
  });
});

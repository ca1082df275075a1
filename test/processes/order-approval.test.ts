/**
 * processes/order-approval.bpmn: the README walk, over HTTP against a real server. An external
 * worker completes `check-stock`, sales approves the order in the task list.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from '../server/helpers.js';
import { example, PROCESSES, ROOT } from './helpers.js';

describe('order-approval example (README walk)', () => {
  let s: TestServer;

  beforeAll(async () => {
    s = await startTestServer();
    const deployed = await s.call('POST', '/api/deployments', {
      raw: example('order-approval.bpmn'),
      contentType: 'application/xml',
    });
    expect(deployed.status).toBe(201);
    expect(deployed.body.processes).toEqual([expect.objectContaining({ processId: 'order-approval', version: 1 })]);
  });
  afterAll(() => s.close());

  async function walk(approved: boolean) {
    // start an instance
    const started = await s.call('POST', '/api/processes/order-approval/instances', {
      json: { variables: { orderId: 'A-1', amount: 250 } },
    });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    // be the external worker for check-stock
    const jobs = await waitFor('check-stock job', async () => {
      const r = await s.call('POST', '/api/jobs/activate', { json: { type: 'check-stock', worker: 'me', maxJobs: 1 } });
      return r.body.jobs.length ? r.body.jobs : undefined;
    });
    expect(jobs[0]).toMatchObject({ type: 'check-stock', instanceId: id, variables: { orderId: 'A-1', amount: 250 } });
    expect(
      (await s.call('POST', `/api/jobs/${jobs[0].key}/complete`, { json: { variables: { inStock: true } } })).status,
    ).toBe(200);
    // the user task is in the sales task list
    const task = await waitFor('approve task', async () => {
      const r = await s.call('GET', '/api/user-tasks?candidateGroup=sales');
      return r.body.find((x: { instanceId: string }) => x.instanceId === id);
    });
    expect(task).toMatchObject({ elementId: 'Task_ApproveOrder', name: 'Approve order', candidateGroups: ['sales'] });
    expect(
      (await s.call('POST', `/api/user-tasks/${task.id}/complete`, { json: { variables: { approved } } })).status,
    ).toBe(200);
    const done = await waitFor('completed', async () => {
      const r = await s.call('GET', `/api/instances/${id}`);
      return r.body.status === 'completed' ? r.body : undefined;
    });
    const history = (await s.call('GET', `/api/instances/${id}/history`)).body as {
      type: string;
      elementId?: string;
    }[];
    return { done, completed: history.filter((h) => h.type === 'element-completed').map((h) => h.elementId) };
  }

  it('ends at "Order approved" when sales approves', async () => {
    const { done, completed } = await walk(true);
    expect(done.variables).toMatchObject({ orderId: 'A-1', amount: 250, inStock: true, approved: true });
    expect(completed).toEqual(['Start', 'Task_CheckStock', 'Task_ApproveOrder', 'Gateway_Approved', 'End_Approved']);
  });

  it('ends at "Order rejected" otherwise', async () => {
    const { completed } = await walk(false);
    expect(completed).toContain('End_Rejected');
    expect(completed).not.toContain('End_Approved');
  });

  it('runs with `baton run` and the example handlers until the user task (exit 3)', () => {
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'bin/baton.mjs'),
        'run',
        join(PROCESSES, 'order-approval.bpmn'),
        '--vars',
        '{"amount": 50}',
        '--handlers',
        join(PROCESSES, 'handlers.mjs'),
        '--db',
        ':memory:',
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.status, r.stderr).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      status: 'active',
      activeElements: ['Task_ApproveOrder'],
      variables: { amount: 50, inStock: true },
    });
  });
});

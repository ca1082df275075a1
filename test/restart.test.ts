/**
 * Restart test (issue 2, item 7): instances wait on an external job, a timer, a message and a user
 * task; the server is killed with SIGKILL and started again on the same SQLite file; then every
 * instance is driven to its end. The timer becomes due while the server is down and must fire after
 * the restart; every element of every instance completes exactly once.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { call, deploy, ServerProcess } from './torture/server-process.js';

const XML = readFileSync(fileURLToPath(new URL('./restart.bpmn', import.meta.url)), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'baton-restart-'));
const server = new ServerProcess({ dbPath: join(dir, 'baton.db') });

afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the instance until `check` holds; returns the instance. */
async function waitFor(id: string, check: (i: any) => boolean, timeoutMs = 15_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await call(server, 'GET', `/api/instances/${id}`);
    if (r.status === 200 && check(r.body)) return r.body;
    if (Date.now() > deadline)
      throw new Error(`instance ${id} did not reach the expected state: ${JSON.stringify(r.body)}`);
    await sleep(50);
  }
}

/** element-completed counts by element id. */
function completions(history: { type: string; elementId?: string }[]): Record<string, number> {
  const n: Record<string, number> = {};
  for (const h of history)
    if (h.type === 'element-completed' && h.elementId) n[h.elementId] = (n[h.elementId] ?? 0) + 1;
  return n;
}

describe('restart on the same SQLite file after SIGKILL', () => {
  it('continues instances waiting on a job, a timer, a message and a user task', async () => {
    // given: a server with four instances, each waiting on one kind of wait state
    await server.start();
    expect((await deploy(server, XML)).status).toBe(201);
    const ids: Record<string, string> = {};
    const startedAt = Date.now();
    for (const kind of ['timer', 'job', 'message', 'user']) {
      const r = await call(server, 'POST', '/api/processes/restart/instances', {
        variables: { kind, key: `k-${kind}` },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids[kind] = r.body.id;
    }
    const waitsOn: Record<string, string> = { job: 'Job', timer: 'Wait', message: 'Msg', user: 'Approve' };
    for (const [kind, id] of Object.entries(ids)) await waitFor(id, (i) => i.activeElements.includes(waitsOn[kind]));
    // the external job is locked by a worker that will die with the server
    const locked = await call(server, 'POST', '/api/jobs/activate', {
      type: 'restart.job',
      worker: 'doomed',
      maxJobs: 1,
      lockMs: 1000,
    });
    expect(locked.body.jobs).toHaveLength(1);
    const jobKey = locked.body.jobs[0].key;
    expect(Date.now() - startedAt, 'the kill must come before the 1.5 s timer is due').toBeLessThan(1400);

    // when: SIGKILL, stay down until the timer is overdue, start again on the same file
    await server.kill();
    await sleep(Math.max(0, startedAt + 1800 - Date.now()));
    await server.start();
    const restartedAt = Date.now();

    // then: the job comes back after its lock, the message and the user task are taken, the timer fires
    const again = await call(server, 'POST', '/api/jobs/activate', {
      type: 'restart.job',
      worker: 'survivor',
      maxJobs: 1,
      lockMs: 10_000,
      waitMs: 5_000,
    });
    expect(again.body.jobs.map((j: { key: string }) => j.key)).toEqual([jobKey]);
    expect(
      (await call(server, 'POST', `/api/jobs/${jobKey}/complete`, { variables: { done: 'job' } })).status,
    ).toBeLessThan(300);
    const msg = await call(server, 'POST', '/api/messages', {
      name: 'restart.go',
      correlationKey: 'k-message',
      messageId: 'restart-m1',
      variables: { done: 'message' },
    });
    expect(msg.status).toBe(200);
    expect(msg.body.correlated).toEqual([ids.message]);
    const tasks = await call(server, 'GET', `/api/user-tasks?instanceId=${ids.user}`);
    expect(tasks.body).toHaveLength(1);
    expect(
      (await call(server, 'POST', `/api/user-tasks/${tasks.body[0].id}/complete`, { variables: { done: 'user' } }))
        .status,
    ).toBeLessThan(300);

    for (const [kind, id] of Object.entries(ids)) {
      const inst = await waitFor(id, (i) => i.status === 'completed');
      expect(inst.activeElements).toEqual([]);
      const history = (await call(server, 'GET', `/api/instances/${id}/history`)).body as {
        type: string;
        elementId?: string;
        time: string;
      }[];
      expect(completions(history), kind).toEqual({ Start: 1, Split: 1, [waitsOn[kind]!]: 1, Merge: 1, End: 1 });
      expect(history.filter((h) => h.type === 'process-completed')).toHaveLength(1);
      if (kind === 'timer') {
        const fired = history.find((h) => h.type === 'element-completed' && h.elementId === 'Wait')!;
        expect(Date.parse(fired.time)).toBeGreaterThanOrEqual(restartedAt - 50);
      }
    }
  }, 60_000);
});

/**
 * Storage contract, part 5: the console's read models on data a real engine wrote (test/restart.bpmn:
 * one process whose instances wait on a job, a timer, a message or a user task, or stop on an
 * incident). Every adapter must give the same figures. See ./contract.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { openEngine, type Engine } from '../../engine/src/runtime/engine.js';
import { fresh, type Harness } from './contract-data.js';

const XML = readFileSync(fileURLToPath(new URL('../restart.bpmn', import.meta.url)), 'utf8');

/** Starts an instance of `restart` choosing its path by `kind`; resolves to its id. */
async function start(engine: Engine, kind: string, key = 'k'): Promise<string> {
  return (await engine.startInstance({ processId: 'restart', variables: { kind, key }, businessKey: `bk-${kind}` })).id;
}

export function consoleContract(h: Harness): void {
  it('computes the definitions, instance list, heatmap, dashboard and waits of what an engine wrote', async () => {
    // given an engine on the store (scheduler not started: the timer stays due, nothing moves by itself)
    const { store } = await fresh(h);
    const engine = await openEngine({ store });
    await engine.deploy(XML);
    const user = await start(engine, 'user');
    const msg = await start(engine, 'message', 'k1');
    const job = await start(engine, 'job');
    const broken = await start(engine, 'none');
    const suspended = await start(engine, 'user');
    const timer = await start(engine, 'timer');
    // (one instance holds a NUL character and other odd text in its variables)
    await engine.setVariables(timer, { odd: 'a\u0000b', quote: '"\\', emoji: '😀' });
    // when: the user task is completed, the message published, the job failed for good, one suspended
    const task = (await engine.listUserTasks({ instanceId: user }))[0]!;
    await engine.completeUserTask(task.id, { approved: true });
    expect((await engine.publishMessage({ name: 'restart.go', correlationKey: 'k1' })).correlated).toEqual([msg]);
    const [j] = await engine.activateJobs({ type: 'restart.job', worker: 'w', maxJobs: 1 });
    await engine.failJob(j!.key, { retries: 0, errorMessage: 'no stock', worker: 'w' });
    await engine.suspendInstance(suspended);
    await waitUntil(async () => (await store.read.instances.row(msg))?.status === 'completed');
    const c = store.read.console;

    // then the definition counts
    expect(await c.definitions()).toEqual([
      {
        processId: 'restart',
        version: 1,
        name: 'Restart test',
        deployedAt: expect.any(String),
        counts: { active: 3, suspended: 1, completed: 2, cancelled: 0 },
        total: 6,
        openIncidents: 2,
      },
    ]);
    // the instance list, filtered
    const withIncidents = await c.instances({ processId: 'restart', withIncidents: true });
    expect(withIncidents.items.map((i) => i.id).sort()).toEqual([broken, job].sort());
    expect(withIncidents.items.every((i) => i.openIncidents === 1)).toBe(true);
    const completed = await c.instances({ status: 'completed' });
    expect([completed.total, completed.items.map((i) => i.id).sort()]).toEqual([2, [user, msg].sort()]);
    expect(completed.items.every((i) => i.endedAt !== null)).toBe(true);
    const page = await c.instances({ version: 1, limit: 2, offset: 1 });
    expect([page.total, page.items.length]).toEqual([6, 2]);
    expect((await c.instances({ businessKey: 'bk-timer' })).items.map((i) => i.id)).toEqual([timer]);
    expect((await c.instances({ status: 'suspended' })).items.map((i) => i.id)).toEqual([suspended]);
    // the heatmap
    const heat = (await c.heatmap('restart', 1))!;
    expect(heat.instances).toBe(6);
    expect(heat.elements.Approve).toEqual({ passed: 1, waiting: 1, failed: 0, openIncidents: 0 });
    expect(heat.elements.Msg).toEqual({ passed: 1, waiting: 0, failed: 0, openIncidents: 0 });
    expect(heat.elements.Job).toEqual({ passed: 0, waiting: 1, failed: 1, openIncidents: 1 });
    expect(heat.elements.Split).toMatchObject({ failed: 1, openIncidents: 1, waiting: 1 });
    expect(heat.elements.Wait).toMatchObject({ passed: 0, waiting: 1 });
    expect(heat.flows).toMatchObject({ F_user: 2, F_msg: 1, F_job: 1, F_timer: 1, F_end: 2 });
    expect(await c.heatmap('restart', 2)).toBeUndefined();
    // the dashboard: everything active made no progress since now + 1 s
    const now = Date.now() + 1000;
    const dash = await c.dashboard(now, 1000);
    expect([dash.inFlight, dash.suspended, dash.completedLastHour]).toEqual([4, 1, 2]);
    expect(dash.stalled.items.map((s) => s.id).sort()).toEqual([job, broken, timer].sort());
    expect(dash.stalled.items.find((s) => s.id === timer)?.activeElements).toEqual(['Wait']);
    expect(dash.incidents.map((i) => [i.instanceId, i.elementId, i.elementName]).sort()).toEqual(
      [
        [broken, 'Split', null],
        [job, 'Job', 'External job'],
      ].sort(),
    );
    expect(dash.failingElements.find((f) => f.elementId === 'Job')).toMatchObject({
      incidents: 1,
      jobFailures: 1,
      openIncidents: 1,
      elementName: 'External job',
    });
    expect((await c.dashboard(now, 3_600_000)).stalled.total).toBe(0);
    // what the instances wait for
    const waitsTimer = (await c.waits(timer, Date.now(), () => false))!;
    expect(waitsTimer.timers.map((t) => t.elementId)).toEqual(['Wait']);
    expect([waitsTimer.jobs, waitsTimer.subscriptions]).toEqual([[], []]);
    const other = await start(engine, 'message', 'k2');
    const waitsMsg = (await c.waits(other, Date.now(), () => false))!;
    expect(waitsMsg.subscriptions).toEqual([
      { kind: 'message', name: 'restart.go', correlationKey: 'k2', elementId: 'Msg' },
    ]);
    const waiting = await start(engine, 'job');
    const waitsJob = (await c.waits(waiting, Date.now(), (t) => t === 'restart.job'))!;
    expect(waitsJob.jobs).toMatchObject([
      { type: 'restart.job', elementId: 'Job', retries: 3, worker: null, inProcess: true, retryAt: null },
    ]);
    expect(await c.waits('nope', Date.now(), () => false)).toBeUndefined();
    await engine.close();
  });
}

async function waitUntil(probe: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

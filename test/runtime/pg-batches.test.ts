/**
 * Batch operations on several nodes sharing PostgreSQL (issue 15, item 3): two engines claim chunks
 * of one batch without waiting on each other's claims, every instance is changed exactly once, and a
 * migration batch moves instances (their row, jobs and history) to the next version.
 */
import pgClient from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../engine/src/runtime/engine.js';
import { createTestDatabase, describePg, type TestDatabase } from '../storage/pg.js';
import { bpmn, flow, job } from '../core/harness.js';

const model = (after = '') =>
  bpmn(
    'pgb',
    `<bpmn:startEvent id="S" />${job('A', 'pgb.a')}${after ? job('B', 'pgb.b') : ''}<bpmn:endEvent id="E" />
    ${flow('f1', 'S', 'A')}${after ? `${flow('f2', 'A', 'B')}${flow('f3', 'B', 'E')}` : flow('f2', 'A', 'E')}`,
  );

async function finished(engine: Engine, id: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const b = await engine.operations.getBatch(id);
    if (b && b.state !== 'running') return b;
    if (Date.now() > deadline) throw new Error(`batch ${id} still running: ${JSON.stringify(b?.counts)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describePg('batch operations on two nodes sharing PostgreSQL', () => {
  let db: TestDatabase;
  let a: Engine;
  let b: Engine;
  let sql: pgClient.Client;
  const query = async <R extends pgClient.QueryResultRow>(text: string, args: unknown[]) =>
    (await sql.query<R>(text, args)).rows;
  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new pgClient.Client({ connectionString: db.url });
    await sql.connect();
    a = await openEngine({ dbPath: db.url, batchChunk: 10 });
    // b looks for batches a created every 5 ms instead of every second, so that it joins while a works
    b = await openEngine({ dbPath: db.url, batchChunk: 10, batchIdleMs: 5 });
    a.start();
    b.start();
    await a.deploy(model());
    await a.deploy(model('B'));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await sql?.end();
    await db?.drop();
  });

  it('both nodes work on one batch of cancels; every instance is cancelled exactly once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 600; i += 50)
      ids.push(
        ...(await Promise.all(Array.from({ length: 50 }, () => a.startInstance({ processId: 'pgb', version: 1 })))).map(
          (x) => x.id,
        ),
      );
    const created = await a.operations.createBatch(
      { type: 'cancel', filter: { processId: 'pgb', version: 1 } },
      { actor: 'dana' },
    );
    expect(created.total).toBe(600);
    const done = await finished(b, created.id);
    expect(done.counts).toEqual({ pending: 0, done: 600, failed: 0, skipped: 0 });
    const workers = await query<{ w: string; n: number }>(
      'SELECT claimed_by AS w, COUNT(*)::int AS n FROM batch_items WHERE batch_id = $1 GROUP BY claimed_by',
      [created.id],
    );
    expect(workers.length, JSON.stringify(workers)).toBe(2);
    const cancels = await query<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM history WHERE type = 'process-cancelled' AND instance_id = ANY($1)`,
      [ids],
    );
    expect(cancels[0]!.n).toBe(600);
    for (const id of [ids[0]!, ids[599]!]) expect((await b.getInstance(id))!.status).toBe('cancelled');
  });

  it('migrates instances to the next version: the row, the job and the history move with them', async () => {
    const ids = (
      await Promise.all(Array.from({ length: 40 }, () => a.startInstance({ processId: 'pgb', version: 1 })))
    ).map((x) => x.id);
    const created = await b.operations.createBatch({
      type: 'migrate',
      filter: { instanceIds: ids, processId: 'pgb' },
      migration: { targetVersion: 2 },
    });
    expect((await finished(a, created.id)).counts).toMatchObject({ done: 40 });
    const rows = await query<{ v: number }>('SELECT DISTINCT version AS v FROM instances WHERE id = ANY($1)', [ids]);
    expect(rows).toEqual([{ v: 2 }]);
    const jobs = await a.activateJobs({ type: 'pgb.a', maxJobs: 100 });
    expect(jobs.filter((j) => ids.includes(j.instanceId))).toHaveLength(40);
    await a.completeJob(jobs.find((j) => j.instanceId === ids[0])!.key);
    expect((await a.getInstance(ids[0]!))!.activeElements).toEqual(['B']);
  });
});

/**
 * PostgreSQL backup as docs/operations.md describes it: `pg_dump -Fc` while an engine works on the
 * database, `pg_restore` into a new database, and every instance of the copy runs to its end there.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../engine/src/runtime/engine.js';
import { bpmn, flow, job } from '../core/harness.js';
import { createTestDatabase, describePg, type TestDatabase } from '../storage/pg.js';

const run = promisify(execFile);
const tools = await run('pg_dump', ['--version']).then(
  () => true,
  () => false,
);
if (!tools) process.stdout.write('PostgreSQL backup test did not run: pg_dump is not installed\n');

const MODEL = bpmn(
  'pgbk',
  `<bpmn:startEvent id="S" />${job('A', 'pgbk.a')}${job('B', 'pgbk.b')}${flow('f1', 'S', 'A')}${flow('f2', 'A', 'B')}`,
);

(tools ? describePg : describe.skip)('pg_dump and pg_restore of a database an engine works on', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'baton-pg-backup-'));
  beforeAll(async () => {
    source = await createTestDatabase();
    target = await createTestDatabase();
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores a dump taken under load; every instance in it continues', async () => {
    const live: Engine = await openEngine({ dbPath: source.url });
    live.start();
    await live.deploy(MODEL);
    let stop = false;
    const load = (async () => {
      while (!stop) {
        await live.startInstance({ processId: 'pgbk' });
        const jobs = await live.activateJobs({ type: 'pgbk.a', maxJobs: 5, lockMs: 1000 });
        for (const j of jobs) await live.completeJob(j.key);
      }
    })();
    await new Promise((r) => setTimeout(r, 500));
    const dump = join(dir, 'baton.dump');
    await run('pg_dump', ['-Fc', '-f', dump, source.url]);
    stop = true;
    await load;
    await live.close();
    await run('pg_restore', ['--no-owner', '-d', target.url, dump]);
    const restored = await openEngine({ dbPath: target.url });
    restored.start();
    try {
      const { total } = await restored.listInstances({ status: 'active', limit: 1 });
      expect(total).toBeGreaterThan(0);
      // jobs a worker had locked when the dump was taken come back once their lock runs out
      const deadline = Date.now() + 15_000;
      while ((await restored.listInstances({ status: 'active', limit: 1 })).total > 0) {
        expect(Date.now()).toBeLessThan(deadline);
        for (const type of ['pgbk.a', 'pgbk.b'])
          for (const j of await restored.activateJobs({ type, maxJobs: 100 })) await restored.completeJob(j.key);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((await restored.listInstances({ status: 'completed', limit: 1 })).total).toBe(total);
    } finally {
      await restored.close();
    }
  }, 60_000);
});

/**
 * Schema migrations: a database written by the previous release (test/fixtures/storage/schema-v1.db,
 * schema version 1, written before migrations were recorded) opens with the current code, is
 * upgraded in place, and every instance waiting in it — at a timer, a job, a message, a user task,
 * and one stopped on an incident — runs to its end through a real server. A database of a newer
 * schema is refused with a clear error, by the store and by `baton serve`. PostgreSQL: a database
 * at version 1 is upgraded, and nodes starting at once migrate once.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../engine/src/main.js';
import { createLogger } from '../../engine/src/runtime/logger.js';
import { migratePostgres } from '../../engine/src/storage/postgres/migrate.js';
import { openPostgresStore } from '../../engine/src/storage/postgres/pg-store.js';
import { MIGRATIONS as PG_MIGRATIONS } from '../../engine/src/storage/postgres/schema.js';
import { openSqliteStore } from '../../engine/src/storage/sqlite/sqlite-store.js';
import { MIGRATIONS } from '../../engine/src/storage/sqlite/schema.js';
import { request, waitFor } from '../server/helpers.js';
import { createTestDatabase, describePg, type TestDatabase } from './pg.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/storage/schema-v1.db', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NEWEST = MIGRATIONS[MIGRATIONS.length - 1]!.version;
const dir = mkdtempSync(join(tmpdir(), 'baton-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const versions = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return (
      db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as { version: number }[]
    ).map((r) => r.version);
  } finally {
    db.close();
  }
};

describe('a SQLite database of schema version 1', () => {
  it('is upgraded in place and every instance waiting in it runs to its end', async () => {
    // given a copy of the file the previous release wrote: no schema_migrations table yet
    const path = join(dir, 'v1.db');
    copyFileSync(FIXTURE, path);
    const before = new Database(path, { readonly: true });
    expect(before.prepare(`SELECT name FROM sqlite_master WHERE name = 'schema_migrations'`).get()).toBeUndefined();
    expect(
      (before.prepare('SELECT COUNT(*) AS n FROM instances WHERE status = ?').get('active') as { n: number }).n,
    ).toBe(5);
    before.close();

    // when a server of the current code opens it
    const server = await startServer({
      port: 0,
      dbPath: path,
      logger: createLogger({ level: 'silent' }),
      staticDir: join(dir, 'static'),
    });
    const call = (method: string, p: string, json?: unknown) => request(server.url, method, p, { json });
    try {
      // then it was upgraded to the newest version, version 1 recorded as found
      expect(versions(path)).toEqual(MIGRATIONS.map((m) => m.version));
      const inst = async (id: string) => (await call('GET', `/api/instances/${id}`)).body;
      expect((await inst('5')).incidents).toMatchObject([{ elementId: 'Split', type: 'CONDITION_FAILED' }]);

      // when each instance is driven on: the overdue timer fires by itself; the job is activated and
      // completed; the message published; the user task completed; the incident's variables fixed and retried
      const jobs = await call('POST', '/api/jobs/activate', { type: 'restart.job', worker: 'w', maxJobs: 5 });
      expect(jobs.body.jobs.map((j: { instanceId: string }) => j.instanceId)).toEqual(['2']);
      expect(
        (await call('POST', `/api/jobs/${jobs.body.jobs[0].key}/complete`, { variables: { done: 1 } })).status,
      ).toBeLessThan(300);
      const published = await call('POST', '/api/messages', { name: 'restart.go', correlationKey: 'k-message' });
      expect(published.body.correlated).toEqual(['3']);
      const tasks = await call('GET', '/api/user-tasks?instanceId=4');
      expect(tasks.body).toHaveLength(1);
      expect(
        (await call('POST', `/api/user-tasks/${tasks.body[0].id}/complete`, { variables: {} })).status,
      ).toBeLessThan(300);
      expect((await call('PATCH', '/api/instances/5/variables', { kind: 'message', key: 'k-5' })).status).toBe(200);
      const incidentId = (await inst('5')).incidents[0].id;
      expect((await call('POST', `/api/incidents/${incidentId}/retry`, {})).status).toBeLessThan(300);
      expect(
        (await call('POST', '/api/messages', { name: 'restart.go', correlationKey: 'k-5' })).body.correlated,
      ).toEqual(['5']);

      // then all five completed, each through End exactly once
      for (const id of ['1', '2', '3', '4', '5']) {
        const done = await waitFor(`instance ${id} completed`, async () => {
          const i = await inst(id);
          return i.status === 'completed' ? i : undefined;
        });
        expect(done.endedAt).not.toBeNull();
        const history = (await call('GET', `/api/instances/${id}/history`)).body as {
          type: string;
          elementId?: string;
        }[];
        expect(history.filter((e) => e.type === 'process-completed')).toHaveLength(1);
        expect(history.filter((e) => e.type === 'element-completed' && e.elementId === 'End')).toHaveLength(1);
        const waitedAt = { '1': 'Wait', '2': 'Job', '3': 'Msg', '4': 'Approve', '5': 'Msg' }[id]!;
        expect(history.filter((e) => e.type === 'element-completed' && e.elementId === waitedAt)).toHaveLength(1);
      }
      expect((await call('GET', '/api/incidents')).body).toEqual([]);
      // and the ids the old file reserved are not handed out again
      const next = await call('POST', '/api/processes/restart/instances', { variables: { kind: 'user' } });
      expect(Number(next.body.id)).toBeGreaterThan(5);
    } finally {
      await server.close();
    }
    // when opened once more, nothing is migrated again
    const again = openSqliteStore({ path });
    expect(again.schemaVersion).toBe(NEWEST);
    await again.close();
    expect(versions(path)).toEqual(MIGRATIONS.map((m) => m.version));
  });
});

describe('a SQLite database of a newer schema version', () => {
  const path = join(dir, 'future.db');
  beforeAll(async () => {
    const store = openSqliteStore({ path });
    await store.close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      NEWEST + 7,
      'from the future',
      1,
    );
    db.close();
  });

  it('is refused by the store with a clear error, and left as it was', () => {
    expect(() => openSqliteStore({ path })).toThrow(
      `Expected a database of schema version ${NEWEST} or older, but it has version ${NEWEST + 7}`,
    );
    expect(versions(path)).toEqual([...MIGRATIONS.map((m) => m.version), NEWEST + 7]);
    // and the refused open let go of the file: an engine of that newer release could open it
    const db = new Database(`${path}.lock`);
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    db.close();
  });

  it('makes baton serve exit non-zero with one line naming the versions', () => {
    const r = spawnSync(process.execPath, ['bin/baton.mjs', 'serve', '--port', '0', '--db', path], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, BATON_LOG_LEVEL: 'silent' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      `baton serve: Expected a database of schema version ${NEWEST} or older, but it has version ${NEWEST + 7}: a newer Baton wrote it; run that release or a newer one`,
    );
  });
});

describePg('PostgreSQL migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  const PG_NEWEST = PG_MIGRATIONS[PG_MIGRATIONS.length - 1]!.version;

  /** A client whose search_path is `schema` (created). */
  async function clientOn(schema: string): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: db.url, options: `-c search_path=${schema}` });
    c.on('error', () => {});
    await c.connect();
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    return c;
  }

  it('upgrades a database at version 1 in place, keeping its rows', async () => {
    // given a schema at version 1 with an instance and a message in it
    const c = await clientOn('v1');
    await migratePostgres(c as unknown as pg.PoolClient, PG_MIGRATIONS.slice(0, 1));
    await c.query(
      `INSERT INTO instances (id, process_id, version, definition_key, status, started_at, revision, state) VALUES ('1', 'p', 1, 'p:1', 'active', 1, 1, '{"id":"1"}')`,
    );
    await c.query(`INSERT INTO messages (name, variables, expires_at, created_at) VALUES ('go', '{}', 9e12, 1)`);
    // when a store opens it
    const store = await openPostgresStore({ url: db.url, schema: 'v1' });
    // then it is at the newest version and the rows are there, usable by the new code
    const rows = (await c.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
    expect(rows).toEqual(PG_MIGRATIONS.map((m) => m.version));
    expect((await store.read.instances.row('1'))?.revision).toBe(1);
    expect(await store.transaction((tx) => tx.messages.takeBuffered('go', null, 'p', 2))).toMatchObject({
      processes: ['p'],
    });
    await store.close();
    await c.end();
  });

  it('migrates once when three nodes start at the same time on an empty database', async () => {
    const c = await clientOn('together');
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore({ url: db.url, schema: 'together' })));
    const rows = (await c.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
    expect(rows).toEqual(PG_MIGRATIONS.map((m) => m.version));
    for (const s of stores) await s.close();
    await c.end();
  });

  it('refuses a database of a newer schema version with a clear error', async () => {
    const c = await clientOn('future');
    await migratePostgres(c as unknown as pg.PoolClient, PG_MIGRATIONS);
    await c.query(`INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'from the future', 1)`, [
      PG_NEWEST + 3,
    ]);
    await expect(openPostgresStore({ url: db.url, schema: 'future' })).rejects.toThrow(
      `Expected a database of schema version ${PG_NEWEST} or older, but it has version ${PG_NEWEST + 3}`,
    );
    await c.end();
  });
});

/**
 * The storage contract (./contract.ts) on PostgreSQL: one database for this file (./pg.ts), one schema
 * emptied before each test; `twin` opens a second store on the same schema, as another engine node would.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgresStore } from '../../engine/src/storage/postgres/pg-store.js';
import { StoreUnavailableError } from '../../engine/src/storage/port.js';
import { timer } from './contract-data.js';
import { storageContract } from './contract.js';
import { createTestDatabase, describePg, type TestDatabase } from './pg.js';

describePg('PostgreSQL adapter', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('fails a transaction whose connection is cut with StoreUnavailableError, and the next one works', async () => {
    // given a store in the middle of a transaction that wrote a timer
    const store = await openPostgresStore({ url: db.url, schema: 'cut', poolSize: 2 });
    try {
      const err = await store
        .transaction(async (tx) => {
          await tx.timers.upsert(timer('t0', 1));
          // when every connection to the database is cut
          await db.terminateBackends();
          await tx.timers.upsert(timer('t1', 2));
        })
        .catch((e: unknown) => e);
      // then the transaction fails as unavailable, nothing of it was kept, and the store reconnects
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect(await store.read.work.nextTimerDue()).toBeUndefined();
      await store.transaction((tx) => tx.timers.upsert(timer('t2', 3)));
      expect((await store.read.work.dueTimers(10, 10)).map((t) => t.key)).toEqual(['t2']);
    } finally {
      await store.close();
    }
  });

  it('fails to open on a server that cannot be reached with StoreUnavailableError', async () => {
    const url = new URL(db.url);
    url.port = '1';
    await expect(openPostgresStore({ url: url.toString() })).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  /**
   * One schema for every contract test, emptied between tests (creating and migrating a schema per test
   * costs several times more): every table but schema_migrations, and the counters back to where a
   * migrated database starts. Tests run one after another, and each one's stores are closed at its end.
   */
  const schema = 'contract';
  let migrated = false;
  async function emptySchema(client: pg.Client): Promise<void> {
    if (!migrated) {
      migrated = true;
      return;
    }
    const { rows } = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'`,
      [schema],
    );
    await client.query(`TRUNCATE ${rows.map((r) => r.name).join(', ')} RESTART IDENTITY`);
    await client.query(`INSERT INTO meta (key, value) VALUES ('deploys', 0)`);
  }

  storageContract({
    name: 'PostgreSQL',
    nodes: 'many',
    async open() {
      const open = () => openPostgresStore({ url: db.url, schema, poolSize: 4 });
      const client = new pg.Client({ connectionString: db.url, options: `-c search_path=${schema}` });
      client.on('error', () => {});
      await client.connect();
      const store = await open();
      await emptySchema(client);
      return {
        store,
        twin: open,
        sql: async (query) => (await client.query(query)).rows,
        async close() {
          await client.end();
          await store.close();
        },
      };
    },
  });
});

/**
 * The storage contract (./contract.ts) on PostgreSQL: one database for this file (./pg.ts), a new
 * schema per test; `twin` opens a second store on the same schema, as another engine node would.
 */
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openPostgresStore } from '../../engine/src/storage/postgres/pg-store.js';
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
  let n = 0;

  storageContract({
    name: 'PostgreSQL',
    nodes: 'many',
    async open() {
      const schema = `c${++n}`;
      const open = () => openPostgresStore({ url: db.url, schema, poolSize: 4 });
      const store = await open();
      const client = new pg.Client({ connectionString: db.url, options: `-c search_path=${schema}` });
      client.on('error', () => {});
      await client.connect();
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

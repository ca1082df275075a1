/**
 * The operations storage contract (./operations-contract.ts) on PostgreSQL: a database of its own for
 * this file, a schema per test; `twin` opens another node's store on the same schema.
 */
import { afterAll, beforeAll } from 'vitest';
import { openPostgresStore } from '../../engine/src/storage/postgres/pg-store.js';
import { createTestDatabase, describePg, type TestDatabase } from '../storage/pg.js';
import { operationsContract } from './operations-contract.js';

describePg('PostgreSQL operations storage', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  let n = 0;
  operationsContract({
    name: 'PostgreSQL',
    async open() {
      const schema = `ops${++n}`;
      const open = () => openPostgresStore({ url: db.url, schema, poolSize: 4 });
      const store = await open();
      return { store, twin: open, close: () => store.close() };
    },
  });
});

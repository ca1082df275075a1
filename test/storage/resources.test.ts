/**
 * The storage contract of deployments, decisions and forms (./contract-resources.ts) on SQLite (a
 * file, and :memory:) and PostgreSQL (a database of its own per test). Under CI a missing PostgreSQL
 * fails; elsewhere one line says those tests did not run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { openPostgresStore } from '../../engine/src/storage/postgres/pg-store.js';
import { openSqliteStore } from '../../engine/src/storage/sqlite/sqlite-store.js';
import { createTestDatabase, describePg } from './pg.js';
import { resourceContract } from './contract-resources.js';

describe('storage contract of resources: SQLite file', () => {
  resourceContract({
    name: 'SQLite file',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'baton-resources-'));
      const store = await openSqliteStore({ path: join(dir, 'baton.db') });
      return {
        store,
        async close() {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  });
});

describe('storage contract of resources: SQLite :memory:', () => {
  resourceContract({
    name: 'SQLite :memory:',
    async open() {
      const store = await openSqliteStore({ path: ':memory:' });
      return { store, close: () => store.close() };
    },
  });
});

describePg('storage contract of resources: PostgreSQL', () => {
  resourceContract({
    name: 'PostgreSQL',
    async open() {
      const db = await createTestDatabase();
      const store = await openPostgresStore({ url: db.url });
      return {
        store,
        async close() {
          await store.close();
          await db.drop();
        },
      };
    },
  });
});

/** The storage contract (./contract.ts) on a SQLite file: a new file per test, one writer per file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { openSqliteStore } from '../../engine/src/storage/sqlite/sqlite-store.js';
import { storageContract } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'baton-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

storageContract({
  name: 'SQLite file',
  nodes: 'one',
  async open() {
    const path = join(dir, `c${++n}.db`);
    const store = openSqliteStore({ path });
    return {
      store,
      secondWriter: async () => openSqliteStore({ path }),
      async sql(query) {
        const db = new Database(path, { readonly: true });
        try {
          return db.prepare(query).all() as Record<string, unknown>[];
        } finally {
          db.close();
        }
      },
      close: () => store.close(),
    };
  },
});

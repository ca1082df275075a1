/** The operations storage contract (./operations-contract.ts) on a SQLite file and on SQLite :memory:. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openSqliteStore } from '../../engine/src/storage/sqlite/sqlite-store.js';
import { operationsContract } from './operations-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'baton-ops-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

operationsContract({
  name: 'SQLite file',
  async open() {
    const store = openSqliteStore({ path: join(dir, `c${++n}.db`) });
    return { store, close: () => store.close() };
  },
});

operationsContract({
  name: 'SQLite :memory:',
  async open() {
    const store = openSqliteStore({ path: ':memory:' });
    return { store, close: () => store.close() };
  },
});

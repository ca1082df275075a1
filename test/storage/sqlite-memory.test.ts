/** The storage contract (./contract.ts) on SQLite `:memory:`: a new database per test. */
import { openSqliteStore } from '../../engine/src/storage/sqlite/sqlite-store.js';
import { storageContract } from './contract.js';

storageContract({
  name: 'SQLite :memory:',
  nodes: 'memory',
  async open() {
    const store = openSqliteStore({ path: ':memory:' });
    return {
      store,
      // the only way into a memory database is its own connection
      sql: async (query) => store.database.prepare(query).all() as Record<string, unknown>[],
      close: () => store.close(),
    };
  },
});

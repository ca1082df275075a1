/** How the SQLite adapter runs the shared operations SQL (../operations-sql.ts): prepared once per connection, at once. */
import type Database from 'better-sqlite3';
import type { SqlRunner } from '../operations-sql.js';
import type { Row } from '../sql-mappers.js';

const statements = new WeakMap<object, Map<string, Database.Statement>>();

/** A runner on the connection `owner` prepares statements on; `onWrite` counts the transaction's writes. */
export function sqliteRunner(
  owner: { prepare(sql: string): Database.Statement },
  onWrite: () => void = () => {},
): SqlRunner {
  let cache = statements.get(owner);
  if (!cache) statements.set(owner, (cache = new Map()));
  const stmt = (sql: string): Database.Statement => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = owner.prepare(sql)));
    return s;
  };
  return {
    all: async (sql, args) => stmt(sql).all(...args) as Row[],
    write: async (sql, args) => {
      onWrite();
      return stmt(sql).run(...args).changes;
    },
    returning: async (sql, args) => {
      onWrite();
      return stmt(sql).all(...args) as Row[];
    },
    later: async (sql, args) => {
      onWrite();
      stmt(sql).run(...args);
    },
  };
}

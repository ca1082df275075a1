/**
 * Applies the SQLite migrations a database lacks, each in a transaction of its own, and records
 * them in `schema_migrations`. A database written before migrations existed (it has the version 1
 * tables but no record) counts as version 1. A database of a newer release is refused.
 */
import type Database from 'better-sqlite3';
import type { Migration } from './schema.js';

/** Thrown when a database was written by a newer Baton than this one. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly newest: number,
  ) {
    super(
      `Expected a database of schema version ${newest} or older, but it has version ${found}: a newer Baton wrote it; run that release or a newer one`,
    );
    this.name = 'SchemaTooNewError';
  }
}

/** Brings `db` to the newest migration; returns the versions before and after. */
export function migrateSqlite(db: Database.Database, migrations: readonly Migration[]): { from: number; to: number } {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  let current = (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  const hasTables = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'instances'`).get();
  if (current === 0 && hasTables) {
    record.run(1, `${migrations[0]!.name} (found without a record)`, Date.now());
    current = 1;
  }
  const from = current;
  const newest = migrations[migrations.length - 1]!.version;
  if (current > newest) throw new SchemaTooNewError(current, newest);
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    })();
    current = m.version;
  }
  return { from, to: current };
}

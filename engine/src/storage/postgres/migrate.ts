/**
 * Applies the PostgreSQL migrations a database lacks, each in a transaction of its own, recorded in
 * `schema_migrations`. Nodes starting together take an advisory lock, so one migrates and the
 * others find the work done. A database of a newer release is refused.
 */
import type pg from 'pg';
import { SchemaTooNewError } from '../sqlite/migrate.js';
import type { Migration } from './schema.js';

/** The advisory lock key of migrations ("baton" in ASCII). */
const MIGRATION_LOCK = 0x626174_6f6e;

export async function migratePostgres(
  client: pg.PoolClient,
  migrations: readonly Migration[],
): Promise<{ from: number; to: number }> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
    let current = rows[0]?.v ?? 0;
    const from = current;
    const newest = migrations[migrations.length - 1]!.version;
    if (current > newest) throw new SchemaTooNewError(current, newest);
    for (const m of migrations) {
      if (m.version <= current) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          Date.now(),
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
      current = m.version;
    }
    return { from, to: current };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}

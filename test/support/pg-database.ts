/**
 * PostgreSQL for the tests: every test file creates a database of its own
 * (`baton_t_<pid>_<random>`) through an admin connection to the `test` database and drops it
 * (FORCE) when it is done. `BATON_TEST_PG_URL` names another server (default
 * `postgres://postgres@127.0.0.1:5432/test`).
 *
 * Free of vitest, so the benchmark and the torture driver use it too; test/storage/pg.ts adds
 * `describePg` (what a suite does when PostgreSQL cannot be reached).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The admin connection: a database that exists on the server, used to create and drop test databases. */
export const PG_ADMIN_URL = process.env.BATON_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** Whether this run is CI's (`.ci/run` exports CI=true). */
export const UNDER_CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';

/** Prefix of every test database; the pid that made one follows it (stale ones are dropped at setup). */
export const TEST_DB_PREFIX = 'baton_t_';

/** The reason PostgreSQL cannot be reached at `url`, or undefined when it answers. */
export async function pgUnreachable(url = PG_ADMIN_URL): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message || String(err) : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

/** `url` with its database replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A database of one test file, dropped by `drop()`. */
export interface TestDatabase {
  readonly name: string;
  /** Connection URL of the database (what `baton serve --db` takes). */
  readonly url: string;
  /** Runs SQL on the admin connection (e.g. `pg_terminate_backend`); resolves to the rows. */
  admin<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, args?: unknown[]): Promise<R[]>;
  /** Runs SQL inside the test database, on a connection of its own. */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, args?: unknown[]): Promise<R[]>;
  /** Ends every connection to the database except the admin's, as a lost network would. */
  terminateBackends(): Promise<number>;
  /** Drops the database (WITH FORCE: connections still open are cut) and closes the admin connection. */
  drop(): Promise<void>;
}

/** Creates `baton_t_<pid>_<random>` on the server of {@link PG_ADMIN_URL}. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `${TEST_DB_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  admin.on('error', () => {});
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = withDatabase(PG_ADMIN_URL, name);
  const inside = new pg.Pool({ connectionString: url, max: 2 });
  inside.on('error', () => {});
  let dropped = false;
  return {
    name,
    url,
    admin: async (sql, args = []) => (await admin.query(sql, args)).rows,
    query: async (sql, args = []) => (await inside.query(sql, args)).rows,
    async terminateBackends() {
      const rows = await admin.query<{ n: number }>(
        `SELECT COUNT(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [name],
      );
      return rows.rows[0]!.n;
    },
    async drop() {
      if (dropped) return;
      dropped = true;
      await inside.end().catch(() => {});
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end().catch(() => {});
      }
    },
  };
}

/** A connection URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an invalid URL)';
  }
}

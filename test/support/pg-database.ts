/**
 * A PostgreSQL database of its own for one test run: created on the server of `BATON_TEST_PG_URL`
 * (default `postgres://postgres@127.0.0.1:5432/test`, the admin connection), dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const ADMIN_URL = process.env['BATON_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh database: its URL, and how to drop it (closing every connection to it). */
export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'baton_t'): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Whether the PostgreSQL server of {@link ADMIN_URL} answers (within 3 s); the reason when it does not. */
export async function postgresReachable(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `${ADMIN_URL.replace(/\/\/[^@]*@/, '//')}: ${(err as Error).message}` };
  } finally {
    await c.end().catch(() => {});
  }
}

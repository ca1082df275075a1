/**
 * Vitest global setup: checks once per run whether PostgreSQL can be reached and tells every test
 * file (`inject('pgUnavailable')`, see ./pg.ts). When it cannot, it prints the one line that says
 * the PostgreSQL tests did not run (or, under CI, that they fail). When it can, it drops test
 * databases left behind by runs whose process is gone (a run killed before its `afterAll`).
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { PG_ADMIN_URL, pgUnreachable, redact, TEST_DB_PREFIX, UNDER_CI } from './pg.js';

/** The line test/run-all.mjs looks for and repeats beside the closing line. */
export const NOT_RUN_LINE = 'PostgreSQL tests did not run';

export default async function setup(project: TestProject): Promise<void> {
  const reason = await pgUnreachable();
  project.provide('pgUnavailable', reason ?? null);
  if (reason) {
    process.stdout.write(
      UNDER_CI
        ? `PostgreSQL tests FAIL: CI=true needs PostgreSQL at ${redact(PG_ADMIN_URL)}, but it cannot be reached (${reason})\n`
        : `${NOT_RUN_LINE}: PostgreSQL at ${redact(PG_ADMIN_URL)} cannot be reached (${reason}); they are skipped, not passed. Start it (apt-get install postgresql) or set BATON_TEST_PG_URL.\n`,
    );
    return;
  }
  await dropStaleDatabases().catch(() => {});
}

/** Drops `baton_t_<pid>_…` databases whose pid is no longer a running process. */
async function dropStaleDatabases(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  admin.on('error', () => {});
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 || '%'`,
      [TEST_DB_PREFIX],
    );
    for (const { datname } of rows) {
      const pid = Number(/^baton_t_(\d+)_[0-9a-f]+$/.exec(datname)?.[1]);
      if (!pid || alive(pid)) continue;
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => {});
    }
  } finally {
    await admin.end().catch(() => {});
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

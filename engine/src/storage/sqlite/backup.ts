/**
 * `baton backup FILE`: a consistent copy of a live SQLite database, taken with SQLite's online backup
 * API (better-sqlite3's `backup`) on a read-only connection of its own. The engine holds its lock on
 * `<db>.lock` only (./file-lock.ts), so this process may read the database while the engine runs:
 * in WAL mode the copy is one read transaction's snapshot (every commit before it, none after), and
 * it never stops the engine. The copy is then checked (`PRAGMA integrity_check`) and described.
 *
 * Restore: stop the engine, put the copy in place of the database file (removing its `-wal` and
 * `-shm` files), start the engine (docs/operations.md).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';

/** What a backup wrote. */
export interface BackupReport {
  file: string;
  bytes: number;
  pages: number;
  ms: number;
  schemaVersion: number;
  instances: { active: number; ended: number };
}

/** Thrown when a backup cannot be taken: the message says why and what to do. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/** Copies the database at `source` to `target` (which must not exist) and checks the copy. */
export async function backupSqlite(source: string, target: string): Promise<BackupReport> {
  const from = resolve(source);
  const to = resolve(target);
  if (!existsSync(from)) throw new BackupError(`Expected a Baton database at ${from}, but there is no such file`);
  if (existsSync(to)) throw new BackupError(`Expected ${to} not to exist (a backup never overwrites), but it does`);
  if (!existsSync(dirname(to))) throw new BackupError(`Expected the folder ${dirname(to)} to exist, but it does not`);
  const started = performance.now();
  const db = new Database(from, { readonly: true, fileMustExist: true });
  let pages: number;
  try {
    if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'instances'`).get())
      throw new BackupError(`Expected a Baton database at ${from}, but it has no instances table`);
    // the first step counts the pages, the second copies them all in one read transaction: a snapshot
    ({ totalPages: pages } = await db.backup(to, { progress: () => 0x7fffffff }));
  } finally {
    db.close();
  }
  const copy = new Database(to, { readonly: true });
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok')
      throw new BackupError(`Expected the copy ${to} to pass SQLite's integrity check, but: ${String(check)}`);
    const count = (where: string) =>
      (copy.prepare(`SELECT COUNT(*) AS n FROM instances WHERE ${where}`).get() as { n: number }).n;
    return {
      file: to,
      bytes: statSync(to).size,
      pages,
      ms: Math.round(performance.now() - started),
      schemaVersion: (copy.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v,
      instances: {
        active: count(`status IN ('active', 'suspended')`),
        ended: count(`status IN ('completed', 'cancelled')`),
      },
    };
  } finally {
    copy.close();
  }
}

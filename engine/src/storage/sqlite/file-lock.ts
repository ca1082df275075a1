/**
 * One engine process per SQLite file. The holder keeps a write transaction open on a small sidecar
 * database (`<file>.lock`); the operating system drops that lock when the process ends, however it
 * ends, so a killed engine never blocks the next start. The main database stays readable by other
 * processes (backups). Who holds the lock is written to `<file>.lock.json` for the error message.
 * `<file>` is the real path, so that a link or another spelling of the path finds the same lock.
 */
import { readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';

/** Thrown when another live engine holds the database file. */
export class DatabaseLockedError extends Error {
  constructor(
    readonly path: string,
    readonly holder: { pid?: number; host?: string; since?: string } | undefined,
  ) {
    const who = holder?.pid
      ? ` by process ${holder.pid}${holder.host ? ` on ${holder.host}` : ''}${holder.since ? ` (since ${holder.since})` : ''}`
      : '';
    super(
      `Expected to be the only engine on ${path}, but it is in use${who}. Stop that engine, or give this one another file with --db (several engines share one database only on PostgreSQL).`,
    );
    this.name = 'DatabaseLockedError';
  }
}

/** A held lock; `release()` lets the next engine in. */
export interface FileLock {
  release(): void;
}

/** Takes the lock of the database at `path` or throws {@link DatabaseLockedError} at once. */
export function lockDatabaseFile(path: string): FileLock {
  // beside the file itself, wherever the path given comes through (links, `.` and `..`)
  const file = canonicalPath(path);
  const lockPath = `${file}.lock`;
  const infoPath = `${file}.lock.json`;
  const db = new Database(lockPath, { timeout: 0 });
  try {
    db.pragma('journal_mode = DELETE');
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') throw new DatabaseLockedError(path, readHolder(infoPath));
    throw err;
  }
  writeFileSync(infoPath, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
  return {
    release() {
      if (!db.open) return;
      rmSync(infoPath, { force: true });
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

/** The real path of the database file (or, before it exists, of its folder). */
function canonicalPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // not created yet
  }
  try {
    return join(realpathSync(dirname(path)), basename(path));
  } catch {
    return resolve(path);
  }
}

function readHolder(infoPath: string): { pid?: number; host?: string; since?: string } | undefined {
  try {
    return JSON.parse(readFileSync(infoPath, 'utf8')) as { pid?: number; host?: string; since?: string };
  } catch {
    return undefined;
  }
}

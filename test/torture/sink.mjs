// The idempotent side-effect sink of the crash torture: a SQLite file of its own, written by the
// in-process handlers (inside `baton serve`) and by the external workers (inside the driver).
// One row per job key (INSERT OR IGNORE) plus a counter of attempts, so a job run twice (at-least-once
// delivery) leaves one effect and an attempt count of 2.
import Database from 'better-sqlite3';

/** Opens (or creates) the sink at `path`. */
export function openSink(path) {
  const db = new Database(path, { timeout: 10_000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE IF NOT EXISTS effects (job_key TEXT PRIMARY KEY, instance_id TEXT NOT NULL, element_id TEXT NOT NULL, type TEXT NOT NULL, worker TEXT NOT NULL, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS attempts (job_key TEXT PRIMARY KEY, n INTEGER NOT NULL)`);
  const effect = db.prepare(
    'INSERT OR IGNORE INTO effects (job_key, instance_id, element_id, type, worker, at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const attempt = db.prepare(
    'INSERT INTO attempts (job_key, n) VALUES (?, 1) ON CONFLICT(job_key) DO UPDATE SET n = n + 1',
  );
  const record = db.transaction((job, worker) => {
    effect.run(String(job.key), String(job.instanceId), job.elementId, job.type, worker, Date.now());
    attempt.run(String(job.key));
  });
  return {
    /** Records the side effect of `job` (idempotent by job key) and counts the attempt. */
    record: (job, worker) => record(job, worker),
    /** Effects per (instance, element): [{ instance_id, element_id, effects, attempts }]. */
    perElement: () =>
      db
        .prepare(
          `SELECT e.instance_id, e.element_id, COUNT(*) AS effects, SUM(a.n) AS attempts
      FROM effects e JOIN attempts a ON a.job_key = e.job_key GROUP BY e.instance_id, e.element_id`,
        )
        .all(),
    close: () => db.close(),
  };
}

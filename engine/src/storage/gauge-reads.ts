/**
 * What the metrics' gauges read from the database at scrape time, in SQL either adapter runs: open
 * incidents per process, and active instances without progress per process. "Progress" is a history
 * entry: every command that changes an instance writes at least one, so an instance whose newest
 * entry is older than the age has not moved since (the console's "stalled" list means the same).
 */
import type { RunSql } from './console-reads.js';

/** A count per process id. */
export interface ProcessCount {
  readonly processId: string;
  readonly count: number;
}

export interface GaugeReads {
  /** Open incidents, per process id of their instance. */
  openIncidents(): Promise<ProcessCount[]>;
  /** Active (not suspended, not ended) instances whose newest history entry is older than `before` (epoch ms). */
  stuckInstances(before: number): Promise<ProcessCount[]>;
  /** Buffered messages (published with a time to live) that have not expired by `now`. */
  bufferedMessages(now: number): Promise<number>;
}

export class SqlGaugeReads implements GaugeReads {
  constructor(private readonly run: RunSql) {}

  async openIncidents(): Promise<ProcessCount[]> {
    const rows = await this.run(
      `SELECT i.process_id, COUNT(*) AS n FROM incidents x JOIN instances i ON i.id = x.instance_id
       GROUP BY i.process_id ORDER BY i.process_id`,
    );
    return rows.map((r) => ({ processId: String(r.process_id), count: Number(r.n) }));
  }

  async stuckInstances(before: number): Promise<ProcessCount[]> {
    const rows = await this.run(
      `SELECT s.process_id, COUNT(*) AS n FROM (
         SELECT i.process_id,
           (SELECT h.time FROM history h WHERE h.instance_id = i.id ORDER BY h.seq DESC LIMIT 1) AS last_time
         FROM instances i WHERE i.status = 'active') s
       WHERE COALESCE(s.last_time, 0) < ? GROUP BY s.process_id ORDER BY s.process_id`,
      [before],
    );
    return rows.map((r) => ({ processId: String(r.process_id), count: Number(r.n) }));
  }

  async bufferedMessages(now: number): Promise<number> {
    const rows = await this.run('SELECT COUNT(*) AS n FROM messages WHERE expires_at > ?', [now]);
    return Number(rows[0]?.n ?? 0);
  }
}

/** The prepared statements of the SQLite adapter, made once per connection (see ./schema.ts for the tables). */
import type Database from 'better-sqlite3';
import { ResourceStatements } from './resource-repos.js';

type St = Database.Statement;

export class SqliteStatements {
  readonly reserveIds: St;
  readonly insDep: St;
  readonly insRes: St;
  readonly resource: St;
  readonly insDef: St;
  readonly defsOfDep: St;
  readonly latestDef: St;
  readonly defVer: St;
  readonly defTag: St;
  readonly defKey: St;
  readonly listDefs: St;
  readonly insInst: St;
  readonly saveInst: St;
  readonly loadState: St;
  readonly instRow: St;
  readonly byStartKey: St;
  readonly hist: St;
  readonly insJob: St;
  readonly updJob: St;
  readonly delJob: St;
  readonly job: St;
  readonly runnable: St;
  readonly hasRunnable: St;
  readonly lockJob: St;
  readonly extendLock: St;
  readonly releaseLocks: St;
  readonly upTimer: St;
  readonly delTimer: St;
  readonly takeTimer: St;
  readonly dueTimers: St;
  readonly nextTimer: St;
  readonly delStartTimers: St;
  readonly insSub: St;
  readonly delSub: St;
  readonly msgSubs: St;
  readonly msgStartSubs: St;
  readonly sigSubs: St;
  readonly startSubs: St;
  readonly delStartSubs: St;
  readonly bufMsg: St;
  readonly findMsg: St;
  readonly markMsg: St;
  readonly purgeMsgs: St;
  readonly purgeIds: St;
  readonly insMsgId: St;
  readonly insTask: St;
  readonly delTask: St;
  readonly task: St;
  readonly setAssignee: St;
  readonly insInc: St;
  readonly delInc: St;
  readonly inc: St;
  readonly incs: St;
  readonly incsOf: St;
  readonly idem: St;
  readonly insIdem: St;
  readonly addInbox: St;
  readonly takeInbox: St;
  readonly oldestInbox: St;
  readonly hasInbox: St;
  /** Decisions and forms (./resource-repos.ts). */
  readonly resources: ResourceStatements;
  private readonly historyInserts = new Map<number, St>();

  constructor(private readonly db: Database.Database) {
    const q = (sql: string) => db.prepare(sql);
    this.resources = new ResourceStatements(db);
    this.reserveIds = q(
      `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value RETURNING value`,
    );
    this.insDep = q('INSERT INTO deployments (id, created_at) VALUES (?, ?)');
    this.insRes = q('INSERT INTO resources (deployment_id, name, kind, checksum, content) VALUES (?, ?, ?, ?, ?)');
    this.resource = q('SELECT * FROM resources WHERE deployment_id = ? AND name = ?');
    this.insDef = q(
      'INSERT INTO definitions (key, process_id, version, name, version_tag, deployment_id, resource_name, checksum, model, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.defsOfDep = q('SELECT * FROM definitions WHERE deployment_id = ? ORDER BY rowid');
    this.latestDef = q('SELECT key FROM definitions WHERE process_id = ? ORDER BY version DESC LIMIT 1');
    this.defVer = q('SELECT key FROM definitions WHERE process_id = ? AND version = ?');
    this.defTag = q(
      'SELECT key FROM definitions WHERE process_id = ? AND version_tag = ? ORDER BY version DESC LIMIT 1',
    );
    this.defKey = q('SELECT * FROM definitions WHERE key = ?');
    this.listDefs = q('SELECT * FROM definitions ORDER BY process_id, version');
    this.insInst = q(
      'INSERT INTO instances (id, process_id, version, definition_key, business_key, status, started_at, ended_at, parent_id, start_key, revision, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)',
    );
    this.saveInst = q(
      'UPDATE instances SET status = ?, ended_at = ?, revision = revision + 1, state = ? WHERE id = ? AND revision = ?',
    );
    this.loadState = q('SELECT state, revision FROM instances WHERE id = ?');
    this.instRow = q(
      'SELECT id, process_id, version, definition_key, business_key, status, started_at, ended_at, parent_id, revision FROM instances WHERE id = ?',
    );
    this.byStartKey = q(`SELECT 1 FROM instances WHERE start_key = ? AND status IN ('active','suspended') LIMIT 1`);
    this.hist = q('SELECT * FROM history WHERE instance_id = ? ORDER BY seq');
    this.insJob = q(
      'INSERT OR REPLACE INTO jobs (key, instance_id, element_key, element_id, type, retries, headers, state, due_at, worker, lock_until, error_message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)',
    );
    this.updJob = q(
      'UPDATE jobs SET retries = COALESCE(?, retries), state = ?, due_at = COALESCE(?, due_at), error_message = COALESCE(?, error_message), worker = NULL, lock_until = NULL WHERE key = ?',
    );
    this.delJob = q('DELETE FROM jobs WHERE key = ?');
    this.job = q('SELECT * FROM jobs WHERE key = ?');
    const runnable = `FROM jobs j JOIN instances i ON i.id = j.instance_id
      WHERE j.type IN (SELECT value FROM json_each(?)) AND j.state = 'activatable' AND j.due_at <= ?
        AND (j.lock_until IS NULL OR j.lock_until <= ?) AND i.status = 'active'`;
    this.runnable = q(`SELECT j.* ${runnable} ORDER BY j.created_at, j.rowid LIMIT ?`);
    this.hasRunnable = q(`SELECT 1 ${runnable} LIMIT 1`);
    this.lockJob = q('UPDATE jobs SET worker = ?, lock_until = ? WHERE key = ?');
    this.extendLock = q('UPDATE jobs SET lock_until = ? WHERE worker = ? AND key IN (SELECT value FROM json_each(?))');
    this.releaseLocks = q(
      `UPDATE jobs SET worker = NULL, lock_until = NULL WHERE worker LIKE ? || '%' AND worker <> ?`,
    );
    this.upTimer = q(
      'INSERT OR REPLACE INTO timers (key, instance_id, element_key, element_id, definition_key, due_at, repeat) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.delTimer = q('DELETE FROM timers WHERE key = ?');
    this.takeTimer = q('DELETE FROM timers WHERE key = ? RETURNING *');
    this.dueTimers = q('SELECT * FROM timers WHERE due_at <= ? ORDER BY due_at, key LIMIT ?');
    this.nextTimer = q('SELECT MIN(due_at) AS due FROM timers');
    this.delStartTimers = q(
      'DELETE FROM timers WHERE instance_id IS NULL AND definition_key IN (SELECT key FROM definitions WHERE process_id = ?)',
    );
    this.insSub = q(
      'INSERT OR REPLACE INTO subscriptions (key, kind, name, correlation_key, instance_id, element_key, element_id, definition_key, process_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.delSub = q('DELETE FROM subscriptions WHERE key = ?');
    this.msgSubs = q(
      `SELECT * FROM subscriptions WHERE kind = 'message' AND name = ? AND correlation_key IS ? AND instance_id IS NOT NULL ORDER BY created_at, rowid`,
    );
    this.msgStartSubs = q(
      `SELECT * FROM subscriptions WHERE kind = 'message' AND name = ? AND correlation_key IS NULL AND instance_id IS NULL ORDER BY created_at, rowid`,
    );
    this.sigSubs = q(`SELECT * FROM subscriptions WHERE kind = 'signal' AND name = ? ORDER BY created_at, rowid`);
    this.startSubs = q('SELECT * FROM subscriptions WHERE kind = ? AND instance_id IS NULL ORDER BY created_at, rowid');
    this.delStartSubs = q(
      'DELETE FROM subscriptions WHERE instance_id IS NULL AND definition_key IN (SELECT key FROM definitions WHERE process_id = ?)',
    );
    this.bufMsg = q(
      'INSERT INTO messages (name, correlation_key, variables, expires_at, message_id, processes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.findMsg = q(
      `SELECT * FROM messages WHERE name = ? AND correlation_key IS ? AND expires_at > ?
        AND NOT EXISTS (SELECT 1 FROM json_each(processes) WHERE value = ?) ORDER BY id LIMIT 1`,
    );
    this.markMsg = q("UPDATE messages SET processes = json_insert(processes, '$[#]', ?) WHERE id = ?");
    this.purgeMsgs = q('DELETE FROM messages WHERE expires_at <= ?');
    this.purgeIds = q('DELETE FROM message_ids WHERE expires_at <= ?');
    this.insMsgId = q('INSERT OR IGNORE INTO message_ids (message_id, expires_at) VALUES (?, ?)');
    this.insTask = q(
      'INSERT INTO user_tasks (id, instance_id, element_key, element_id, name, assignee, candidate_groups, form_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.delTask = q('DELETE FROM user_tasks WHERE id = ?');
    this.task = q('SELECT * FROM user_tasks WHERE id = ?');
    this.setAssignee = q('UPDATE user_tasks SET assignee = ? WHERE id = ?');
    this.insInc = q(
      'INSERT INTO incidents (id, instance_id, element_key, element_id, type, message, job_key, created_at, command) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.delInc = q('DELETE FROM incidents WHERE id = ?');
    this.inc = q('SELECT * FROM incidents WHERE id = ?');
    this.incs = q('SELECT * FROM incidents ORDER BY created_at, rowid');
    this.incsOf = q('SELECT * FROM incidents WHERE instance_id = ? ORDER BY created_at, rowid');
    this.idem = q('SELECT status, body FROM idempotency WHERE key = ?');
    this.insIdem = q('INSERT OR IGNORE INTO idempotency (key, status, body, created_at) VALUES (?, ?, ?, ?)');
    this.addInbox = q('INSERT INTO inbox (target, kind, payload, created_at) VALUES (?, ?, ?, ?) RETURNING seq');
    this.takeInbox = q(`DELETE FROM inbox WHERE seq = ? AND (target IS NULL OR NOT EXISTS (
      SELECT 1 FROM inbox e WHERE e.target = inbox.target AND e.seq < inbox.seq)) RETURNING *`);
    this.oldestInbox = q('SELECT seq FROM inbox WHERE created_at <= ? ORDER BY seq LIMIT ?');
    this.hasInbox = q('SELECT 1 FROM inbox WHERE created_at <= ? LIMIT 1');
  }

  /** One multi-row history INSERT of `n` rows (cached per n). */
  historyInsert(n: number): St {
    let st = this.historyInserts.get(n);
    if (!st) {
      st = this.db.prepare(
        `INSERT INTO history (instance_id, time, type, element_id, element_type, data) VALUES ${Array(n).fill('(?, ?, ?, ?, ?, ?)').join(', ')}`,
      );
      this.historyInserts.set(n, st);
    }
    return st;
  }

  /** An ad-hoc statement (filtered lists). */
  prepare(sql: string): St {
    return this.db.prepare(sql);
  }
}

/**
 * The SQLite adapter of the storage port (better-sqlite3 12, WAL). Prepared statements are made
 * once; `transaction` nests as savepoints so several commands can share one commit.
 */
import Database from 'better-sqlite3';
import type { HistoryEvent } from '../../core/effects.js';
import type { InstanceState } from '../../core/state.js';
import type {
  DefinitionRow,
  HistoryRow,
  IncidentRow,
  InstanceRow,
  JobRow,
  MessageRow,
  Store,
  SubscriptionRow,
  TimerRow,
  UserTaskRow,
} from '../store.js';
import { SCHEMA } from './schema.js';
import { WalSync } from './wal-sync.js';

type Row = Record<string, any>;

export interface SqliteOptions {
  /**
   * `FULL` (default): SQLite fsyncs the WAL inside every commit; survives a power loss. `GROUP`:
   * commits are fsynced in groups off the event loop before they are acknowledged (see
   * {@link WalSync}); survives power loss like `FULL` and keeps the event loop free on disks with
   * slow fsyncs. `NORMAL`: survives a process crash, not a power loss.
   */
  readonly synchronous?: 'GROUP' | 'FULL' | 'NORMAL';
}

/** Decoded instance states kept in memory (bounded: waiting instances live in the file). */
const STATE_CACHE_SIZE = 2000;

/** Commits between two checkpoints in GROUP mode. */
const CHECKPOINT_EVERY = 256;

const j = (v: unknown): string => JSON.stringify(v);
const p = <T>(s: string | null): T => (s === null ? (null as T) : (JSON.parse(s) as T));

function statusOf(s: InstanceState): string {
  return s.status === 'active' && s.suspended ? 'suspended' : s.status;
}

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly wal: WalSync | undefined;
  private commitsSinceCheckpoint = 0;
  /**
   * Recently used instance states, decoded (least recently used first). Entries written inside a
   * transaction or savepoint that rolls back are dropped, so the cache never holds a state the file
   * does not.
   */
  private readonly states = new Map<string, InstanceState>();
  /** Instance ids written per open transaction level. */
  private readonly frames: Set<string>[] = [];
  private readonly st: Record<string, Database.Statement>;
  /** Decoded definitions by key: deployed definitions never change. */
  private readonly defs = new Map<string, DefinitionRow>();

  constructor(path: string, opts: SqliteOptions = {}) {
    this.db = new Database(path);
    if (path !== ':memory:') this.db.pragma('journal_mode = WAL');
    const mode = opts.synchronous ?? 'FULL';
    if (mode === 'GROUP' && path !== ':memory:') {
      this.db.pragma('synchronous = OFF');
      this.db.pragma('wal_autocheckpoint = 0');
      this.wal = new WalSync(`${path}-wal`);
    } else {
      this.db.pragma(`synchronous = ${mode === 'GROUP' ? 'OFF' : mode}`);
    }
    this.db.pragma('foreign_keys = OFF');
    this.db.exec(SCHEMA);
    const q = (sql: string) => this.db.prepare(sql);
    this.st = {
      nextId: q(
        `INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING value`,
      ),
      depByHash: q('SELECT id FROM deployments WHERE hash = ?'),
      insDep: q('INSERT INTO deployments (id, hash, xml, created_at) VALUES (?, ?, ?, ?)'),
      depXml: q('SELECT xml FROM deployments WHERE id = ?'),
      insDef: q(
        'INSERT INTO definitions (key, process_id, version, name, version_tag, deployment_id, model, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      defsOfDep: q('SELECT * FROM definitions WHERE deployment_id = ? ORDER BY rowid'),
      latestDef: q('SELECT key FROM definitions WHERE process_id = ? ORDER BY version DESC LIMIT 1'),
      defVer: q('SELECT key FROM definitions WHERE process_id = ? AND version = ?'),
      defTag: q('SELECT key FROM definitions WHERE process_id = ? AND version_tag = ? ORDER BY version DESC LIMIT 1'),
      defKey: q('SELECT * FROM definitions WHERE key = ?'),
      listDefs: q('SELECT * FROM definitions ORDER BY process_id, version'),
      insInst: q(
        'INSERT INTO instances (id, process_id, version, definition_key, business_key, status, started_at, ended_at, parent_id, start_key, revision, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)',
      ),
      saveInst: q('UPDATE instances SET status = ?, ended_at = ?, revision = revision + 1, state = ? WHERE id = ?'),
      loadState: q('SELECT state FROM instances WHERE id = ?'),
      instRow: q(
        'SELECT id, process_id, version, definition_key, business_key, status, started_at, ended_at, parent_id, revision FROM instances WHERE id = ?',
      ),
      byStartKey: q(`SELECT 1 FROM instances WHERE start_key = ? AND status IN ('active','suspended') LIMIT 1`),
      hist: q('SELECT * FROM history WHERE instance_id = ? ORDER BY seq'),
      insJob: q(
        'INSERT OR REPLACE INTO jobs (key, instance_id, element_key, element_id, type, retries, headers, state, due_at, worker, lock_until, error_message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?)',
      ),
      updJob: q(
        'UPDATE jobs SET retries = ?, state = ?, due_at = COALESCE(?, due_at), error_message = COALESCE(?, error_message), worker = NULL, lock_until = NULL WHERE key = ?',
      ),
      delJob: q('DELETE FROM jobs WHERE key = ?'),
      job: q('SELECT * FROM jobs WHERE key = ?'),
      activatable: q(
        `SELECT j.* FROM jobs j JOIN instances i ON i.id = j.instance_id WHERE j.type = ? AND j.state = 'activatable' AND j.due_at <= ? AND (j.lock_until IS NULL OR j.lock_until <= ?) AND i.status = 'active' ORDER BY j.created_at, j.rowid LIMIT ?`,
      ),
      lockJob: q('UPDATE jobs SET worker = ?, lock_until = ? WHERE key = ?'),
      upTimer: q(
        'INSERT OR REPLACE INTO timers (key, instance_id, element_key, element_id, definition_key, due_at, repeat) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      delTimer: q('DELETE FROM timers WHERE key = ?'),
      dueTimers: q('SELECT * FROM timers WHERE due_at <= ? ORDER BY due_at LIMIT ?'),
      nextTimer: q('SELECT MIN(due_at) AS due FROM timers'),
      delStartTimers: q(
        'DELETE FROM timers WHERE instance_id IS NULL AND definition_key IN (SELECT key FROM definitions WHERE process_id = ?)',
      ),
      insSub: q(
        'INSERT OR REPLACE INTO subscriptions (key, kind, name, correlation_key, instance_id, element_key, element_id, definition_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      delSub: q('DELETE FROM subscriptions WHERE key = ?'),
      msgSubs: q(
        `SELECT * FROM subscriptions WHERE kind = 'message' AND name = ? AND correlation_key IS ? AND instance_id IS NOT NULL ORDER BY created_at`,
      ),
      msgStartSubs: q(
        `SELECT * FROM subscriptions WHERE kind = 'message' AND name = ? AND correlation_key IS NULL AND instance_id IS NULL ORDER BY created_at`,
      ),
      sigSubs: q(`SELECT * FROM subscriptions WHERE kind = 'signal' AND name = ? ORDER BY created_at, rowid`),
      startSubs: q('SELECT * FROM subscriptions WHERE kind = ? AND instance_id IS NULL ORDER BY created_at, rowid'),
      delStartSubs: q(
        'DELETE FROM subscriptions WHERE instance_id IS NULL AND definition_key IN (SELECT key FROM definitions WHERE process_id = ?)',
      ),
      bufMsg: q(
        'INSERT INTO messages (name, correlation_key, variables, expires_at, message_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      findMsg: q(
        'SELECT * FROM messages WHERE name = ? AND correlation_key IS ? AND expires_at > ? ORDER BY id LIMIT 1',
      ),
      delMsg: q('DELETE FROM messages WHERE id = ?'),
      purgeMsgs: q('DELETE FROM messages WHERE expires_at <= ?'),
      purgeIds: q('DELETE FROM message_ids WHERE expires_at <= ?'),
      insMsgId: q('INSERT OR IGNORE INTO message_ids (message_id, expires_at) VALUES (?, ?)'),
      insTask: q(
        'INSERT INTO user_tasks (id, instance_id, element_key, element_id, name, assignee, candidate_groups, form_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      delTask: q('DELETE FROM user_tasks WHERE id = ?'),
      task: q('SELECT * FROM user_tasks WHERE id = ?'),
      setAssignee: q('UPDATE user_tasks SET assignee = ? WHERE id = ?'),
      insInc: q(
        'INSERT INTO incidents (id, instance_id, element_key, element_id, type, message, job_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      delInc: q('DELETE FROM incidents WHERE id = ?'),
      inc: q('SELECT * FROM incidents WHERE id = ?'),
      incs: q('SELECT * FROM incidents ORDER BY created_at, rowid'),
      incsOf: q('SELECT * FROM incidents WHERE instance_id = ? ORDER BY created_at, rowid'),
      idem: q('SELECT status, body FROM idempotency WHERE key = ?'),
      insIdem: q('INSERT OR IGNORE INTO idempotency (key, status, body, created_at) VALUES (?, ?, ?, ?)'),
    };
  }

  /** The raw database, for read-only query modules of this adapter (console read models). */
  get database(): Database.Database {
    return this.db;
  }

  transaction<T>(fn: () => T): T {
    const frame = new Set<string>();
    this.frames.push(frame);
    try {
      const result = this.db.transaction(fn)();
      this.frames.pop();
      const parent = this.frames[this.frames.length - 1];
      if (parent) for (const id of frame) parent.add(id);
      return result;
    } catch (e) {
      this.frames.pop();
      for (const id of frame) this.states.delete(id);
      throw e;
    }
  }

  private cacheState(s: InstanceState): void {
    this.states.delete(s.id);
    this.states.set(s.id, s);
    this.frames[this.frames.length - 1]?.add(s.id);
    if (this.states.size > STATE_CACHE_SIZE) this.states.delete(this.states.keys().next().value!);
  }

  private decode(id: string): InstanceState | undefined {
    const r = this.st.loadState!.get(id) as Row | undefined;
    return r ? (JSON.parse(r.state) as InstanceState) : undefined;
  }

  /**
   * Resolves when everything committed so far is durable (GROUP mode: a group fsync of the WAL;
   * other modes: at once, the commit itself was synced). Checkpoints now and then, with fsyncs.
   */
  durable(): Promise<void> {
    if (!this.wal) return Promise.resolve();
    if (++this.commitsSinceCheckpoint >= CHECKPOINT_EVERY) this.checkpoint();
    return this.wal.sync();
  }

  /** Copies the WAL into the database file with `synchronous=FULL`: the WAL and the file are synced before the WAL is reused. */
  checkpoint(): void {
    this.commitsSinceCheckpoint = 0;
    if (!this.wal) return;
    this.db.pragma('synchronous = FULL');
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } finally {
      this.db.pragma('synchronous = OFF');
    }
  }

  close(): void {
    if (this.wal) {
      this.checkpoint();
      this.wal.close();
    }
    this.db.close();
  }

  nextId(name: string): number {
    return Number((this.st.nextId!.get(name) as Row).value);
  }

  findDeploymentByHash(hash: string) {
    return this.st.depByHash!.get(hash) as { id: string } | undefined;
  }
  insertDeployment(id: string, hash: string, xml: string, now: number) {
    this.st.insDep!.run(id, hash, xml, now);
  }
  deploymentXml(id: string) {
    return (this.st.depXml!.get(id) as Row | undefined)?.xml as string | undefined;
  }
  insertDefinition(r: DefinitionRow) {
    this.defs.delete(r.key);
    this.st.insDef!.run(r.key, r.processId, r.version, r.name, r.versionTag, r.deploymentId, j(r.model), r.deployedAt);
  }
  definitionsOfDeployment(id: string) {
    return (this.st.defsOfDep!.all(id) as Row[]).map(defRow);
  }
  latestDefinition(pid: string) {
    return this.defOf(this.st.latestDef!.get(pid));
  }
  definition(pid: string, v: number) {
    return this.defOf(this.st.defVer!.get(pid, v));
  }
  definitionByTag(pid: string, tag: string) {
    return this.defOf(this.st.defTag!.get(pid, tag));
  }
  definitionByKey(key: string) {
    return this.defOf({ key });
  }
  private defOf(r: unknown): DefinitionRow | undefined {
    if (!r) return undefined;
    const key = (r as Row).key as string;
    let d = this.defs.get(key);
    if (!d) {
      d = opt(this.st.defKey!.get(key), defRow);
      if (d) this.defs.set(key, d);
    }
    return d;
  }
  listDefinitions() {
    return (this.st.listDefs!.all() as Row[]).map(defRow);
  }

  insertInstance(s: InstanceState, startKey: string | null, encoded?: string) {
    this.st.insInst!.run(
      s.id,
      s.processId,
      s.version,
      s.definitionKey,
      s.businessKey,
      statusOf(s),
      s.startedAt,
      s.endedAt,
      s.parent?.instanceId ?? null,
      startKey,
      encoded ?? j(s),
    );
    this.cacheState(s);
  }
  saveInstance(s: InstanceState, encoded?: string) {
    this.st.saveInst!.run(statusOf(s), s.endedAt, encoded ?? j(s), s.id);
    this.cacheState(s);
  }
  loadState(id: string) {
    const hit = this.states.get(id);
    if (hit) return hit;
    const s = this.decode(id);
    if (s) this.cacheState(s);
    return s;
  }
  takeState(id: string) {
    const hit = this.states.get(id);
    if (hit) {
      this.states.delete(id);
      return hit;
    }
    return this.decode(id);
  }
  instanceRow(id: string): InstanceRow | undefined {
    const r = this.st.instRow!.get(id) as Row | undefined;
    return (
      r && {
        id: r.id,
        processId: r.process_id,
        version: r.version,
        definitionKey: r.definition_key,
        businessKey: r.business_key,
        status: r.status,
        startedAt: r.started_at,
        endedAt: r.ended_at,
        parentId: r.parent_id,
        revision: r.revision,
      }
    );
  }
  listInstances(f: { processId?: string; status?: string; businessKey?: string; limit: number; offset: number }) {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.processId) {
      where.push('process_id = ?');
      args.push(f.processId);
    }
    if (f.status) {
      where.push('status = ?');
      args.push(f.status);
    }
    if (f.businessKey) {
      where.push('business_key = ?');
      args.push(f.businessKey);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM instances ${w}`).get(...args) as Row).n as number;
    const rows = (
      this.db
        .prepare(`SELECT state FROM instances ${w} ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?`)
        .all(...args, f.limit, f.offset) as Row[]
    ).map((r) => JSON.parse(r.state) as InstanceState);
    return { rows, total };
  }
  activeByStartKey(k: string) {
    return this.st.byStartKey!.get(k) !== undefined;
  }

  /** One multi-row INSERT per chunk of up to 16 events. */
  appendHistory(instanceId: string, now: number, events: readonly HistoryEvent[]) {
    for (let i = 0; i < events.length; i += 16) {
      const chunk = events.slice(i, i + 16);
      const args: unknown[] = [];
      for (const e of chunk) {
        const { type, elementId, elementType, ...data } = e;
        let extra: string | null = null;
        for (const _ in data) {
          extra = j(data);
          break;
        }
        args.push(instanceId, now, type, elementId ?? null, elementType ?? null, extra);
      }
      this.historyInsert(chunk.length).run(...args);
    }
  }

  private readonly historyInserts = new Map<number, Database.Statement>();
  private historyInsert(n: number): Database.Statement {
    let st = this.historyInserts.get(n);
    if (!st) {
      st = this.db.prepare(
        `INSERT INTO history (instance_id, time, type, element_id, element_type, data) VALUES ${Array(n).fill('(?, ?, ?, ?, ?, ?)').join(', ')}`,
      );
      this.historyInserts.set(n, st);
    }
    return st;
  }
  history(instanceId: string): HistoryRow[] {
    return (this.st.hist!.all(instanceId) as Row[]).map((r) => ({
      seq: r.seq,
      instanceId: r.instance_id,
      time: r.time,
      type: r.type,
      elementId: r.element_id,
      elementType: r.element_type,
      data: r.data ? JSON.parse(r.data) : {},
    }));
  }

  insertJob(r: JobRow) {
    this.st.insJob!.run(
      r.key,
      r.instanceId,
      r.elementKey,
      r.elementId,
      r.type,
      r.retries,
      j(r.headers),
      r.state,
      r.dueAt,
      r.createdAt,
    );
  }
  updateJob(key: string, u: { retries: number; state: string; dueAt?: number; errorMessage?: string }) {
    this.st.updJob!.run(u.retries, u.state, u.dueAt ?? null, u.errorMessage ?? null, key);
  }
  deleteJob(key: string) {
    this.st.delJob!.run(key);
  }
  job(key: string) {
    return opt(this.st.job!.get(key), jobRow);
  }
  activatableJobs(type: string, now: number, limit: number) {
    return (this.st.activatable!.all(type, now, now, limit) as Row[]).map(jobRow);
  }
  lockJob(key: string, worker: string, lockUntil: number) {
    this.st.lockJob!.run(worker, lockUntil, key);
  }

  upsertTimer(r: TimerRow) {
    this.st.upTimer!.run(r.key, r.instanceId, r.elementKey, r.elementId, r.definitionKey, r.dueAt, r.repeat);
  }
  deleteTimer(key: string) {
    this.st.delTimer!.run(key);
  }
  dueTimers(now: number, limit: number) {
    return (this.st.dueTimers!.all(now, limit) as Row[]).map(timerRow);
  }
  nextTimerDue() {
    const r = this.st.nextTimer!.get() as Row;
    return r.due === null ? undefined : (r.due as number);
  }
  deleteStartTimers(pid: string) {
    this.st.delStartTimers!.run(pid);
  }

  insertSubscription(r: SubscriptionRow, now: number) {
    this.st.insSub!.run(
      r.key,
      r.kind,
      r.name,
      r.correlationKey,
      r.instanceId,
      r.elementKey,
      r.elementId,
      r.definitionKey,
      now,
    );
  }
  deleteSubscription(key: string) {
    this.st.delSub!.run(key);
  }
  messageSubscriptions(name: string, ck: string | null) {
    return [...(this.st.msgSubs!.all(name, ck) as Row[]), ...(this.st.msgStartSubs!.all(name) as Row[])].map(subRow);
  }
  signalSubscriptions(name: string) {
    return (this.st.sigSubs!.all(name) as Row[]).map(subRow);
  }
  deleteStartSubscriptions(pid: string) {
    this.st.delStartSubs!.run(pid);
  }
  startSubscriptions(kind: string) {
    return (this.st.startSubs!.all(kind) as Row[]).map(subRow);
  }

  bufferMessage(m: Omit<MessageRow, 'id'>, now: number) {
    this.st.bufMsg!.run(m.name, m.correlationKey, j(m.variables), m.expiresAt, m.messageId, now);
  }
  takeBufferedMessage(name: string, ck: string | null, now: number): MessageRow | undefined {
    this.st.purgeMsgs!.run(now);
    const r = this.st.findMsg!.get(name, ck, now) as Row | undefined;
    if (!r) return undefined;
    this.st.delMsg!.run(r.id);
    return {
      id: r.id,
      name: r.name,
      correlationKey: r.correlation_key,
      variables: JSON.parse(r.variables),
      expiresAt: r.expires_at,
      messageId: r.message_id,
    };
  }
  rememberMessageId(id: string, expiresAt: number, now: number) {
    this.st.purgeIds!.run(now);
    return this.st.insMsgId!.run(id, expiresAt).changes === 1;
  }

  insertUserTask(r: UserTaskRow) {
    this.st.insTask!.run(
      r.id,
      r.instanceId,
      r.elementKey,
      r.elementId,
      r.name,
      r.assignee,
      j(r.candidateGroups),
      r.formKey,
      r.createdAt,
    );
  }
  deleteUserTask(id: string) {
    this.st.delTask!.run(id);
  }
  userTask(id: string) {
    return opt(this.st.task!.get(id), taskRow);
  }
  listUserTasks(f: {
    instanceId?: string;
    assignee?: string;
    candidateGroup?: string;
    limit?: number;
    offset?: number;
  }) {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.instanceId) {
      where.push('instance_id = ?');
      args.push(f.instanceId);
    }
    if (f.assignee) {
      where.push('assignee = ?');
      args.push(f.assignee);
    }
    if (f.candidateGroup) {
      where.push('EXISTS (SELECT 1 FROM json_each(candidate_groups) WHERE value = ?)');
      args.push(f.candidateGroup);
    }
    const sql = `SELECT * FROM user_tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, rowid LIMIT ? OFFSET ?`;
    return (this.db.prepare(sql).all(...args, f.limit ?? 1000, f.offset ?? 0) as Row[]).map(taskRow);
  }
  setAssignee(id: string, assignee: string | null) {
    this.st.setAssignee!.run(assignee, id);
  }

  insertIncident(r: IncidentRow) {
    this.st.insInc!.run(r.id, r.instanceId, r.elementKey, r.elementId, r.type, r.message, r.jobKey, r.createdAt);
  }
  deleteIncident(id: string) {
    this.st.delInc!.run(id);
  }
  incident(id: string) {
    return opt(this.st.inc!.get(id), incRow);
  }
  listIncidents(instanceId?: string) {
    return ((instanceId ? this.st.incsOf!.all(instanceId) : this.st.incs!.all()) as Row[]).map(incRow);
  }

  idempotent(key: string) {
    const r = this.st.idem!.get(key) as Row | undefined;
    return r ? { status: r.status as number, body: JSON.parse(r.body) } : undefined;
  }
  rememberIdempotent(key: string, status: number, body: unknown, now: number) {
    this.st.insIdem!.run(key, status, j(body), now);
  }
}

function opt<T>(r: unknown, f: (r: Row) => T): T | undefined {
  return r ? f(r as Row) : undefined;
}
function defRow(r: Row): DefinitionRow {
  return {
    key: r.key,
    processId: r.process_id,
    version: r.version,
    name: r.name,
    versionTag: r.version_tag,
    deploymentId: r.deployment_id,
    model: JSON.parse(r.model),
    deployedAt: r.deployed_at,
  };
}
function jobRow(r: Row): JobRow {
  return {
    key: r.key,
    instanceId: r.instance_id,
    elementKey: r.element_key,
    elementId: r.element_id,
    type: r.type,
    retries: r.retries,
    headers: JSON.parse(r.headers),
    state: r.state,
    dueAt: r.due_at,
    worker: r.worker,
    lockUntil: r.lock_until,
    errorMessage: r.error_message,
    createdAt: r.created_at,
  };
}
function timerRow(r: Row): TimerRow {
  return {
    key: r.key,
    instanceId: r.instance_id,
    elementKey: r.element_key,
    elementId: r.element_id,
    definitionKey: r.definition_key,
    dueAt: r.due_at,
    repeat: r.repeat,
  };
}
function subRow(r: Row): SubscriptionRow {
  return {
    key: r.key,
    kind: r.kind,
    name: r.name,
    correlationKey: r.correlation_key,
    instanceId: r.instance_id,
    elementKey: r.element_key,
    elementId: r.element_id,
    definitionKey: r.definition_key,
  };
}
function taskRow(r: Row): UserTaskRow {
  return {
    id: r.id,
    instanceId: r.instance_id,
    elementKey: r.element_key,
    elementId: r.element_id,
    name: r.name,
    assignee: r.assignee,
    candidateGroups: p<string[]>(r.candidate_groups) ?? [],
    formKey: r.form_key,
    createdAt: r.created_at,
  };
}
function incRow(r: Row): IncidentRow {
  return {
    id: r.id,
    instanceId: r.instance_id,
    elementKey: r.element_key,
    elementId: r.element_id,
    type: r.type,
    message: r.message,
    jobKey: r.job_key,
    createdAt: r.created_at,
  };
}

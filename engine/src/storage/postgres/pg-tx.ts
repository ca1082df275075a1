/**
 * The repositories of one PostgreSQL transaction (one pooled connection). Every write that could
 * meet another node's work avoids waiting: rows are locked with `FOR UPDATE SKIP LOCKED`, an
 * instance is saved only at the revision it was read at, unique keys are inserted with
 * `ON CONFLICT DO NOTHING` — and a miss is a ConflictError that the runtime retries.
 * States this transaction wrote go to the shared cache only when it commits.
 */
import type pg from 'pg';
import type { HistoryEvent } from '../../core/effects.js';
import type { InstanceState } from '../../core/state.js';
import {
  ConflictError,
  type DecisionRepo,
  type DefinitionRepo,
  type FormRepo,
  type HistoryRepo,
  type IdempotencyRepo,
  type InboxRepo,
  type IncidentRepo,
  type InstanceRepo,
  type JobRepo,
  type LoadedInstance,
  type MessageRepo,
  type Notice,
  type SubscriptionRepo,
  type TimerRepo,
  type Tx,
  type UserTaskRepo,
} from '../port.js';
import type { DefinitionRow, InboxRow } from '../rows.js';
import {
  defRow,
  historyColumns,
  inboxRow,
  incidentRow,
  jobRow,
  jobValues,
  json,
  messageRow,
  statusColumn,
  subRow,
  taskRow,
  timerRow,
  type Row,
} from '../sql-mappers.js';
import { mapError } from './pg-errors.js';
import { numbered, SqlOperationsRepo } from '../operations-sql.js';
import type { OperationsRepo } from '../operations-port.js';
import { pgDecisionRepo, pgFormRepo } from './pg-resource-repos.js';
import type { CachedState, PgCaches } from './pg-store.js';

const SUB_ORDER = 'ORDER BY created_at, seq';

/**
 * Expired message ids and buffered messages dropped by one call at most: rows another transaction
 * holds are left for a later call (nobody waits), and a backlog goes down a batch at a time.
 */
const PURGE_BATCH = 500;

/**
 * `column` equal to the correlation key `$2`: `=` when there is one (its hash index answers), `IS NULL`
 * when it is null (`$2` is still sent, and typed by the comparison).
 */
function sameKey(column: string, key: string | null): string {
  return key === null ? `${column} IS NULL AND $2::text IS NULL` : `${column} = $2`;
}

/** Longest notice sent as it is (PostgreSQL's NOTIFY payload limit is 8,000 bytes). */
const MAX_NOTICE_BYTES = 7000;

type Query = (sql: string, args?: unknown[]) => Promise<pg.QueryResult<Row>>;

/** A write held back until the next read or the commit, and what its row count must be. */
interface Deferred {
  readonly sql: string;
  readonly args: readonly unknown[];
  readonly expect?: { readonly rows: number; readonly conflict: string; readonly instanceId?: string };
}

type Defer = (sql: string, args?: unknown[], expect?: Deferred['expect']) => Promise<void>;

/**
 * Writes of one kind that a flush merges into one statement: `head` + the items' `part`s joined by
 * commas + `tail`. Inserts of new instances and jobs go before the other writes of the flush,
 * deletes of jobs and history rows after them: instance ids and job keys are never reused, so no
 * other write of the same flush can depend on the other order.
 */
const MERGED = {
  instances: {
    phase: 'first',
    head: `INSERT INTO instances (id, process_id, version, definition_key, business_key, status, started_at, ended_at, parent_id, start_key, revision, state) VALUES `,
    part: '($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11)',
    tail: ' ON CONFLICT DO NOTHING',
  },
  jobs: {
    phase: 'first',
    head: `INSERT INTO jobs (key, instance_id, element_key, element_id, type, retries, headers, state, due_at, worker, lock_until, error_message, created_at) VALUES `,
    part: '($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL, $12)',
    tail: ` ON CONFLICT (key) DO UPDATE SET instance_id = EXCLUDED.instance_id, element_key = EXCLUDED.element_key,
      element_id = EXCLUDED.element_id, type = EXCLUDED.type, retries = EXCLUDED.retries, headers = EXCLUDED.headers,
      state = EXCLUDED.state, due_at = EXCLUDED.due_at, worker = EXCLUDED.worker, lock_until = EXCLUDED.lock_until,
      error_message = NULL, created_at = EXCLUDED.created_at`,
  },
  jobDeletes: { phase: 'last', head: 'DELETE FROM jobs WHERE key IN (', part: '$1', tail: ')' },
  history: {
    phase: 'last',
    head: 'INSERT INTO history (instance_id, time, type, element_id, element_type, data) VALUES ',
    part: '($1, $2, $3, $4, $5, $6)',
    tail: '',
  },
} as const;

type MergedKind = keyof typeof MERGED;

export class PgTx implements Tx {
  writes = 0;
  broken = false;
  readonly definitions: DefinitionRepo;
  readonly decisions: DecisionRepo;
  readonly forms: FormRepo;
  readonly instances: InstanceRepo;
  readonly history: HistoryRepo;
  readonly jobs: JobRepo;
  readonly timers: TimerRepo;
  readonly subscriptions: SubscriptionRepo;
  readonly messages: MessageRepo;
  readonly userTasks: UserTaskRepo;
  readonly incidents: IncidentRepo;
  readonly idempotency: IdempotencyRepo;
  readonly inbox: InboxRepo;
  readonly operations: OperationsRepo;
  /** States written here (and their new revision): what `take` must see, and the cache gets on commit. */
  private readonly written = new Map<string, CachedState>();
  /**
   * Instances whose cached state this transaction checked against the table (prefetch): only those
   * may be served from the cache, since another node may have changed any other one.
   */
  private readonly fresh = new Set<string>();
  private readonly pendingNotices = new Set<string>();
  /**
   * Definitions and latest versions this transaction put in the shared caches: they may be its own,
   * not yet committed, and are forgotten if it rolls back.
   */
  private readonly cachedKeys: ['definition' | 'latest', string][] = [];
  /** Set once this transaction wrote a deployment: its reads must not fill the shared latest-version caches. */
  private deployed = false;
  /** Writes held back until the next read or the commit (see {@link flush}). */
  private readonly deferred: Deferred[] = [];
  /** Held-back writes that a flush merges by kind (see {@link MERGED}), as inlined value lists. */
  private readonly merged = new Map<MergedKind, string[]>();
  /** Instances inserted by the merged insert of the next flush (its row count must match). */
  private mergedInstances = 0;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly caches: PgCaches,
  ) {
    const q = async <R extends pg.QueryResultRow = Row>(sql: string, args: unknown[] = []) => {
      await this.flush();
      return this.run(() => this.client.query<R>(sql, args));
    };
    const w = async (sql: string, args: unknown[] = []) => {
      await this.flush();
      this.writes++;
      return this.run(() => this.client.query<Row>(sql, args));
    };
    const d = (sql: string, args: unknown[] = [], expect?: Deferred['expect']): Promise<void> => {
      this.writes++;
      this.deferred.push({ sql, args, ...(expect ? { expect } : {}) });
      return Promise.resolve();
    };
    const def = async (key: string | undefined): Promise<DefinitionRow | undefined> => {
      if (!key) return undefined;
      let d = caches.definitions.get(key);
      if (!d) {
        const r = (await q('SELECT * FROM definitions WHERE key = $1', [key])).rows[0];
        if (!r) return undefined;
        d = defRow(r);
        caches.definitions.set(key, d);
        this.cachedKeys.push(['definition', key]);
      }
      return d;
    };
    this.definitions = {
      insertDeployment: async (id, now) => {
        this.deployed = true;
        await d('INSERT INTO deployments (id, created_at) VALUES ($1, $2)', [id, now]);
        // the counter other nodes watch to drop their cached latest versions (created if it went missing)
        await d(
          `INSERT INTO meta (key, value) VALUES ('deploys', 1) ON CONFLICT (key) DO UPDATE SET value = meta.value + 1`,
        );
      },
      insertResource: async (r) => {
        await d('INSERT INTO resources (deployment_id, name, kind, checksum, content) VALUES ($1, $2, $3, $4, $5)', [
          r.deploymentId,
          r.name,
          r.kind,
          r.checksum,
          r.content,
        ]);
      },
      insertDefinition: async (r) => {
        await d(
          `INSERT INTO definitions (key, process_id, version, name, version_tag, deployment_id, resource_name, checksum, model, deployed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
          [
            r.key,
            r.processId,
            r.version,
            r.name,
            r.versionTag,
            r.deploymentId,
            r.resourceName,
            r.checksum,
            json(r.model),
            r.deployedAt,
          ],
          { rows: 1, conflict: `definition ${r.key} exists already` },
        );
        caches.latest.delete(r.processId);
      },
      ofDeployment: async (id) =>
        (await q('SELECT * FROM definitions WHERE deployment_id = $1 ORDER BY seq', [id])).rows.map(defRow),
      latest: async (pid) => {
        let key = caches.latest.get(pid);
        if (!key) {
          key = (await q('SELECT key FROM definitions WHERE process_id = $1 ORDER BY version DESC LIMIT 1', [pid]))
            .rows[0]?.key;
          if (key) {
            caches.latest.set(pid, key);
            this.cachedKeys.push(['latest', pid]);
          }
        }
        return def(key);
      },
      byVersion: async (pid, v) =>
        def((await q('SELECT key FROM definitions WHERE process_id = $1 AND version = $2', [pid, v])).rows[0]?.key),
      byTag: async (pid, tag) =>
        def(
          (
            await q(
              'SELECT key FROM definitions WHERE process_id = $1 AND version_tag = $2 ORDER BY version DESC LIMIT 1',
              [pid, tag],
            )
          ).rows[0]?.key,
        ),
      byKey: (key) => def(key),
    };
    const cacheable = () => !this.deployed;
    const deploying: typeof d = (sql, args, expect) => {
      this.deployed = true;
      return d(sql, args, expect);
    };
    this.decisions = pgDecisionRepo(q, deploying, caches.resources, cacheable);
    this.forms = pgFormRepo(q, deploying, caches.resources, cacheable);
    this.instances = this.instanceRepo(q, d);
    this.history = {
      append: async (instanceId: string, now: number, events: readonly HistoryEvent[]) => {
        if (!events.length) return;
        for (const e of events) await this.merge('history', [instanceId, now, ...historyColumns(e)]);
      },
    };
    this.jobs = this.jobRepo(q, d);
    this.timers = {
      upsert: async (r) => {
        await d(
          `INSERT INTO timers (key, instance_id, element_key, element_id, definition_key, due_at, repeat)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (key) DO UPDATE SET instance_id = EXCLUDED.instance_id, element_key = EXCLUDED.element_key,
             element_id = EXCLUDED.element_id, definition_key = EXCLUDED.definition_key, due_at = EXCLUDED.due_at,
             repeat = EXCLUDED.repeat`,
          [r.key, r.instanceId, r.elementKey, r.elementId, r.definitionKey, r.dueAt, r.repeat],
        );
      },
      delete: async (key) => {
        await d('DELETE FROM timers WHERE key = $1', [key]);
      },
      take: async (key) => {
        const r = (
          await q(
            'DELETE FROM timers WHERE key = (SELECT key FROM timers WHERE key = $1 FOR UPDATE SKIP LOCKED) RETURNING *',
            [key],
          )
        ).rows[0];
        if (!r) return undefined;
        this.writes++;
        return timerRow(r);
      },
      deleteStartTimers: async (pid) => {
        await d(
          'DELETE FROM timers WHERE instance_id IS NULL AND definition_key IN (SELECT key FROM definitions WHERE process_id = $1)',
          [pid],
        );
      },
    };
    this.subscriptions = {
      insert: async (r, now) => {
        await d(
          `INSERT INTO subscriptions (key, kind, name, correlation_key, instance_id, element_key, element_id, definition_key, process_id, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (key) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, correlation_key = EXCLUDED.correlation_key,
             instance_id = EXCLUDED.instance_id, element_key = EXCLUDED.element_key, element_id = EXCLUDED.element_id,
             definition_key = EXCLUDED.definition_key, process_id = EXCLUDED.process_id, created_at = EXCLUDED.created_at`,
          [
            r.key,
            r.kind,
            r.name,
            r.correlationKey,
            r.instanceId,
            r.elementKey,
            r.elementId,
            r.definitionKey,
            r.processId,
            now,
          ],
        );
      },
      delete: async (key) => {
        await d('DELETE FROM subscriptions WHERE key = $1', [key]);
      },
      forMessage: async (name, ck) =>
        (
          await q(
            `(SELECT *, 0 AS part FROM subscriptions WHERE kind = 'message' AND name = $1 AND ${sameKey('correlation_key', ck)} AND instance_id IS NOT NULL)
             UNION ALL
             (SELECT *, 1 AS part FROM subscriptions WHERE kind = 'message' AND name = $1 AND correlation_key IS NULL AND instance_id IS NULL)
             ORDER BY part, created_at, seq`,
            [name, ck],
          )
        ).rows.map(subRow),
      forSignal: async (name) =>
        (await q(`SELECT * FROM subscriptions WHERE kind = 'signal' AND name = $1 ${SUB_ORDER}`, [name])).rows.map(
          subRow,
        ),
      startEvents: async (kind) =>
        (await q(`SELECT * FROM subscriptions WHERE kind = $1 AND instance_id IS NULL ${SUB_ORDER}`, [kind])).rows.map(
          subRow,
        ),
      deleteStartEvents: async (pid) => {
        await d(
          'DELETE FROM subscriptions WHERE instance_id IS NULL AND definition_key IN (SELECT key FROM definitions WHERE process_id = $1)',
          [pid],
        );
      },
    };
    this.messages = this.messageRepo(q, w, d);
    this.userTasks = {
      insert: async (r) => {
        await d(
          `INSERT INTO user_tasks (id, instance_id, element_key, element_id, name, assignee, candidate_groups, form_key, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            r.id,
            r.instanceId,
            r.elementKey,
            r.elementId,
            r.name,
            r.assignee,
            json(r.candidateGroups),
            r.formKey,
            r.createdAt,
          ],
        );
      },
      delete: async (id) => {
        await d('DELETE FROM user_tasks WHERE id = $1', [id]);
      },
      get: async (id) => {
        const r = (await q('SELECT * FROM user_tasks WHERE id = $1', [id])).rows[0];
        return r ? taskRow(r) : undefined;
      },
      setAssignee: async (id, assignee) => {
        await d('UPDATE user_tasks SET assignee = $1 WHERE id = $2', [assignee, id]);
      },
    };
    this.incidents = {
      insert: async (r) => {
        await d(
          `INSERT INTO incidents (id, instance_id, element_key, element_id, type, message, job_key, created_at, command)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            r.id,
            r.instanceId,
            r.elementKey,
            r.elementId,
            r.type,
            r.message,
            r.jobKey,
            r.createdAt,
            r.command === undefined ? null : json(r.command),
          ],
        );
      },
      delete: async (id) => {
        await d('DELETE FROM incidents WHERE id = $1', [id]);
      },
      get: async (id) => {
        const r = (await q('SELECT * FROM incidents WHERE id = $1', [id])).rows[0];
        return r ? incidentRow(r) : undefined;
      },
    };
    this.idempotency = {
      get: async (key) => {
        const r = (await q('SELECT status, body FROM idempotency WHERE key = $1', [key])).rows[0];
        return r ? { status: r.status as number, body: JSON.parse(r.body) } : undefined;
      },
      remember: async (key, status, body, now) => {
        await d(
          'INSERT INTO idempotency (key, status, body, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
          [key, status, json(body), now],
          { rows: 1, conflict: `an answer for idempotency key ${key} was stored meanwhile` },
        );
      },
    };
    this.inbox = {
      add: async (item: Omit<InboxRow, 'seq'>) =>
        (
          await w('INSERT INTO inbox (target, kind, payload, created_at) VALUES ($1, $2, $3, $4) RETURNING seq', [
            item.target,
            item.kind,
            json(item.payload),
            item.createdAt,
          ])
        ).rows[0]!.seq as number,
      take: (seqs) => this.takeInbox(seqs),
      takeOldest: async (before, limit) =>
        this.takeInbox(
          (await q('SELECT seq FROM inbox WHERE created_at <= $1 ORDER BY seq LIMIT $2', [before, limit])).rows.map(
            (r) => r.seq as number,
          ),
        ),
    };
    this.operations = new SqlOperationsRepo(
      {
        all: async (sql, args) => (await q(numbered(sql), [...args])).rows,
        write: async (sql, args) => (await w(numbered(sql), [...args])).rowCount ?? 0,
        returning: async (sql, args) => (await w(numbered(sql), [...args])).rows,
        later: (sql, args) => d(numbered(sql), [...args]),
      },
      'postgres',
      (ids) => {
        for (const id of ids) caches.states.delete(id);
      },
    );
  }

  /**
   * Sends the writes held back so far in one round trip (one multi-statement query with the values
   * inlined as escaped literals) and checks their row counts: a write that found another node's
   * change throws ConflictError, and the transaction rolls back. Runs before every read of this
   * transaction, so reads still see its own writes, and before the commit.
   */
  async flush(): Promise<void> {
    if (!this.deferred.length && !this.merged.size) return;
    const statement = (kind: MergedKind): Deferred[] => {
      const parts = this.merged.get(kind);
      if (!parts?.length) return [];
      const m = MERGED[kind];
      const sql = `${m.head}${parts.join(', ')}${m.tail}`;
      if (kind !== 'instances') return [{ sql, args: [] }];
      const rows = this.mergedInstances;
      return [
        { sql, args: [], expect: { rows, conflict: `one of ${rows} new instances or its start key exists already` } },
      ];
    };
    const batch = [
      ...statement('instances'),
      ...statement('jobs'),
      ...this.deferred.splice(0),
      ...statement('jobDeletes'),
      ...statement('history'),
    ];
    this.merged.clear();
    this.mergedInstances = 0;
    const text = batch.map((x) => inline(this.client, x.sql, x.args)).join(';\n');
    const result = (await this.run(() => this.client.query(text))) as pg.QueryResult | pg.QueryResult[];
    const results = Array.isArray(result) ? result : [result];
    batch.forEach((x, i) => {
      if (x.expect && results[i]?.rowCount !== x.expect.rows) {
        // the other writes of the flush did run: this transaction must not commit
        this.broken = true;
        throw new ConflictError(x.expect.conflict, x.expect.instanceId);
      }
    });
  }

  /** Runs one statement; a failure leaves the transaction aborted in PostgreSQL, so it is marked broken. */
  private async run<T>(statement: () => Promise<T>): Promise<T> {
    if (this.broken) throw new ConflictError('the transaction already failed and must be rolled back');
    try {
      return await statement();
    } catch (err) {
      this.broken = true;
      throw mapError(err);
    }
  }

  /** Holds back one row of a merged kind of write (see {@link MERGED}). */
  private merge(kind: MergedKind, args: readonly unknown[]): Promise<void> {
    this.writes++;
    let parts = this.merged.get(kind);
    if (!parts) this.merged.set(kind, (parts = []));
    parts.push(inline(this.client, MERGED[kind].part, args));
    if (kind === 'instances') this.mergedInstances++;
    return Promise.resolve();
  }

  notify(notice: Notice): void {
    const text = JSON.stringify(notice);
    // a NOTIFY payload holds less than 8,000 bytes: a longer one (job types of a hostile model) would
    // fail the COMMIT, so it is sent as "jobs of some type", which wakes every waiting worker
    this.pendingNotices.add(
      Buffer.byteLength(text) < MAX_NOTICE_BYTES ? text : JSON.stringify({ kind: notice.kind, types: [] }),
    );
  }

  /** Notices to send before COMMIT (PostgreSQL delivers them when it commits). */
  notices(): string[] {
    return [...this.pendingNotices];
  }

  committed(): void {
    for (const entry of this.written.values()) this.caches.putState(entry);
  }

  rolledBack(): void {
    for (const id of this.written.keys()) this.caches.states.delete(id);
    for (const [kind, key] of this.cachedKeys)
      (kind === 'definition' ? this.caches.definitions : this.caches.latest).delete(key);
  }

  private async takeInbox(seqs: readonly number[]): Promise<InboxRow[]> {
    await this.flush();
    const out: InboxRow[] = [];
    for (const seq of [...seqs].sort((a, b) => a - b)) {
      const r = (
        await this.run(() =>
          this.client.query<Row>(
            `DELETE FROM inbox WHERE seq = (
               SELECT x.seq FROM inbox x WHERE x.seq = $1
                 AND (x.target IS NULL OR NOT EXISTS (SELECT 1 FROM inbox e WHERE e.target = x.target AND e.seq < x.seq))
               FOR UPDATE SKIP LOCKED) RETURNING *`,
            [seq],
          ),
        )
      ).rows[0];
      if (r) {
        this.writes++;
        out.push(inboxRow(r));
      }
    }
    return out;
  }

  private instanceRepo(q: Query, d: Defer): InstanceRepo {
    const { caches, written, fresh } = this;
    const load = async (id: string): Promise<CachedState | undefined> => {
      const r = (await q('SELECT state, revision FROM instances WHERE id = $1', [id])).rows[0];
      return r ? { state: JSON.parse(r.state) as InstanceState, revision: r.revision as number } : undefined;
    };
    return {
      prefetch: async (ids) => {
        // an id with a NUL cannot be in a PostgreSQL text column; asking would fail the whole batch
        const ask = ids.filter((id) => !written.has(id) && !id.includes('\u0000'));
        if (!ask.length) return;
        const revs = ask.map((id) => caches.states.get(id)?.revision ?? -1);
        const { rows } = await q(
          `SELECT i.id, i.revision, CASE WHEN c.rev = i.revision THEN NULL ELSE i.state END AS state
           FROM unnest($1::text[], $2::int[]) AS c(id, rev) JOIN instances i ON i.id = c.id`,
          [ask, revs],
        );
        const found = new Set<string>();
        for (const r of rows) {
          found.add(r.id);
          if (r.state !== null) caches.putState({ state: JSON.parse(r.state), revision: r.revision });
          fresh.add(r.id);
        }
        for (const id of ask) if (!found.has(id)) caches.states.delete(id);
      },
      take: async (id): Promise<LoadedInstance | undefined> => {
        const mine = written.get(id);
        if (mine) return mine;
        const hit = fresh.has(id) ? caches.states.get(id) : undefined;
        if (hit) {
          caches.states.delete(id);
          fresh.delete(id);
          return hit;
        }
        return load(id);
      },
      peek: async (id) => {
        const mine = written.get(id) ?? (fresh.has(id) ? caches.states.get(id) : undefined);
        if (mine) return mine.state;
        const loaded = await load(id);
        if (loaded) {
          caches.putState(loaded);
          fresh.add(id);
        }
        return loaded?.state;
      },
      insert: async (s, encoded, startKey) => {
        await this.merge('instances', [
          s.id,
          s.processId,
          s.version,
          s.definitionKey,
          s.businessKey,
          statusColumn(s),
          s.startedAt,
          s.endedAt,
          s.parent?.instanceId ?? null,
          startKey,
          encoded,
        ]);
        written.set(s.id, { state: s, revision: 1 });
      },
      save: async (s, encoded, revision) => {
        await d(
          `UPDATE instances SET status = $1, ended_at = $2, revision = revision + 1, state = $3
           WHERE id = (SELECT id FROM instances WHERE id = $4 AND revision = $5 FOR UPDATE SKIP LOCKED)`,
          [statusColumn(s), s.endedAt, encoded, s.id, revision],
          {
            rows: 1,
            conflict: `instance ${s.id} changed since revision ${revision}, or another node holds it`,
            instanceId: s.id,
          },
        );
        written.set(s.id, { state: s, revision: revision + 1 });
      },
      activeByStartKey: async (k) =>
        (await q(`SELECT 1 FROM instances WHERE start_key = $1 AND status IN ('active','suspended') LIMIT 1`, [k]))
          .rowCount !== 0,
    };
  }

  private jobRepo(q: Query, d: Defer): JobRepo {
    const merge = (kind: MergedKind, args: readonly unknown[]) => this.merge(kind, args);
    return {
      insert: async (r) => {
        await merge('jobs', jobValues(r));
      },
      update: async (key, u) => {
        await d(
          `UPDATE jobs SET retries = COALESCE($1, retries), state = $2, due_at = COALESCE($3, due_at), error_message = COALESCE($4, error_message),
             worker = NULL, lock_until = NULL WHERE key = $5`,
          [u.retries ?? null, u.state, u.dueAt ?? null, u.errorMessage ?? null, key],
        );
      },
      delete: async (key) => {
        await merge('jobDeletes', [key]);
      },
      get: async (key) => {
        const r = (await q('SELECT * FROM jobs WHERE key = $1', [key])).rows[0];
        return r ? jobRow(r) : undefined;
      },
      claim: async (types, worker, now, lockUntil, limit) => {
        const { rows } = await q(
          `UPDATE jobs SET worker = $2, lock_until = $4 WHERE key IN (
             SELECT j.key FROM jobs j JOIN instances i ON i.id = j.instance_id
             WHERE j.type = ANY($1) AND j.state = 'activatable' AND j.due_at <= $3
               AND (j.lock_until IS NULL OR j.lock_until <= $3) AND i.status = 'active'
             ORDER BY j.created_at, j.seq LIMIT $5 FOR UPDATE OF j SKIP LOCKED)
           RETURNING *`,
          [types, worker, now, lockUntil, limit],
        );
        if (rows.length) this.writes++;
        return rows.sort((a, b) => a.created_at - b.created_at || a.seq - b.seq).map(jobRow);
      },
      extendLocks: async (worker, keys, lockUntil) => {
        if (!keys.length) return;
        await d('UPDATE jobs SET lock_until = $1 WHERE worker = $2 AND key = ANY($3)', [lockUntil, worker, keys]);
      },
      releaseLocks: async (prefix, except) => {
        await d(`UPDATE jobs SET worker = NULL, lock_until = NULL WHERE worker LIKE $1 || '%' AND worker <> $2`, [
          prefix,
          except ?? '',
        ]);
      },
    };
  }

  private messageRepo(q: Query, w: Query, d: Defer): MessageRepo {
    return {
      buffer: async (m, now) => {
        await d(
          `INSERT INTO messages (name, correlation_key, variables, expires_at, message_id, processes, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [m.name, m.correlationKey, json(m.variables), m.expiresAt, m.messageId, json(m.processes), now],
        );
      },
      takeBuffered: async (name, ck, processId, now) => {
        await q(
          `DELETE FROM messages WHERE id IN (
             SELECT id FROM messages WHERE expires_at <= $1 ORDER BY id LIMIT ${PURGE_BATCH} FOR UPDATE SKIP LOCKED)`,
          [now],
        );
        const r = (
          await q(
            `UPDATE messages SET processes = (processes::jsonb || to_jsonb($3::text))::text WHERE id = (
               SELECT id FROM messages WHERE name = $1 AND ${sameKey('correlation_key', ck)} AND expires_at > $4
                 AND NOT (processes::jsonb ? $3) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
             RETURNING *`,
            [name, ck, processId, now],
          )
        ).rows[0];
        if (!r) return undefined;
        this.writes++;
        return messageRow(r);
      },
      rememberId: async (id, expiresAt, now) => {
        await w(
          `DELETE FROM message_ids WHERE message_id = $2 AND expires_at <= $1 OR message_id IN (
             SELECT message_id FROM message_ids WHERE expires_at <= $1 LIMIT ${PURGE_BATCH} FOR UPDATE SKIP LOCKED)`,
          [now, id],
        );
        return (
          (
            await w('INSERT INTO message_ids (message_id, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
              id,
              expiresAt,
            ])
          ).rowCount === 1
        );
      },
      lock: async (name, ck) =>
        (await q('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok', [`${name}\u001f${ck ?? ''}`]))
          .rows[0]!.ok === true,
    };
  }
}

/** `sql` with its `$n` placeholders replaced by the values as escaped SQL literals. */
function inline(client: pg.PoolClient, sql: string, args: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => literal(client, args[Number(n) - 1]));
}

function literal(client: pg.PoolClient, v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`Expected a finite number for SQL, but got ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (Array.isArray(v)) return `ARRAY[${v.map((x) => literal(client, x)).join(', ')}]::text[]`;
  return client.escapeLiteral(String(v));
}

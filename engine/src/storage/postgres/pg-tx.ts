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
  type DefinitionRepo,
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
  json,
  messageRow,
  statusColumn,
  subRow,
  taskRow,
  timerRow,
  type Row,
} from '../sql-mappers.js';
import { mapError } from './pg-errors.js';
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

export class PgTx implements Tx {
  writes = 0;
  readonly definitions: DefinitionRepo;
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
  /** The first statement that failed (the transaction is aborted from then on). */
  failure: { readonly error: unknown } | undefined;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly caches: PgCaches,
  ) {
    const q = <R extends pg.QueryResultRow = Row>(sql: string, args: unknown[] = []) =>
      this.client.query<R>(sql, args).catch((err: unknown) => Promise.reject(this.spoiled(err)));
    const w = async (sql: string, args: unknown[] = []) => {
      this.writes++;
      return q(sql, args);
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
      deploymentByHash: async (hash) =>
        (await q<{ id: string }>('SELECT id FROM deployments WHERE hash = $1', [hash])).rows[0],
      insertDeployment: async (id, hash, xml, now) => {
        await w('INSERT INTO deployments (id, hash, xml, created_at) VALUES ($1, $2, $3, $4)', [id, hash, xml, now]);
        // the counter other nodes watch to drop their cached latest versions (created if it went missing)
        await w(
          `INSERT INTO meta (key, value) VALUES ('deploys', 1) ON CONFLICT (key) DO UPDATE SET value = meta.value + 1`,
        );
      },
      insertDefinition: async (r) => {
        const res = await w(
          `INSERT INTO definitions (key, process_id, version, name, version_tag, deployment_id, model, deployed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
          [r.key, r.processId, r.version, r.name, r.versionTag, r.deploymentId, json(r.model), r.deployedAt],
        );
        if (res.rowCount !== 1) throw new ConflictError(`definition ${r.key} exists already`);
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
    this.instances = this.instanceRepo(q, w);
    this.history = {
      append: async (instanceId: string, now: number, events: readonly HistoryEvent[]) => {
        if (!events.length) return;
        const cols: unknown[][] = [[], [], [], [], [], []];
        for (const e of events) {
          const [type, elementId, elementType, data] = historyColumns(e);
          cols[0]!.push(instanceId);
          cols[1]!.push(now);
          cols[2]!.push(type);
          cols[3]!.push(elementId);
          cols[4]!.push(elementType);
          cols[5]!.push(data);
        }
        await w(
          `INSERT INTO history (instance_id, time, type, element_id, element_type, data)
           SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])`,
          cols,
        );
      },
    };
    this.jobs = this.jobRepo(q, w);
    this.timers = {
      upsert: async (r) => {
        await w(
          `INSERT INTO timers (key, instance_id, element_key, element_id, definition_key, due_at, repeat)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (key) DO UPDATE SET instance_id = EXCLUDED.instance_id, element_key = EXCLUDED.element_key,
             element_id = EXCLUDED.element_id, definition_key = EXCLUDED.definition_key, due_at = EXCLUDED.due_at,
             repeat = EXCLUDED.repeat`,
          [r.key, r.instanceId, r.elementKey, r.elementId, r.definitionKey, r.dueAt, r.repeat],
        );
      },
      delete: async (key) => {
        await w('DELETE FROM timers WHERE key = $1', [key]);
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
        await w(
          'DELETE FROM timers WHERE instance_id IS NULL AND definition_key IN (SELECT key FROM definitions WHERE process_id = $1)',
          [pid],
        );
      },
    };
    this.subscriptions = {
      insert: async (r, now) => {
        await w(
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
        await w('DELETE FROM subscriptions WHERE key = $1', [key]);
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
        await w(
          'DELETE FROM subscriptions WHERE instance_id IS NULL AND definition_key IN (SELECT key FROM definitions WHERE process_id = $1)',
          [pid],
        );
      },
    };
    this.messages = this.messageRepo(q, w);
    this.userTasks = {
      insert: async (r) => {
        await w(
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
        await w('DELETE FROM user_tasks WHERE id = $1', [id]);
      },
      get: async (id) => {
        const r = (await q('SELECT * FROM user_tasks WHERE id = $1', [id])).rows[0];
        return r ? taskRow(r) : undefined;
      },
      setAssignee: async (id, assignee) => {
        await w('UPDATE user_tasks SET assignee = $1 WHERE id = $2', [assignee, id]);
      },
    };
    this.incidents = {
      insert: async (r) => {
        await w(
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
        await w('DELETE FROM incidents WHERE id = $1', [id]);
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
        const res = await w(
          'INSERT INTO idempotency (key, status, body, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
          [key, status, json(body), now],
        );
        if (res.rowCount !== 1) throw new ConflictError(`an answer for idempotency key ${key} was stored meanwhile`);
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
  }

  /**
   * A statement failed: PostgreSQL has aborted the transaction (every later statement fails, and
   * COMMIT rolls back). It counts as a write, so that the caller rolls back instead of going on,
   * and the store refuses to commit it. Returns the error as the port names it.
   */
  private spoiled(err: unknown): unknown {
    const mapped = mapError(err);
    this.writes++;
    this.failure ??= { error: mapped };
    return mapped;
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
    const out: InboxRow[] = [];
    for (const seq of [...seqs].sort((a, b) => a - b)) {
      const r = (
        await this.client
          .query<Row>(
            `DELETE FROM inbox WHERE seq = (
             SELECT x.seq FROM inbox x WHERE x.seq = $1
               AND (x.target IS NULL OR NOT EXISTS (SELECT 1 FROM inbox e WHERE e.target = x.target AND e.seq < x.seq))
             FOR UPDATE SKIP LOCKED) RETURNING *`,
            [seq],
          )
          .catch((err: unknown) => Promise.reject(this.spoiled(err)))
      ).rows[0];
      if (r) {
        this.writes++;
        out.push(inboxRow(r));
      }
    }
    return out;
  }

  private instanceRepo(
    q: (sql: string, args?: unknown[]) => Promise<pg.QueryResult<Row>>,
    w: (sql: string, args?: unknown[]) => Promise<pg.QueryResult<Row>>,
  ): InstanceRepo {
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
        const res = await w(
          `INSERT INTO instances (id, process_id, version, definition_key, business_key, status, started_at, ended_at, parent_id, start_key, revision, state)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11) ON CONFLICT DO NOTHING`,
          [
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
          ],
        );
        if (res.rowCount !== 1)
          throw new ConflictError(`instance ${s.id} or its start key ${startKey ?? ''} exists already`, s.id);
        written.set(s.id, { state: s, revision: 1 });
      },
      save: async (s, encoded, revision) => {
        const res = await w(
          `UPDATE instances SET status = $1, ended_at = $2, revision = revision + 1, state = $3
           WHERE id = (SELECT id FROM instances WHERE id = $4 AND revision = $5 FOR UPDATE SKIP LOCKED)`,
          [statusColumn(s), s.endedAt, encoded, s.id, revision],
        );
        if (res.rowCount !== 1) {
          caches.states.delete(s.id);
          throw new ConflictError(
            `instance ${s.id} changed since revision ${revision}, or another node holds it`,
            s.id,
          );
        }
        written.set(s.id, { state: s, revision: revision + 1 });
      },
      activeByStartKey: async (k) =>
        (await q(`SELECT 1 FROM instances WHERE start_key = $1 AND status IN ('active','suspended') LIMIT 1`, [k]))
          .rowCount !== 0,
    };
  }

  private jobRepo(
    q: (sql: string, args?: unknown[]) => Promise<pg.QueryResult<Row>>,
    w: (sql: string, args?: unknown[]) => Promise<pg.QueryResult<Row>>,
  ): JobRepo {
    return {
      insert: async (r) => {
        await w(
          `INSERT INTO jobs (key, instance_id, element_key, element_id, type, retries, headers, state, due_at, worker, lock_until, error_message, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL, $12)
           ON CONFLICT (key) DO UPDATE SET instance_id = EXCLUDED.instance_id, element_key = EXCLUDED.element_key,
             element_id = EXCLUDED.element_id, type = EXCLUDED.type, retries = EXCLUDED.retries, headers = EXCLUDED.headers,
             state = EXCLUDED.state, due_at = EXCLUDED.due_at, worker = EXCLUDED.worker, lock_until = EXCLUDED.lock_until,
             error_message = NULL, created_at = EXCLUDED.created_at`,
          [
            r.key,
            r.instanceId,
            r.elementKey,
            r.elementId,
            r.type,
            r.retries,
            json(r.headers),
            r.state,
            r.dueAt,
            r.worker,
            r.lockUntil,
            r.createdAt,
          ],
        );
      },
      update: async (key, u) => {
        await w(
          `UPDATE jobs SET retries = $1, state = $2, due_at = COALESCE($3, due_at), error_message = COALESCE($4, error_message),
             worker = NULL, lock_until = NULL WHERE key = $5`,
          [u.retries, u.state, u.dueAt ?? null, u.errorMessage ?? null, key],
        );
      },
      delete: async (key) => {
        await w('DELETE FROM jobs WHERE key = $1', [key]);
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
        await w('UPDATE jobs SET lock_until = $1 WHERE worker = $2 AND key = ANY($3)', [lockUntil, worker, keys]);
      },
      releaseLocks: async (prefix) => {
        await w(`UPDATE jobs SET worker = NULL, lock_until = NULL WHERE worker LIKE $1 || '%'`, [prefix]);
      },
    };
  }

  private messageRepo(
    q: (sql: string, args?: unknown[]) => Promise<pg.QueryResult<Row>>,
    w: (sql: string, args?: unknown[]) => Promise<pg.QueryResult<Row>>,
  ): MessageRepo {
    return {
      buffer: async (m, now) => {
        await w(
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

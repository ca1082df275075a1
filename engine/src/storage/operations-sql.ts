/**
 * The operations part of the storage port (./operations-port.ts) in SQL, for both adapters: they
 * hand over how to run a statement (SQLite at once; PostgreSQL with `$n` placeholders, holding back
 * writes whose row count does not matter) and the dialect; the few statements that differ (JSON,
 * lists, claiming without waiting) are chosen here.
 */
import type {
  AuditRow,
  BatchItemState,
  BatchRow,
  BatchSelection,
  ClaimedItem,
  OperationsRepo,
  WorkKind,
} from './operations-port.js';
import { json, type Row } from './sql-mappers.js';

export type Dialect = 'sqlite' | 'postgres';

/** How an adapter runs statements written with `?` placeholders. */
export interface SqlRunner {
  all(sql: string, args: readonly unknown[]): Promise<Row[]>;
  /** A write whose changed row count is needed: runs now. */
  write(sql: string, args: readonly unknown[]): Promise<number>;
  /** A write that answers rows (`RETURNING`): runs now. */
  returning(sql: string, args: readonly unknown[]): Promise<Row[]>;
  /** A write whose row count does not matter: may be held back until the next read or the commit. */
  later(sql: string, args: readonly unknown[]): Promise<void>;
}

/** `?` placeholders numbered for PostgreSQL (`$1`, `$2`, …). */
export function numbered(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

/** `col` is one of `values`: a JSON list on SQLite, an array on PostgreSQL. */
export function inList(d: Dialect, col: string, values: readonly string[]): [string, unknown] {
  return d === 'sqlite'
    ? [`${col} IN (SELECT value FROM json_each(?))`, json(values)]
    : [`${col} = ANY(?::text[])`, [...values]];
}

const WORK_TABLES: Record<WorkKind, [table: string, key: string]> = {
  job: ['jobs', 'key'],
  userTask: ['user_tasks', 'id'],
  timer: ['timers', 'key'],
  subscription: ['subscriptions', 'key'],
  incident: ['incidents', 'id'],
};

/** The WHERE clause (over `instances i`) of a batch selection. */
export function selectionSql(d: Dialect, s: BatchSelection): { where: string; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (cond: string, ...values: unknown[]) => {
    where.push(cond);
    args.push(...values);
  };
  const [status, statuses] = inList(d, 'i.status', s.statuses);
  add(status, statuses);
  if (s.processId !== undefined) add('i.process_id = ?', s.processId);
  if (s.version !== undefined) add('i.version = ?', s.version);
  if (s.businessKey !== undefined) add('i.business_key = ?', s.businessKey);
  if (s.instanceIds) {
    const [ids, list] = inList(d, 'i.id', s.instanceIds);
    add(ids, list);
  }
  if (s.incidentType !== undefined)
    add('EXISTS (SELECT 1 FROM incidents x WHERE x.instance_id = i.id AND x.type = ?)', s.incidentType);
  if (s.elementId !== undefined)
    add(
      d === 'sqlite'
        ? `EXISTS (SELECT 1 FROM json_each(i.state, '$.elements') e WHERE e.value ->> '$.elementId' = ?)`
        : `EXISTS (SELECT 1 FROM json_each(i.state::json -> 'elements') e WHERE e.value ->> 'elementId' = ?)`,
      s.elementId,
    );
  return { where: where.join(' AND '), args };
}

export class SqlOperationsRepo implements OperationsRepo {
  constructor(
    private readonly db: SqlRunner,
    private readonly d: Dialect,
    /** Forgets cached states of deleted instances. */
    private readonly forget: (ids: readonly string[]) => void,
  ) {}

  audit(e: Omit<AuditRow, 'seq'>): Promise<void> {
    return this.db.later(
      'INSERT INTO audit_log (time, actor, action, target_type, target_id, reason, details) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [e.time, e.actor, e.action, e.targetType, e.targetId, e.reason, json(e.details)],
    );
  }

  changeDefinition(instanceId: string, definitionKey: string, version: number): Promise<void> {
    return this.db.later('UPDATE instances SET definition_key = ?, version = ? WHERE id = ?', [
      definitionKey,
      version,
      instanceId,
    ]);
  }

  moveWork(kind: WorkKind, key: string, elementId: string): Promise<void> {
    const [table, column] = WORK_TABLES[kind];
    return this.db.later(`UPDATE ${table} SET element_id = ? WHERE ${column} = ?`, [elementId, key]);
  }

  async createBatch(
    row: Omit<BatchRow, 'total' | 'state' | 'endedAt'>,
    selection: BatchSelection,
    max: number,
  ): Promise<number> {
    const { where, args } = selectionSql(this.d, selection);
    const n = await this.db.write(
      `INSERT INTO batch_items (batch_id, instance_id, state, attempts)
       SELECT ?, i.id, 'pending', 0 FROM instances i WHERE ${where} LIMIT ?`,
      [row.id, ...args, max + 1],
    );
    await this.db.later(
      `INSERT INTO batch_operations (id, kind, state, filter, params, actor, reason, total, created_at)
       VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
      [row.id, row.kind, json(row.filter), json(row.params), row.actor, row.reason, n, row.createdAt],
    );
    return n;
  }

  async claimItems(worker: string, now: number, claimUntil: number, limit: number): Promise<ClaimedItem[]> {
    const pending = `x.state = 'pending' AND (x.claim_until IS NULL OR x.claim_until <= ?)`;
    if (this.d === 'postgres') {
      const rows = await this.db.returning(
        `UPDATE batch_items SET claimed_by = ?, claim_until = ?, attempts = attempts + 1
         WHERE (batch_id, instance_id) IN (
           SELECT x.batch_id, x.instance_id FROM batch_items x JOIN batch_operations b ON b.id = x.batch_id
           WHERE b.state = 'running' AND ${pending}
           ORDER BY b.created_at, x.batch_id, length(x.instance_id), x.instance_id LIMIT ? FOR UPDATE OF x SKIP LOCKED)
         RETURNING batch_id, instance_id, attempts`,
        [worker, claimUntil, now, limit],
      );
      // RETURNING keeps no order: the items of a batch in the order they were claimed in
      return rows.map(claimed).sort((a, b) => byItem(a, b));
    }
    const rows = await this.db.all(
      `SELECT x.batch_id, x.instance_id, x.attempts + 1 AS attempts FROM batch_items x JOIN batch_operations b ON b.id = x.batch_id
       WHERE b.state = 'running' AND ${pending} ORDER BY b.created_at, x.batch_id, length(x.instance_id), x.instance_id LIMIT ?`,
      [now, limit],
    );
    for (const r of rows)
      await this.db.write(
        'UPDATE batch_items SET claimed_by = ?, claim_until = ?, attempts = attempts + 1 WHERE batch_id = ? AND instance_id = ?',
        [worker, claimUntil, r.batch_id, r.instance_id],
      );
    return rows.map(claimed);
  }

  finishItem(
    batchId: string,
    instanceId: string,
    state: Exclude<BatchItemState, 'pending'>,
    message: string | null,
    now: number,
  ): Promise<void> {
    return this.db.later(
      `UPDATE batch_items SET state = ?, message = ?, claim_until = NULL, updated_at = ?
       WHERE batch_id = ? AND instance_id = ? AND state = 'pending'`,
      [state, message, now, batchId, instanceId],
    );
  }

  releaseClaims(workerPrefix: string): Promise<void> {
    return this.db.later(
      `UPDATE batch_items SET claimed_by = NULL, claim_until = NULL WHERE state = 'pending' AND claimed_by LIKE ? || '%'`,
      [workerPrefix],
    );
  }

  async endBatch(id: string, state: 'completed' | 'cancelled', now: number): Promise<boolean> {
    const n = await this.db.write(
      `UPDATE batch_operations SET state = ?, ended_at = ? WHERE id = ? AND state = 'running'`,
      [state, now, id],
    );
    return n === 1;
  }

  async purgeInstances(ids: readonly string[]): Promise<number> {
    if (!ids.length) return 0;
    const [idCond, idList] = inList(this.d, 'id', ids);
    const ended = `SELECT id FROM instances WHERE ${idCond} AND status IN ('completed', 'cancelled')`;
    for (const table of ['history', 'incidents', 'jobs', 'timers', 'subscriptions', 'user_tasks'])
      await this.db.later(`DELETE FROM ${table} WHERE instance_id IN (${ended})`, [idList]);
    const n = await this.db.write(`DELETE FROM instances WHERE id IN (${ended})`, [idList]);
    this.forget(ids);
    return n;
  }

  async purgeOperations(before: number, limit: number): Promise<number> {
    let n = await this.db.write(
      'DELETE FROM idempotency WHERE key IN (SELECT key FROM idempotency WHERE created_at < ? LIMIT ?)',
      [before, limit],
    );
    const ended = `SELECT id FROM batch_operations WHERE state <> 'running' AND ended_at < ?`;
    n += await this.db.write(
      `DELETE FROM batch_items WHERE (batch_id, instance_id) IN (
         SELECT batch_id, instance_id FROM batch_items WHERE batch_id IN (${ended}) LIMIT ?)`,
      [before, limit],
    );
    n += await this.db.write(
      `DELETE FROM batch_operations WHERE id IN (${ended})
         AND NOT EXISTS (SELECT 1 FROM batch_items x WHERE x.batch_id = batch_operations.id)`,
      [before],
    );
    return n;
  }
}

function byItem(a: ClaimedItem, b: ClaimedItem): number {
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return cmp(a.batchId, b.batchId) || a.instanceId.length - b.instanceId.length || cmp(a.instanceId, b.instanceId);
}

function claimed(r: Row): ClaimedItem {
  return { batchId: r.batch_id, instanceId: r.instance_id, attempts: Number(r.attempts) };
}

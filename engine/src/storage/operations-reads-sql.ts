/** Reads of the operations part of the storage port (./operations-port.ts) in SQL, for both adapters. */
import type {
  AuditQuery,
  AuditRow,
  BatchItemRow,
  BatchItemState,
  BatchRow,
  OperationsReads,
  RetentionRule,
} from './operations-port.js';
import { inList, type Dialect } from './operations-sql.js';
import type { Row } from './sql-mappers.js';

export function auditRow(r: Row): AuditRow {
  return {
    seq: Number(r.seq),
    time: Number(r.time),
    actor: r.actor,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    reason: r.reason,
    details: r.details ? JSON.parse(r.details) : {},
  };
}

export function batchRow(r: Row): BatchRow {
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    filter: JSON.parse(r.filter),
    params: JSON.parse(r.params),
    actor: r.actor,
    reason: r.reason,
    total: Number(r.total),
    createdAt: Number(r.created_at),
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
  };
}

function itemRow(r: Row): BatchItemRow {
  return {
    batchId: r.batch_id,
    instanceId: r.instance_id,
    state: r.state,
    message: r.message,
    attempts: Number(r.attempts),
    updatedAt: r.updated_at === null ? null : Number(r.updated_at),
  };
}

export class SqlOperationsReads implements OperationsReads {
  constructor(
    private readonly all: (sql: string, args: readonly unknown[]) => Promise<Row[]>,
    private readonly d: Dialect,
  ) {}

  async audit(q: AuditQuery): Promise<{ rows: AuditRow[]; total: number }> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (cond: string, v: unknown) => {
      where.push(cond);
      args.push(v);
    };
    if (q.actor !== undefined) add('actor = ?', q.actor);
    if (q.action !== undefined) add('action = ?', q.action);
    if (q.targetType !== undefined) add('target_type = ?', q.targetType);
    if (q.targetId !== undefined) add('target_id = ?', q.targetId);
    if (q.from !== undefined) add('time >= ?', q.from);
    if (q.to !== undefined) add('time < ?', q.to);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = Number((await this.all(`SELECT COUNT(*) AS n FROM audit_log ${clause}`, args))[0]!.n);
    const rows = await this.all(`SELECT * FROM audit_log ${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`, [
      ...args,
      q.limit,
      q.offset,
    ]);
    return { rows: rows.map(auditRow), total };
  }

  async batch(id: string): Promise<BatchRow | undefined> {
    const r = (await this.all('SELECT * FROM batch_operations WHERE id = ?', [id]))[0];
    return r ? batchRow(r) : undefined;
  }

  async batches(limit: number, offset: number): Promise<{ rows: BatchRow[]; total: number }> {
    const total = Number((await this.all('SELECT COUNT(*) AS n FROM batch_operations', []))[0]!.n);
    const rows = await this.all('SELECT * FROM batch_operations ORDER BY created_at DESC, id LIMIT ? OFFSET ?', [
      limit,
      offset,
    ]);
    return { rows: rows.map(batchRow), total };
  }

  async batchCounts(id: string): Promise<Record<BatchItemState, number>> {
    const out: Record<BatchItemState, number> = { pending: 0, done: 0, failed: 0, skipped: 0 };
    for (const r of await this.all('SELECT state, COUNT(*) AS n FROM batch_items WHERE batch_id = ? GROUP BY state', [
      id,
    ]))
      out[r.state as BatchItemState] = Number(r.n);
    return out;
  }

  async batchItems(
    id: string,
    state: BatchItemState | undefined,
    limit: number,
    offset: number,
  ): Promise<BatchItemRow[]> {
    const rows = await this.all(
      `SELECT * FROM batch_items WHERE batch_id = ? ${state ? 'AND state = ?' : ''}
       ORDER BY length(instance_id), instance_id LIMIT ? OFFSET ?`,
      state ? [id, state, limit, offset] : [id, limit, offset],
    );
    return rows.map(itemRow);
  }

  async hasClaimableItems(now: number): Promise<boolean> {
    const rows = await this.all(
      `SELECT 1 AS found FROM batch_items x JOIN batch_operations b ON b.id = x.batch_id
       WHERE b.state = 'running' AND x.state = 'pending' AND (x.claim_until IS NULL OR x.claim_until <= ?) LIMIT 1`,
      [now],
    );
    return rows.length > 0;
  }

  async finishedBatches(): Promise<string[]> {
    const rows = await this.all(
      `SELECT id FROM batch_operations b WHERE state = 'running'
       AND NOT EXISTS (SELECT 1 FROM batch_items x WHERE x.batch_id = b.id AND x.state = 'pending')`,
      [],
    );
    return rows.map((r) => r.id as string);
  }

  async expiredInstances(rule: RetentionRule, limit: number): Promise<string[]> {
    const where = [`status IN ('completed', 'cancelled')`, 'ended_at < ?'];
    const args: unknown[] = [rule.endedBefore];
    if (rule.processId !== undefined) {
      where.push('process_id = ?');
      args.push(rule.processId);
    }
    if (rule.exclude?.length) {
      const [cond, list] = inList(this.d, 'process_id', rule.exclude);
      where.push(`NOT (${cond})`);
      args.push(list);
    }
    const rows = await this.all(`SELECT id FROM instances WHERE ${where.join(' AND ')} ORDER BY ended_at LIMIT ?`, [
      ...args,
      limit,
    ]);
    return rows.map((r) => r.id as string);
  }
}

/**
 * Reads of committed data on the PostgreSQL adapter, each on a pooled connection of its own.
 * Instance states are read from the table, never from a node's cache: another node may have
 * changed them a moment ago, and an answer must not depend on which node gave it.
 */
import type pg from 'pg';
import type { InstanceState } from '../../core/state.js';
import type {
  ConsoleReads,
  DecisionReads,
  DefinitionReads,
  FormReads,
  InstanceReads,
  Reads,
  WorkReads,
} from '../port.js';
import {
  defRow,
  historyRow,
  incidentRow,
  instanceRow,
  jobRow,
  resourceRow,
  taskRow,
  timerRow,
  type Row,
} from '../sql-mappers.js';
import { SqlConsoleReads } from '../console-reads.js';
import { SqlGaugeReads, type GaugeReads } from '../gauge-reads.js';
import { mapError } from './pg-errors.js';
import { pgDecisionReads, pgFormReads } from './pg-resource-repos.js';
import type { PgCaches } from './pg-store.js';
import { SqlOperationsReads } from '../operations-reads-sql.js';
import { numbered } from '../operations-sql.js';
import type { OperationsReads } from '../operations-port.js';

export class PgReads implements Reads {
  readonly definitions: DefinitionReads;
  readonly decisions: DecisionReads;
  readonly forms: FormReads;
  readonly instances: InstanceReads;
  readonly work: WorkReads;
  readonly console: ConsoleReads;
  readonly operations: OperationsReads;
  readonly gauges: GaugeReads;

  constructor(pool: pg.Pool, caches: PgCaches) {
    const q = async (sql: string, args: unknown[] = []) => {
      try {
        return (await pool.query<Row>(sql, args)).rows;
      } catch (err) {
        throw mapError(err);
      }
    };
    const one = async (sql: string, args: unknown[] = []) => (await q(sql, args))[0];
    const def = async (key: string | undefined) => {
      if (!key) return undefined;
      const cached = caches.definitions.get(key);
      if (cached) return cached;
      const r = await one('SELECT * FROM definitions WHERE key = $1', [key]);
      return r ? defRow(r) : undefined;
    };
    this.definitions = {
      all: async () => (await q('SELECT * FROM definitions ORDER BY process_id, version')).map(defRow),
      latest: async (pid) =>
        def((await one('SELECT key FROM definitions WHERE process_id = $1 ORDER BY version DESC LIMIT 1', [pid]))?.key),
      byVersion: async (pid, v) =>
        def((await one('SELECT key FROM definitions WHERE process_id = $1 AND version = $2', [pid, v]))?.key),
      byKey: (key) => def(key),
      ofDeployment: async (id) =>
        (await q('SELECT * FROM definitions WHERE deployment_id = $1 ORDER BY seq', [id])).map(defRow),
      resource: async (id, name) => {
        const r = await one('SELECT * FROM resources WHERE deployment_id = $1 AND name = $2', [id, name]);
        return r ? resourceRow(r) : undefined;
      },
    };
    const query = (sql: string, args: unknown[] = []) => pool.query<Row>(sql, args);
    this.decisions = pgDecisionReads(query, caches.resources);
    this.forms = pgFormReads(query);
    this.instances = {
      state: async (id) => {
        const r = await one('SELECT state FROM instances WHERE id = $1', [id]);
        return r ? (JSON.parse(r.state) as InstanceState) : undefined;
      },
      row: async (id) => {
        const r = await one(
          'SELECT id, process_id, version, definition_key, business_key, status, started_at, ended_at, parent_id, revision FROM instances WHERE id = $1',
          [id],
        );
        return r ? instanceRow(r) : undefined;
      },
      list: async (f) => {
        const where: string[] = [];
        const args: unknown[] = [];
        const add = (sql: string, v: unknown) => {
          args.push(v);
          where.push(sql.replace('?', `$${args.length}`));
        };
        if (f.processId) add('process_id = ?', f.processId);
        if (f.status) add('status = ?', f.status);
        if (f.businessKey) add('business_key = ?', f.businessKey);
        const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
        const total = Number((await one(`SELECT COUNT(*) AS n FROM instances ${w}`, args))!.n);
        const rows = await q(
          `SELECT state FROM instances ${w} ORDER BY started_at DESC, seq DESC LIMIT $${args.length + 1} OFFSET $${args.length + 2}`,
          [...args, f.limit, f.offset],
        );
        return { rows: rows.map((r) => JSON.parse(r.state) as InstanceState), total };
      },
      history: async (id) =>
        (await q('SELECT * FROM history WHERE instance_id = $1 ORDER BY seq', [id])).map(historyRow),
    };
    const runnable = `FROM jobs j JOIN instances i ON i.id = j.instance_id
      WHERE j.type = ANY($1) AND j.state = 'activatable' AND j.due_at <= $2
        AND (j.lock_until IS NULL OR j.lock_until <= $2) AND i.status = 'active'`;
    this.work = {
      job: async (key) => {
        const r = await one('SELECT * FROM jobs WHERE key = $1', [key]);
        return r ? jobRow(r) : undefined;
      },
      hasRunnableJobs: async (types, now) =>
        types.length > 0 && (await q(`SELECT 1 ${runnable} LIMIT 1`, [types, now])).length > 0,
      nextTimerDue: async () => {
        const r = await one('SELECT MIN(due_at) AS due FROM timers');
        return r?.due === null || r?.due === undefined ? undefined : Number(r.due);
      },
      dueTimers: async (now, limit) =>
        (await q('SELECT * FROM timers WHERE due_at <= $1 ORDER BY due_at, key LIMIT $2', [now, limit])).map(timerRow),
      hasInbox: async (before) => (await q('SELECT 1 FROM inbox WHERE created_at <= $1 LIMIT 1', [before])).length > 0,
      incident: async (id) => {
        const r = await one('SELECT * FROM incidents WHERE id = $1', [id]);
        return r ? incidentRow(r) : undefined;
      },
      incidents: async (instanceId) =>
        (instanceId
          ? await q('SELECT * FROM incidents WHERE instance_id = $1 ORDER BY created_at, seq', [instanceId])
          : await q('SELECT * FROM incidents ORDER BY created_at, seq')
        ).map(incidentRow),
      userTask: async (id) => {
        const r = await one('SELECT * FROM user_tasks WHERE id = $1', [id]);
        return r ? taskRow(r) : undefined;
      },
      userTasks: async (f) => {
        const where: string[] = [];
        const args: unknown[] = [];
        const add = (sql: string, v: unknown) => {
          args.push(v);
          where.push(sql.replace('?', `$${args.length}`));
        };
        if (f.instanceId) add('instance_id = ?', f.instanceId);
        if (f.assignee) add('assignee = ?', f.assignee);
        if (f.candidateGroup) {
          // the column is the JSON of a string array: the group is one element, between [ or , and , or ]
          // (no jsonb cast, which a group with the escape \u0000 would make fail for every task)
          args.push(JSON.stringify(f.candidateGroup));
          const g = `$${args.length}`;
          where.push(
            `(strpos(candidate_groups, '[' || ${g} || ',') > 0 OR strpos(candidate_groups, '[' || ${g} || ']') > 0
              OR strpos(candidate_groups, ',' || ${g} || ',') > 0 OR strpos(candidate_groups, ',' || ${g} || ']') > 0)`,
          );
        }
        const sql = `SELECT * FROM user_tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY created_at, seq LIMIT $${args.length + 1} OFFSET $${args.length + 2}`;
        return (await q(sql, [...args, f.limit ?? 1000, f.offset ?? 0])).map(taskRow);
      },
    };
    const run = (sql: string, args: unknown[] = []) => {
      let i = 0;
      return q(
        sql.replace(/\?/g, () => `$${++i}`),
        args,
      );
    };
    this.console = new SqlConsoleReads(run, 'postgres');
    this.gauges = new SqlGaugeReads(run);
    this.operations = new SqlOperationsReads((sql, args) => q(numbered(sql), [...args]), 'postgres');
  }
}

/**
 * Reads of committed data on the SQLite adapter. They share the writer's connection: a transaction
 * never yields to the event loop (see SqliteStore.transaction), so no read can see half of one.
 */
import type Database from 'better-sqlite3';
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
import type { DefinitionRow } from '../rows.js';
import { SqlConsoleReads } from '../console-reads.js';
import { SqlGaugeReads, type GaugeReads } from '../gauge-reads.js';
import {
  defRow,
  historyRow,
  incidentRow,
  instanceRow,
  jobRow,
  json,
  opt,
  resourceRow,
  taskRow,
  timerRow,
  type Row,
} from '../sql-mappers.js';
import { SqlOperationsReads } from '../operations-reads-sql.js';
import type { OperationsReads } from '../operations-port.js';
import { sqliteRunner } from './operations.js';
import { sqliteDecisionReads, sqliteFormReads } from './resource-repos.js';
import type { SqliteStatements } from './statements.js';

export class SqliteReads implements Reads {
  readonly definitions: DefinitionReads;
  readonly decisions: DecisionReads;
  readonly forms: FormReads;
  readonly instances: InstanceReads;
  readonly work: WorkReads;
  readonly console: ConsoleReads;
  readonly operations: OperationsReads;
  readonly gauges: GaugeReads;

  constructor(db: Database.Database, st: SqliteStatements, state: (id: string) => InstanceState | undefined) {
    const def = (r: unknown): DefinitionRow | undefined => opt(r ? st.defKey.get((r as Row).key) : undefined, defRow);
    this.definitions = {
      all: async () => (st.listDefs.all() as Row[]).map(defRow),
      latest: async (pid) => def(st.latestDef.get(pid)),
      byVersion: async (pid, v) => def(st.defVer.get(pid, v)),
      byKey: async (key) => opt(st.defKey.get(key), defRow),
      ofDeployment: async (id) => (st.defsOfDep.all(id) as Row[]).map(defRow),
      resource: async (id, name) => opt(st.resource.get(id, name), resourceRow),
    };
    this.decisions = sqliteDecisionReads(st.resources);
    this.forms = sqliteFormReads(st.resources);
    this.instances = {
      state: async (id) => state(id),
      row: async (id) => opt(st.instRow.get(id), instanceRow),
      list: async (f) => {
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
        const total = (st.prepare(`SELECT COUNT(*) AS n FROM instances ${w}`).get(...args) as Row).n as number;
        const rows = (
          st
            .prepare(`SELECT state FROM instances ${w} ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?`)
            .all(...args, f.limit, f.offset) as Row[]
        ).map((r) => JSON.parse(r.state) as InstanceState);
        return { rows, total };
      },
      history: async (id) => (st.hist.all(id) as Row[]).map(historyRow),
    };
    this.work = {
      job: async (key) => opt(st.job.get(key), jobRow),
      hasRunnableJobs: async (types, now) =>
        types.length > 0 && st.hasRunnable.get(json(types), now, now) !== undefined,
      nextTimerDue: async () => {
        const r = st.nextTimer.get() as Row;
        return r.due === null ? undefined : (r.due as number);
      },
      dueTimers: async (now, limit) => (st.dueTimers.all(now, limit) as Row[]).map(timerRow),
      hasInbox: async (before) => st.hasInbox.get(before) !== undefined,
      incident: async (id) => opt(st.inc.get(id), incidentRow),
      incidents: async (instanceId) =>
        ((instanceId ? st.incsOf.all(instanceId) : st.incs.all()) as Row[]).map(incidentRow),
      userTask: async (id) => opt(st.task.get(id), taskRow),
      userTasks: async (f) => {
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
        return (st.prepare(sql).all(...args, f.limit ?? 1000, f.offset ?? 0) as Row[]).map(taskRow);
      },
    };
    const statements = new Map<string, Database.Statement>();
    const run = async (sql: string, args: unknown[] = []) => {
      let stmt = statements.get(sql);
      if (!stmt) statements.set(sql, (stmt = db.prepare(sql)));
      return stmt.all(...args) as Row[];
    };
    this.console = new SqlConsoleReads(run, 'sqlite');
    this.gauges = new SqlGaugeReads(run);
    this.operations = new SqlOperationsReads(sqliteRunner(db).all, 'sqlite');
  }
}

/**
 * The reads of a `:memory:` database, which has one connection only: a read made while one of its
 * transactions is open would see that transaction's uncommitted writes, so it is refused instead
 * (a read of committed data must never show half a transaction).
 */
export function guardedReads(reads: Reads, inTransaction: () => boolean): Reads {
  const guard = <T extends object>(group: T): T =>
    new Proxy(group, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) =>
          inTransaction()
            ? Promise.reject(
                new Error(
                  `Expected committed reads of a :memory: database outside its transactions, but ${String(prop)} was called while one is open (it would see uncommitted writes)`,
                ),
              )
            : (value as (...a: unknown[]) => unknown).apply(target, args);
      },
    });
  return {
    definitions: guard(reads.definitions),
    instances: guard(reads.instances),
    work: guard(reads.work),
    console: guard(reads.console),
    operations: guard(reads.operations),
    gauges: guard(reads.gauges),
    decisions: guard(reads.decisions),
    forms: guard(reads.forms),
  };
}

/**
 * Read models of the operations console (`/api/console/...`), computed with SQL straight from the
 * SQLite tables (see ./schema.ts): instance counts per definition version, a filtered instance list,
 * the per-element heatmap of a version, and the dashboard. Read-only: nothing here writes.
 *
 * @example
 * ```ts
 * const queries = new ConsoleQueries(store.database);
 * queries.heatmap('order-fulfilment', 2); // { instances, elements: { ShipOrder: { passed, waiting, failed, openIncidents } }, flows }
 * ```
 */
import type Database from 'better-sqlite3';
import type {
  DashboardData,
  DefinitionSummary,
  Heatmap,
  InstanceQuery,
  InstanceSummary,
  InstanceWaits,
  StalledInstance,
} from '../../runtime/console-types.js';

export type {
  DashboardData,
  DefinitionSummary,
  Heatmap,
  InstanceQuery,
  InstanceSummary,
  InstanceWaits,
  StalledInstance,
};

type Row = Record<string, any>;

const iso = (ms: number): string => new Date(ms).toISOString();
const ROOT_KEY = '1';

/** Prepared read queries over one better-sqlite3 handle (the store's own connection). */
export class ConsoleQueries {
  private readonly st: Record<string, Database.Statement>;

  constructor(private readonly db: Database.Database) {
    const q = (sql: string) => db.prepare(sql);
    this.st = {
      definitions: q(`
        SELECT d.process_id, d.version, d.name, d.deployed_at,
          COUNT(i.id) AS total,
          COALESCE(SUM(i.status = 'active'), 0) AS active, COALESCE(SUM(i.status = 'suspended'), 0) AS suspended,
          COALESCE(SUM(i.status = 'completed'), 0) AS completed, COALESCE(SUM(i.status = 'cancelled'), 0) AS cancelled,
          (SELECT COUNT(*) FROM incidents x JOIN instances y ON y.id = x.instance_id WHERE y.definition_key = d.key) AS open_incidents
        FROM definitions d LEFT JOIN instances i ON i.definition_key = d.key
        GROUP BY d.key ORDER BY d.process_id, d.version DESC`),
      definitionKey: q('SELECT key FROM definitions WHERE process_id = ? AND version = ?'),
      heatHistory: q(`
        SELECT h.type, h.element_id, COUNT(DISTINCT h.instance_id) AS n
        FROM instances i JOIN history h ON h.instance_id = i.id
        WHERE i.definition_key = ? AND h.element_id IS NOT NULL
          AND h.type IN ('element-completed', 'incident-created', 'sequence-flow-taken')
        GROUP BY h.type, h.element_id`),
      heatWaiting: q(`
        SELECT e.value ->> '$.elementId' AS element_id, COUNT(*) AS n
        FROM instances i, json_each(i.state, '$.elements') e
        WHERE i.definition_key = ? AND i.status IN ('active', 'suspended') AND e.key <> '${ROOT_KEY}'
        GROUP BY element_id`),
      heatIncidents: q(`
        SELECT x.element_id, COUNT(*) AS n FROM incidents x JOIN instances i ON i.id = x.instance_id
        WHERE i.definition_key = ? GROUP BY x.element_id`),
      heatInstances: q('SELECT COUNT(*) AS n FROM instances WHERE definition_key = ?'),
      statusCounts: q(
        `SELECT status, COUNT(*) AS n FROM instances WHERE status IN ('active', 'suspended') GROUP BY status`,
      ),
      completedSince: q(`SELECT COUNT(*) AS n FROM instances WHERE status = 'completed' AND ended_at >= ?`),
      stalled: q(`
        SELECT * FROM (
          SELECT i.id, i.process_id, i.version, i.business_key, i.state,
            (SELECT h.time FROM history h WHERE h.instance_id = i.id ORDER BY h.seq DESC LIMIT 1) AS last_time
          FROM instances i WHERE i.status = 'active')
        WHERE COALESCE(last_time, 0) < ? ORDER BY last_time`),
      incidents: q(`
        SELECT x.id, x.instance_id, x.element_id, x.type, x.message, x.created_at, i.process_id, i.version, i.business_key
        FROM incidents x JOIN instances i ON i.id = x.instance_id ORDER BY x.created_at DESC, x.rowid DESC LIMIT ?`),
      failing: q(`
        SELECT i.process_id, h.element_id,
          SUM(h.type = 'incident-created') AS incidents, SUM(h.type = 'job-failed') AS job_failures
        FROM history h JOIN instances i ON i.id = h.instance_id
        WHERE h.type IN ('incident-created', 'job-failed') AND h.element_id IS NOT NULL
        GROUP BY i.process_id, h.element_id ORDER BY incidents DESC, job_failures DESC, i.process_id, h.element_id LIMIT ?`),
      openByElement: q(`
        SELECT i.process_id, x.element_id, COUNT(*) AS n FROM incidents x JOIN instances i ON i.id = x.instance_id
        GROUP BY i.process_id, x.element_id`),
      elementName: q(
        `SELECT json_extract(model, ?) AS name FROM definitions WHERE process_id = ? ORDER BY version DESC LIMIT 1`,
      ),
      elementNameAt: q(`SELECT json_extract(model, ?) AS name FROM definitions WHERE process_id = ? AND version = ?`),
      instanceExists: q('SELECT 1 FROM instances WHERE id = ?'),
      waitingJobs: q(`
        SELECT key, type, element_id, retries, worker, lock_until, due_at, error_message FROM jobs
        WHERE instance_id = ? AND state = 'activatable' ORDER BY created_at, rowid`),
      waitingSubscriptions: q(
        'SELECT kind, name, correlation_key, element_id FROM subscriptions WHERE instance_id = ? ORDER BY created_at, rowid',
      ),
      waitingTimers: q('SELECT element_id, due_at FROM timers WHERE instance_id = ? ORDER BY due_at, rowid'),
    };
  }

  /** Every definition version, newest version first per process, with its instance counts. */
  definitions(): DefinitionSummary[] {
    return (this.st.definitions!.all() as Row[]).map((r) => ({
      processId: r.process_id,
      version: r.version,
      name: r.name,
      deployedAt: iso(r.deployed_at),
      counts: { active: r.active, suspended: r.suspended, completed: r.completed, cancelled: r.cancelled },
      total: r.total,
      openIncidents: r.open_incidents,
    }));
  }

  /** Instances matching `q`, newest first, with the total before paging. */
  instances(q: InstanceQuery): { items: InstanceSummary[]; total: number } {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.processId) {
      where.push('i.process_id = ?');
      args.push(q.processId);
    }
    if (q.version !== undefined) {
      where.push('i.version = ?');
      args.push(q.version);
    }
    if (q.status) {
      where.push('i.status = ?');
      args.push(q.status);
    }
    if (q.businessKey) {
      where.push('i.business_key = ?');
      args.push(q.businessKey);
    }
    if (q.withIncidents) where.push('EXISTS (SELECT 1 FROM incidents x WHERE x.instance_id = i.id)');
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM instances i ${clause}`).get(...args) as Row).n as number;
    const rows = this.db
      .prepare(
        `
      SELECT i.id, i.process_id, i.version, i.business_key, i.status, i.started_at, i.ended_at,
        (SELECT COUNT(*) FROM incidents x WHERE x.instance_id = i.id) AS open_incidents
      FROM instances i ${clause} ORDER BY i.started_at DESC, i.rowid DESC LIMIT ? OFFSET ?`,
      )
      .all(...args, q.limit ?? 20, q.offset ?? 0) as Row[];
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        processId: r.process_id,
        version: r.version,
        businessKey: r.business_key,
        status: r.status,
        startedAt: iso(r.started_at),
        endedAt: r.ended_at === null ? null : iso(r.ended_at),
        openIncidents: r.open_incidents,
      })),
    };
  }

  /** The heatmap of one definition version; undefined when that version does not exist. */
  heatmap(processId: string, version: number): Heatmap | undefined {
    const def = this.st.definitionKey!.get(processId, version) as Row | undefined;
    if (!def) return undefined;
    const elements: Heatmap['elements'] = {};
    const cell = (id: string) => (elements[id] ??= { passed: 0, waiting: 0, failed: 0, openIncidents: 0 });
    const flows: Record<string, number> = {};
    for (const r of this.st.heatHistory!.all(def.key) as Row[]) {
      if (r.type === 'element-completed') cell(r.element_id).passed = r.n;
      else if (r.type === 'incident-created') cell(r.element_id).failed = r.n;
      else flows[r.element_id] = r.n;
    }
    for (const r of this.st.heatWaiting!.all(def.key) as Row[]) cell(r.element_id).waiting = r.n;
    for (const r of this.st.heatIncidents!.all(def.key) as Row[]) cell(r.element_id).openIncidents = r.n;
    const instances = (this.st.heatInstances!.get(def.key) as Row).n as number;
    return { processId, version, instances, elements, flows };
  }

  /**
   * The dashboard figures at `now` (epoch ms). An active (not suspended) instance counts as stalled
   * when its last history entry is older than `stalledMs`.
   */
  dashboard(now: number, stalledMs: number, limit = 50): DashboardData {
    const counts = Object.fromEntries((this.st.statusCounts!.all() as Row[]).map((r) => [r.status, r.n])) as Record<
      string,
      number
    >;
    const stalledRows = this.st.stalled!.all(now - stalledMs) as Row[];
    const open = new Map<string, number>();
    for (const r of this.st.openByElement!.all() as Row[]) open.set(`${r.process_id}\u0000${r.element_id}`, r.n);
    return {
      now: iso(now),
      inFlight: (counts.active ?? 0) + (counts.suspended ?? 0),
      suspended: counts.suspended ?? 0,
      completedLastHour: (this.st.completedSince!.get(now - 3_600_000) as Row).n,
      stalled: { thresholdMs: stalledMs, total: stalledRows.length, items: stalledRows.slice(0, limit).map(stalledOf) },
      incidents: (this.st.incidents!.all(limit * 2) as Row[]).map((r) => ({
        id: r.id,
        instanceId: r.instance_id,
        processId: r.process_id,
        version: r.version,
        businessKey: r.business_key,
        elementId: r.element_id,
        elementName: this.elementName(r.process_id, r.element_id, r.version),
        type: r.type,
        message: r.message,
        createdAt: iso(r.created_at),
      })),
      failingElements: (this.st.failing!.all(10) as Row[]).map((r) => ({
        processId: r.process_id,
        elementId: r.element_id,
        elementName: this.elementName(r.process_id, r.element_id),
        incidents: r.incidents,
        jobFailures: r.job_failures,
        openIncidents: open.get(`${r.process_id}\u0000${r.element_id}`) ?? 0,
      })),
    };
  }

  /**
   * What instance `id` waits for at `now` (epoch ms); undefined when there is no such instance.
   * `inProcess(type)` tells the job types an in-process handler runs.
   */
  waits(id: string, now: number, inProcess: (type: string) => boolean): InstanceWaits | undefined {
    if (!this.st.instanceExists!.get(id)) return undefined;
    return {
      jobs: (this.st.waitingJobs!.all(id) as Row[]).map((r) => {
        const locked = r.lock_until !== null && r.lock_until > now;
        return {
          key: r.key,
          type: r.type,
          elementId: r.element_id,
          retries: r.retries,
          worker: locked ? r.worker : null,
          lockedUntil: locked ? iso(r.lock_until) : null,
          retryAt: r.due_at > now ? iso(r.due_at) : null,
          errorMessage: r.error_message,
          inProcess: inProcess(r.type),
        };
      }),
      subscriptions: (this.st.waitingSubscriptions!.all(id) as Row[]).map((r) => ({
        kind: r.kind,
        name: r.name,
        correlationKey: r.correlation_key,
        elementId: r.element_id,
      })),
      timers: (this.st.waitingTimers!.all(id) as Row[]).map((r) => ({ elementId: r.element_id, dueAt: iso(r.due_at) })),
    };
  }

  /**
   * The name of an element in `version` of its process, or in its latest version (null when
   * unnamed or gone).
   */
  private elementName(processId: string, elementId: string, version?: number): string | null {
    const path = `$.elements."${elementId.replace(/"/g, '')}".name`;
    const row = (
      version === undefined
        ? this.st.elementName!.get(path, processId)
        : this.st.elementNameAt!.get(path, processId, version)
    ) as Row | undefined;
    return (row?.name as string | undefined) ?? null;
  }
}

function stalledOf(r: Row): StalledInstance {
  const state = JSON.parse(r.state) as { elements: Record<string, { key: string; elementId: string }> };
  const active = [
    ...new Set(
      Object.values(state.elements)
        .filter((e) => e.key !== ROOT_KEY)
        .map((e) => e.elementId),
    ),
  ];
  return {
    id: r.id,
    processId: r.process_id,
    version: r.version,
    businessKey: r.business_key,
    lastActivityAt: iso(r.last_time ?? 0),
    activeElements: active,
  };
}

/**
 * Read models of the operations console (`/api/console/...`), computed in SQL by either adapter:
 * instance counts per definition version, a filtered instance list, the per-element heatmap of a
 * version, and the dashboard. The SQL differs per dialect (JSON functions, boolean sums); what is
 * made of the rows is shared. Read-only: nothing here writes.
 */
import type { InstanceState } from '../core/state.js';
import type {
  DashboardData,
  DefinitionSummary,
  Heatmap,
  InstanceQuery,
  InstanceSummary,
  InstanceWaits,
  StalledInstance,
} from '../runtime/console-types.js';
import type { ConsoleReads } from './port.js';
import type { Row } from './sql-mappers.js';

const iso = (ms: number): string => new Date(Number(ms)).toISOString();
const ROOT_KEY = '1';

/** Runs a query with `?` placeholders (an adapter numbers them if it must); resolves to the rows. */
export type RunSql = (sql: string, args?: unknown[]) => Promise<Row[]>;

export type Dialect = 'sqlite' | 'postgres';

const count = (d: Dialect, cond: string) =>
  d === 'sqlite' ? `COALESCE(SUM(${cond}), 0)` : `COUNT(*) FILTER (WHERE ${cond})`;

function sql(d: Dialect) {
  const elementsOfState =
    d === 'sqlite'
      ? `SELECT e.value ->> '$.elementId' AS element_id, COUNT(*) AS n
         FROM instances i, json_each(i.state, '$.elements') e
         WHERE i.definition_key = ? AND i.status IN ('active', 'suspended') AND e.key <> '${ROOT_KEY}'
         GROUP BY element_id`
      : `SELECT e.value ->> 'elementId' AS element_id, COUNT(*) AS n
         FROM instances i, jsonb_each(replace(i.state, '\\u0000', '\\u0001')::jsonb -> 'elements') e
         WHERE i.definition_key = ? AND i.status IN ('active', 'suspended') AND e.key <> '${ROOT_KEY}'
         GROUP BY element_id`;
  // (PostgreSQL's jsonb cannot hold the escape \u0000, which a variable may: it is read as \u0001,
  // which keeps the JSON valid and changes no element id)
  const order = d === 'sqlite' ? 'rowid' : 'seq';
  return {
    definitions: `
      SELECT d.process_id, d.version, d.name, d.deployed_at,
        COUNT(i.id) AS total,
        ${count(d, "i.status = 'active'")} AS active, ${count(d, "i.status = 'suspended'")} AS suspended,
        ${count(d, "i.status = 'completed'")} AS completed, ${count(d, "i.status = 'cancelled'")} AS cancelled,
        (SELECT COUNT(*) FROM incidents x JOIN instances y ON y.id = x.instance_id WHERE y.definition_key = d.key) AS open_incidents
      FROM definitions d LEFT JOIN instances i ON i.definition_key = d.key
      GROUP BY d.key, d.process_id, d.version, d.name, d.deployed_at ORDER BY d.process_id, d.version DESC`,
    definitionKey: 'SELECT key FROM definitions WHERE process_id = ? AND version = ?',
    heatHistory: `
      SELECT h.type, h.element_id, COUNT(DISTINCT h.instance_id) AS n
      FROM instances i JOIN history h ON h.instance_id = i.id
      WHERE i.definition_key = ? AND h.element_id IS NOT NULL
        AND h.type IN ('element-completed', 'incident-created', 'sequence-flow-taken')
      GROUP BY h.type, h.element_id`,
    heatWaiting: elementsOfState,
    heatIncidents: `
      SELECT x.element_id, COUNT(*) AS n FROM incidents x JOIN instances i ON i.id = x.instance_id
      WHERE i.definition_key = ? GROUP BY x.element_id`,
    heatInstances: 'SELECT COUNT(*) AS n FROM instances WHERE definition_key = ?',
    statusCounts: `SELECT status, COUNT(*) AS n FROM instances WHERE status IN ('active', 'suspended') GROUP BY status`,
    completedSince: `SELECT COUNT(*) AS n FROM instances WHERE status = 'completed' AND ended_at >= ?`,
    stalled: `
      SELECT * FROM (
        SELECT i.id, i.process_id, i.version, i.business_key, i.state,
          (SELECT h.time FROM history h WHERE h.instance_id = i.id ORDER BY h.seq DESC LIMIT 1) AS last_time
        FROM instances i WHERE i.status = 'active') s
      WHERE COALESCE(last_time, 0) < ? ORDER BY last_time`,
    incidents: `
      SELECT x.id, x.instance_id, x.element_id, x.type, x.message, x.created_at, i.process_id, i.version, i.business_key
      FROM incidents x JOIN instances i ON i.id = x.instance_id ORDER BY x.created_at DESC, x.${order} DESC LIMIT ?`,
    failing: `
      SELECT i.process_id, h.element_id,
        ${count(d, "h.type = 'incident-created'")} AS incidents, ${count(d, "h.type = 'job-failed'")} AS job_failures
      FROM history h JOIN instances i ON i.id = h.instance_id
      WHERE h.type IN ('incident-created', 'job-failed') AND h.element_id IS NOT NULL
      GROUP BY i.process_id, h.element_id ORDER BY incidents DESC, job_failures DESC, i.process_id, h.element_id LIMIT ?`,
    openByElement: `
      SELECT i.process_id, x.element_id, COUNT(*) AS n FROM incidents x JOIN instances i ON i.id = x.instance_id
      GROUP BY i.process_id, x.element_id`,
    latestModel: 'SELECT model FROM definitions WHERE process_id = ? ORDER BY version DESC LIMIT 1',
    modelAt: 'SELECT model FROM definitions WHERE process_id = ? AND version = ?',
    instanceExists: 'SELECT 1 AS found FROM instances WHERE id = ?',
    waitingJobs: `
      SELECT key, type, element_id, retries, worker, lock_until, due_at, error_message FROM jobs
      WHERE instance_id = ? AND state = 'activatable' ORDER BY created_at, ${order}`,
    waitingSubscriptions: `SELECT kind, name, correlation_key, element_id FROM subscriptions WHERE instance_id = ? ORDER BY created_at, ${order}`,
    waitingTimers: `SELECT element_id, due_at FROM timers WHERE instance_id = ? ORDER BY due_at, key`,
    instanceOrder: order,
  };
}

export class SqlConsoleReads implements ConsoleReads {
  private readonly q: ReturnType<typeof sql>;

  constructor(
    private readonly run: RunSql,
    dialect: Dialect,
  ) {
    this.q = sql(dialect);
  }

  /** Every definition version, newest version first per process, with its instance counts. */
  async definitions(): Promise<DefinitionSummary[]> {
    return (await this.run(this.q.definitions)).map((r) => ({
      processId: r.process_id,
      version: r.version,
      name: r.name,
      deployedAt: iso(r.deployed_at),
      counts: { active: n(r.active), suspended: n(r.suspended), completed: n(r.completed), cancelled: n(r.cancelled) },
      total: n(r.total),
      openIncidents: n(r.open_incidents),
    }));
  }

  /** Instances matching `q`, newest first, with the total before paging. */
  async instances(query: InstanceQuery): Promise<{ items: InstanceSummary[]; total: number }> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (cond: string, v: unknown) => {
      where.push(cond);
      args.push(v);
    };
    if (query.processId) add('i.process_id = ?', query.processId);
    if (query.version !== undefined) add('i.version = ?', query.version);
    if (query.status) add('i.status = ?', query.status);
    if (query.businessKey) add('i.business_key = ?', query.businessKey);
    if (query.withIncidents) where.push('EXISTS (SELECT 1 FROM incidents x WHERE x.instance_id = i.id)');
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = n((await this.run(`SELECT COUNT(*) AS n FROM instances i ${clause}`, args))[0]!.n);
    const rows = await this.run(
      `SELECT i.id, i.process_id, i.version, i.business_key, i.status, i.started_at, i.ended_at,
        (SELECT COUNT(*) FROM incidents x WHERE x.instance_id = i.id) AS open_incidents
       FROM instances i ${clause} ORDER BY i.started_at DESC, i.${this.q.instanceOrder} DESC LIMIT ? OFFSET ?`,
      [...args, query.limit ?? 20, query.offset ?? 0],
    );
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
        openIncidents: n(r.open_incidents),
      })),
    };
  }

  /** The heatmap of one definition version; undefined when that version does not exist. */
  async heatmap(processId: string, version: number): Promise<Heatmap | undefined> {
    const def = (await this.run(this.q.definitionKey, [processId, version]))[0];
    if (!def) return undefined;
    const elements: Heatmap['elements'] = {};
    const cell = (id: string) => (elements[id] ??= { passed: 0, waiting: 0, failed: 0, openIncidents: 0 });
    const flows: Record<string, number> = {};
    for (const r of await this.run(this.q.heatHistory, [def.key])) {
      if (r.type === 'element-completed') cell(r.element_id).passed = n(r.n);
      else if (r.type === 'incident-created') cell(r.element_id).failed = n(r.n);
      else flows[r.element_id] = n(r.n);
    }
    for (const r of await this.run(this.q.heatWaiting, [def.key])) cell(r.element_id).waiting = n(r.n);
    for (const r of await this.run(this.q.heatIncidents, [def.key])) cell(r.element_id).openIncidents = n(r.n);
    const instances = n((await this.run(this.q.heatInstances, [def.key]))[0]!.n);
    return { processId, version, instances, elements, flows };
  }

  /**
   * The dashboard figures at `now` (epoch ms). An active (not suspended) instance counts as stalled
   * when its last history entry is older than `stalledMs`.
   */
  async dashboard(now: number, stalledMs: number, limit = 50): Promise<DashboardData> {
    const counts = Object.fromEntries((await this.run(this.q.statusCounts)).map((r) => [r.status, n(r.n)])) as Record<
      string,
      number
    >;
    const stalledRows = await this.run(this.q.stalled, [now - stalledMs]);
    const open = new Map<string, number>();
    for (const r of await this.run(this.q.openByElement)) open.set(`${r.process_id}\u0000${r.element_id}`, n(r.n));
    const failing = await this.run(this.q.failing, [10]);
    const incidents = await this.run(this.q.incidents, [limit * 2]);
    const names = await this.elementNames([
      ...failing.map((r): [string, string, number | undefined] => [r.process_id, r.element_id, undefined]),
      ...incidents.map((r): [string, string, number | undefined] => [r.process_id, r.element_id, r.version]),
    ]);
    return {
      now: iso(now),
      inFlight: (counts.active ?? 0) + (counts.suspended ?? 0),
      suspended: counts.suspended ?? 0,
      completedLastHour: n((await this.run(this.q.completedSince, [now - 3_600_000]))[0]!.n),
      stalled: { thresholdMs: stalledMs, total: stalledRows.length, items: stalledRows.slice(0, limit).map(stalledOf) },
      incidents: incidents.map((r) => ({
        id: r.id,
        instanceId: r.instance_id,
        processId: r.process_id,
        version: r.version,
        businessKey: r.business_key,
        elementId: r.element_id,
        elementName: names.get(nameKey(r.process_id, r.element_id, r.version)) ?? null,
        type: r.type,
        message: r.message,
        createdAt: iso(r.created_at),
      })),
      failingElements: failing.map((r) => ({
        processId: r.process_id,
        elementId: r.element_id,
        elementName: names.get(nameKey(r.process_id, r.element_id, undefined)) ?? null,
        incidents: n(r.incidents),
        jobFailures: n(r.job_failures),
        openIncidents: open.get(`${r.process_id}\u0000${r.element_id}`) ?? 0,
      })),
    };
  }

  /**
   * What instance `id` waits for at `now` (epoch ms); undefined when there is no such instance.
   * `inProcess(type)` tells the job types an in-process handler of this node runs.
   */
  async waits(id: string, now: number, inProcess: (type: string) => boolean): Promise<InstanceWaits | undefined> {
    if (!(await this.run(this.q.instanceExists, [id])).length) return undefined;
    return {
      jobs: (await this.run(this.q.waitingJobs, [id])).map((r) => {
        const lockUntil = r.lock_until === null ? null : Number(r.lock_until);
        const locked = lockUntil !== null && lockUntil > now;
        return {
          key: r.key,
          type: r.type,
          elementId: r.element_id,
          retries: r.retries,
          worker: locked ? r.worker : null,
          lockedUntil: locked ? iso(lockUntil) : null,
          retryAt: Number(r.due_at) > now ? iso(r.due_at) : null,
          errorMessage: r.error_message,
          inProcess: inProcess(r.type),
        };
      }),
      subscriptions: (await this.run(this.q.waitingSubscriptions, [id])).map((r) => ({
        kind: r.kind,
        name: r.name,
        correlationKey: r.correlation_key,
        elementId: r.element_id,
      })),
      timers: (await this.run(this.q.waitingTimers, [id])).map((r) => ({
        elementId: r.element_id,
        dueAt: iso(r.due_at),
      })),
    };
  }

  /** Element names in a version of their process, or its latest (null when unnamed or gone). */
  private async elementNames(
    refs: [processId: string, elementId: string, version: number | undefined][],
  ): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    const models = new Map<string, { elements: Record<string, { name?: string }> } | undefined>();
    for (const [pid, eid, version] of refs) {
      const key = `${pid}\u0000${version ?? ''}`;
      if (!models.has(key)) {
        const r = (
          await this.run(
            version === undefined ? this.q.latestModel : this.q.modelAt,
            version === undefined ? [pid] : [pid, version],
          )
        )[0];
        models.set(key, r ? JSON.parse(r.model) : undefined);
      }
      out.set(nameKey(pid, eid, version), models.get(key)?.elements[eid]?.name ?? null);
    }
    return out;
  }
}

function nameKey(processId: string, elementId: string, version: number | undefined): string {
  return `${processId}\u0000${elementId}\u0000${version ?? ''}`;
}

/** SQL counts come back as numbers (SQLite) or 64-bit integers parsed to numbers (PostgreSQL). */
function n(v: unknown): number {
  return Number(v ?? 0);
}

function stalledOf(r: Row): StalledInstance {
  const state = JSON.parse(r.state) as Pick<InstanceState, 'elements'>;
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

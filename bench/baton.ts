/**
 * Baton's side of the benchmark: a durable engine on a fresh temporary SQLite file per round, at
 * the default durability setting (the engine's, unless BENCH_SYNC says otherwise). Completion is
 * observed through the engine's instance duration metric (state completed), so no polling slows the engine down.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { openEngine, type Engine, type EngineOptions } from '../engine/src/runtime/engine.js';
import { Counter, Histogram } from 'prom-client';
import { createMetrics, type Metrics } from '../engine/src/runtime/metrics.js';
import type { SqliteStore } from '../engine/src/storage/sqlite/sqlite-store.js';
import { createTestDatabase, type TestDatabase } from '../test/support/pg-database.js';
import { gatewayModel, messageModel, timerModel, timerVarModel, userTaskModel } from './models.js';
import { pool, settledHeap, sleep } from './stats.js';

export type Measure = Record<string, number>;

const root = fileURLToPath(new URL('..', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
let seq = 0;
export const benchDir = dir;
export function cleanup(): void {
  rmSync(dir, { recursive: true, force: true });
}
export type SyncMode = 'FULL' | 'NORMAL';
let sync = process.env.BENCH_SYNC as SyncMode | undefined;

/** The `synchronous` setting of the SQLite databases `fn` opens (the NORMAL rows beside the FULL ones). */
export async function withSync<T>(mode: SyncMode, fn: () => Promise<T>): Promise<T> {
  const before = sync;
  sync = mode;
  try {
    return await fn();
  } finally {
    sync = before;
  }
}

/** The setting in force (undefined: the engine's default, FULL). */
export const currentSync = (): SyncMode | undefined => sync;

/**
 * The engine's metrics with a hook on completed instances. Unless `real`, every counter and
 * histogram is a no-op (no prom-client work on the hot path), so the other workloads measure the
 * engine; (l) measures what real metrics cost.
 */
export function countingMetrics(onCompleted: () => void, opts: { real?: boolean } = {}): Metrics {
  const m = createMetrics({ defaultMetrics: false });
  if (!opts.real)
    for (const v of Object.values(m) as unknown[]) {
      if (v instanceof Counter) v.inc = () => {};
      if (v instanceof Histogram) v.observe = () => {};
    }
  const observe = m.instanceDuration.observe.bind(m.instanceDuration) as (l: object, v: number) => void;
  (m.instanceDuration as { observe: (l: { state?: string }, v: number) => void }).observe = (labels, value) => {
    observe(labels, value);
    if (labels.state === 'completed') onCompleted();
  };
  return m;
}

export interface Bench {
  engine: Engine;
  /** The SQLite connection (file measurements); undefined on PostgreSQL. */
  db: Database.Database | undefined;
  path: string;
  /** The PostgreSQL database of this round, dropped by `close`. */
  pg?: TestDatabase;
  /** Resolves at the next completion not yet claimed. */
  nextCompletion(): Promise<void>;
  completed(): number;
}

export async function open(
  opts: {
    handlers?: boolean;
    now?: () => number;
    postgres?: boolean;
    engine?: Partial<EngineOptions>;
    /** Real prom-client metrics instead of no-op ones (workload (l)). */
    realMetrics?: boolean;
  } = {},
): Promise<Bench> {
  const pg = opts.postgres ? await createTestDatabase() : undefined;
  const path = pg?.url ?? join(dir, `round-${++seq}.db`);
  let done = 0;
  let credit = 0;
  const waiting: (() => void)[] = [];
  const metrics = countingMetrics(
    () => {
      done++;
      const w = waiting.shift();
      if (w) w();
      else credit++;
    },
    { real: opts.realMetrics ?? false },
  );
  const engine = await openEngine({
    dbPath: path,
    metrics,
    ...(sync ? { storeOptions: { synchronous: sync } } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...opts.engine,
  });
  if (opts.handlers) engine.handle('bench-work', () => ({ ok: true }));
  engine.start();
  return {
    engine,
    path,
    db: pg ? undefined : (engine.store as SqliteStore).database,
    ...(pg ? { pg } : {}),
    nextCompletion: () => (credit > 0 ? (credit--, Promise.resolve()) : new Promise<void>((r) => waiting.push(r))),
    completed: () => done,
  };
}

export async function countByStatus(b: Bench, processId: string, status: string): Promise<number> {
  return (await b.engine.listInstances({ processId, status: status as 'completed', limit: 1 })).total;
}

/** Closes the engine (and drops the round's PostgreSQL database). */
export async function closeBench(b: Bench): Promise<void> {
  await b.engine.close();
  await b.pg?.drop();
}

/** Bytes of the database file plus its WAL after a truncating checkpoint. */
export function diskBytes(b: Bench): number {
  if (!b.db) return NaN;
  b.db.pragma('wal_checkpoint(TRUNCATE)');
  const size = (p: string) => (existsSync(p) ? statSync(p).size : 0);
  return size(b.path) + size(`${b.path}-wal`);
}

/** Closed loop: `n` instances, at most `concurrency` started and not yet completed. */
export async function drive(
  b: Bench,
  processId: string,
  n: number,
  concurrency: number,
  variables: Record<string, unknown>,
): Promise<void> {
  await pool(n, concurrency, async () => {
    await b.engine.startInstance({ processId, variables });
    await b.nextCompletion();
  });
}

/** (a)–(c): completed instances per second. */
export async function batonFlow(
  xml: string,
  processId: string,
  n: number,
  concurrency: number,
  postgres = false,
): Promise<Measure> {
  const b = await open({ handlers: true, postgres });
  const vars = { amount: 150 };
  await b.engine.deploy(xml);
  const warm = Math.max(10, Math.round(n / 10));
  await drive(b, processId, warm, concurrency, vars);
  const t0 = performance.now();
  await drive(b, processId, n, concurrency, vars);
  const s = (performance.now() - t0) / 1000;
  const ok = await countByStatus(b, processId, 'completed');
  await closeBench(b);
  if (ok !== n + warm) throw new Error(`Expected ${n + warm} completed instances of ${processId}, but found ${ok}`);
  return { rate: n / s, completed: ok };
}

/** (d): `n` instances waiting at a user task or a message catch; bytes each, then resume them all. */
export async function batonWaiting(kind: 'user' | 'message', n: number): Promise<Measure> {
  const b = await open();
  const processId = kind === 'user' ? 'bench_user' : 'bench_msg';
  await b.engine.deploy(kind === 'user' ? userTaskModel('zeebe') : messageModel('zeebe'));
  await b.engine.startInstance({ processId, variables: { key: 'warm' } });
  const disk0 = diskBytes(b);
  const heap0 = await settledHeap();
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  await pool(n, 200, (i) => b.engine.startInstance({ processId, variables: { key: `k${i}` } }));
  const startRate = n / ((performance.now() - t0) / 1000);
  const heap = (await settledHeap()) - heap0;
  const rss = process.memoryUsage().rss - rss0;
  const disk = diskBytes(b) - disk0;
  const t1 = performance.now();
  if (kind === 'user') {
    const tasks = await b.engine.listUserTasks({ limit: n });
    await pool(tasks.length, 500, (i) => b.engine.completeUserTask(tasks[i]!.id));
  } else {
    await pool(n, 500, (i) => b.engine.publishMessage({ name: 'bench.paid', correlationKey: `k${i}` }));
  }
  const resumeRate = n / ((performance.now() - t1) / 1000);
  const ok = await countByStatus(b, processId, 'completed');
  await b.engine.close();
  if (ok < n) throw new Error(`Expected ${n} completed instances of ${processId}, but found ${ok}`);
  return { heapPerInstance: heap / n, rssPerInstance: rss / n, diskPerInstance: disk / n, startRate, resumeRate };
}

/** (e): `n` timers due at one moment; the clock jumps to just before it, then the scheduler fires. */
export async function batonTimers(n: number): Promise<Measure> {
  let offset = 0;
  const b = await open({ now: () => Date.now() + offset });
  const due = Math.ceil((Date.now() + 3_600_000) / 1000) * 1000;
  await b.engine.deploy(timerModel(new Date(due).toISOString()));
  await pool(n, 200, () => b.engine.startInstance({ processId: 'bench_timer' }));
  offset = due - 300 - Date.now();
  const deadline = Date.now() + 120_000;
  while ((await countByStatus(b, 'bench_timer', 'completed')) < n && Date.now() < deadline) await sleep(20);
  const ended = (
    b
      .db!.prepare(`SELECT ended_at AS t FROM instances WHERE process_id = 'bench_timer' AND status = 'completed'`)
      .all() as { t: number }[]
  ).map((r) => r.t - due);
  await b.engine.close();
  if (ended.length !== n) throw new Error(`Expected ${n} fired timers, but ${ended.length} fired`);
  ended.sort((x, y) => x - y);
  const last = ended[ended.length - 1]!;
  return { fireRate: n / (Math.max(last, 1) / 1000), p99Lag: ended[Math.ceil(0.99 * n) - 1]!, maxLag: last };
}

/**
 * (e, steady): `n` timers due one after another at `rate` per second (a steady load, the usual
 * reading of "timer lag"): each timer's lag is its instance's end minus its own due time.
 */
export async function batonTimersSteady(n: number, rate: number): Promise<Measure> {
  const b = await open({});
  await b.engine.deploy(timerVarModel());
  const base = Date.now() + 3_000 + n / 50;
  await pool(n, 200, (i) =>
    b.engine.startInstance({
      processId: 'bench_timer_var',
      variables: { due: new Date(base + Math.floor((i * 1000) / rate)).toISOString() },
    }),
  );
  const deadline = Date.now() + 120_000 + (n / rate) * 1000;
  while ((await countByStatus(b, 'bench_timer_var', 'completed')) < n && Date.now() < deadline) await sleep(50);
  const rows = b
    .db!.prepare(
      `SELECT ended_at AS t, json_extract(state, '$.vars."1".due') AS due FROM instances WHERE process_id = 'bench_timer_var' AND status = 'completed'`,
    )
    .all() as { t: number; due: string }[];
  await b.engine.close();
  if (rows.length !== n) throw new Error(`Expected ${n} fired timers, but ${rows.length} fired`);
  const lags = rows.map((r) => r.t - Date.parse(r.due)).sort((x, y) => x - y);
  return { p50Lag: lags[Math.ceil(0.5 * n) - 1]!, p99Lag: lags[Math.ceil(0.99 * n) - 1]!, maxLag: lags[n - 1]! };
}

/** (g): `waiting` user-task instances preloaded, then (a) with 100 in flight on the same database. */
export async function batonWithWaiting(waiting: number, n: number): Promise<Measure> {
  const b = await open({ handlers: true });
  await b.engine.deploy(userTaskModel('zeebe'));
  await b.engine.deploy(gatewayModel('zeebe'));
  const t0 = performance.now();
  await pool(waiting, 200, () => b.engine.startInstance({ processId: 'bench_user' }));
  const startRate = waiting / ((performance.now() - t0) / 1000);
  await pool(Math.round(n / 10), 100, async () => {
    await b.engine.startInstance({ processId: 'bench_a', variables: { amount: 150 } });
    await b.nextCompletion();
  });
  const t1 = performance.now();
  await pool(n, 100, async () => {
    await b.engine.startInstance({ processId: 'bench_a', variables: { amount: 150 } });
    await b.nextCompletion();
  });
  const rate = n / ((performance.now() - t1) / 1000);
  await b.engine.close();
  return { rate, startRate };
}

/**
 * (a)–(c) on `nodes` engine processes sharing one PostgreSQL database (bench/pg-node.ts): the same
 * model and closed loop, `concurrency` instances in flight split over the nodes; completed instances
 * per second of all nodes together, from the moment all of them start to the last one done.
 */
export async function batonFlowNodes(
  xml: string,
  processId: string,
  n: number,
  concurrency: number,
  nodes: number,
): Promise<Measure> {
  const pg = await createTestDatabase();
  try {
    const deployer = await openEngine({ dbPath: pg.url });
    await deployer.deploy(xml);
    await deployer.close();
    const children = Array.from({ length: nodes }, () =>
      spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(root, 'bench', 'pg-node.ts'),
          pg.url,
          processId,
          String(Math.ceil(n / nodes)),
          String(Math.ceil(concurrency / nodes)),
        ],
        { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
      ),
    );
    const lines = children.map((c) => createInterface({ input: c.stdout! })[Symbol.asyncIterator]());
    for (const l of lines) if ((await l.next()).value !== 'ready') throw new Error('a benchmark node did not start');
    for (const c of children) c.stdin!.write('go\n');
    const results = await Promise.all(lines.map(async (l) => JSON.parse((await l.next()).value as string)));
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    const completed = results.reduce((a, r) => a + (r.completed as number), 0);
    const ms = Math.max(...results.map((r) => r.ms as number));
    return { rate: completed / (ms / 1000), completed };
  } finally {
    await pg.drop();
  }
}

/**
 * Crash torture: `baton serve` on a file database under a mixed load (in-process handlers, external
 * workers over HTTP, timers, messages, user tasks, parallel branches, compensation), SIGKILLed at
 * seeded random moments and started again on the same file. At the end every instance must have
 * reached its expected end with nothing lost and nothing done twice (see check.ts).
 *
 * `npm run torture` runs the full configuration; `torture.test.ts` runs a short one in `npm test`.
 * Environment overrides for the full run: TORTURE_SEED, TORTURE_INSTANCES, TORTURE_KILLS, and
 * TORTURE_NODES (more than 1: that many servers on one PostgreSQL database, `npm run torture:cluster`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkRun, type Finding, type RunRecord } from './check.js';
import { createTestDatabase, type TestDatabase } from '../support/pg-database.js';
import {
  call,
  ClusterProcess,
  deploy,
  listInstances,
  request,
  ServerProcess,
  UnreachableError,
  type Servers,
} from './server-process.js';
import { openSink, type Sink } from './sink.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));

/** Size and pace of a run. */
export interface TortureConfig {
  readonly seed: number;
  readonly instances: number;
  readonly kills: number;
  /** A kill comes after a random pause in [min, max] ms of uptime. */
  readonly killIntervalMs: readonly [number, number];
  /** External worker loops (over HTTP). */
  readonly workers: number;
  /**
   * Instances started all at once just before half of the kills (seeded), the kill following 0–40 ms
   * later: a kill while a batch of starts is being committed and answered. Counted on top of `instances`.
   */
  readonly storm: number;
  /** Give up (and fail) after this long. */
  readonly timeoutMs: number;
  /**
   * Engine nodes: 1 (default) runs one server on a SQLite file; more run that many servers on one
   * PostgreSQL database of their own (requests spread over the live nodes, each kill takes one node).
   */
  readonly nodes?: number;
  readonly log?: (line: string) => void;
}

/** The outcome; `ok` is false on any loss or duplicate. */
export interface TortureResult {
  readonly ok: boolean;
  readonly seed: number;
  readonly instances: number;
  readonly kills: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly redelivered: number;
  readonly messagesAcked: number;
  readonly elapsedMs: number;
  readonly findings: readonly Finding[];
  readonly line: string;
}

/** The full run of `npm run torture`. */
export const FULL: TortureConfig = {
  seed: 20240611,
  instances: 400,
  kills: 25,
  killIntervalMs: [150, 2000],
  workers: 6,
  storm: 16,
  timeoutMs: 15 * 60_000,
};

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs one torture configuration end to end. */
export async function runTorture(cfg: TortureConfig): Promise<TortureResult> {
  const t0 = Date.now();
  const log = cfg.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'baton-torture-'));
  const sinkPath = join(dir, 'sink.db');
  const sink = openSink(sinkPath);
  let serverLog = '';
  const nodes = cfg.nodes ?? 1;
  const database: TestDatabase | undefined = nodes > 1 ? await createTestDatabase() : undefined;
  const opts = {
    dbPath: database?.url ?? join(dir, 'baton.db'),
    handlers: join(HERE, 'handlers.mjs'),
    // a killed node's in-process jobs come back to the others when their lease ends
    env: { TORTURE_SINK: sinkPath, ...(database ? { BATON_JOB_LEASE_MS: '3000' } : {}) },
    onStderr: (s: string) => {
      serverLog = (serverLog + s).slice(-20_000);
    },
  };
  const server: Servers = database ? new ClusterProcess(opts, nodes, prng(cfg.seed + 2)) : new ServerProcess(opts);
  const rec: RunRecord = { seed: cfg.seed, started: new Map(), compensating: new Set(), acked: new Map() };
  const state = { stop: false, kills: 0 };
  try {
    await server.start();
    const dep = await deploy(server, readFileSync(join(HERE, 'torture.bpmn'), 'utf8'));
    if (dep.status >= 300) throw new Error(`deploy failed: ${JSON.stringify(dep.body)}`);
    const random = prng(cfg.seed);
    const loops = [
      ...Array.from({ length: cfg.workers }, (_, w) => workerLoop(server, sink, state, `w${w}`)),
      userTaskLoop(server, state),
      messageLoop(server, state, rec),
    ];
    const storms: Promise<void>[] = [];
    const killer = killLoop(server, state, cfg, prng(cfg.seed + 1), log, (n) =>
      storms.push(storm(server, rec, cfg, n, random)),
    );
    await startAll(server, rec, cfg, random);
    log(`all ${cfg.instances} paced starts acknowledged after ${Date.now() - t0} ms`);
    await killer;
    await Promise.all(storms);
    const settled = await waitUntilSettled(server, new Set(rec.started.values()), t0 + cfg.timeoutMs, log);
    state.stop = true;
    await Promise.all(loops);
    if (!settled) log('gave up waiting: no progress, or the time is up');
    const { findings, redelivered, inProcessRedelivered, instances } = await checkRun(server, rec, sink.perElement());
    return report(
      cfg,
      findings,
      {
        instances,
        kills: state.kills,
        redelivered,
        inProcessRedelivered,
        acked: rec.acked.size,
        elapsedMs: Date.now() - t0,
      },
      serverLog,
    );
  } finally {
    state.stop = true;
    await server.stop();
    sink.close();
    if (!process.env.TORTURE_KEEP) await database?.drop();
    else if (database) log(`kept database ${database.name}`);
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(
  cfg: TortureConfig,
  findings: Finding[],
  n: {
    instances: number;
    kills: number;
    redelivered: number;
    inProcessRedelivered: number;
    acked: number;
    elapsedMs: number;
  },
  serverLog: string,
): TortureResult {
  const lost = findings.filter((f) => f.kind === 'lost').length;
  const duplicated = findings.filter((f) => f.kind === 'duplicated').length;
  const ok = lost === 0 && duplicated === 0;
  const line = `torture: seed=${cfg.seed} nodes=${cfg.nodes ?? 1} instances=${n.instances} kills=${n.kills} lost=${lost} duplicated=${duplicated} redelivered=${n.redelivered} (in-process ${n.inProcessRedelivered}) messages=${n.acked} elapsed=${(n.elapsedMs / 1000).toFixed(1)}s ${ok ? 'OK' : 'FAILED'}`;
  if (!ok) cfg.log?.(`last server log:\n${serverLog.slice(-4000)}`);
  return {
    ok,
    seed: cfg.seed,
    instances: n.instances,
    kills: n.kills,
    lost,
    duplicated,
    redelivered: n.redelivered,
    messagesAcked: n.acked,
    elapsedMs: n.elapsedMs,
    findings,
    line,
  };
}

/** Starts every instance (Idempotency-Key per instance, retried over kills), spread over the kill window. */
async function startAll(server: Servers, rec: RunRecord, cfg: TortureConfig, random: () => number): Promise<void> {
  // a restart takes ~0.7 s; spread the starts over the whole kill schedule so every kill meets load
  const window = cfg.kills * ((cfg.killIntervalMs[0] + cfg.killIntervalMs[1]) / 2 + 700);
  const gap = window / cfg.instances;
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < cfg.instances; i++) {
    const key = `k${i}`;
    const compensate = random() < 0.25;
    if (compensate) rec.compensating.add(key);
    const p = startOne(server, rec, key, compensate, cfg.seed).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= 16) await Promise.race(inFlight);
    await sleep(gap);
  }
  await Promise.all(inFlight);
}

async function startOne(
  server: Servers,
  rec: RunRecord,
  key: string,
  compensate: boolean,
  seed: number,
): Promise<void> {
  const body = { businessKey: key, variables: { key, compensate } };
  const r = await call(
    server,
    'POST',
    '/api/processes/torture/instances',
    body,
    { 'idempotency-key': `torture-${seed}-${key}` },
    300_000,
  );
  if (r.status !== 201) throw new Error(`start of ${key} answered ${r.status}: ${JSON.stringify(r.body)}`);
  rec.started.set(key, r.body.id);
}

/** Starts `cfg.storm` instances at once (keys `s<n>-<j>`); resolves when all are acknowledged. */
function storm(server: Servers, rec: RunRecord, cfg: TortureConfig, n: number, random: () => number): Promise<void> {
  return Promise.all(
    Array.from({ length: cfg.storm }, (_, j) => {
      const key = `s${n}-${j}`;
      const compensate = random() < 0.25;
      if (compensate) rec.compensating.add(key);
      return startOne(server, rec, key, compensate, cfg.seed);
    }),
  ).then(() => {});
}

/** SIGKILLs the server after seeded random uptimes (half of the times during a storm of starts) and starts it again on the same file. */
async function killLoop(
  server: Servers,
  state: { stop: boolean; kills: number },
  cfg: TortureConfig,
  random: () => number,
  log: (s: string) => void,
  startStorm: (n: number) => void,
): Promise<void> {
  const [min, max] = cfg.killIntervalMs;
  while (state.kills < cfg.kills && !state.stop) {
    await sleep(min + random() * (max - min));
    if (cfg.storm > 0 && random() < 0.5) {
      startStorm(state.kills);
      await sleep(random() * 40);
    }
    await server.kill();
    state.kills++;
    await sleep(random() * 200);
    await server.start();
    log(`kill ${state.kills}/${cfg.kills} done, server back at ${server.url}`);
  }
}

/** An external worker: activates torture.ext and torture.undo jobs with a 1 s lock, records the side effect, completes. */
async function workerLoop(server: Servers, sink: Sink, state: { stop: boolean }, name: string): Promise<void> {
  const types = ['torture.ext', 'torture.undo'];
  for (let round = 0; !state.stop; round++) {
    const type = types[round % types.length]!;
    try {
      const r = await request(server, 'POST', '/api/jobs/activate', {
        type,
        worker: name,
        maxJobs: 5,
        lockMs: 1000,
        waitMs: 100,
      });
      if (r.status !== 200) {
        await sleep(50);
        continue;
      }
      for (const job of r.body.jobs) {
        sink.record(job, name);
        const vars = type === 'torture.ext' ? { extDone: true } : { undone: true };
        await request(server, 'POST', `/api/jobs/${job.key}/complete`, { variables: vars });
      }
    } catch (err) {
      if (!(err instanceof UnreachableError)) throw err;
      await sleep(50);
    }
  }
}

/** Completes every open user task. */
async function userTaskLoop(server: Servers, state: { stop: boolean }): Promise<void> {
  while (!state.stop) {
    try {
      const r = await request(server, 'GET', '/api/user-tasks');
      for (const t of r.status === 200 ? r.body : [])
        await request(server, 'POST', `/api/user-tasks/${t.id}/complete`, { variables: { approved: true } });
    } catch (err) {
      if (!(err instanceof UnreachableError)) throw err;
    }
    await sleep(100);
  }
}

/** Publishes the message (messageId per instance) to every instance waiting at Msg, until acknowledged. */
async function messageLoop(server: Servers, state: { stop: boolean }, rec: RunRecord): Promise<void> {
  while (!state.stop) {
    try {
      const all = await listInstances(server, 'processId=torture', request);
      const waiting = all.filter((i) => i.status === 'active' && i.activeElements.includes('Msg'));
      for (const inst of waiting) {
        const messageId = `msg-${inst.businessKey}`;
        if (rec.acked.has(messageId)) continue;
        const a = await request(server, 'POST', '/api/messages', {
          name: 'torture.msg',
          correlationKey: inst.businessKey,
          messageId,
          variables: { msgFor: inst.businessKey },
        });
        if (a.status >= 200 && a.status < 300) rec.acked.set(messageId, inst.businessKey);
      }
    } catch (err) {
      if (!(err instanceof UnreachableError)) throw err;
    }
    await sleep(100);
  }
}

/** No progress for this long after the last kill ends the wait (the checks then report what is stuck). */
const STALL_MS = 20_000;

/** Waits until none of the acknowledged instances is active any more, progress stalls, or the deadline passes. */
async function waitUntilSettled(
  server: Servers,
  ids: Set<string>,
  deadline: number,
  log: (s: string) => void,
): Promise<boolean> {
  let last = -1;
  let since = Date.now();
  while (Date.now() < deadline && Date.now() - since < STALL_MS) {
    const all = await listInstances(server, 'processId=torture');
    const active = all.filter((i) => i.status === 'active' && ids.has(i.id)).length;
    if (active === 0) return true;
    if (active !== last) {
      log(`${active} instances still active`);
      since = Date.now();
    }
    last = active;
    await sleep(250);
  }
  return false;
}

async function main(): Promise<void> {
  const env = process.env;
  const cfg: TortureConfig = {
    ...FULL,
    ...(env.TORTURE_SEED ? { seed: Number(env.TORTURE_SEED) } : {}),
    ...(env.TORTURE_INSTANCES ? { instances: Number(env.TORTURE_INSTANCES) } : {}),
    ...(env.TORTURE_KILLS ? { kills: Number(env.TORTURE_KILLS) } : {}),
    ...(env.TORTURE_NODES ? { nodes: Number(env.TORTURE_NODES) } : {}),
    log: (s) => process.stderr.write(`${s}\n`),
  };
  const result = await runTorture(cfg);
  for (const f of result.findings.slice(0, 50))
    process.stdout.write(`${f.kind.toUpperCase()} instance ${f.instance}: ${f.what}\n`);
  process.stdout.write(`${result.line}\n`);
  process.exit(result.ok ? 0 : 1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();

/**
 * Workload (f): Baton's REST API in a child process. Four external workers activate jobs
 * (`maxJobs`) and complete each one; then start-instance requests arrive at a fixed 500/s
 * (open loop: the next request does not wait for the previous answer). BENCH_SERVER_NODE_ARGS
 * passes node flags to the server process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '../test/support/pg-database.js';
import type { Measure } from './baton.js';
import { benchDir, currentSync } from './baton.js';
import { percentile, pool, sleep } from './stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));
let seq = 0;

export async function post(url: string, body: unknown): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`POST ${url} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** Where the servers keep their data: a fresh SQLite file (one server), or one PostgreSQL database for `nodes` servers. */
export interface HttpTarget {
  readonly postgres?: boolean;
  readonly nodes?: number;
}

export async function withServers<T>(target: HttpTarget, fn: (urls: string[]) => Promise<T>): Promise<T> {
  const pg = target.postgres ? await createTestDatabase() : undefined;
  const db = pg?.url ?? join(benchDir, `http-${++seq}.db`);
  const children: ChildProcess[] = [];
  try {
    const urls: string[] = [];
    // one after another: the first deploys the models, the others find them deployed
    for (let i = 0; i < (target.nodes ?? 1); i++) urls.push(await startServer(db, children));
    return await fn(urls);
  } finally {
    for (const child of children) child.stdin!.end();
    await Promise.all(children.map((c) => (c.exitCode !== null ? undefined : once(c, 'exit'))));
    await pg?.drop();
  }
}

async function startServer(db: string, children: ChildProcess[]): Promise<string> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      '--import',
      'tsx',
      'bench/http-server.ts',
      db,
    ],
    {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, ...(currentSync() ? { BATON_SYNCHRONOUS: currentSync() } : {}) },
    },
  );
  children.push(child);
  let out = '';
  child.stdout!.setEncoding('utf8');
  return new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`The benchmark server exited with ${code} before listening`)));
  });
}

/** `jobs` jobs through 4 workers; jobs/s and activate-to-complete latency; then 500 starts/s for `startSeconds`. */
export async function batonHttp(
  jobs: number,
  startSeconds: number,
  maxJobs = 32,
  target: HttpTarget = {},
): Promise<Measure> {
  return withServers(target, async (urls) => {
    const apiOf = (i: number) => `${urls[i % urls.length]}/api`;
    await pool(jobs, 50, (i) => post(`${apiOf(i)}/processes/bench_ext/instances`, { variables: { amount: 1 } }));
    const latencies: number[] = [];
    let done = 0;
    const t0 = performance.now();
    const worker = async (w: number) => {
      const api = apiOf(w);
      while (done < jobs) {
        const a0 = performance.now();
        const { jobs: batch } = (await post(`${api}/jobs/activate`, {
          type: 'bench-ext',
          worker: `w${w}`,
          maxJobs,
          lockMs: 60_000,
        })) as { jobs: { key: string }[] };
        if (!batch.length) {
          await sleep(1);
          continue;
        }
        await Promise.all(
          batch.map(async (j) => {
            await post(`${api}/jobs/${j.key}/complete`, { variables: { done: true } });
            latencies.push(performance.now() - a0);
            done++;
          }),
        );
      }
    };
    await Promise.all([0, 1, 2, 3].map(worker));
    const jobRate = done / ((performance.now() - t0) / 1000);
    const jobP99 = percentile(latencies, 99);

    const starts: Promise<number>[] = [];
    const begin = performance.now();
    for (let tick = 0; tick < startSeconds * 100; tick++) {
      const at = begin + tick * 10;
      const wait = at - performance.now();
      if (wait > 0) await sleep(wait);
      for (let k = 0; k < 5; k++) {
        const s0 = performance.now();
        starts.push(
          post(`${apiOf(tick * 5 + k)}/processes/bench_user/instances`, { variables: { k } }).then(
            () => performance.now() - s0,
          ),
        );
      }
    }
    if (!starts.length) return { jobRate, jobP99 } as Measure;
    const startLat = await Promise.all(starts);
    const achieved = starts.length / ((performance.now() - begin) / 1000);
    return {
      jobRate,
      jobP99,
      startP99: percentile(startLat, 99),
      startP50: percentile(startLat, 50),
      startRate: achieved,
    };
  });
}

/** (f, starts) `n` instance starts (start → user task → end) through the REST API by `clients` clients in a closed loop. */
export async function batonHttpStarts(n: number, clients = 16): Promise<Measure> {
  return withServers({}, async ([url]) => {
    const starts = `${url}/api/processes/bench_user/instances`;
    await pool(Math.max(50, Math.round(n / 10)), clients, (k) => post(starts, { variables: { k } }));
    const t0 = performance.now();
    await pool(n, clients, (k) => post(starts, { variables: { k } }));
    return { startRate: n / ((performance.now() - t0) / 1000) };
  });
}

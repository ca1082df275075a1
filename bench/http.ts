/**
 * Workload (f): Baton's REST API in a child process. Four external workers activate jobs
 * (`maxJobs`) and complete each one; then start-instance requests arrive at a fixed 500/s
 * (open loop: the next request does not wait for the previous answer). BENCH_SERVER_NODE_ARGS
 * passes node flags to the server process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Measure } from './baton.js';
import { benchDir } from './baton.js';
import { percentile, pool, sleep } from './stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));
let seq = 0;

async function post(url: string, body: unknown): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`POST ${url} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

async function withServer<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      '--import',
      'tsx',
      'bench/http-server.ts',
      join(benchDir, `http-${++seq}.db`),
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8');
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`The benchmark server exited with ${code} before listening`)));
  });
  try {
    return await fn(url);
  } finally {
    child.stdin.end();
    await once(child, 'exit');
  }
}

/** `jobs` jobs through 4 workers; jobs/s and activate-to-complete latency; then 500 starts/s for `startSeconds`. */
export async function batonHttp(jobs: number, startSeconds: number, maxJobs = 32): Promise<Measure> {
  return withServer(async (url) => {
    const api = `${url}/api`;
    await pool(jobs, 50, () => post(`${api}/processes/bench_ext/instances`, { variables: { amount: 1 } }));
    const latencies: number[] = [];
    let done = 0;
    const t0 = performance.now();
    const worker = async (w: number) => {
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
          post(`${api}/processes/bench_user/instances`, { variables: { k } }).then(() => performance.now() - s0),
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

/**
 * Workload (f) through Camunda's `/v2` API: the same jobs as bench/http.ts's `/api` figure, done by
 * four job workers of the official 9.x client (`createJobWorker`, `maxParallelJobs`, long polling)
 * against a server in a child process. The latency of a job runs from its activation (the lock
 * time the server reports: `deadline` − `jobTimeoutMs`) to the acknowledged completion.
 */
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import type { Measure } from './baton.js';
import { post, withServers } from './http.js';
import { percentile, pool, sleep } from './stats.js';

const JOB_TIMEOUT_MS = 60_000;

/** `jobs` jobs through 4 workers of the 9.x client, each with up to `maxJobs` jobs in parallel. */
export async function batonV2Workers(jobs: number, maxJobs = 32): Promise<Measure> {
  return withServers({}, async ([url]) => {
    await pool(jobs, 50, () => post(`${url}/api/processes/bench_ext/instances`, { variables: { amount: 1 } }));
    const camunda = createCamundaClient({
      config: { CAMUNDA_REST_ADDRESS: url, CAMUNDA_AUTH_STRATEGY: 'NONE', CAMUNDA_SDK_LOG_LEVEL: 'silent' } as never,
    });
    const latencies: number[] = [];
    let done = 0;
    const t0 = performance.now();
    const workers = [0, 1, 2, 3].map((w) =>
      camunda.createJobWorker({
        jobType: 'bench-ext',
        workerName: `v2-${w}`,
        maxParallelJobs: maxJobs,
        jobTimeoutMs: JOB_TIMEOUT_MS,
        jobHandler: async (job) => {
          const receipt = await job.complete({ done: true });
          latencies.push(Date.now() - (Number(job.deadline) - JOB_TIMEOUT_MS));
          done++;
          return receipt;
        },
      }),
    );
    while (done < jobs) await sleep(5);
    const jobRate = done / ((performance.now() - t0) / 1000);
    // let each worker's last activation come back before the server goes away
    await Promise.all(workers.map((w) => w.stopGracefully({ waitUpToMs: 15_000 })));
    return { jobRate, jobP99: percentile(latencies, 99) } as Measure;
  });
}

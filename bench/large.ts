/**
 * (m) Large instances: one instance with a parallel multi-instance of `n` items, as a FEEL script
 * task (the whole run is one start command) and as a service task worked through the job API (an
 * external worker in-process: activate in batches, complete each job), against separate instances
 * of one service task each worked the same way.
 */
import { wrap } from './models.js';
import { closeBench, countByStatus, open } from './baton.js';
import { pool } from './stats.js';

const mi = (n: number) =>
  `<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=for i in 1..${n} return i" inputElement="item" outputCollection="results" outputElement="=r" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>`;

/** start → parallel multi-instance script task (`r = item * 2`) over `n` items → end. */
export function largeScriptModel(n: number): string {
  return wrap(
    'bench_m_script',
    [
      '<bpmn:startEvent id="Start" />',
      '<bpmn:sequenceFlow id="F0" sourceRef="Start" targetRef="Each" />',
      `<bpmn:scriptTask id="Each"><bpmn:extensionElements><zeebe:script expression="=item * 2" resultVariable="r" /></bpmn:extensionElements>${mi(n)}</bpmn:scriptTask>`,
      '<bpmn:sequenceFlow id="F1" sourceRef="Each" targetRef="End" />',
      '<bpmn:endEvent id="End" />',
    ].join('\n'),
  );
}

/** start → parallel multi-instance service task (`bench-m`, for an external worker) over `n` items → end; n = 0: a single task. */
export function largeJobModel(n: number): string {
  const loop = n > 0 ? mi(n).replace('outputElement="=r"', 'outputElement="=item"') : '';
  return wrap(
    n > 0 ? 'bench_m_jobs' : 'bench_m_one',
    [
      '<bpmn:startEvent id="Start" />',
      '<bpmn:sequenceFlow id="F0" sourceRef="Start" targetRef="Each" />',
      `<bpmn:serviceTask id="Each"><bpmn:extensionElements><zeebe:taskDefinition type="bench-m" /></bpmn:extensionElements>${loop}</bpmn:serviceTask>`,
      '<bpmn:sequenceFlow id="F1" sourceRef="Each" targetRef="End" />',
      '<bpmn:endEvent id="End" />',
    ].join('\n'),
  );
}

/** Budgets and limits that let one command run a whole large instance (the defaults stop it at 50 ms with an incident). */
const large = {
  budgets: { steps: 10_000_000, newElements: 10_000_000, tokens: 1_000_000, cpuMs: 600_000 },
  maxHistory: 10_000_000,
  maxStateBytes: 256 * 1024 * 1024,
};

/** (m) script: seconds for one instance of `n` items to complete, and items per second. */
export async function batonLargeScript(n: number): Promise<Record<string, number>> {
  const b = await open({ engine: large });
  await b.engine.deploy(largeScriptModel(n));
  const t0 = performance.now();
  const i = await b.engine.startInstance({ processId: 'bench_m_script' });
  const s = (performance.now() - t0) / 1000;
  const status = (await b.engine.getInstance(i.id))?.status;
  await closeBench(b);
  if (status !== 'completed') throw new Error(`Expected the ${n}-item instance to complete, but it is ${status}`);
  return { seconds: s, itemRate: n / s };
}

/** Activates and completes jobs of `bench-m` until `total` are done (`workers` loops, `maxJobs` each). */
async function work(
  b: Awaited<ReturnType<typeof open>>,
  total: number,
  workers: number,
  maxJobs: number,
): Promise<void> {
  let done = 0;
  await pool(workers, workers, async () => {
    while (done < total) {
      const jobs = await b.engine.activateJobs({ type: 'bench-m', worker: 'bench', maxJobs, waitMs: 200 });
      await Promise.all(jobs.map((j) => b.engine.completeJob(j.key, { ok: true }, 'bench')));
      done += jobs.length;
    }
  });
}

/**
 * (m) jobs: `n` jobs of one instance's multi-instance, worked through the job API by 4 workers
 * (maxJobs 32), against `n` separate one-task instances worked the same way: jobs per second each.
 */
export async function batonLargeJobs(n: number): Promise<Record<string, number>> {
  const b = await open({ engine: large });
  await b.engine.deploy(largeJobModel(n));
  await b.engine.deploy(largeJobModel(0));
  const t0 = performance.now();
  const i = await b.engine.startInstance({ processId: 'bench_m_jobs' });
  await work(b, n, 4, 32);
  const one = await b.engine.getInstance(i.id);
  const jobRate = n / ((performance.now() - t0) / 1000);
  const t1 = performance.now();
  await pool(n, 100, () => b.engine.startInstance({ processId: 'bench_m_one' }));
  await work(b, n, 4, 32);
  const separateRate = n / ((performance.now() - t1) / 1000);
  const separate = await countByStatus(b, 'bench_m_one', 'completed');
  await closeBench(b);
  if (one?.status !== 'completed')
    throw new Error(`Expected the ${n}-job instance to complete, but it is ${one?.status}`);
  if (separate !== n) throw new Error(`Expected ${n} completed one-task instances, but found ${separate}`);
  return { jobRate, separateRate, share: jobRate / separateRate };
}

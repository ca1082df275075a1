/**
 * The job API of external workers (activate with long polling, complete, fail, throw a BPMN error)
 * and the results of in-process handlers. A worker's lock lives in the job row; activation claims
 * rows no other transaction holds, so two nodes never hand out the same job at once.
 */
import type { Command } from '../core/commands.js';
import type { JobRow, Store, Tx } from '../storage/port.js';
import type { JobView } from './api-types.js';
import { EngineError } from './api-types.js';
import type { GroupCommit } from './group-commit.js';
import type { Metrics } from './metrics.js';
import type { Processor } from './processor.js';
import { jobView } from './views.js';
import type { Wakeups } from './wakeups.js';

export interface JobsDeps {
  readonly store: Store;
  readonly commits: GroupCommit;
  readonly processor: Processor;
  readonly now: () => number;
  readonly isHandled: (type: string) => boolean;
  readonly wakeups: Wakeups;
  readonly metrics?: Metrics;
  readonly closed: () => boolean;
}

/** The instance a job key belongs to (keys are `<instance>-<n>`): a hint for prefetching. */
export function instanceOfKey(key: string): string {
  const dash = key.lastIndexOf('-');
  return dash > 0 ? key.slice(0, dash) : key;
}

export class Jobs {
  constructor(private readonly d: JobsDeps) {}

  /** A job row as a worker sees it (with the variables visible at its element). */
  async view(r: JobRow, tx?: Tx): Promise<JobView> {
    const state = tx ? await tx.instances.peek(r.instanceId) : await this.d.store.read.instances.state(r.instanceId);
    return jobView(r, state);
  }

  /** Jobs of a type bound to an in-process handler are run by the engine, never handed to external workers. */
  async activate(req: {
    type: string;
    worker?: string;
    maxJobs?: number;
    lockMs?: number;
    waitMs?: number;
  }): Promise<JobView[]> {
    if (this.d.isHandled(req.type)) return [];
    const worker = req.worker ?? 'anonymous';
    const once = () =>
      this.d.commits.submit({
        run: async (w) => {
          const now = this.d.now();
          const rows = await w.tx.jobs.claim(
            [req.type],
            worker,
            now,
            now + Math.max(1, req.lockMs ?? 30_000),
            Math.max(1, req.maxJobs ?? 10),
          );
          if (rows.length) await w.tx.instances.prefetch([...new Set(rows.map((r) => r.instanceId))]);
          return Promise.all(rows.map((r) => this.view(r, w.tx)));
        },
      });
    const deadline = Date.now() + Math.max(0, req.waitMs ?? 0);
    for (;;) {
      const wake = this.d.wakeups.next([req.type]);
      const jobs = await once();
      if (jobs.length || Date.now() >= deadline || this.d.closed()) {
        wake.cancel();
        return jobs;
      }
      await wake.within(Math.min(deadline - Date.now(), 1000));
    }
  }

  /** The job, which must be locked by a worker whose lock has not expired. */
  private async locked(tx: Tx, key: string, worker?: string): Promise<JobRow> {
    const job = await tx.jobs.get(key);
    if (!job)
      throw new EngineError(
        404,
        'JOB_NOT_FOUND',
        `Expected job ${key} to exist, but it does not (completed, or its element was terminated)`,
      );
    if (job.lockUntil === null || job.lockUntil < this.d.now())
      throw new EngineError(
        409,
        'JOB_NOT_LOCKED',
        `Expected job ${key} to be locked by a worker, but ${job.lockUntil === null ? 'it is not activated' : 'its lock expired'}`,
      );
    if (worker !== undefined && job.worker !== worker)
      throw new EngineError(
        409,
        'JOB_NOT_LOCKED',
        `Expected job ${key} to be locked by worker ${worker}, but ${job.worker} holds it`,
      );
    return job;
  }

  /**
   * Applies a worker's result (built from the job row) to the job's instance; `worker`, when
   * given, must hold the lock.
   */
  async report(key: string, worker: string | undefined, build: (job: JobRow) => Command): Promise<void> {
    await this.d.commits.submit({
      targets: [instanceOfKey(key)],
      run: async (w) => {
        const job = await this.locked(w.tx, key, worker);
        const cmd = build(job);
        const state = await this.d.processor.command(w, job.instanceId, cmd, 'outside');
        if (state) this.count(w, cmd, job, state.processId);
      },
    });
  }

  /**
   * Changes a job's retries and moves the lock of an activated one (see EnginePort.updateJob). The
   * row is written whole, so an activated job keeps its worker (a plain update would release it).
   */
  async update(key: string, change: { retries?: number; timeoutMs?: number }): Promise<void> {
    await this.d.commits.submit({
      targets: [instanceOfKey(key)],
      run: async (w) => {
        const job = await w.tx.jobs.get(key);
        if (!job) throw new EngineError(404, 'JOB_NOT_FOUND', `Expected job ${key} to exist, but it does not`);
        const now = this.d.now();
        const locked = job.worker !== null && job.lockUntil !== null && job.lockUntil >= now;
        if (change.timeoutMs !== undefined && !locked)
          throw new EngineError(409, 'JOB_NOT_LOCKED', `Expected job ${key} to be activated, but it is not`);
        await w.tx.jobs.insert({
          ...job,
          ...(change.retries !== undefined ? { retries: change.retries } : {}),
          ...(change.timeoutMs !== undefined ? { lockUntil: now + change.timeoutMs } : {}),
        });
      },
    });
  }

  /**
   * Applies an in-process handler's result. A job that is gone meanwhile (its element was
   * terminated) is dropped by the processor; a limit the instance hits becomes an incident.
   */
  async finishInProcess(job: JobRow, cmd: Command): Promise<void> {
    await this.d.commits.submit({
      targets: [job.instanceId],
      run: async (w) => {
        const state = await this.d.processor.command(w, job.instanceId, cmd, 'continuation');
        if (state) this.count(w, cmd, job, state.processId);
      },
    });
  }

  /** Counts a worker's result once committed (a result the processor dropped as stale counts nothing). */
  private count(w: { after(fn: () => void): void }, cmd: Command, job: JobRow, processId: string): void {
    const m = this.d.metrics;
    if (!m) return;
    w.after(() => {
      const process = m.labels.process(processId);
      const labels = {
        process_id: process,
        element_id: m.labels.element(process, job.elementId),
        job_type: m.labels.jobType(job.type),
      };
      if (cmd.type === 'CompleteJob') m.jobsCompleted.inc(labels);
      else if (cmd.type === 'ThrowJobError') m.jobErrors.inc(labels);
      else if (cmd.type === 'FailJob') {
        m.jobFailures.inc(labels);
        if (Math.floor(cmd.retries) > 0) m.jobRetries.inc(labels);
      }
    });
  }
}

/**
 * The engine facade: deploys models, starts instances and turns every outside request into a
 * command that the core executes and the store commits, one transaction per batch of commands.
 *
 * @example
 *   const engine = await openEngine({ dbPath: './data/baton.db' });
 *   engine.handle('reserve-stock', async (job) => ({ reserved: true }));
 *   engine.start();
 *   await engine.deploy(xml);
 *   const instance = await engine.startInstance({ processId: 'order', variables: { orderId: 'A-1' } });
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Budgets } from '../core/budgets.js';
import type { Command } from '../core/commands.js';
import { compileBpmn } from '../model/compile.js';
import type { CompileOptions } from '../model/types.js';
import { SqliteStore, type SqliteOptions } from '../storage/sqlite/sqlite-store.js';
import type { Store } from '../storage/store.js';
import type {
  Audit,
  DeploymentView,
  HistoryEntry,
  IncidentView,
  InstanceFilter,
  InstanceView,
  JobView,
  ProcessView,
  UserTaskView,
} from './api-types.js';
import { EngineError } from './api-types.js';
import type { EnginePort, JobHandler } from './engine-port.js';
import { resolveBudgets } from './budget-options.js';
import { GroupCommit } from './group-commit.js';
import type { Metrics } from './metrics.js';
import { Processor, type WorkItem } from './processor.js';
import { Scheduler } from './scheduler.js';
import { broadcastSignal, evaluateConditions, publishMessage } from './outside-input.js';
import type { EngineOps } from './engine-ops.js';
import { registerStartEvents } from './start-events.js';
import { claimUserTask, completeUserTask, listUserTasks, unclaimUserTask } from './user-tasks.js';
import { historyView, incidentView, instanceView, jobView } from './views.js';

export interface EngineOptions {
  /** SQLite file path, or ':memory:'. */
  readonly dbPath: string;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  /** Durability mode (default FULL, env BATON_SYNCHRONOUS): see {@link SqliteOptions}. */
  readonly synchronous?: SqliteOptions['synchronous'];
  /**
   * Budgets every command runs under (steps, new element instances, tokens, call depth, CPU time;
   * env BATON_MAX_STEPS, BATON_MAX_NEW_ELEMENTS, BATON_MAX_TOKENS, BATON_MAX_CALL_DEPTH,
   * BATON_MAX_CPU_MS): see core/budgets.ts and docs/reliability.md.
   */
  readonly budgets?: Partial<Budgets>;
  /** Largest instance state in bytes of JSON (default 2 MiB, env BATON_MAX_STATE_BYTES). */
  readonly maxStateBytes?: number;
  /** Most history entries per instance (default 50,000, env BATON_MAX_HISTORY). */
  readonly maxHistory?: number;
  /** Shortest timer cycle a deployment may use, in ms (default 1000, env BATON_MIN_TIMER_CYCLE_MS): a compile option. */
  readonly minTimerCycleMs?: number;
  /** Work units of one FEEL evaluation (default 100,000, env BATON_FEEL_BUDGET). */
  readonly feelBudget?: number;
  /** The clock, for tests. */
  readonly now?: () => number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class Engine implements EnginePort {
  readonly store: Store;
  private readonly processor: Processor;
  private readonly commits: GroupCommit;
  private readonly events = new EventEmitter();
  private readonly handlers = new Map<string, JobHandler>();
  private readonly scheduler: Scheduler;
  private readonly now: () => number;
  private readonly compileOptions: CompileOptions;
  private closed = false;

  constructor(private readonly opts: EngineOptions) {
    this.now = opts.now ?? Date.now;
    const sync =
      opts.synchronous ?? (process.env['BATON_SYNCHRONOUS']?.toUpperCase() as SqliteOptions['synchronous'] | undefined);
    if (sync && !['GROUP', 'FULL', 'NORMAL'].includes(sync))
      throw new Error(`Expected BATON_SYNCHRONOUS to be GROUP, FULL or NORMAL, but got ${sync}`);
    const feelBudget =
      opts.feelBudget ?? (process.env['BATON_FEEL_BUDGET'] ? Number(process.env['BATON_FEEL_BUDGET']) : undefined);
    if (feelBudget !== undefined && !(Number.isInteger(feelBudget) && feelBudget > 0))
      throw new Error(`Expected BATON_FEEL_BUDGET to be a positive whole number, but got ${feelBudget}`);
    this.store = new SqliteStore(opts.dbPath, sync ? { synchronous: sync } : {});
    this.events.setMaxListeners(0);
    const env = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
    const maxStateBytes = opts.maxStateBytes ?? env('BATON_MAX_STATE_BYTES');
    const maxHistory = opts.maxHistory ?? env('BATON_MAX_HISTORY');
    const minTimerCycleMs = opts.minTimerCycleMs ?? env('BATON_MIN_TIMER_CYCLE_MS');
    if (minTimerCycleMs !== undefined && !(minTimerCycleMs >= 0))
      throw new Error(
        `Expected BATON_MIN_TIMER_CYCLE_MS to be a number of ms of at least 0, but got ${minTimerCycleMs}`,
      );
    this.compileOptions = minTimerCycleMs === undefined ? {} : { minTimerCycleMs };
    this.processor = new Processor({
      store: this.store,
      now: this.now,
      ...(opts.metrics ? { metrics: opts.metrics } : {}),
      ...(opts.logger ? { logger: opts.logger } : {}),
      budgets: resolveBudgets(opts.budgets),
      ...(maxStateBytes ? { maxStateBytes } : {}),
      ...(maxHistory ? { maxHistory } : {}),
      ...(feelBudget ? { feelBudget } : {}),
      isHandled: (type) => this.handlers.has(type),
    });
    this.commits = new GroupCommit(
      this.store,
      () => {
        const jobs = this.processor.pendingJobs.splice(0);
        return () => {
          this.scheduler.dispatch(jobs);
          this.events.emit('work');
        };
      },
      () => {
        this.processor.pendingJobs.length = 0;
      },
    );
    this.scheduler = new Scheduler({
      store: this.store,
      processor: this.processor,
      submit: (fn) => this.submit(fn, 'FireTimers'),
      now: this.now,
      handlers: this.handlers,
      complete: (j, v) =>
        this.finishInProcess(j.instanceId, { type: 'CompleteJob', jobKey: j.key, ...(v ? { variables: v } : {}) }),
      fail: (j, r) => this.finishInProcess(j.instanceId, { type: 'FailJob', jobKey: j.key, ...r }),
      throwError: (j, r) => this.finishInProcess(j.instanceId, { type: 'ThrowJobError', jobKey: j.key, ...r }),
      jobView: (r) => this.toJobView(r),
      onWork: (cb) => this.events.on('work', cb),
      ...(opts.logger ? { logger: opts.logger } : {}),
    });
  }

  /** {@link submit}, timed under the command's name in the latency histogram. */
  private submitAs<T>(command: string, fn: () => T): Promise<T> {
    return this.submit(fn, command);
  }

  /** Runs `fn` inside the next group commit; resolves after the commit. */
  submit<T>(fn: () => T, command = 'other'): Promise<T> {
    if (this.closed) return Promise.reject(new EngineError(503, 'SHUTTING_DOWN', 'The engine is shutting down'));
    const t0 = performance.now();
    const pending = this.processor.pendingJobs;
    const isolated = () => {
      const mark = pending.length;
      try {
        return fn();
      } catch (e) {
        pending.length = mark;
        throw e;
      }
    };
    return this.commits.submit(isolated).finally(() => this.observeLatency(command, t0));
  }

  /**
   * Records a command's latency once its answer is settled. A failure here is logged and never
   * becomes the command's answer: the command has committed (or not) already.
   */
  private observeLatency(command: string, t0: number): void {
    try {
      this.opts.metrics?.commandLatency.observe({ command }, (performance.now() - t0) / 1000);
    } catch (err) {
      this.opts.logger?.error({ err, command }, 'could not record the command latency');
    }
  }

  private runCommand(instanceId: string, cmd: Command): Promise<InstanceView> {
    return this.submitAs(cmd.type, () => instanceView(this.processor.run({ kind: 'command', instanceId, cmd }).state!));
  }

  start(): void {
    this.scheduler.start();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.scheduler.stop();
    await this.commits.drain();
    this.closed = true;
    this.events.emit('work');
    this.store.close();
  }

  handle(type: string, handler: JobHandler): void {
    this.handlers.set(type, handler);
    this.events.emit('work');
  }

  handles(type: string): boolean {
    return this.handlers.has(type);
  }

  // ---- deployments ----------------------------------------------------------------------

  async deploy(xml: string): Promise<{ created: boolean; deployment: DeploymentView }> {
    const hash = createHash('sha256').update(xml).digest('hex');
    const known = this.store.findDeploymentByHash(hash);
    if (known) return { created: false, deployment: this.deploymentView(known.id) };
    const { processes, problems } = await compileBpmn(xml, this.compileOptions);
    if (problems.length) {
      const more =
        problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
      throw new EngineError(
        400,
        'INVALID_BPMN',
        `The BPMN document cannot be deployed: ${problems[0]!.message}${more}`,
        [...problems],
      );
    }
    if (!processes.length)
      throw new EngineError(400, 'INVALID_BPMN', 'The BPMN document holds no executable process', []);
    return this.submitAs('Deploy', () => {
      const again = this.store.findDeploymentByHash(hash);
      if (again) return { created: false, deployment: this.deploymentView(again.id) };
      const id = String(this.store.nextId('deployment'));
      const now = this.now();
      this.store.insertDeployment(id, hash, xml, now);
      for (const model of processes) {
        const version = (this.store.latestDefinition(model.id)?.version ?? 0) + 1;
        const def = {
          key: `${model.id}:${version}`,
          processId: model.id,
          version,
          name: model.name ?? null,
          versionTag: model.versionTag ?? null,
          deploymentId: id,
          model,
          deployedAt: now,
        };
        this.store.insertDefinition(def);
        registerStartEvents(this.store, def, now);
      }
      this.opts.logger?.info({ deploymentId: id, processes: processes.map((p) => p.id) }, 'deployed');
      return { created: true, deployment: this.deploymentView(id) };
    });
  }

  private deploymentView(id: string): DeploymentView {
    return {
      id,
      processes: this.store
        .definitionsOfDeployment(id)
        .map((d) => ({ processId: d.processId, version: d.version, name: d.name })),
    };
  }

  listProcesses(): ProcessView[] {
    return this.store
      .listDefinitions()
      .map((d) => ({ processId: d.processId, version: d.version, name: d.name, deployedAt: iso(d.deployedAt) }));
  }

  getProcessXml(processId: string, version?: number): string | undefined {
    const def =
      version === undefined ? this.store.latestDefinition(processId) : this.store.definition(processId, version);
    return def ? this.store.deploymentXml(def.deploymentId) : undefined;
  }

  // ---- instances ------------------------------------------------------------------------

  startInstance(req: {
    processId: string;
    version?: number;
    variables?: Record<string, unknown>;
    businessKey?: string;
    idempotencyKey?: string;
  }): Promise<InstanceView> {
    return this.submitAs('StartInstance', () => {
      if (req.idempotencyKey) {
        const known = this.store.idempotent(req.idempotencyKey);
        if (known) return known.body as InstanceView;
      }
      const def =
        req.version === undefined
          ? this.store.latestDefinition(req.processId)
          : this.store.definition(req.processId, req.version);
      if (!def)
        throw new EngineError(
          404,
          'PROCESS_NOT_FOUND',
          `Expected a deployed process ${req.processId}${req.version !== undefined ? ` version ${req.version}` : ''}, but there is none`,
        );
      if (!def.model.root.startEvents?.length)
        throw new EngineError(
          409,
          'NO_NONE_START_EVENT',
          `Process ${req.processId} has no none start event; it starts by message, signal or timer`,
        );
      const item: WorkItem = {
        kind: 'start',
        def,
        init: {
          id: this.processor.newInstanceId(),
          businessKey: req.businessKey ?? null,
          variables: req.variables ?? {},
        },
      };
      const view = instanceView(this.processor.run(item).state!);
      if (req.idempotencyKey) this.store.rememberIdempotent(req.idempotencyKey, 201, view, this.now());
      return view;
    });
  }

  listInstances(f: InstanceFilter): { items: InstanceView[]; total: number } {
    const { rows, total } = this.store.listInstances({ ...f, limit: f.limit ?? 50, offset: f.offset ?? 0 });
    return { items: rows.map(instanceView), total };
  }

  getInstance(id: string): InstanceView | undefined {
    const s = this.store.loadState(id);
    return s ? instanceView(s) : undefined;
  }

  getHistory(id: string): HistoryEntry[] | undefined {
    if (!this.store.instanceRow(id)) return undefined;
    return this.store.history(id).map(historyView);
  }

  cancelInstance(id: string, a: Audit = {}) {
    return this.runCommand(id, { type: 'CancelInstance', ...a });
  }
  suspendInstance(id: string, a: Audit = {}) {
    return this.runCommand(id, { type: 'SuspendInstance', ...a });
  }
  resumeInstance(id: string, a: Audit = {}) {
    return this.runCommand(id, { type: 'ResumeInstance', ...a });
  }
  setVariables(id: string, variables: Record<string, unknown>, a: Audit = {}) {
    return this.runCommand(id, { type: 'SetVariables', variables, ...a });
  }

  // ---- messages, signals, conditions and user tasks (runtime/outside-input.ts, runtime/user-tasks.ts)

  publishMessage(req: Parameters<EnginePort['publishMessage']>[0]) {
    return publishMessage(this.ops, req);
  }
  broadcastSignal(req: Parameters<EnginePort['broadcastSignal']>[0]) {
    return broadcastSignal(this.ops, req);
  }
  evaluateConditions(req: Parameters<EnginePort['evaluateConditions']>[0]) {
    return evaluateConditions(this.ops, req);
  }
  listUserTasks(f: Parameters<EnginePort['listUserTasks']>[0]): UserTaskView[] {
    return listUserTasks(this.ops, f);
  }
  claimUserTask(id: string, assignee: string) {
    return claimUserTask(this.ops, id, assignee);
  }
  unclaimUserTask(id: string) {
    return unclaimUserTask(this.ops, id);
  }
  completeUserTask(id: string, variables?: Record<string, unknown>) {
    return completeUserTask(this.ops, id, variables);
  }

  /** What the operation modules get: the store, the processor, the clock and the group commit. */
  private get ops(): EngineOps {
    return {
      store: this.store,
      processor: this.processor,
      now: this.now,
      submit: (command, fn) => this.submitAs(command, fn),
    };
  }

  // ---- jobs -----------------------------------------------------------------------------

  private toJobView(r: Parameters<typeof jobView>[0]): JobView {
    return jobView(r, this.store.loadState(r.instanceId));
  }

  /** Jobs of a type bound to an in-process handler are run by the engine, never handed to external workers. */
  async activateJobs(req: {
    type: string;
    worker?: string;
    maxJobs?: number;
    lockMs?: number;
    waitMs?: number;
  }): Promise<JobView[]> {
    if (this.handlers.has(req.type)) return [];
    const once = () =>
      this.submitAs('ActivateJobs', () => {
        const now = this.now();
        const rows = this.store.activatableJobs(req.type, now, Math.max(1, req.maxJobs ?? 10));
        const lockUntil = now + Math.max(1, req.lockMs ?? 30_000);
        for (const r of rows) this.store.lockJob(r.key, req.worker ?? 'anonymous', lockUntil);
        return rows.map((r) => this.toJobView({ ...r, worker: req.worker ?? 'anonymous', lockUntil }));
      });
    const deadline = Date.now() + Math.max(0, req.waitMs ?? 0);
    for (;;) {
      const jobs = await once();
      if (jobs.length || Date.now() >= deadline || this.closed) return jobs;
      await this.waitForWork(Math.min(deadline - Date.now(), 100));
    }
  }

  private waitForWork(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.events.off('work', done);
        resolve();
      };
      const t = setTimeout(done, Math.max(1, ms));
      this.events.on('work', done);
    });
  }

  /** The job, which must be locked by a worker whose lock has not expired. */
  private lockedJob(key: string, worker?: string) {
    const job = this.store.job(key);
    if (!job)
      throw new EngineError(
        404,
        'JOB_NOT_FOUND',
        `Expected job ${key} to exist, but it does not (completed, or its element was terminated)`,
      );
    if (job.lockUntil === null || job.lockUntil < this.now())
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
   * Completes, fails or errors a job run by an in-process handler: no worker lock to check; a job
   * that is gone meanwhile (its element was terminated) is rejected by the core and ignored here.
   */
  private async finishInProcess(instanceId: string, cmd: Command): Promise<void> {
    await this.submitAs('FinishInProcessJob', () => {
      this.processor.run({ kind: 'command', instanceId, cmd });
      if (cmd.type === 'CompleteJob') this.opts.metrics?.jobsCompleted.inc();
      else this.opts.metrics?.jobsFailed.inc();
    }).catch((e: unknown) => {
      if (!(e instanceof EngineError)) throw e;
      this.opts.logger?.debug({ err: e, instanceId }, 'in-process job result not applied');
    });
  }

  async completeJob(key: string, variables?: Record<string, unknown>, worker?: string): Promise<void> {
    await this.submitAs('CompleteJob', () => {
      const job = this.lockedJob(key, worker);
      this.processor.run({
        kind: 'command',
        instanceId: job.instanceId,
        cmd: { type: 'CompleteJob', jobKey: key, ...(variables ? { variables } : {}) },
      });
      this.opts.metrics?.jobsCompleted.inc();
    });
  }

  async failJob(
    key: string,
    req: { errorMessage?: string; retries?: number; retryBackoffMs?: number; worker?: string },
  ): Promise<void> {
    await this.submitAs('FailJob', () => {
      const job = this.lockedJob(key, req.worker);
      const retries = req.retries ?? job.retries - 1;
      this.processor.run({
        kind: 'command',
        instanceId: job.instanceId,
        cmd: {
          type: 'FailJob',
          jobKey: key,
          retries,
          ...(req.errorMessage !== undefined ? { errorMessage: req.errorMessage } : {}),
          ...(req.retryBackoffMs !== undefined ? { retryBackoffMs: req.retryBackoffMs } : {}),
        },
      });
      this.opts.metrics?.jobsFailed.inc();
    });
  }

  async throwJobError(
    key: string,
    req: { errorCode: string; errorMessage?: string; variables?: Record<string, unknown>; worker?: string },
  ): Promise<void> {
    await this.submitAs('ThrowJobError', () => {
      const job = this.lockedJob(key, req.worker);
      this.processor.run({
        kind: 'command',
        instanceId: job.instanceId,
        cmd: {
          type: 'ThrowJobError',
          jobKey: key,
          errorCode: req.errorCode,
          ...(req.errorMessage !== undefined ? { errorMessage: req.errorMessage } : {}),
          ...(req.variables ? { variables: req.variables } : {}),
        },
      });
    });
  }

  // ---- incidents ------------------------------------------------------------------------

  listIncidents(f: { instanceId?: string }): IncidentView[] {
    return this.store.listIncidents(f.instanceId).map(incidentView);
  }

  async retryIncident(id: string, req: { retries?: number }, a: Audit = {}): Promise<void> {
    await this.submitAs('RetryIncident', () => {
      const inc = this.store.incident(id);
      if (!inc) throw new EngineError(404, 'INCIDENT_NOT_FOUND', `Expected an open incident ${id}, but there is none`);
      this.processor.run({
        kind: 'command',
        instanceId: inc.instanceId,
        cmd: {
          type: 'RetryIncident',
          incidentId: id,
          ...(req.retries !== undefined ? { retries: req.retries } : {}),
          ...a,
        },
      });
    });
  }

  /** Resolves once the instance ended, or waits only for outside input (no in-process job or timer due soon). */
  async settle(instanceId: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const row = this.store.instanceRow(instanceId);
      if (!row || (row.status !== 'active' && row.status !== 'suspended')) return;
      if (!this.scheduler.busy(this.now())) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Opens (or creates) the database and returns an engine; call `start()` to run timers and handlers. */
export async function openEngine(opts: EngineOptions): Promise<Engine> {
  return new Engine(opts);
}

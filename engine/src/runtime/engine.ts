/**
 * The engine facade: deploys models, starts instances and turns every outside request into an
 * operation that the group commit runs in the next transaction of the store it was given (SQLite
 * for one process, PostgreSQL for any number of nodes).
 *
 * @example
 *   const engine = await openEngine({ dbPath: './data/baton.db' });
 *   engine.handle('reserve-stock', async (job) => ({ reserved: true }));
 *   engine.start();
 *   await engine.deploy(xml);
 *   const instance = await engine.startInstance({ processId: 'order', variables: { orderId: 'A-1' } });
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Command, JobResult } from '../core/commands.js';
import type { Budgets } from '../core/budgets.js';
import type { CompileOptions } from '../model/types.js';
import { openStore, type StoreOptions } from '../storage/open.js';
import type { ConsoleReads, Store } from '../storage/port.js';
import type {
  Audit,
  HistoryEntry,
  IncidentView,
  InstanceFilter,
  InstanceView,
  ProcessView,
  UserTaskView,
} from './api-types.js';
import { EngineError } from './api-types.js';
import { resolveBudgets } from './budget-options.js';
import { deploy, type DeploymentResource } from './deploy.js';
import type { InboxRef } from './effects.js';
import type { AdHocActivationRequest, EnginePort, JobHandler } from './engine-port.js';
import { GroupCommit, type Op } from './group-commit.js';
import { IdAllocator } from './ids.js';
import { Inbox } from './inbox.js';
import { instanceOfKey, Jobs } from './jobs.js';
import { broadcastSignal, evaluateConditions, fanOut, publishMessage, type MessageDeps } from './messages.js';
import type { Metrics } from './metrics.js';
import type { Tracing } from '../observability/tracing-port.js';
import { Processor } from './processor.js';
import { resourceReads, type ResourceReads } from './resources.js';
import { Scheduler } from './scheduler.js';
import { claimUserTask, completeUserTask, listUserTasks, unclaimUserTask, type UserTaskDeps } from './user-tasks.js';
import { historyView, incidentView, instanceView } from './views.js';
import { Wakeups } from './wakeups.js';
import { recordAudit } from './instance-ops.js';
import { Operate, type OperateOptions } from './operate.js';
import type { Operations } from './operations.js';

export interface EngineOptions extends OperateOptions {
  /** The storage adapter (see storage/open.ts); without it `dbPath` is opened. */
  readonly store?: Store;
  /** A SQLite file path, ':memory:', or a `postgres://` URL; used when no `store` is given. */
  readonly dbPath?: string;
  /** Options of the store opened from `dbPath`. */
  readonly storeOptions?: Omit<StoreOptions, 'logger'>;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  /** OpenTelemetry tracing (../observability/tracing-env.ts); off when unset. */
  readonly tracing?: Tracing;
  /**
   * Budgets every command runs under (steps, new element instances, tokens, call depth, CPU time;
   * env BATON_MAX_STEPS, BATON_MAX_NEW_ELEMENTS, BATON_MAX_TOKENS, BATON_MAX_CALL_DEPTH,
   * BATON_MAX_CPU_MS): see core/budgets.ts and docs/reliability.md.
   */
  readonly budgets?: Partial<Budgets>;
  /** Shortest timer cycle a deployment may use, in ms (default 1000, env BATON_MIN_TIMER_CYCLE_MS): a compile option. */
  readonly minTimerCycleMs?: number;
  /** Largest instance state in bytes of JSON (default 2 MiB). */
  readonly maxStateBytes?: number;
  /** Most history entries per instance (default 50,000). */
  readonly maxHistory?: number;
  /** How long an in-process job stays locked to this node without renewal (default 30 s). */
  readonly jobLeaseMs?: number;
  /** Work units of one FEEL evaluation (default 100,000, env BATON_FEEL_BUDGET). */
  readonly feelBudget?: number;
  /** The clock, for tests. */
  readonly now?: () => number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class Engine implements EnginePort {
  readonly store: Store;
  /** This engine process among the nodes sharing the database. */
  readonly node: string;
  readonly console: ConsoleReads;
  /** Modification, migration, batch operations and the audit log (runtime/operations.ts). */
  readonly operations: Operations;
  readonly resources: ResourceReads;
  private readonly worker: string;
  private readonly commits: GroupCommit;
  private readonly processor: Processor;
  private readonly inbox: Inbox;
  private readonly scheduler: Scheduler;
  private readonly jobs: Jobs;
  private readonly wakeups = new Wakeups();
  private readonly handlers = new Map<string, JobHandler>();
  private readonly instanceIds: IdAllocator;
  private readonly now: () => number;
  private readonly compileOptions: CompileOptions;
  private readonly operate: Operate;
  private closed = false;

  constructor(
    store: Store,
    private readonly opts: EngineOptions = {},
  ) {
    this.store = store;
    this.now = opts.now ?? Date.now;
    const minTimerCycleMs = opts.minTimerCycleMs ?? envNumber('BATON_MIN_TIMER_CYCLE_MS');
    const feelBudget = opts.feelBudget ?? envNumber('BATON_FEEL_BUDGET');
    if (feelBudget !== undefined && !(Number.isInteger(feelBudget) && feelBudget > 0))
      throw new Error(`Expected BATON_FEEL_BUDGET to be a positive whole number, but got ${feelBudget}`);
    if (minTimerCycleMs !== undefined && !(minTimerCycleMs >= 0))
      throw new Error(
        `Expected BATON_MIN_TIMER_CYCLE_MS to be a number of ms of at least 0, but got ${minTimerCycleMs}`,
      );
    this.compileOptions = minTimerCycleMs === undefined ? {} : { minTimerCycleMs };
    this.node = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.worker = `node:${this.node}`;
    this.console = store.read.console;
    this.instanceIds = new IdAllocator(store, 'instance');
    const logger = opts.logger;
    this.commits = new GroupCommit(store, {
      beforeTransaction: () => this.instanceIds.refill(),
      onError: (err) => logger?.error({ err }, 'group commit failed'),
    });
    const leaseMs = opts.jobLeaseMs ?? 30_000;
    this.processor = new Processor({
      now: this.now,
      ids: this.instanceIds,
      ...(opts.metrics ? { metrics: opts.metrics } : {}),
      ...(logger ? { logger } : {}),
      ...(opts.tracing ? { tracer: opts.tracing.instances, traceHeaders: opts.tracing.jobHeaders } : {}),
      budgets: resolveBudgets(opts.budgets),
      ...(feelBudget ? { feelBudget } : {}),
      ...(opts.maxStateBytes ? { maxStateBytes: opts.maxStateBytes } : {}),
      ...(opts.maxHistory ? { maxHistory: opts.maxHistory } : {}),
      isHandled: (type) => this.handlers.has(type),
      inProcessLock: () => ({ worker: this.worker, lockUntil: this.now() + leaseMs }),
      jobsReady: (rows) => {
        this.scheduler.dispatch(rows);
        this.wakeups.jobs(rows.map((r) => r.type));
      },
      timerScheduled: (dueAt) => this.scheduler.timerScheduled(dueAt),
      inboxAdded: (items) => this.applyInbox(items),
      inline: {
        handler: (type) => this.scheduler.handler(type),
        adopt: (key, result) => this.scheduler.adopt(key, result),
      },
    });
    this.resources = resourceReads({ store, feelEnv: () => this.processor.feelEnv() });
    const messageDeps = this.messageDeps;
    this.inbox = new Inbox({
      commits: this.commits,
      processor: this.processor,
      now: this.now,
      fanOut: fanOut(messageDeps),
      inboxAdded: (items) => this.applyInbox(items),
      ...(logger ? { logger } : {}),
    });
    this.jobs = new Jobs({
      store,
      commits: this.commits,
      processor: this.processor,
      now: this.now,
      isHandled: (type) => this.handlers.has(type),
      wakeups: this.wakeups,
      ...(opts.metrics ? { metrics: opts.metrics } : {}),
      closed: () => this.closed,
    });
    this.scheduler = new Scheduler({
      store,
      commits: this.commits,
      processor: this.processor,
      inbox: this.inbox,
      now: this.now,
      handlers: this.handlers,
      worker: this.worker,
      leaseMs,
      finish: (job, cmd) => this.timed(cmd.type, this.jobs.finishInProcess(job, cmd)),
      jobView: (r) => this.jobs.view(r),
      inboxAgeMs: store.info.exclusive ? 2000 : 5000,
      ...(logger ? { logger } : {}),
      ...(opts.metrics ? { metrics: opts.metrics } : {}),
    });
    opts.metrics?.attach({ reads: store.read.gauges, now: this.now });
    this.operate = new Operate(
      {
        store,
        commits: this.commits,
        processor: this.processor,
        now: this.now,
        worker: this.worker,
        submit: (command, op) => this.submit(command, op),
        ...(logger ? { logger } : {}),
      },
      opts,
    );
    this.operations = this.operate.operations;
    store.onNotice((n) => {
      if (n.kind === 'jobs') {
        this.wakeups.jobs(n.types);
        this.scheduler.wake();
      } else if (n.kind === 'timers') this.scheduler.timerScheduled(n.dueAt);
    });
  }

  private get messageDeps(): MessageDeps {
    return {
      commits: this.commits,
      processor: this.processor,
      inbox: () => this.inbox,
      now: this.now,
      ...(this.opts.metrics ? { metrics: this.opts.metrics } : {}),
    };
  }

  private get taskDeps(): UserTaskDeps {
    return { store: this.store, commits: this.commits, processor: this.processor, now: this.now };
  }

  /** Applies inbox items this node just committed (the fast path; a sweep finds what it misses). */
  private applyInbox(items: readonly InboxRef[]): void {
    if (this.closed || !items.length) return;
    this.inbox.apply(items).catch((err: unknown) => this.opts.logger?.warn({ err }, 'inbox items not applied yet'));
  }

  /**
   * Times `work` under `command` in the latency histogram once it is answered. A failure there is
   * logged and never becomes the command's answer: the command has committed (or not) already.
   */
  private timed<T>(command: string, work: Promise<T>): Promise<T> {
    const t0 = performance.now();
    const span = this.opts.tracing?.startCommand(command);
    if (span)
      work.then(
        () => span.end(),
        (err: unknown) => span.end(err),
      );
    return work.finally(() => {
      try {
        this.opts.metrics?.commandLatency.observe({ command }, (performance.now() - t0) / 1000);
      } catch (err) {
        this.opts.logger?.error({ err, command }, 'could not record the command latency');
      }
    });
  }

  /** Submits an operation, refused while shutting down, timed under `command`. */
  private submit<T>(command: string, op: Op<T>): Promise<T> {
    if (this.closed) return Promise.reject(new EngineError(503, 'SHUTTING_DOWN', 'The engine is shutting down'));
    return this.timed(command, this.commits.submit(op));
  }

  /** Runs an outside command; an operator `action` is recorded in the audit log in the same transaction. */
  private runCommand(id: string, cmd: Command, action?: string, details?: Record<string, unknown>) {
    return this.submit(cmd.type, {
      targets: [id],
      run: async (w) => {
        const state = (await this.processor.command(w, id, cmd, 'outside'))!;
        if (action) await recordAudit(w, this.now(), action, { type: 'instance', id }, cmd as Audit, details);
        return instanceView(state);
      },
    });
  }

  /** Starts timers, in-process handlers and the inbox sweep; resolves once they run (it never rejects). */
  start(): Promise<void> {
    if (this.store.info.exclusive) {
      // the only engine on this database: locks of in-process jobs and claims of batch items belong to a
      // process that is gone, but for jobs this engine created before start(): their handlers run now
      return this.commits
        .submit({
          run: async (w) => {
            await w.tx.jobs.releaseLocks('node:', this.worker);
            await w.tx.operations.releaseClaims('node:');
          },
        })
        .then(() => {
          this.scheduler.start();
          this.operate.start();
        })
        .catch((err: unknown) => this.opts.logger?.error({ err }, 'could not release stale job locks'));
    }
    this.scheduler.start();
    this.operate.start();
    return Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.operate.stop();
    await this.scheduler.stop();
    await this.commits.drain();
    this.closed = true;
    this.wakeups.all();
    await this.store.close();
  }

  handle(type: string, handler: JobHandler): void {
    this.handlers.set(type, handler);
    this.scheduler.rescan();
  }

  /** Looks for due timers and runnable work now: the clock (`now`) was moved (the testing kit). */
  poke(): void {
    this.scheduler.rescan();
  }

  /** Whether nothing is left to do by the engine's clock: no in-process work, inbox item or due timer. */
  idle(): Promise<boolean> {
    return this.scheduler.idle(this.now());
  }

  handles(type: string): boolean {
    return this.handlers.has(type);
  }

  get reads(): EnginePort['reads'] {
    return this.store.read;
  }

  async health(): Promise<{ node: string; database: { kind: string; location: string } }> {
    return { node: this.node, database: { kind: this.store.info.kind, location: this.store.info.location } };
  }

  // ---- deployments ----------------------------------------------------------------------

  deploy(input: string | readonly DeploymentResource[], audit: Audit = {}) {
    if (this.closed) return Promise.reject(new EngineError(503, 'SHUTTING_DOWN', 'The engine is shutting down'));
    return this.timed(
      'Deploy',
      deploy(
        {
          store: this.store,
          commits: this.commits,
          now: this.now,
          ...(this.opts.logger ? { logger: this.opts.logger } : {}),
          deployed: () => this.scheduler.wake(),
          compileOptions: this.compileOptions,
          audited: (w, deployment) =>
            recordAudit(w, this.now(), 'deploy', { type: 'deployment', id: deployment.id }, audit, {
              processes: deployment.processes,
            }),
        },
        input,
      ),
    );
  }

  async listProcesses(): Promise<ProcessView[]> {
    return (await this.store.read.definitions.all()).map((d) => ({
      processId: d.processId,
      version: d.version,
      name: d.name,
      deployedAt: iso(d.deployedAt),
    }));
  }

  async getProcessXml(processId: string, version?: number): Promise<string | undefined> {
    const defs = this.store.read.definitions;
    const def = version === undefined ? await defs.latest(processId) : await defs.byVersion(processId, version);
    return def ? (await defs.resource(def.deploymentId, def.resourceName))?.content : undefined;
  }

  // ---- instances ------------------------------------------------------------------------

  startInstance(req: {
    processId: string;
    version?: number;
    variables?: Record<string, unknown>;
    businessKey?: string;
    idempotencyKey?: string;
  }): Promise<InstanceView> {
    return this.submit('StartInstance', {
      run: async (w) => {
        if (req.idempotencyKey) {
          const known = await w.tx.idempotency.get(req.idempotencyKey);
          if (known) return known.body as InstanceView;
        }
        const defs = w.tx.definitions;
        const def =
          req.version === undefined
            ? await defs.latest(req.processId)
            : await defs.byVersion(req.processId, req.version);
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
        const init = {
          id: this.processor.newInstanceId(),
          businessKey: req.businessKey ?? null,
          variables: req.variables ?? {},
        };
        const view = instanceView((await this.processor.start(w, def, init))!);
        if (req.idempotencyKey) await w.tx.idempotency.remember(req.idempotencyKey, 201, view, this.now());
        return view;
      },
    });
  }

  async listInstances(f: InstanceFilter): Promise<{ items: InstanceView[]; total: number }> {
    const { rows, total } = await this.store.read.instances.list({
      ...f,
      limit: f.limit ?? 50,
      offset: f.offset ?? 0,
    });
    return { items: rows.map(instanceView), total };
  }

  async getInstance(id: string): Promise<InstanceView | undefined> {
    const s = await this.store.read.instances.state(id);
    return s ? instanceView(s) : undefined;
  }

  async getHistory(id: string): Promise<HistoryEntry[] | undefined> {
    if (!(await this.store.read.instances.row(id))) return undefined;
    return (await this.store.read.instances.history(id)).map(historyView);
  }

  cancelInstance(id: string, a: Audit = {}) {
    return this.runCommand(id, { type: 'CancelInstance', ...a }, 'cancel');
  }
  suspendInstance(id: string, a: Audit = {}) {
    return this.runCommand(id, { type: 'SuspendInstance', ...a }, 'suspend');
  }
  resumeInstance(id: string, a: Audit = {}) {
    return this.runCommand(id, { type: 'ResumeInstance', ...a }, 'resume');
  }
  setVariables(id: string, variables: Record<string, unknown>, a: Audit = {}) {
    const names = Object.keys(variables);
    return this.runCommand(id, { type: 'SetVariables', variables, ...a }, 'set-variables', { names });
  }
  activateAdHocElements(id: string, request: AdHocActivationRequest, a: Audit = {}) {
    const elements = request.elements.map((e) => e.elementId);
    return this.runCommand(id, { type: 'ActivateAdHocElements', ...request, ...a }, 'activate-ad-hoc', { elements });
  }

  // ---- messages, signals, conditions and user tasks (runtime/messages.ts, runtime/user-tasks.ts)

  publishMessage(req: Parameters<EnginePort['publishMessage']>[0]) {
    return this.timed('PublishMessage', publishMessage(this.messageDeps, req));
  }
  broadcastSignal(req: Parameters<EnginePort['broadcastSignal']>[0]) {
    return this.timed('BroadcastSignal', broadcastSignal(this.messageDeps, req));
  }
  evaluateConditions(req: Parameters<EnginePort['evaluateConditions']>[0]) {
    return this.timed('EvaluateConditions', evaluateConditions(this.messageDeps, req));
  }
  listUserTasks(f: Parameters<EnginePort['listUserTasks']>[0]): Promise<UserTaskView[]> {
    return listUserTasks(this.taskDeps, f);
  }
  claimUserTask(id: string, assignee: string) {
    return this.timed('ClaimUserTask', claimUserTask(this.taskDeps, id, assignee));
  }
  unclaimUserTask(id: string) {
    return this.timed('UnclaimUserTask', unclaimUserTask(this.taskDeps, id));
  }
  completeUserTask(id: string, variables?: Record<string, unknown>) {
    return this.timed('CompleteUserTask', completeUserTask(this.taskDeps, id, variables));
  }

  // ---- jobs -----------------------------------------------------------------------------

  activateJobs(req: Parameters<EnginePort['activateJobs']>[0]) {
    return this.timed('ActivateJobs', this.jobs.activate(req));
  }

  completeJob(key: string, variables?: Record<string, unknown>, worker?: string, result?: JobResult): Promise<void> {
    return this.timed(
      'CompleteJob',
      this.jobs.report(key, worker, () => ({
        type: 'CompleteJob',
        jobKey: key,
        ...(variables ? { variables } : {}),
        ...(result ? { result } : {}),
      })),
    );
  }

  failJob(key: string, req: Parameters<EnginePort['failJob']>[1]): Promise<void> {
    return this.timed(
      'FailJob',
      this.jobs.report(key, req.worker, (job) => ({
        type: 'FailJob',
        jobKey: key,
        retries: req.retries ?? job.retries - 1,
        ...(req.errorMessage !== undefined ? { errorMessage: req.errorMessage } : {}),
        ...(req.retryBackoffMs !== undefined ? { retryBackoffMs: req.retryBackoffMs } : {}),
        ...(req.variables ? { variables: req.variables } : {}),
      })),
    );
  }

  updateJob(key: string, change: { retries?: number; timeoutMs?: number }): Promise<void> {
    return this.timed('UpdateJob', this.jobs.update(key, change));
  }

  throwJobError(
    key: string,
    req: { errorCode: string; errorMessage?: string; variables?: Record<string, unknown>; worker?: string },
  ): Promise<void> {
    return this.timed(
      'ThrowJobError',
      this.jobs.report(key, req.worker, () => ({
        type: 'ThrowJobError',
        jobKey: key,
        errorCode: req.errorCode,
        ...(req.errorMessage !== undefined ? { errorMessage: req.errorMessage } : {}),
        ...(req.variables ? { variables: req.variables } : {}),
      })),
    );
  }

  // ---- incidents ------------------------------------------------------------------------

  async listIncidents(f: { instanceId?: string }): Promise<IncidentView[]> {
    return (await this.store.read.work.incidents(f.instanceId)).map(incidentView);
  }

  /** Resolves the incident and does what its retry does; a refused command kept with it is applied again. */
  async retryIncident(id: string, req: { retries?: number }, a: Audit = {}): Promise<void> {
    await this.submit('RetryIncident', {
      targets: [instanceOfKey(id)],
      run: async (w) => {
        const inc = await w.tx.incidents.get(id);
        if (!inc)
          throw new EngineError(404, 'INCIDENT_NOT_FOUND', `Expected an open incident ${id}, but there is none`);
        const cmd: Command = {
          type: 'RetryIncident',
          incidentId: id,
          ...(req.retries !== undefined ? { retries: req.retries } : {}),
          ...a,
        };
        await this.processor.command(w, inc.instanceId, cmd, 'outside');
        if (inc.command) await this.processor.command(w, inc.instanceId, inc.command as Command, 'continuation');
        await recordAudit(w, this.now(), 'retry-incident', { type: 'incident', id }, a, {
          instanceId: inc.instanceId,
          elementId: inc.elementId,
          incidentType: inc.type,
        });
      },
    });
  }

  /** Resolves once the instance ended, or waits only for outside input (no in-process job, inbox item or timer due soon). */
  async settle(instanceId: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const row = await this.store.read.instances.row(instanceId);
      if (!row || (row.status !== 'active' && row.status !== 'suspended')) return;
      if (!(await this.scheduler.busy(this.now()))) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Opens the store (unless one is given) and returns an engine; call `start()` to run timers and handlers. */
export async function openEngine(opts: EngineOptions): Promise<Engine> {
  const store =
    opts.store ??
    (await openStore(opts.dbPath ?? ':memory:', {
      ...opts.storeOptions,
      ...(opts.logger ? { logger: opts.logger } : {}),
    }));
  try {
    return new Engine(store, opts);
  } catch (err) {
    // a bad option: the store this call opened is closed again (its file lock released)
    if (!opts.store) await store.close();
    throw err;
  }
}

function envNumber(name: string): number | undefined {
  const raw = process.env[name];
  return raw === undefined || raw.trim() === '' ? undefined : Number(raw);
}

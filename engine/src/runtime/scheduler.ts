/**
 * The scheduler turns time and waiting work into commands:
 * - due timers are taken one by one, each in an operation of its own (FireTimer, or a new instance
 *   for a timer start event); a timer is taken and fired in one transaction, so it fires once
 *   across all nodes;
 * - jobs of types this node runs in-process are created locked by this node (with a lease) and
 *   handed to their handlers after the commit; jobs that come back later (retries with back-off,
 *   incident retries, a node that died) are claimed by a periodic scan; leases of running handlers
 *   are renewed, so only a dead node's jobs come back;
 * - inbox items that their writer did not apply (it died) are swept up.
 */
import type { Logger } from 'pino';
import type { Command } from '../core/commands.js';
import type { JobRow, Store } from '../storage/port.js';
import type { JobView } from './api-types.js';
import { asBpmnError } from './bpmn-error.js';
import type { JobHandler } from './engine-port.js';
import type { GroupCommit } from './group-commit.js';
import type { Inbox } from './inbox.js';
import type { Processor } from './processor.js';
import { nextStartTimer } from './start-events.js';
import type { Metrics } from './metrics.js';
import type { HandlerResult, InlineHandlers } from './straight-through.js';

export interface SchedulerDeps {
  readonly store: Store;
  readonly commits: GroupCommit;
  readonly processor: Processor;
  readonly inbox: Inbox;
  readonly now: () => number;
  readonly handlers: ReadonlyMap<string, JobHandler>;
  /** This node's worker name for in-process jobs. */
  readonly worker: string;
  /** How long an in-process job's lock lasts without renewal. */
  readonly leaseMs: number;
  /** Applies an in-process job's result (CompleteJob, FailJob or ThrowJobError). */
  readonly finish: (job: JobRow, cmd: Command) => Promise<void>;
  readonly jobView: (r: JobRow) => Promise<JobView>;
  /** Inbox items older than this are swept up (their writer did not apply them). */
  readonly inboxAgeMs: number;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

const MAX_IN_FLIGHT = 512;
const SCAN_EVERY_MS = 250;
const SWEEP_EVERY_MS = 1000;
const TIMER_BATCH = 1000;

export class Scheduler implements InlineHandlers {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private ticking = false;
  private again = false;
  private lastScan = 0;
  private lastSweep = 0;
  private lastRenewal = 0;
  private nextWake = Infinity;
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Jobs locked by this node that wait for room among the running handlers. */
  private readonly backlog = new Map<string, JobRow>();
  /** Timers submitted and not yet answered (a tick must not take them twice). */
  private readonly firing = new Set<string>();
  /** Timers whose firing failed, by key: when to try again. */
  private readonly backoff = new Map<string, { until: number; failures: number }>();
  /** Handler calls begun inside a transaction (./straight-through.ts) that are the runs of these jobs. */
  private readonly adopted = new Map<string, Promise<HandlerResult>>();

  constructor(private readonly d: SchedulerDeps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.lastSweep = 0;
    // jobs this node locked for its handlers before it started
    this.drainBacklog();
    this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.adopted.clear();
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** True while in-process work is running or ready, inbox items wait, or a timer is due within 2 s. */
  async busy(now: number): Promise<boolean> {
    if (this.inFlight.size > 0 || this.backlog.size > 0 || this.firing.size > 0) return true;
    const work = this.d.store.read.work;
    if (await work.hasRunnableJobs([...this.d.handlers.keys()], now)) return true;
    if (await work.hasInbox(now)) return true;
    const next = await work.nextTimerDue();
    return next !== undefined && next <= now + 2000;
  }

  /**
   * True when nothing is left to do by `now`: no handler runs or waits, no tick runs, no job of a
   * handled type is runnable, no inbox item waits and no timer is due (but one backing off after
   * failing). Unlike {@link busy} it does not look ahead: a clock that only moves when told to
   * (the testing kit) waits for nothing else.
   */
  async idle(now: number): Promise<boolean> {
    if (this.ticking || this.inFlight.size > 0 || this.backlog.size > 0 || this.firing.size > 0) return false;
    const work = this.d.store.read.work;
    // read together, at once: a `:memory:` store refuses reads once a transaction started in between
    const [runnable, inbox, due] = await Promise.all([
      work.hasRunnableJobs([...this.d.handlers.keys()], now),
      work.hasInbox(now),
      work.dueTimers(now, this.backoff.size + 1),
    ]);
    return !runnable && !inbox && due.every((t) => (this.backoff.get(t.key)?.until ?? 0) > now);
  }

  /** Runs a tick now that also scans for runnable jobs, however recently the last scan ran (a new handler, a moved clock). */
  rescan(): void {
    this.lastScan = -Infinity;
    this.wake();
  }

  /**
   * Hands jobs locked by this node to their handlers (others are for external workers). Beyond
   * {@link MAX_IN_FLIGHT} running handlers they wait in a backlog, still locked by this node (the
   * lease is renewed for them too), and run as handlers finish.
   */
  dispatch(rows: readonly JobRow[]): void {
    for (const row of rows) {
      if (row.worker !== this.d.worker || this.inFlight.has(row.key) || !this.d.handlers.has(row.type)) continue;
      if (!this.running || this.inFlight.size >= MAX_IN_FLIGHT) this.backlog.set(row.key, row);
      else this.runOne(row);
    }
  }

  /** The handler a straight-through run may call at once: only while this scheduler runs jobs. */
  handler(type: string): JobHandler | undefined {
    return this.running ? this.d.handlers.get(type) : undefined;
  }

  /** A handler call begun in a committed transaction: it is the run of job `key` (dispatched with its row). */
  adopt(key: string, result: Promise<HandlerResult>): void {
    if (this.running) this.adopted.set(key, result);
  }

  /** Runs waiting jobs of the backlog while there is room. */
  private drainBacklog(): void {
    for (const [key, row] of this.backlog) {
      if (this.inFlight.size >= MAX_IN_FLIGHT || !this.running) return;
      this.backlog.delete(key);
      if (!this.inFlight.has(key)) this.runOne(row);
    }
  }

  /** A timer was scheduled: wake earlier if it is due before the next planned tick. */
  timerScheduled(dueAt: number): void {
    if (dueAt < this.nextWake) this.wake(Math.max(0, dueAt - this.d.now()));
  }

  /** Runs a tick soon (after `delayMs`). */
  wake(delayMs = 0): void {
    if (!this.running) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.nextWake = this.d.now() + delayMs;
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    if (!this.running || this.ticking) return;
    this.ticking = true;
    this.timer = undefined;
    this.nextWake = Infinity;
    try {
      await this.fireTimers();
      const now = this.d.now();
      if (now - this.lastScan >= SCAN_EVERY_MS) await this.scan();
      if (now - this.lastRenewal >= this.d.leaseMs / 3) await this.renewLeases();
      if (now - this.lastSweep >= SWEEP_EVERY_MS) await this.sweep();
    } catch (err) {
      this.d.logger?.error({ err }, 'scheduler tick failed');
    } finally {
      this.ticking = false;
    }
    if (!this.running) return;
    if (this.again) {
      this.again = false;
      this.wake();
      return;
    }
    const next = await this.d.store.read.work.nextTimerDue().catch(() => undefined);
    const delay = next === undefined ? SCAN_EVERY_MS : Math.min(SCAN_EVERY_MS, Math.max(0, next - this.d.now()));
    if (!this.timer) this.wake(delay);
  }

  /** Takes every due timer, each in an operation of its own; resolves when all of them are answered. */
  private async fireTimers(): Promise<void> {
    for (;;) {
      const now = this.d.now();
      const due = (await this.d.store.read.work.dueTimers(now, TIMER_BATCH + this.firing.size)).filter(
        (t) => !this.firing.has(t.key) && (this.backoff.get(t.key)?.until ?? 0) <= now,
      );
      if (!due.length) return;
      await Promise.all(due.map((t) => this.fireOne(t.key, t.instanceId)));
      if (due.length < TIMER_BATCH) return;
    }
  }

  private async fireOne(key: string, instanceId: string | null): Promise<void> {
    this.firing.add(key);
    try {
      await this.d.commits.submit({
        ...(instanceId ? { targets: [instanceId] } : {}),
        run: async (w) => {
          const t = await w.tx.timers.take(key);
          if (!t) return;
          const { processor } = this.d;
          if (t.instanceId) {
            const state = await processor.command(
              w,
              t.instanceId,
              { type: 'FireTimer', timerKey: t.key },
              'continuation',
            );
            if (state) this.fired(w, state.processId, t.dueAt);
            return;
          }
          const def = t.definitionKey ? await w.tx.definitions.byKey(t.definitionKey) : undefined;
          if (!def) return;
          const next = nextStartTimer(t, this.d.now());
          if (next) {
            await w.tx.timers.upsert(next);
            w.after(() => this.timerScheduled(next.dueAt));
          }
          await processor.start(
            w,
            def,
            { id: processor.newInstanceId(), businessKey: null, startElementId: t.elementId },
            { origin: 'continuation' },
          );
          this.fired(w, def.processId, t.dueAt);
        },
      });
      this.backoff.delete(key);
    } catch (err) {
      const failures = (this.backoff.get(key)?.failures ?? 0) + 1;
      const waitMs = Math.min(60_000, 100 * 2 ** failures);
      this.backoff.set(key, { until: this.d.now() + waitMs, failures });
      this.d.logger?.error({ err, timerKey: key, instanceId, failures }, `timer failed; trying again in ${waitMs} ms`);
    } finally {
      this.firing.delete(key);
    }
  }

  /** Counts a timer of `processId` fired now, and how late, once committed. */
  private fired(w: { after(fn: () => void): void }, processId: string, dueAt: number): void {
    const m = this.d.metrics;
    if (!m) return;
    const lagMs = Math.max(0, this.d.now() - dueAt);
    w.after(() => {
      const labels = { process_id: m.labels.process(processId) };
      m.timersFired.inc(labels);
      m.timerLag.observe(labels, lagMs / 1000);
    });
  }

  /** Claims runnable in-process jobs that no commit handed over (back-off retries, incident retries, a dead node). */
  private async scan(): Promise<void> {
    this.lastScan = this.d.now();
    const types = [...this.d.handlers.keys()];
    const room = MAX_IN_FLIGHT - this.inFlight.size - this.backlog.size;
    if (!types.length || room <= 0) return;
    if (!(await this.d.store.read.work.hasRunnableJobs(types, this.lastScan))) return;
    const rows = await this.d.commits.submit({
      run: (w) => {
        const now = this.d.now();
        return w.tx.jobs.claim(types, this.d.worker, now, now + this.d.leaseMs, room);
      },
    });
    this.dispatch(rows);
  }

  /** Moves the leases of running handlers forward, so that only a dead node's jobs come back. */
  private async renewLeases(): Promise<void> {
    this.lastRenewal = this.d.now();
    const keys = [...this.inFlight.keys(), ...this.backlog.keys()];
    if (!keys.length) return;
    await this.d.commits.submit({
      run: (w) => w.tx.jobs.extendLocks(this.d.worker, keys, this.d.now() + this.d.leaseMs),
    });
  }

  private async sweep(): Promise<void> {
    this.lastSweep = this.d.now();
    const before = this.lastSweep - this.d.inboxAgeMs;
    while (this.running && (await this.d.store.read.work.hasInbox(before))) {
      if ((await this.d.inbox.sweep(this.d.inboxAgeMs)) === 0) return;
    }
  }

  private runOne(row: JobRow): void {
    const p = this.execute(row).finally(() => {
      this.inFlight.delete(row.key);
      this.drainBacklog();
    });
    this.inFlight.set(row.key, p);
  }

  private async execute(row: JobRow): Promise<void> {
    const handler = this.d.handlers.get(row.type)!;
    const log = this.d.logger?.child({ instanceId: row.instanceId, elementId: row.elementId, jobKey: row.key });
    let cmd: Command;
    try {
      const begun = this.adopted.get(row.key);
      if (begun) this.adopted.delete(row.key);
      const result = await (begun ?? handler(await this.d.jobView(row)));
      cmd = {
        type: 'CompleteJob',
        jobKey: row.key,
        ...(result && typeof result === 'object' ? { variables: result } : {}),
      };
    } catch (err) {
      const bpmnError = asBpmnError(err);
      if (bpmnError) {
        log?.info({ errorCode: bpmnError.errorCode }, 'handler threw a BPMN error');
        cmd = { type: 'ThrowJobError', jobKey: row.key, ...bpmnError };
      } else {
        log?.warn({ err }, 'handler failed');
        cmd = {
          type: 'FailJob',
          jobKey: row.key,
          errorMessage: err instanceof Error ? err.message : String(err),
          retries: row.retries - 1,
          retryBackoffMs: 1000,
        };
      }
    }
    await this.d.finish(row, cmd).catch((e: unknown) => log?.warn({ err: e }, `could not apply ${cmd.type}`));
  }
}

/**
 * The scheduler turns time into commands: due timers become FireTimer commands (or new instances
 * for timer start events), and jobs whose type has an in-process handler are run.
 *
 * In-process jobs are handed over straight from the commit that created them (no lock commit):
 * they are locked in memory only, which is enough because one engine process owns its database
 * file. A crash leaves them unlocked in the store, so a restart runs them again (at-least-once:
 * handlers get the job key as idempotency key). Jobs that come back later (retries with back-off,
 * incident retries, a restart) are found by a periodic scan.
 */
import type { Logger } from 'pino';
import type { JobRow, Store } from '../storage/store.js';
import type { JobView } from './api-types.js';
import { asBpmnError } from './bpmn-error.js';
import type { JobHandler } from './engine-port.js';
import type { Processor } from './processor.js';
import { nextStartTimer } from './start-events.js';

export interface SchedulerDeps {
  readonly store: Store;
  readonly processor: Processor;
  readonly submit: <T>(fn: () => T) => Promise<T>;
  readonly now: () => number;
  readonly handlers: ReadonlyMap<string, JobHandler>;
  /** Completes / fails an in-process job (no worker lock to check). */
  readonly complete: (job: JobRow, vars?: Record<string, unknown>) => Promise<void>;
  readonly fail: (job: JobRow, req: { errorMessage: string; retries: number; retryBackoffMs: number }) => Promise<void>;
  readonly throwError: (
    job: JobRow,
    req: { errorCode: string; errorMessage: string; variables?: Record<string, unknown> },
  ) => Promise<void>;
  readonly jobView: (r: JobRow) => JobView;
  readonly onWork: (cb: () => void) => void;
  readonly logger?: Logger;
}

const MAX_IN_FLIGHT = 512;
const SCAN_EVERY_MS = 250;
const TIMER_BATCH = 1000;

export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private ticking = false;
  private again = false;
  private lastScan = 0;
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly d: SchedulerDeps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.d.onWork(() => this.wake());
    this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** True while in-process work is running or ready, or a timer is due within 2 s. */
  busy(now: number): boolean {
    if (this.inFlight.size > 0) return true;
    for (const type of this.d.handlers.keys()) if (this.d.store.activatableJobs(type, now, 1).length) return true;
    const next = this.d.store.nextTimerDue();
    return next !== undefined && next <= now + 2000;
  }

  /** Hands jobs written by a committed batch to their handlers. */
  dispatch(rows: readonly JobRow[]): void {
    if (!this.running) return;
    for (const row of rows) {
      if (this.inFlight.size >= MAX_IN_FLIGHT) return;
      if (!this.inFlight.has(row.key) && this.d.handlers.has(row.type)) this.runOne(row);
    }
  }

  private wake(): void {
    if (!this.running) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    setImmediate(() => void this.tick());
  }

  private async tick(): Promise<void> {
    if (!this.running || this.ticking) return;
    this.ticking = true;
    try {
      const next = this.d.store.nextTimerDue();
      if (next !== undefined && next <= this.d.now()) await this.fireTimers();
      if (this.d.now() - this.lastScan >= SCAN_EVERY_MS) this.scan();
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
    const next = this.d.store.nextTimerDue();
    const delay = next === undefined ? SCAN_EVERY_MS : Math.min(SCAN_EVERY_MS, Math.max(0, next - this.d.now()));
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  private async fireTimers(): Promise<void> {
    for (;;) {
      const n = await this.d.submit(() => {
        const now = this.d.now();
        const due = this.d.store.dueTimers(now, TIMER_BATCH);
        for (const t of due) {
          this.d.store.deleteTimer(t.key);
          try {
            if (t.instanceId) {
              this.d.processor.runIsolated({
                kind: 'command',
                instanceId: t.instanceId,
                cmd: { type: 'FireTimer', timerKey: t.key },
              });
              continue;
            }
            const def = t.definitionKey ? this.d.store.definitionByKey(t.definitionKey) : undefined;
            if (!def) continue;
            const next = nextStartTimer(t, now);
            if (next) this.d.store.upsertTimer(next);
            this.d.processor.runIsolated({
              kind: 'start',
              def,
              init: { id: this.d.processor.newInstanceId(), businessKey: null, startElementId: t.elementId },
            });
          } catch (err) {
            this.d.logger?.error({ err, timerKey: t.key, instanceId: t.instanceId }, 'timer failed; dropped');
          }
        }
        return due.length;
      });
      if (n < TIMER_BATCH) return;
    }
  }

  /** Finds runnable in-process jobs that no commit handed over (back-off retries, incident retries, a restart). */
  private scan(): void {
    this.lastScan = this.d.now();
    if (this.d.handlers.size === 0) return;
    const now = this.d.now();
    for (const type of this.d.handlers.keys()) {
      const rows = this.d.store.activatableJobs(type, now, this.inFlight.size + MAX_IN_FLIGHT);
      this.dispatch(rows.filter((r) => !this.inFlight.has(r.key)));
    }
  }

  private runOne(row: JobRow): void {
    const p = this.execute(row).finally(() => {
      this.inFlight.delete(row.key);
    });
    this.inFlight.set(row.key, p);
  }

  private async execute(row: JobRow): Promise<void> {
    const handler = this.d.handlers.get(row.type)!;
    const log = this.d.logger?.child({ instanceId: row.instanceId, elementId: row.elementId, jobKey: row.key });
    let result: Record<string, unknown> | void;
    try {
      result = await handler(this.d.jobView(row));
    } catch (err) {
      const bpmnError = asBpmnError(err);
      if (bpmnError) {
        log?.info({ errorCode: bpmnError.errorCode }, 'handler threw a BPMN error');
        await this.d.throwError(row, bpmnError).catch((e) => log?.warn({ err: e }, 'could not throw the BPMN error'));
        return;
      }
      log?.warn({ err }, 'handler failed');
      await this.d
        .fail(row, {
          errorMessage: err instanceof Error ? err.message : String(err),
          retries: row.retries - 1,
          retryBackoffMs: 1000,
        })
        .catch((e) => log?.warn({ err: e }, 'could not fail job'));
      return;
    }
    await this.d
      .complete(row, result && typeof result === 'object' ? result : undefined)
      .catch((e) => log?.warn({ err: e }, 'could not complete job'));
  }
}

/**
 * The scheduler turns time into commands: due timers become FireTimer commands (or new instances
 * for timer start events), and jobs whose type has an in-process handler are locked and run.
 * Everything it acts on lives in the store, so a restart picks up where a crash left off.
 */
import type { Logger } from 'pino';
import type { DefinitionRow, JobRow, Store } from '../storage/store.js';
import type { JobView } from './api-types.js';
import { EngineError } from './api-types.js';
import type { JobHandler } from './engine-port.js';
import type { Processor } from './processor.js';
import { nextStartTimer } from './start-events.js';

export interface SchedulerDeps {
  readonly store: Store;
  readonly processor: Processor;
  readonly submit: <T>(fn: () => T) => Promise<T>;
  readonly now: () => number;
  readonly handlers: ReadonlyMap<string, JobHandler>;
  readonly complete: (key: string, vars?: Record<string, unknown>) => Promise<void>;
  readonly fail: (key: string, req: { errorMessage?: string; retries?: number; retryBackoffMs?: number }) => Promise<void>;
  readonly jobView: (r: JobRow) => JobView;
  readonly onWork: (cb: () => void) => void;
  readonly logger?: Logger;
}

const IN_PROCESS_WORKER = 'baton-in-process';
const HANDLER_LOCK_MS = 60_000;
const MAX_IN_FLIGHT = 64;
const IDLE_TICK_MS = 250;

export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private ticking = false;
  private again = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly d: SchedulerDeps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    // In-process jobs locked by an earlier run of this engine cannot still be running: take them back now
    // instead of waiting for their locks to expire (one engine process per database file).
    const released = this.d.store.transaction(() => this.d.store.releaseLocks(IN_PROCESS_WORKER));
    if (released) this.d.logger?.info({ released }, 'in-process jobs of the previous run released');
    this.d.onWork(() => this.wake());
    this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** True while in-process work for the engine is running or ready, or a timer is due within 2 s. */
  busy(now: number): boolean {
    if (this.inFlight.size > 0) return true;
    const types = [...this.d.handlers.keys()];
    if (types.length && this.d.store.jobTypesReady(now).some((t) => types.includes(t))) return true;
    const next = this.d.store.nextTimerDue();
    return next !== undefined && next <= now + 2000;
  }

  private wake(): void {
    if (!this.running) return;
    if (this.ticking) { this.again = true; return; }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), 0);
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    this.ticking = true;
    try {
      await this.fireTimers();
      await this.runHandlers();
    } catch (err) {
      this.d.logger?.error({ err }, 'scheduler tick failed');
    } finally {
      this.ticking = false;
    }
    if (!this.running) return;
    if (this.again) { this.again = false; this.wake(); return; }
    const next = this.d.store.nextTimerDue();
    const delay = next === undefined ? IDLE_TICK_MS : Math.min(IDLE_TICK_MS, Math.max(0, next - this.d.now()));
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  private async fireTimers(): Promise<void> {
    for (;;) {
      const n = await this.d.submit(() => {
        const now = this.d.now();
        const due = this.d.store.dueTimers(now, 200);
        for (const t of due) {
          try {
            this.d.store.transaction(() => {
              this.d.store.deleteTimer(t.key);
              if (t.instanceId) {
                this.d.processor.run({ kind: 'command', instanceId: t.instanceId, cmd: { type: 'FireTimer', timerKey: t.key } });
              } else if (t.definitionKey) {
                const def: DefinitionRow | undefined = this.d.store.definitionByKey(t.definitionKey);
                if (!def) return;
                const next = nextStartTimer(t, now);
                if (next) this.d.store.upsertTimer(next);
                this.d.processor.run({ kind: 'start', def, init: { id: this.d.processor.newInstanceId(), businessKey: null, startElementId: t.elementId } });
              }
            });
          } catch (err) {
            if (!(err instanceof EngineError)) throw err;
            this.d.store.deleteTimer(t.key);
            this.d.logger?.debug({ err, timerKey: t.key }, 'timer dropped');
          }
        }
        return due.length;
      });
      if (n < 200) return;
    }
  }

  private async runHandlers(): Promise<void> {
    if (this.d.handlers.size === 0 || this.inFlight.size >= MAX_IN_FLIGHT) return;
    const rows = await this.d.submit(() => {
      const now = this.d.now();
      const ready = this.d.store.jobTypesReady(now).filter((t) => this.d.handlers.has(t));
      const out: JobRow[] = [];
      for (const type of ready) {
        for (const r of this.d.store.activatableJobs(type, now, MAX_IN_FLIGHT - this.inFlight.size - out.length)) {
          this.d.store.lockJob(r.key, IN_PROCESS_WORKER, now + HANDLER_LOCK_MS);
          out.push({ ...r, worker: IN_PROCESS_WORKER, lockUntil: now + HANDLER_LOCK_MS });
        }
      }
      return out.map((r) => ({ row: r, view: this.d.jobView(r) }));
    });
    for (const { row, view } of rows) {
      const p = this.runOne(row, view).finally(() => { this.inFlight.delete(p); this.wake(); });
      this.inFlight.add(p);
    }
  }

  private async runOne(row: JobRow, view: JobView): Promise<void> {
    const handler = this.d.handlers.get(row.type)!;
    const log = this.d.logger?.child({ instanceId: row.instanceId, elementId: row.elementId, jobKey: row.key });
    let result: Record<string, unknown> | void;
    try {
      result = await handler(view);
    } catch (err) {
      log?.warn({ err }, 'handler failed');
      await this.d.fail(row.key, { errorMessage: err instanceof Error ? err.message : String(err), retries: row.retries - 1, retryBackoffMs: 1000 }).catch((e) => log?.warn({ err: e }, 'could not fail job'));
      return;
    }
    await this.d.complete(row.key, result && typeof result === 'object' ? result : undefined).catch((e) => log?.warn({ err: e }, 'could not complete job'));
  }
}

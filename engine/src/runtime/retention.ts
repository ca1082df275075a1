/**
 * Retention: completed and cancelled instances, with their history, variables (in their state) and
 * incidents, are deleted once they have been ended longer than their time to live — one for every
 * process, and one per process that overrides it (or keeps its instances: `off`). Idempotency
 * answers and ended batch operations older than the global time to live go the same way. The
 * deletes run in the background in small transactions, so disk use stays bounded under steady load
 * (SQLite reuses the freed pages) while normal work keeps flowing.
 *
 * @example
 *   parseRetention('P30D,order-approval=P7D,audit-trail=off')
 *   // { defaultMs: 2592000000, perProcess: { 'order-approval': 604800000, 'audit-trail': null } }
 */
import type { Logger } from 'pino';
import { Temporal } from 'temporal-polyfill';
import type { RetentionRule, Store } from '../storage/port.js';
import type { GroupCommit } from './group-commit.js';

/** Times to live in ms: for every process, and per process (null: kept for ever). */
export interface RetentionPolicy {
  readonly defaultMs?: number;
  readonly perProcess: Readonly<Record<string, number | null>>;
}

/** Thrown for a retention setting that cannot be read (the command line answers it as bad usage). */
export class RetentionConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetentionConfigError';
  }
}

/** The shortest time to live accepted: a second (anything shorter is a typing mistake). */
const MIN_TTL_MS = 1000;

/** One ISO 8601 duration of days, hours, minutes and seconds (`P30D`, `PT12H`, `P1W`), in ms. */
export function parseTtl(text: string): number {
  let d: Temporal.Duration;
  try {
    d = Temporal.Duration.from(text.trim());
  } catch {
    throw new RetentionConfigError(`Expected a time to live such as P30D, PT12H or P1W, but got '${text}'`);
  }
  if (d.years || d.months)
    throw new RetentionConfigError(
      `Expected a time to live in weeks, days, hours, minutes or seconds (months and years vary in length), but got '${text}'`,
    );
  const ms = d.total({ unit: 'millisecond', relativeTo: '2000-01-01' });
  if (!(ms >= MIN_TTL_MS))
    throw new RetentionConfigError(`Expected a time to live of at least PT1S, but got '${text}'`);
  return ms;
}

/**
 * Reads `--retention` / `BATON_RETENTION`: comma-separated entries, each a duration (for every
 * process) or `processId=duration` or `processId=off`.
 */
export function parseRetention(text: string): RetentionPolicy {
  let defaultMs: number | undefined;
  const perProcess: Record<string, number | null> = {};
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const eq = entry.indexOf('=');
    if (eq < 0) {
      if (defaultMs !== undefined)
        throw new RetentionConfigError(`Expected one time to live for every process, but got two in '${text}'`);
      defaultMs = parseTtl(entry);
      continue;
    }
    const processId = entry.slice(0, eq).trim();
    const value = entry.slice(eq + 1).trim();
    if (!processId) throw new RetentionConfigError(`Expected a process id before '=' in '${entry}'`);
    if (Object.prototype.hasOwnProperty.call(perProcess, processId))
      throw new RetentionConfigError(`Expected one time to live per process, but ${processId} has two`);
    perProcess[processId] = value === 'off' ? null : parseTtl(value);
  }
  if (defaultMs === undefined && !Object.keys(perProcess).length)
    throw new RetentionConfigError(`Expected a time to live such as P30D (or processId=P7D), but got '${text}'`);
  return { ...(defaultMs !== undefined ? { defaultMs } : {}), perProcess };
}

export interface RetentionDeps {
  readonly store: Store;
  readonly commits: GroupCommit;
  readonly now: () => number;
  readonly policy: RetentionPolicy;
  /** Pause between two sweeps when nothing was left to delete (default 10 s). */
  readonly intervalMs?: number;
  /** Instances deleted per transaction (default 100). */
  readonly chunk?: number;
  readonly logger?: Logger;
}

export class RetentionRunner {
  private running = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopNow: (() => void) | undefined;
  /** Instances deleted since start (for tests and the log). */
  deleted = 0;

  constructor(private readonly d: RetentionDeps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run().catch((err: unknown) => this.d.logger?.error({ err }, 'retention stopped'));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.stopNow?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.sweep();
      } catch (err) {
        this.d.logger?.warn({ err }, 'retention sweep failed; trying again');
      }
      if (!this.running) return;
      await new Promise<void>((r) => {
        this.stopNow = r;
        this.timer = setTimeout(r, this.d.intervalMs ?? 10_000);
      });
    }
  }

  /** Deletes everything that expired by now, a chunk per transaction; resolves to how many instances. */
  async sweep(): Promise<number> {
    const now = this.d.now();
    const { defaultMs, perProcess } = this.d.policy;
    const rules: RetentionRule[] = [];
    if (defaultMs !== undefined) rules.push({ endedBefore: now - defaultMs, exclude: Object.keys(perProcess) });
    for (const [processId, ttl] of Object.entries(perProcess))
      if (ttl !== null) rules.push({ processId, endedBefore: now - ttl });
    const chunk = this.d.chunk ?? 100;
    let total = 0;
    for (const rule of rules) {
      while (!this.stopped) {
        const ids = await this.d.store.read.operations.expiredInstances(rule, chunk);
        if (!ids.length) break;
        total += await this.d.commits.submit({ run: (w) => w.tx.operations.purgeInstances(ids) });
        if (ids.length < chunk) break;
        await new Promise((r) => setImmediate(r));
      }
    }
    if (defaultMs !== undefined)
      while (
        !this.stopped &&
        (await this.d.commits.submit({ run: (w) => w.tx.operations.purgeOperations(now - defaultMs, chunk * 10) })) > 0
      )
        await new Promise((r) => setImmediate(r));
    this.deleted += total;
    if (total) this.d.logger?.info({ instances: total }, 'retention deleted ended instances');
    return total;
  }
}

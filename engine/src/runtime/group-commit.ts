/**
 * Group commit: operations submitted while a transaction runs share the next one. Every promise
 * settles only once its transaction committed and is durable; what an operation registers with
 * `after` (metrics, log lines, wake-ups, handing jobs to handlers) runs only then, so a rollback
 * leaves no trace outside the database.
 *
 * Failures stay with their operation:
 * - an operation that throws before writing anything is answered with its error, and the others of
 *   the batch go on in the same transaction;
 * - one that throws after writing rolls the transaction back; the batch runs again without it;
 * - a {@link ConflictError} (another node changed the instance, or holds its row) sends the
 *   operation to the next batch, up to {@link MAX_ATTEMPTS} times;
 * - a {@link StoreUnavailableError} fails every operation of the batch with `503 UNAVAILABLE`.
 */
import { ConflictError, StoreUnavailableError, type Store, type Tx } from '../storage/port.js';
import { EngineError } from './api-types.js';

/** What an operation gets: the transaction, and a place for work to do once it is durable. */
export interface Work {
  readonly tx: Tx;
  /** Runs `fn` after the batch committed and is durable; dropped when it rolls back. */
  after(fn: () => void): void;
}

/** One unit of work of a batch. */
export interface Op<T> {
  /** Instances it will load: fetched for the whole batch at once. */
  readonly targets?: readonly string[];
  run(work: Work): Promise<T>;
}

/** Times an operation meets a conflict before it is answered 503. */
export const MAX_ATTEMPTS = 25;

interface Pending {
  readonly op: Op<unknown>;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
  attempts: number;
}

type Outcome = { ok: true; value: unknown; after: (() => void)[] } | { ok: false; error: unknown };

/** Thrown inside the transaction to roll it back because `index` failed after writing. */
class DirtyFailure {
  constructor(
    readonly pending: Pending,
    readonly error: unknown,
  ) {}
}

export class GroupCommit {
  private queue: Pending[] = [];
  private running: Promise<void> | undefined;
  /** Operations waiting out a back-off before their next attempt. */
  private delayed = 0;
  private readonly durableAnswers = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly opts: {
      /** Runs before every transaction (outside it), e.g. to reserve ids. */
      readonly beforeTransaction?: () => Promise<void>;
      /** Errors that no operation can be answered with (bugs in after-commit work). */
      readonly onError?: (err: unknown) => void;
      readonly maxBatch?: number;
    } = {},
  ) {}

  private onError(err: unknown): void {
    this.opts.onError?.(err);
  }

  submit<T>(op: Op<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ op: op as Op<unknown>, resolve: resolve as (v: unknown) => void, reject, attempts: 0 });
      this.kick();
    });
  }

  /** Commits everything pending; resolves when all of it is answered (used on shutdown). */
  async drain(): Promise<void> {
    while (this.running || this.queue.length || this.delayed) {
      this.kick();
      await (this.running ?? new Promise((r) => setTimeout(r, 5)));
    }
    await Promise.allSettled([...this.durableAnswers]);
  }

  private kick(): void {
    if (this.running) return;
    this.running = new Promise<void>((done) => setImmediate(done))
      .then(() => this.loop())
      .catch((err: unknown) => this.onError(err))
      .finally(() => {
        this.running = undefined;
        if (this.queue.length) this.kick();
      });
  }

  private async loop(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.opts.maxBatch ?? 1024);
      await this.runBatch(batch);
    }
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    let todo = batch;
    while (todo.length) {
      const outcomes = new Map<Pending, Outcome>();
      const later: Pending[] = [];
      try {
        await this.opts.beforeTransaction?.();
        await this.store.transaction(async (tx) => {
          const targets = new Set<string>();
          for (const p of todo) for (const t of p.op.targets ?? []) targets.add(t);
          if (targets.size) await tx.instances.prefetch([...targets]);
          for (const p of todo) {
            const before = tx.writes;
            const after: (() => void)[] = [];
            try {
              const value = await p.op.run({ tx, after: (fn) => after.push(fn) });
              outcomes.set(p, { ok: true, value, after });
            } catch (error) {
              // a transaction that can no longer commit is rolled back: after a conflict (whose
              // operation is not known) or a lost connection every operation is retried or answered;
              // after another failure the batch runs again without the operation that saw it
              if (tx.broken && (error instanceof ConflictError || error instanceof StoreUnavailableError)) throw error;
              if (tx.broken || tx.writes !== before) throw new DirtyFailure(p, error);
              if (error instanceof ConflictError) later.push(p);
              else outcomes.set(p, { ok: false, error: unavailable(error) });
            }
          }
        });
      } catch (err) {
        if (err instanceof DirtyFailure) {
          todo = todo.filter((p) => p !== err.pending);
          this.settleFailed(err.pending, err.error);
          continue;
        }
        if (err instanceof ConflictError) {
          // the commit itself met a conflict: every operation goes to the next batch
          for (const p of todo) this.retryLater(p, err);
          return;
        }
        const error = unavailable(err);
        for (const p of todo) p.reject(error);
        if (!(err instanceof StoreUnavailableError)) this.onError(err);
        return;
      }
      this.answerWhenDurable(outcomes);
      for (const p of later) this.retryLater(p, new ConflictError('conflict'));
      return;
    }
  }

  /** A failure after writing: a conflict retries in the next batch, anything else answers. */
  private settleFailed(p: Pending, error: unknown): void {
    if (error instanceof ConflictError) this.retryLater(p, error);
    else p.reject(unavailable(error));
  }

  private retryLater(p: Pending, error: ConflictError): void {
    if (++p.attempts >= MAX_ATTEMPTS) {
      p.reject(
        new EngineError(
          503,
          'CONFLICT',
          `Expected to apply the command within ${MAX_ATTEMPTS} attempts, but other commands kept changing the same data (${error.message}); try again`,
        ),
      );
      return;
    }
    if (p.attempts <= 2) {
      this.queue.unshift(p);
      return;
    }
    // the row stays busy: back off a little so that the other node's batch can commit
    this.delayed++;
    setTimeout(
      () => {
        this.delayed--;
        this.queue.unshift(p);
        this.kick();
      },
      Math.min(50, p.attempts * 2),
    );
  }

  private answerWhenDurable(outcomes: Map<Pending, Outcome>): void {
    const answer = (): void => {
      for (const [p, o] of outcomes) {
        if (!o.ok) {
          p.reject(o.error);
          continue;
        }
        p.resolve(o.value);
        for (const fn of o.after) {
          try {
            fn();
          } catch (err) {
            this.onError(err);
          }
        }
      }
    };
    const durable = this.store.durable().then(answer, (error: unknown) => {
      for (const p of outcomes.keys()) p.reject(unavailable(error));
    });
    const tracked = durable.finally(() => this.durableAnswers.delete(tracked));
    this.durableAnswers.add(tracked);
  }
}

function unavailable(err: unknown): unknown {
  if (err instanceof EngineError) return err;
  if (err instanceof StoreUnavailableError)
    return new EngineError(503, 'UNAVAILABLE', `The database cannot be reached (${err.message}); try again`);
  return err;
}

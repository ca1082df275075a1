/**
 * Group commit: operations submitted in the same turn of the event loop share one SQLite
 * transaction; one failing operation rolls back only itself (see `run`).
 * Every promise settles only once the commit is durable (`store.durable()`); meanwhile the next
 * batches are already built and committed.
 */
import type { Store } from '../storage/store.js';

type Result = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Pending {
  readonly fn: () => unknown;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

export class GroupCommit {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly store: Store,
    /** Called right after a commit; what it returns runs once that commit is durable. */
    private readonly afterCommit: () => () => void,
    private readonly afterRollback: () => void = () => {},
    private readonly maxBatch = 1024,
  ) {}

  submit<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private inFlight = new Set<Promise<void>>();

  /** Commits everything pending now; resolves when all of it is durable (used on shutdown). */
  async drain(): Promise<void> {
    this.flush();
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Runs a batch in one transaction. Most batches succeed whole, so they run without a savepoint
   * per operation; when one operation throws, the whole transaction is rolled back and the batch
   * runs again with a savepoint per operation, so that only the failing one is undone. Operations
   * only write through the store, so running one again after a rollback is safe.
   */
  private run(batch: readonly Pending[]): Result[] {
    try {
      return this.store.transaction(() => batch.map((op): Result => ({ ok: true, value: op.fn() })));
    } catch {
      this.afterRollback();
    }
    const results: Result[] = [];
    this.store.transaction(() => {
      for (const op of batch) {
        try {
          results.push({ ok: true, value: this.store.transaction(op.fn) });
        } catch (error) {
          results.push({ ok: false, error });
        }
      }
    });
    return results;
  }

  private flush(): void {
    this.scheduled = false;
    while (this.pending.length) {
      const batch = this.pending.splice(0, this.maxBatch);
      let results: Result[];
      try {
        results = this.run(batch);
      } catch (error) {
        this.afterRollback();
        for (const op of batch) op.reject(error);
        continue;
      }
      const after = this.afterCommit();
      const durable = this.store
        .durable()
        .then(
          () => {
            batch.forEach((op, i) => {
              const r = results[i]!;
              if (r.ok) op.resolve(r.value);
              else op.reject(r.error);
            });
            after();
          },
          (error: unknown) => {
            for (const op of batch) op.reject(error);
          },
        )
        .finally(() => this.inFlight.delete(durable));
      this.inFlight.add(durable);
    }
  }
}

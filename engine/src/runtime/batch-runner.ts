/**
 * Runs batch operations in the background, a bounded chunk at a time: it claims up to `chunk`
 * pending items (on PostgreSQL without waiting on items other nodes claimed, like jobs), and runs
 * each as an operation of its own on its one instance through the group commit, so that normal work
 * shares the same transactions and keeps flowing; the item's result is written in the transaction
 * that changed its instance, so an item is applied once. Claims are leases: items of a node that
 * died come back after the lease, and an item that keeps failing for another reason than its
 * instance's answer (a conflict, the database away) fails for good after {@link MAX_ATTEMPTS}.
 * Batches survive a restart: everything lives in the database.
 */
import type { Logger } from 'pino';
import type { BatchRow, ClaimedItem, Store } from '../storage/port.js';
import { EngineError } from './api-types.js';
import type { GroupCommit, Work } from './group-commit.js';
import { migrateIn, modifyIn, retryIncidentsIn } from './instance-ops.js';
import type { Processor } from './processor.js';
import type { MappingInstruction, Modification } from './operations-types.js';

export interface BatchRunnerDeps {
  readonly store: Store;
  readonly commits: GroupCommit;
  readonly processor: Processor;
  readonly now: () => number;
  /** This node's worker name: claims carry it. */
  readonly worker: string;
  /** Items claimed at a time (default {@link DEFAULT_CHUNK}). */
  readonly chunk?: number;
  /** How long a claim lasts (default 60 s). */
  readonly leaseMs?: number;
  /** How often an idle runner looks for work other nodes created (default {@link IDLE_MS}). */
  readonly idleMs?: number;
  readonly logger?: Logger;
}

export const DEFAULT_CHUNK = 100;
/** Claims of one item before it fails for good. */
export const MAX_ATTEMPTS = 5;
/** How often an idle runner looks for work other nodes created. */
const IDLE_MS = 1000;

/** The result of one item. */
type Result = { state: 'done' | 'failed' | 'skipped'; message: string | null };

/** Refusals that mean there was nothing to do for the instance. */
const NOTHING_TO_DO = new Set(['INSTANCE_NOT_ACTIVE', 'INSTANCE_NOT_FOUND']);

export class BatchRunner {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private readonly batches = new Map<string, BatchRow>();

  constructor(private readonly d: BatchRunnerDeps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run().catch((err: unknown) => this.d.logger?.error({ err }, 'batch runner stopped'));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  /** New work: look now instead of at the next idle tick. */
  wake(): void {
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await this.chunk();
        await this.completeFinished();
      } catch (err) {
        this.d.logger?.warn({ err }, 'batch chunk failed; trying again');
      }
      if (!this.running) return;
      if (worked) await new Promise((r) => setImmediate(r));
      else
        await new Promise<void>((r) => {
          const t = setTimeout(r, this.d.idleMs ?? IDLE_MS);
          this.wakeUp = () => {
            clearTimeout(t);
            r();
          };
        });
      this.wakeUp = undefined;
    }
  }

  /** Claims and runs one chunk; false when there was nothing to claim. */
  private async chunk(): Promise<boolean> {
    if (!(await this.d.store.read.operations.hasClaimableItems(this.d.now()))) return false;
    const claimed = await this.d.commits.submit({
      run: (w) => {
        const now = this.d.now();
        return w.tx.operations.claimItems(
          this.d.worker,
          now,
          now + (this.d.leaseMs ?? 60_000),
          this.d.chunk ?? DEFAULT_CHUNK,
        );
      },
    });
    if (!claimed.length) return false;
    await Promise.all(claimed.map((item) => this.runItem(item)));
    return true;
  }

  private async runItem(item: ClaimedItem): Promise<void> {
    const batch = await this.batch(item.batchId);
    if (!batch) return;
    await this.d.commits
      .submit({
        targets: [item.instanceId],
        run: async (w) => {
          const result =
            item.attempts > MAX_ATTEMPTS
              ? {
                  state: 'failed' as const,
                  message: `Expected the item to apply within ${MAX_ATTEMPTS} attempts, but it did not (see the log)`,
                }
              : await this.apply(w, batch, item.instanceId);
          await w.tx.operations.finishItem(batch.id, item.instanceId, result.state, result.message, this.d.now());
        },
      })
      .catch((err: unknown) =>
        this.d.logger?.warn(
          { err, batchId: batch.id, instanceId: item.instanceId },
          'batch item not applied; its claim runs out and it is tried again',
        ),
      );
  }

  /** Runs the batch's action on one instance; an EngineError raised before any write is its result. */
  private async apply(w: Work, batch: BatchRow, instanceId: string): Promise<Result> {
    const before = w.tx.writes;
    try {
      return await this.act(w, batch, instanceId);
    } catch (err) {
      if (!(err instanceof EngineError) || w.tx.writes !== before || w.tx.broken) throw err;
      if (NOTHING_TO_DO.has(err.code)) return { state: 'skipped', message: `${err.code}: ${err.message}` };
      const details = err.details.length ? ` ${JSON.stringify(err.details).slice(0, 2000)}` : '';
      return { state: 'failed', message: `${err.code}: ${err.message}${details}` };
    }
  }

  private async act(w: Work, batch: BatchRow, instanceId: string): Promise<Result> {
    const audit = {
      batchId: batch.id,
      ...(batch.actor ? { actor: batch.actor } : {}),
      ...(batch.reason ? { reason: batch.reason } : {}),
    };
    const p = this.d.processor;
    switch (batch.kind) {
      case 'cancel':
        await p.command(w, instanceId, { type: 'CancelInstance', ...audit }, 'outside');
        return { state: 'done', message: null };
      case 'retry': {
        const f = batch.filter as { incidentType?: string; elementId?: string };
        const retries = batch.params['retries'] as number | undefined;
        const n = await retryIncidentsIn(
          w,
          p,
          instanceId,
          { ...f, ...(retries !== undefined ? { retries } : {}) },
          audit,
        );
        return n
          ? { state: 'done', message: `${n} incident(s) retried` }
          : { state: 'skipped', message: 'no open incident matches' };
      }
      case 'migrate': {
        const m = batch.params['migration'] as { targetVersion: number; mappingInstructions?: MappingInstruction[] };
        const state = await w.tx.instances.peek(instanceId);
        if (state && state.version === m.targetVersion && state.status === 'active')
          return { state: 'skipped', message: `already on version ${m.targetVersion}` };
        await migrateIn(w, p, instanceId, m, audit);
        return { state: 'done', message: null };
      }
      case 'modify':
        await modifyIn(w, p, instanceId, batch.params['modification'] as Modification, audit);
        return { state: 'done', message: null };
    }
  }

  private async batch(id: string): Promise<BatchRow | undefined> {
    let b = this.batches.get(id);
    if (!b) {
      b = await this.d.store.read.operations.batch(id);
      if (b) this.batches.set(id, b);
      if (this.batches.size > 100) this.batches.delete(this.batches.keys().next().value!);
    }
    return b;
  }

  /** Marks running batches whose every item has its result as completed. */
  private async completeFinished(): Promise<void> {
    const done = await this.d.store.read.operations.finishedBatches();
    for (const id of done) {
      const ended = await this.d.commits.submit({
        run: (w) => w.tx.operations.endBatch(id, 'completed', this.d.now()),
      });
      if (ended) this.d.logger?.info({ batchId: id }, 'batch operation completed');
      this.batches.delete(id);
    }
  }
}

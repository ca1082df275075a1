/**
 * What the engine runs for operating processes (issue 15), built and started in one place: the
 * operations facade (./operations.ts), the batch runner (./batch-runner.ts) and, when a time to live
 * is set, retention (./retention.ts).
 */
import type { Logger } from 'pino';
import type { Store } from '../storage/port.js';
import { BatchRunner } from './batch-runner.js';
import type { GroupCommit, Op } from './group-commit.js';
import { MAX_BATCH_ITEMS, Operations } from './operations.js';
import type { Processor } from './processor.js';
import { RetentionRunner, type RetentionPolicy } from './retention.js';

/** Engine options of operating processes. */
export interface OperateOptions {
  /** Times to live of ended instances (`baton serve --retention`, see ./retention.ts); none: kept for ever. */
  readonly retention?: RetentionPolicy;
  /** Pause between two retention sweeps (default 10 s). */
  readonly retentionIntervalMs?: number;
  /** Items of a batch operation claimed at a time (default 100). */
  readonly batchChunk?: number;
  /** How often an idle node looks for batches other nodes created (default 1 s). */
  readonly batchIdleMs?: number;
  /** Most instances one batch operation may select (default 100,000). */
  readonly maxBatchItems?: number;
}

export interface OperateDeps {
  readonly store: Store;
  readonly commits: GroupCommit;
  readonly processor: Processor;
  readonly now: () => number;
  /** This node's worker name (claims of batch items carry it). */
  readonly worker: string;
  /** The engine's submit: refused while shutting down, timed. */
  readonly submit: <T>(command: string, op: Op<T>) => Promise<T>;
  readonly logger?: Logger;
}

export class Operate {
  readonly operations: Operations;
  private readonly batches: BatchRunner;
  private readonly retention: RetentionRunner | undefined;

  constructor(d: OperateDeps, opts: OperateOptions) {
    const log = d.logger ? { logger: d.logger } : {};
    this.batches = new BatchRunner({
      ...d,
      ...(opts.batchChunk ? { chunk: opts.batchChunk } : {}),
      ...(opts.batchIdleMs ? { idleMs: opts.batchIdleMs } : {}),
      ...log,
    });
    this.operations = new Operations({
      ...d,
      batchCreated: () => this.batches.wake(),
      maxBatchItems: opts.maxBatchItems ?? MAX_BATCH_ITEMS,
    });
    this.retention = opts.retention
      ? new RetentionRunner({
          ...d,
          policy: opts.retention,
          ...(opts.retentionIntervalMs ? { intervalMs: opts.retentionIntervalMs } : {}),
          ...log,
        })
      : undefined;
  }

  start(): void {
    this.batches.start();
    this.retention?.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.batches.stop(), this.retention?.stop()]);
  }
}

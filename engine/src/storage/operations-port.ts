/**
 * The part of the storage port that operating running processes needs (issue 15): the audit log,
 * batch operations with their items, what a migration moves, and retention's deletes. Like the rest
 * of the port (./port.ts), writes happen in a transaction ({@link OperationsRepo}, `tx.operations`)
 * and reads of committed data outside one ({@link OperationsReads}, `store.read.operations`); both
 * adapters implement them and test/storage/operations-contract.ts holds them to it.
 */

/** One operator action: who, when, what, on which target, why. Times are epoch milliseconds. */
export interface AuditRow {
  seq: number;
  time: number;
  /** The token's name with access control on, else what the client said (X-Baton-Actor), else null. */
  actor: string | null;
  /** `deploy`, `cancel`, `suspend`, `resume`, `set-variables`, `retry-incident`, `modify`, `migrate`, `batch-create`, `batch-cancel`. */
  action: string;
  /** `deployment`, `instance`, `incident` or `batch`. */
  targetType: string;
  targetId: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

/** Filters of the audit log; every field optional but `limit` and `offset`. */
export interface AuditQuery {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  /** Entries at or after this time (epoch ms). */
  from?: number;
  /** Entries before this time (epoch ms). */
  to?: number;
  limit: number;
  offset: number;
}

export type BatchKind = 'cancel' | 'retry' | 'migrate' | 'modify';
export type BatchState = 'running' | 'completed' | 'cancelled';
/** `pending` (to do, or in flight under a claim), `done`, `failed` (refused, with the message), `skipped` (nothing to do). */
export type BatchItemState = 'pending' | 'done' | 'failed' | 'skipped';

/** Which instances a batch operation selects (every field given must match). */
export interface BatchSelection {
  processId?: string;
  version?: number;
  /** Instances with an active element instance of this element. */
  elementId?: string;
  /** Instance statuses (`active`, `suspended`, `completed`, `cancelled`); at least one. */
  statuses: string[];
  /** Instances with an open incident of this type. */
  incidentType?: string;
  businessKey?: string;
  instanceIds?: string[];
}

export interface BatchRow {
  id: string;
  kind: BatchKind;
  state: BatchState;
  /** The filter as the operator gave it (shown back), and the operation's parameters. */
  filter: Record<string, unknown>;
  params: Record<string, unknown>;
  actor: string | null;
  reason: string | null;
  /** Instances selected when the operation was created. */
  total: number;
  createdAt: number;
  endedAt: number | null;
}

export interface BatchItemRow {
  batchId: string;
  instanceId: string;
  state: BatchItemState;
  message: string | null;
  attempts: number;
  updatedAt: number | null;
}

/** An item a node claimed: it runs it before `claim_until`, or another node takes it. */
export interface ClaimedItem {
  batchId: string;
  instanceId: string;
  /** Claims so far, this one included. */
  attempts: number;
}

/** Where a migration moved a job, user task, timer, subscription or incident. */
export type WorkKind = 'job' | 'userTask' | 'timer' | 'subscription' | 'incident';

/** Writes of one transaction. */
export interface OperationsRepo {
  audit(entry: Omit<AuditRow, 'seq'>): Promise<void>;
  /** The instance row's process version (a migration changed its state's). */
  changeDefinition(instanceId: string, definitionKey: string, version: number): Promise<void>;
  /** A row of `kind` now belongs to element `elementId` (same instance, same element instance). */
  moveWork(kind: WorkKind, key: string, elementId: string): Promise<void>;
  /**
   * Creates a running batch operation with one pending item per instance `selection` matches, at
   * most `max`; resolves to how many matched, or to `max + 1` when more did (then nothing is
   * usable: the caller refuses the operation and its transaction rolls back).
   */
  createBatch(
    row: Omit<BatchRow, 'total' | 'state' | 'endedAt'>,
    selection: BatchSelection,
    max: number,
  ): Promise<number>;
  /**
   * Claims up to `limit` pending items of running batches, oldest batch first, for `worker` until
   * `claimUntil`: items another node holds under a live claim (or a lock) are skipped.
   */
  claimItems(worker: string, now: number, claimUntil: number, limit: number): Promise<ClaimedItem[]>;
  /** Records an item's result; an item no longer pending (another node finished it) is left as it is. */
  finishItem(
    batchId: string,
    instanceId: string,
    state: Exclude<BatchItemState, 'pending'>,
    message: string | null,
    now: number,
  ): Promise<void>;
  /** Drops every claim of a worker name prefix (claims of processes that are gone). */
  releaseClaims(workerPrefix: string): Promise<void>;
  /** Ends a running batch (`completed` or `cancelled`); false when it was not running. */
  endBatch(id: string, state: 'completed' | 'cancelled', now: number): Promise<boolean>;
  /** Deletes ended instances with their history, incidents and anything left of their work; resolves to how many. */
  purgeInstances(ids: readonly string[]): Promise<number>;
  /** Deletes idempotency answers created and batch operations ended before `before`; resolves to how many rows. */
  purgeOperations(before: number, limit: number): Promise<number>;
}

/** One retention rule: ended instances (of one process, or of all but `exclude`) that ended before `endedBefore`. */
export interface RetentionRule {
  processId?: string;
  exclude?: string[];
  endedBefore: number;
}

/** Reads of committed data. */
export interface OperationsReads {
  audit(q: AuditQuery): Promise<{ rows: AuditRow[]; total: number }>;
  batch(id: string): Promise<BatchRow | undefined>;
  batches(limit: number, offset: number): Promise<{ rows: BatchRow[]; total: number }>;
  /** How many items of the batch are in each state. */
  batchCounts(id: string): Promise<Record<BatchItemState, number>>;
  batchItems(id: string, state: BatchItemState | undefined, limit: number, offset: number): Promise<BatchItemRow[]>;
  /** Whether a running batch has an item that can be claimed at `now`. */
  hasClaimableItems(now: number): Promise<boolean>;
  /** Running batches with no pending item left (ready to be marked completed). */
  finishedBatches(): Promise<string[]>;
  /** Up to `limit` ids of ended instances a rule selects, the longest ended first. */
  expiredInstances(rule: RetentionRule, limit: number): Promise<string[]>;
}

/**
 * The storage port: everything the runtime persists, as asynchronous repositories grouped by
 * concern. Two adapters honour it — SQLite (./sqlite, one engine process per file) and PostgreSQL
 * (./postgres, any number of engine nodes on one database) — and one contract suite
 * (test/storage/contract.ts) runs against both.
 *
 * Contract:
 * - Every write happens inside {@link Store.transaction}; a throw inside rolls all of it back. Reads
 *   inside a transaction see its own writes. Transactions of one store never nest.
 * - A write that meets another node's change (an instance saved by someone else since it was read, a
 *   row another transaction holds, a unique key taken meanwhile) throws {@link ConflictError}; the
 *   caller retries the command. Writes never wait on each other's locks, so nodes cannot deadlock.
 * - {@link Store.read} reads committed data only, outside any transaction.
 * - Adapters never see HTTP, FEEL or BPMN semantics: rows in, rows out.
 */
import type { GaugeReads } from './gauge-reads.js';
import type { HistoryEvent } from '../core/effects.js';
import type { InstanceState } from '../core/state.js';
import type {
  DashboardData,
  DefinitionSummary,
  Heatmap,
  InstanceQuery,
  InstanceSummary,
  InstanceWaits,
} from '../runtime/console-types.js';
import type {
  DecisionRequirementsRow,
  DecisionRow,
  DefinitionRow,
  FormRow,
  HistoryRow,
  InboxRow,
  IncidentRow,
  InstanceRow,
  JobRow,
  MessageRow,
  ResourceRow,
  SubscriptionRow,
  TimerRow,
  UserTaskRow,
} from './rows.js';

import type { OperationsReads, OperationsRepo } from './operations-port.js';

export type * from './rows.js';
export type * from './operations-port.js';

/** Thrown when a write meets a concurrent change; the command that made it should run again. */
export class ConflictError extends Error {
  constructor(
    message: string,
    /** Instance whose cached state must be dropped before the retry, when one is known. */
    readonly instanceId?: string,
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** Thrown when the database cannot be reached; commands in flight fail with 503 and can be retried. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** What woke another node's runtime: new runnable work committed elsewhere. */
export type Notice =
  | { readonly kind: 'jobs'; readonly types: readonly string[] }
  | { readonly kind: 'timers'; readonly dueAt: number }
  | { readonly kind: 'inbox' }
  | { readonly kind: 'deployed' };

export interface Store {
  /**
   * `sqlite` or `postgres`; where (a path, or host/database without credentials), for /api/health;
   * and whether this store is the only engine on its database (then any work lock in it belongs to
   * a process that is gone, and is released at start).
   */
  readonly info: { readonly kind: 'sqlite' | 'postgres'; readonly location: string; readonly exclusive: boolean };
  /**
   * Reserves at least `count` consecutive ids of the sequence `name`, outside any transaction (ids
   * are never handed out twice, even when the transaction that used them rolls back); resolves to
   * the first and how many.
   */
  reserveIds(name: 'instance' | 'deployment', count: number): Promise<{ first: number; count: number }>;
  /** Runs `fn` in one transaction and commits it; any throw rolls everything back and is rethrown. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Reads of committed data, outside any transaction. */
  readonly read: Reads;
  /** Resolves once everything committed so far survives a power loss (answers wait for it). */
  durable(): Promise<void>;
  /** Subscribes to notices from other nodes (never called back by single-node adapters). */
  onNotice(listener: (notice: Notice) => void): void;
  close(): Promise<void>;
}

/** The repositories of one transaction. */
export interface Tx {
  readonly definitions: DefinitionRepo;
  readonly decisions: DecisionRepo;
  readonly forms: FormRepo;
  readonly instances: InstanceRepo;
  readonly history: HistoryRepo;
  readonly jobs: JobRepo;
  readonly timers: TimerRepo;
  readonly subscriptions: SubscriptionRepo;
  readonly messages: MessageRepo;
  readonly userTasks: UserTaskRepo;
  readonly incidents: IncidentRepo;
  readonly idempotency: IdempotencyRepo;
  readonly inbox: InboxRepo;
  /** Audit log, batch operations, migration and retention writes (./operations-port.ts). */
  readonly operations: OperationsRepo;
  /** Tells other nodes about this transaction's work once it commits. */
  notify(notice: Notice): void;
  /** Write statements run so far: a command that failed without writing needs no rollback. */
  readonly writes: number;
  /**
   * True once a statement of this transaction failed in a way that leaves it unable to commit (on
   * PostgreSQL any failed statement, or held-back writes that met a conflict): the caller must roll
   * it back and run its commands again, whichever command saw the failure.
   */
  readonly broken: boolean;
}

export interface DefinitionRepo {
  /** Records a deployment (its id comes from {@link Store.reserveIds}, never reused). */
  insertDeployment(id: string, now: number): Promise<void>;
  /** Keeps one file of a deployment as it was deployed. */
  insertResource(row: ResourceRow): Promise<void>;
  /** Throws ConflictError when another node deployed the same version meanwhile. */
  insertDefinition(row: DefinitionRow): Promise<void>;
  ofDeployment(deploymentId: string): Promise<DefinitionRow[]>;
  latest(processId: string): Promise<DefinitionRow | undefined>;
  byVersion(processId: string, version: number): Promise<DefinitionRow | undefined>;
  byTag(processId: string, tag: string): Promise<DefinitionRow | undefined>;
  byKey(key: string): Promise<DefinitionRow | undefined>;
}

/**
 * Decisions and their requirements graphs (one per `.dmn` resource). Keys contain the deployment id,
 * so a key is never reused, even by a deployment whose transaction rolled back.
 */
export interface DecisionRepo {
  /** Throws ConflictError when another node deployed the same version of the graph meanwhile. */
  insertRequirements(row: DecisionRequirementsRow): Promise<void>;
  /** Throws ConflictError when another node deployed the same version of the decision meanwhile. */
  insertDecision(row: DecisionRow): Promise<void>;
  /** The newest version of a requirements graph by its id. */
  latestRequirements(decisionRequirementsId: string): Promise<DecisionRequirementsRow | undefined>;
  requirements(key: string): Promise<DecisionRequirementsRow | undefined>;
  /** The decisions of one version of a requirements graph, in document order. */
  ofRequirements(key: string): Promise<DecisionRow[]>;
  latest(decisionId: string): Promise<DecisionRow | undefined>;
  byVersion(decisionId: string, version: number): Promise<DecisionRow | undefined>;
  /** The newest version carrying that version tag. */
  byTag(decisionId: string, tag: string): Promise<DecisionRow | undefined>;
  /** The version deployed in that deployment. */
  inDeployment(decisionId: string, deploymentId: string): Promise<DecisionRow | undefined>;
}

/** Forms (Camunda Forms); the schema of one is the content of its resource. Keys are never reused. */
export interface FormRepo {
  /** Throws ConflictError when another node deployed the same version meanwhile. */
  insert(row: FormRow): Promise<void>;
  latest(formId: string): Promise<FormRow | undefined>;
  byVersion(formId: string, version: number): Promise<FormRow | undefined>;
  byTag(formId: string, tag: string): Promise<FormRow | undefined>;
  inDeployment(formId: string, deploymentId: string): Promise<FormRow | undefined>;
  byKey(key: string): Promise<FormRow | undefined>;
}

/** An instance's state as read for a command, with the revision its save must still find. */
export interface LoadedInstance {
  readonly state: InstanceState;
  readonly revision: number;
}

export interface InstanceRepo {
  /**
   * Brings the states of these instances up to date in the adapter's cache in one round trip
   * (called at the start of a batch; a no-op where the cache cannot be stale).
   */
  prefetch(ids: readonly string[]): Promise<void>;
  /** The state, the caller's to change and then {@link save}; undefined when there is no such instance. */
  take(id: string): Promise<LoadedInstance | undefined>;
  /** The state to read only (it may be shared with a cache). */
  peek(id: string): Promise<InstanceState | undefined>;
  /** `encoded` is the state as JSON. Throws ConflictError when `startKey` is held by an active instance. */
  insert(state: InstanceState, encoded: string, startKey: string | null): Promise<void>;
  /** Throws ConflictError when the stored revision is no longer `revision` (or the row is locked). */
  save(state: InstanceState, encoded: string, revision: number): Promise<void>;
  activeByStartKey(startKey: string): Promise<boolean>;
}

export interface HistoryRepo {
  append(instanceId: string, now: number, events: readonly HistoryEvent[]): Promise<void>;
}

export interface JobRepo {
  /** Writes the job; a job already under its key is replaced whole (a retried incident creates it again). */
  insert(row: JobRow): Promise<void>;
  /** Puts the job back or parks it: clears its lock; `retries`, `dueAt` and `errorMessage` change only when given. */
  update(key: string, patch: { retries?: number; state: string; dueAt?: number; errorMessage?: string }): Promise<void>;
  delete(key: string): Promise<void>;
  get(key: string): Promise<JobRow | undefined>;
  /**
   * Locks up to `limit` runnable jobs of these types for `worker` until `lockUntil` (rows other
   * transactions hold are skipped) and returns them, oldest first.
   */
  claim(types: readonly string[], worker: string, now: number, lockUntil: number, limit: number): Promise<JobRow[]>;
  /** Moves the lock of jobs `worker` holds forward (in-process jobs still running). */
  extendLocks(worker: string, keys: readonly string[], lockUntil: number): Promise<void>;
  /** Drops every lock of a worker name prefix (locks of processes that are gone), but those of `except`. */
  releaseLocks(workerPrefix: string, except?: string): Promise<void>;
}

export interface TimerRepo {
  /** Writes the timer; one already under its key is replaced whole. */
  upsert(row: TimerRow): Promise<void>;
  delete(key: string): Promise<void>;
  /** Takes (deletes and returns) the timer, unless it is gone or another transaction holds it. */
  take(key: string): Promise<TimerRow | undefined>;
  deleteStartTimers(processId: string): Promise<void>;
}

export interface SubscriptionRepo {
  /** Writes the subscription; one already under its key is replaced whole. */
  insert(row: SubscriptionRow, now: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Instance subscriptions of that name and key, then the message start events of that name. */
  forMessage(name: string, correlationKey: string | null): Promise<SubscriptionRow[]>;
  forSignal(name: string): Promise<SubscriptionRow[]>;
  /** Start-event subscriptions (no instance) of one kind, e.g. 'conditional'. */
  startEvents(kind: string): Promise<SubscriptionRow[]>;
  deleteStartEvents(processId: string): Promise<void>;
}

export interface MessageRepo {
  /** Keeps a published message for its time to live (`processes`: those it went to already). */
  buffer(message: Omit<MessageRow, 'id'>, now: number): Promise<void>;
  /**
   * The oldest live buffered message of that name and key not yet correlated to `processId`; it
   * is marked as correlated to that process (a message correlates once per process).
   */
  takeBuffered(
    name: string,
    correlationKey: string | null,
    processId: string,
    now: number,
  ): Promise<MessageRow | undefined>;
  /** Records a messageId; false when it is already known (the message is a duplicate). */
  rememberId(messageId: string, expiresAt: number, now: number): Promise<boolean>;
  /**
   * Serialises correlation per message name and key across nodes (held until commit); false when
   * another transaction holds it (retry later). Single-node adapters always answer true.
   */
  lock(name: string, correlationKey: string | null): Promise<boolean>;
}

export interface UserTaskRepo {
  insert(row: UserTaskRow): Promise<void>;
  delete(id: string): Promise<void>;
  get(id: string): Promise<UserTaskRow | undefined>;
  setAssignee(id: string, assignee: string | null): Promise<void>;
}

export interface IncidentRepo {
  insert(row: IncidentRow): Promise<void>;
  delete(id: string): Promise<void>;
  get(id: string): Promise<IncidentRow | undefined>;
}

export interface IdempotencyRepo {
  get(key: string): Promise<{ status: number; body: unknown } | undefined>;
  /** Throws ConflictError when another node stored an answer for that key meanwhile. */
  remember(key: string, status: number, body: unknown, now: number): Promise<void>;
}

/**
 * Commands for other instances (call activity starts and results, cancellations, signal and
 * message deliveries): written in the sender's transaction, applied by whichever node takes them,
 * in `seq` order per target.
 */
export interface InboxRepo {
  /** Adds an item; resolves to its sequence number. */
  add(item: Omit<InboxRow, 'seq'>): Promise<number>;
  /**
   * Takes (deletes and returns) these items if they are still there, not held by another
   * transaction, and the oldest of their target (an item waits for earlier ones of its target).
   */
  take(seqs: readonly number[]): Promise<InboxRow[]>;
  /** Takes up to `limit` items created by `createdBefore`, in the same way. */
  takeOldest(createdBefore: number, limit: number): Promise<InboxRow[]>;
}

/** Reads of committed data, grouped by what they serve. */
export interface Reads {
  readonly definitions: DefinitionReads;
  readonly decisions: DecisionReads;
  readonly forms: FormReads;
  readonly instances: InstanceReads;
  readonly work: WorkReads;
  readonly console: ConsoleReads;
  /** Audit log, batch operations and retention reads (./operations-port.ts). */
  readonly operations: OperationsReads;
  /** What the metrics' gauges read at scrape time (./gauge-reads.ts). */
  readonly gauges: GaugeReads;
}

export interface DefinitionReads {
  all(): Promise<DefinitionRow[]>;
  latest(processId: string): Promise<DefinitionRow | undefined>;
  byVersion(processId: string, version: number): Promise<DefinitionRow | undefined>;
  byKey(key: string): Promise<DefinitionRow | undefined>;
  ofDeployment(deploymentId: string): Promise<DefinitionRow[]>;
  /** A file of a deployment (a process's XML, a decision's DMN, a form's schema). */
  resource(deploymentId: string, name: string): Promise<ResourceRow | undefined>;
}

export interface DecisionReads {
  /** Every version of every decision, by decision id then version. */
  all(): Promise<DecisionRow[]>;
  latest(decisionId: string): Promise<DecisionRow | undefined>;
  byVersion(decisionId: string, version: number): Promise<DecisionRow | undefined>;
  requirements(key: string): Promise<DecisionRequirementsRow | undefined>;
}

export interface FormReads {
  /** Every version of every form, by form id then version. */
  all(): Promise<FormRow[]>;
  latest(formId: string): Promise<FormRow | undefined>;
  byVersion(formId: string, version: number): Promise<FormRow | undefined>;
  byKey(key: string): Promise<FormRow | undefined>;
}

export interface InstanceReads {
  state(id: string): Promise<InstanceState | undefined>;
  row(id: string): Promise<InstanceRow | undefined>;
  list(filter: {
    processId?: string;
    status?: string;
    businessKey?: string;
    limit: number;
    offset: number;
  }): Promise<{ rows: InstanceState[]; total: number }>;
  history(instanceId: string): Promise<HistoryRow[]>;
}

export interface WorkReads {
  job(key: string): Promise<JobRow | undefined>;
  /** Whether a job of one of these types is runnable now (unlocked, due). */
  hasRunnableJobs(types: readonly string[], now: number): Promise<boolean>;
  nextTimerDue(): Promise<number | undefined>;
  /** Up to `limit` timers due by `now`, earliest first (to take one by one). */
  dueTimers(now: number, limit: number): Promise<TimerRow[]>;
  /** Whether inbox items wait (created by `createdBefore`). */
  hasInbox(createdBefore: number): Promise<boolean>;
  incident(id: string): Promise<IncidentRow | undefined>;
  incidents(instanceId?: string): Promise<IncidentRow[]>;
  userTask(id: string): Promise<UserTaskRow | undefined>;
  /** Open tasks matching every given filter, oldest first; at most `limit` (default 1000). */
  userTasks(filter: {
    instanceId?: string;
    assignee?: string;
    candidateGroup?: string;
    limit?: number;
    offset?: number;
  }): Promise<UserTaskRow[]>;
}

/** The operations console's read models (see runtime/console-types.ts). */
export interface ConsoleReads {
  definitions(): Promise<DefinitionSummary[]>;
  instances(query: InstanceQuery): Promise<{ items: InstanceSummary[]; total: number }>;
  heatmap(processId: string, version: number): Promise<Heatmap | undefined>;
  dashboard(now: number, stalledMs: number): Promise<DashboardData>;
  /** What an instance waits for (jobs, subscriptions, timers); undefined when there is no such instance. */
  waits(id: string, now: number, inProcess: (type: string) => boolean): Promise<InstanceWaits | undefined>;
}

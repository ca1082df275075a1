/**
 * The storage port: everything the runtime persists. One adapter today (SQLite, better-sqlite3);
 * the row shapes are the contract another adapter (PostgreSQL) must honour.
 *
 * Contract: every write happens inside `transaction(fn)`; a throw inside rolls all of it back;
 * nested calls become savepoints, so several commands can share one commit (group commit).
 */
import type { InstanceState } from '../core/state.js';
import type { HistoryEvent } from '../core/effects.js';
import type { ProcessModel } from '../model/types.js';

export interface DefinitionRow {
  key: string;
  processId: string;
  version: number;
  name: string | null;
  versionTag: string | null;
  deploymentId: string;
  model: ProcessModel;
  deployedAt: number;
}

export interface InstanceRow {
  id: string;
  processId: string;
  version: number;
  definitionKey: string;
  businessKey: string | null;
  status: string;
  startedAt: number;
  endedAt: number | null;
  parentId: string | null;
  revision: number;
}

export interface JobRow {
  key: string;
  instanceId: string;
  elementKey: string;
  elementId: string;
  type: string;
  retries: number;
  headers: Record<string, string>;
  state: string;
  dueAt: number;
  worker: string | null;
  lockUntil: number | null;
  errorMessage: string | null;
  createdAt: number;
}

export interface TimerRow {
  key: string;
  instanceId: string | null;
  elementKey: string | null;
  elementId: string;
  definitionKey: string | null;
  dueAt: number;
  repeat: string | null;
}
export interface SubscriptionRow {
  key: string;
  kind: string;
  name: string;
  correlationKey: string | null;
  instanceId: string | null;
  elementKey: string | null;
  elementId: string;
  definitionKey: string | null;
}
export interface MessageRow {
  id: number;
  name: string;
  correlationKey: string | null;
  variables: Record<string, unknown>;
  expiresAt: number;
  messageId: string | null;
}
export interface UserTaskRow {
  id: string;
  instanceId: string;
  elementKey: string;
  elementId: string;
  name: string | null;
  assignee: string | null;
  candidateGroups: string[];
  formKey: string | null;
  createdAt: number;
}
export interface IncidentRow {
  id: string;
  instanceId: string;
  elementKey: string;
  elementId: string;
  type: string;
  message: string;
  jobKey: string | null;
  createdAt: number;
}
export interface HistoryRow {
  seq: number;
  instanceId: string;
  time: number;
  type: string;
  elementId: string | null;
  elementType: string | null;
  data: Record<string, unknown>;
}

export interface Store {
  transaction<T>(fn: () => T): T;
  /** Resolves when everything committed so far survives a power loss; answers wait for it. */
  durable(): Promise<void>;
  close(): void;
  nextId(name: string): number;

  findDeploymentByHash(hash: string): { id: string } | undefined;
  insertDeployment(id: string, hash: string, xml: string, now: number): void;
  deploymentXml(id: string): string | undefined;
  insertDefinition(row: DefinitionRow): void;
  definitionsOfDeployment(id: string): DefinitionRow[];
  latestDefinition(processId: string): DefinitionRow | undefined;
  definition(processId: string, version: number): DefinitionRow | undefined;
  definitionByTag(processId: string, tag: string): DefinitionRow | undefined;
  definitionByKey(key: string): DefinitionRow | undefined;
  listDefinitions(): DefinitionRow[];

  /** `encoded` is the state as JSON when the caller already has it. */
  insertInstance(state: InstanceState, startKey: string | null, encoded?: string): void;
  saveInstance(state: InstanceState, encoded?: string): void;
  /** The instance's state, to read only (it may be shared with a cache). */
  loadState(id: string): InstanceState | undefined;
  /** The instance's state, the caller's to change and then save. */
  takeState(id: string): InstanceState | undefined;
  instanceRow(id: string): InstanceRow | undefined;
  listInstances(filter: { processId?: string; status?: string; businessKey?: string; limit: number; offset: number }): {
    rows: InstanceState[];
    total: number;
  };
  activeByStartKey(startKey: string): boolean;

  appendHistory(instanceId: string, now: number, events: readonly HistoryEvent[]): void;
  history(instanceId: string): HistoryRow[];

  insertJob(row: JobRow): void;
  updateJob(key: string, patch: { retries: number; state: string; dueAt?: number; errorMessage?: string }): void;
  deleteJob(key: string): void;
  job(key: string): JobRow | undefined;
  activatableJobs(type: string, now: number, limit: number): JobRow[];
  lockJob(key: string, worker: string, lockUntil: number): void;

  upsertTimer(row: TimerRow): void;
  deleteTimer(key: string): void;
  dueTimers(now: number, limit: number): TimerRow[];
  nextTimerDue(): number | undefined;
  deleteStartTimers(processId: string): void;

  insertSubscription(row: SubscriptionRow, now: number): void;
  deleteSubscription(key: string): void;
  messageSubscriptions(name: string, correlationKey: string | null): SubscriptionRow[];
  signalSubscriptions(name: string): SubscriptionRow[];
  deleteStartSubscriptions(processId: string): void;
  /** Start-event subscriptions (no instance) of one kind, e.g. 'conditional'. */
  startSubscriptions(kind: string): SubscriptionRow[];

  bufferMessage(m: Omit<MessageRow, 'id'>, now: number): void;
  takeBufferedMessage(name: string, correlationKey: string | null, now: number): MessageRow | undefined;
  rememberMessageId(id: string, expiresAt: number, now: number): boolean;

  insertUserTask(row: UserTaskRow): void;
  deleteUserTask(id: string): void;
  userTask(id: string): UserTaskRow | undefined;
  /** Open tasks matching every given filter, oldest first; at most `limit` (default 1000). */
  listUserTasks(filter: {
    instanceId?: string;
    assignee?: string;
    candidateGroup?: string;
    limit?: number;
    offset?: number;
  }): UserTaskRow[];
  setAssignee(id: string, assignee: string | null): void;

  insertIncident(row: IncidentRow): void;
  deleteIncident(id: string): void;
  incident(id: string): IncidentRow | undefined;
  listIncidents(instanceId?: string): IncidentRow[];

  idempotent(key: string): { status: number; body: unknown } | undefined;
  rememberIdempotent(key: string, status: number, body: unknown, now: number): void;
}

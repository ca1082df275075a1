/**
 * What the storage contract suite (./contract.ts) runs on: the harness each adapter's test file
 * gives it, and builders of port rows with plain defaults.
 */
import { onTestFinished } from 'vitest';
import type { HistoryEvent } from '../../engine/src/core/history.js';
import type { InstanceState } from '../../engine/src/core/state.js';
import type {
  DefinitionRow,
  IncidentRow,
  JobRow,
  ResourceRow,
  Store,
  SubscriptionRow,
  TimerRow,
  UserTaskRow,
} from '../../engine/src/storage/port.js';

/** One adapter under test. */
export interface Harness {
  /** e.g. `SQLite file`, `PostgreSQL`. */
  readonly name: string;
  /**
   * `many`: any number of stores share one database (PostgreSQL); `one`: one writer per database
   * file, a second is refused (SQLite file); `memory`: the database lives in its store only.
   */
  readonly nodes: 'many' | 'one' | 'memory';
  /** A fresh, empty store (its own file, memory or schema). */
  open(): Promise<Opened>;
}

/** A store the harness opened, and what the suite needs around it. */
export interface Opened {
  readonly store: Store;
  /** Another engine node's store on the same database; absent where one engine owns the database. */
  readonly twin?: () => Promise<Store>;
  /** A second engine's attempt on the same database where only one may write (it must throw). */
  readonly secondWriter?: () => Promise<Store>;
  /** Rows of a query on the same database, for what the port does not show (schema_migrations). */
  sql(query: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** Opens a fresh store and closes it (and every twin) when the test ends. */
export async function fresh(h: Harness): Promise<Opened & { twin2(): Promise<Store> }> {
  const opened = await h.open();
  const extra: Store[] = [];
  onTestFinished(async () => {
    for (const s of extra) await s.close().catch(() => {});
    await opened.close();
  });
  return {
    ...opened,
    async twin2() {
      if (!opened.twin) throw new Error(`${h.name} has no second node`);
      const s = await opened.twin();
      extra.push(s);
      return s;
    },
  };
}

/** The JSON the runtime writes for a state. */
export const encode = (s: InstanceState): string => JSON.stringify(s);

/**
 * A history event of any shape: the storage keeps whatever fields it is given, and these tests give
 * it free-form ones on purpose (the engine's own events are the typed union of core/history.ts).
 */
export const anyEvent = (e: { type: string; [field: string]: unknown }): HistoryEvent => e as unknown as HistoryEvent;

/** An active instance state of process `processId` (version 1, definition `${processId}:1`). */
export function state(id: string, over: Partial<InstanceState> = {}): InstanceState {
  const processId = over.processId ?? 'p';
  return {
    id,
    processId,
    version: 1,
    definitionKey: `${processId}:1`,
    businessKey: null,
    status: 'active',
    suspended: false,
    startedAt: 1000,
    endedAt: null,
    elements: { '1': { key: '1', elementId: processId, parent: null, phase: 'active' } },
    vars: { '1': {} },
    joins: {},
    compensation: {},
    incidents: {},
    deferred: [],
    nextKey: 2,
    seq: 0,
    ...over,
  };
}

/** A BPMN file of deployment `deploymentId` (the checksum is made up: stores keep it, never compute it). */
export function resource(deploymentId: string, name: string, content: string): ResourceRow {
  return { deploymentId, name, kind: 'bpmn', checksum: `sum-${deploymentId}-${name}`, content };
}

export function definition(processId: string, version: number, over: Partial<DefinitionRow> = {}): DefinitionRow {
  return {
    key: `${processId}:${version}`,
    processId,
    version,
    name: `Process ${processId}`,
    versionTag: null,
    deploymentId: 'd1',
    resourceName: `${processId}.bpmn`,
    checksum: `sum-${processId}-${version}`,
    model: {
      id: processId,
      elements: {},
      flows: {},
      root: { id: processId, type: 'bpmn:Process' } as never,
    },
    deployedAt: 500,
    ...over,
  };
}

export function job(key: string, instanceId: string, over: Partial<JobRow> = {}): JobRow {
  return {
    key,
    instanceId,
    elementKey: '2',
    elementId: 'Task',
    type: 't',
    retries: 3,
    headers: { h: 'v' },
    state: 'activatable',
    dueAt: 0,
    worker: null,
    lockUntil: null,
    errorMessage: null,
    createdAt: 100,
    ...over,
  };
}

export function timer(key: string, dueAt: number, over: Partial<TimerRow> = {}): TimerRow {
  return {
    key,
    instanceId: '1',
    elementKey: '2',
    elementId: 'Wait',
    definitionKey: 'p:1',
    dueAt,
    repeat: null,
    ...over,
  };
}

export function subscription(key: string, over: Partial<SubscriptionRow> = {}): SubscriptionRow {
  return {
    key,
    kind: 'message',
    name: 'go',
    correlationKey: 'k',
    instanceId: '1',
    elementKey: '2',
    elementId: 'Catch',
    definitionKey: 'p:1',
    processId: 'p',
    ...over,
  };
}

export function userTask(id: string, instanceId: string, over: Partial<UserTaskRow> = {}): UserTaskRow {
  return {
    id,
    instanceId,
    elementKey: '2',
    elementId: 'Approve',
    name: 'Approve',
    assignee: null,
    candidateGroups: [],
    formKey: null,
    createdAt: 100,
    ...over,
  };
}

export function incident(id: string, instanceId: string, over: Partial<IncidentRow> = {}): IncidentRow {
  return {
    id,
    instanceId,
    elementKey: '2',
    elementId: 'Task',
    type: 'JOB_NO_RETRIES',
    message: 'Expected a worker to complete the job, but it failed',
    jobKey: null,
    createdAt: 100,
    ...over,
  };
}

/** Inserts active instances `ids` in one committed transaction. */
export async function seedInstances(store: Store, ids: string[], over: Partial<InstanceState> = {}): Promise<void> {
  await store.transaction(async (tx) => {
    for (const id of ids) {
      const s = state(id, over);
      await tx.instances.insert(s, encode(s), null);
    }
  });
}

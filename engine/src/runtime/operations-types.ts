/**
 * The shapes of operating running processes (issue 15): instance modification and migration, batch
 * operations, the audit log — what the engine answers and what the HTTP layer and the console send.
 */
import type { MappingInstruction, MigrationProblem } from '../core/migrate.js';
import type { Modification } from '../core/modify.js';
import type { BatchItemState, BatchKind, BatchState } from '../storage/operations-port.js';
import type { Audit, InstanceStatus, InstanceView } from './api-types.js';

export type { MappingInstruction, Modification };

/** One element instance of a running instance (a token, or a scope holding tokens). */
export interface ElementInstanceView {
  key: string;
  elementId: string;
  /** The key of the element instance it runs in; null for the process instance itself. */
  parent: string | null;
  /** Multi-instance: the iteration (0-based) this instance is; absent for anything else. */
  iteration?: number;
  /** `leaving` completed its work but waits (an incident) to take its outgoing flows. */
  phase: 'active' | 'leaving';
  /** What it waits for: `job`, `userTask`, `child` (a called instance), `timer`, `message`, `signal`, `conditional`. */
  waitsFor: string[];
}

/** A migration request: the version of the same process, the element mapping, and whether only to check. */
export interface MigrationRequest {
  targetVersion: number;
  mappingInstructions?: MappingInstruction[];
  /** Only check and report; nothing changes. */
  dryRun?: boolean;
}

/** What a migration did (or, on a dry run, would do). */
export interface MigrationView {
  instanceId: string;
  dryRun: boolean;
  /** True when it migrated (or, on a dry run, would). */
  ok: boolean;
  fromVersion: number;
  toVersion: number;
  /** The active element instances and what they become (null: nothing, a problem). */
  mapping: { elementKey: string; sourceElementId: string; targetElementId: string | null }[];
  /** Catch events whose subscription or timer is closed (source ids), and opened (target ids). */
  closed: string[];
  opened: string[];
  problems: MigrationProblem[];
  warnings: string[];
  /** The instance after the migration (absent on a dry run). */
  instance?: InstanceView;
}

/** Which instances a batch operation acts on; `processId` or `instanceIds` is required. */
export interface BatchFilter {
  processId?: string;
  version?: number;
  /** Instances with an active instance of this element (for `retry`: incidents of this element). */
  elementId?: string;
  /** The instances' status; default: running ones (active and suspended). */
  state?: InstanceStatus;
  /** Instances with an open incident of this type (for `retry`: incidents of this type). */
  incidentType?: string;
  businessKey?: string;
  instanceIds?: string[];
}

/** A batch operation to start. */
export interface BatchRequest {
  type: BatchKind;
  filter: BatchFilter;
  /** `retry`: the retries a job gets back (default 1). */
  retries?: number;
  /** `migrate`: the target version of the filter's process and the mapping. */
  migration?: { targetVersion: number; mappingInstructions?: MappingInstruction[] };
  /** `modify`: instructions by element id (no element instance keys: they differ per instance). */
  modification?: Modification;
}

export interface BatchView {
  id: string;
  type: BatchKind;
  /** `running`, `completed` (every item has its result) or `cancelled` (pending items will not run). */
  state: BatchState;
  filter: Record<string, unknown>;
  params: Record<string, unknown>;
  actor: string | null;
  reason: string | null;
  /** Instances selected when it was created. */
  total: number;
  counts: Record<BatchItemState, number>;
  createdAt: string;
  endedAt: string | null;
}

/** The result of a batch operation for one instance. */
export interface BatchItemView {
  instanceId: string;
  state: BatchItemState;
  message: string | null;
  attempts: number;
  updatedAt: string | null;
}

export interface AuditView {
  seq: number;
  time: string;
  actor: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

/** Filters of `GET /api/audit`. */
export interface AuditFilter {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  /** ISO date-times or epoch ms. */
  from?: number;
  to?: number;
  limit?: number;
  offset?: number;
}

/** What the outside can ask of the engine's operations (engine-port.ts `operations`). */
export interface OperationsPort {
  /** The element instances of an instance; undefined when there is no such instance. */
  elementInstances(instanceId: string): Promise<ElementInstanceView[] | undefined>;
  modifyInstance(instanceId: string, modification: Modification, audit?: Audit): Promise<InstanceView>;
  migrateInstance(instanceId: string, req: MigrationRequest, audit?: Audit): Promise<MigrationView>;
  createBatch(req: BatchRequest, audit?: Audit): Promise<BatchView>;
  listBatches(limit: number, offset: number): Promise<{ items: BatchView[]; total: number }>;
  getBatch(id: string): Promise<BatchView | undefined>;
  /** Undefined when there is no such batch operation. */
  batchItems(
    id: string,
    state: BatchItemState | undefined,
    limit: number,
    offset: number,
  ): Promise<BatchItemView[] | undefined>;
  cancelBatch(id: string, audit?: Audit): Promise<BatchView>;
  listAudit(filter: AuditFilter): Promise<{ items: AuditView[]; total: number }>;
}

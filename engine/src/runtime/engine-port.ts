import type { JobResult } from '../core/commands.js';
import type {
  Audit,
  DeploymentView,
  HistoryEntry,
  IncidentView,
  InstanceFilter,
  InstanceView,
  JobView,
  ProcessView,
  UserTaskView,
} from './api-types.js';
import type { ConsoleReads, Reads } from '../storage/port.js';
import type { OperationsPort } from './operations-types.js';
import type { DeploymentResource } from './deploy-compile.js';
import type { ResourceReads } from './resources.js';

/** An in-process job handler: gets the job, returns variables to complete it with (or throws to fail it). */
export type JobHandler = (job: JobView) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

/**
 * What the outside (HTTP layer, CLI, library users) can ask of the engine.
 *
 * Contract: every method that changes state resolves only after its transaction committed and is
 * durable; bad input rejects with an {@link EngineError} (4xx), never a plain Error; a database that
 * cannot be reached rejects with `503 UNAVAILABLE`.
 */
export interface EnginePort {
  /**
   * Deploys one XML document (BPMN or DMN) or several resources (BPMN, DMN, Camunda Forms), all or
   * nothing. `created` is false when every resource was deployed unchanged before. A new deployment
   * is recorded in the audit log with `audit`.
   */
  deploy(
    input: string | readonly DeploymentResource[],
    audit?: Audit,
  ): Promise<{ created: boolean; deployment: DeploymentView }>;
  listProcesses(): Promise<ProcessView[]>;
  /** Undefined when there is no such process (or version). */
  getProcessXml(processId: string, version?: number): Promise<string | undefined>;

  /**
   * With `idempotencyKey`, the first answer is stored in the start's own transaction and every later
   * start with that key answers it again instead of starting a second instance.
   */
  startInstance(req: {
    processId: string;
    version?: number;
    variables?: Record<string, unknown>;
    businessKey?: string;
    idempotencyKey?: string;
  }): Promise<InstanceView>;
  listInstances(filter: InstanceFilter): Promise<{ items: InstanceView[]; total: number }>;
  getInstance(id: string): Promise<InstanceView | undefined>;
  getHistory(id: string): Promise<HistoryEntry[] | undefined>;
  cancelInstance(id: string, audit?: Audit): Promise<InstanceView>;
  suspendInstance(id: string, audit?: Audit): Promise<InstanceView>;
  resumeInstance(id: string, audit?: Audit): Promise<InstanceView>;
  setVariables(id: string, variables: Record<string, unknown>, audit?: Audit): Promise<InstanceView>;
  /** Starts inner elements of an active ad-hoc sub-process of the instance (Camunda 8.7+). */
  activateAdHocElements(id: string, request: AdHocActivationRequest, audit?: Audit): Promise<InstanceView>;

  publishMessage(req: {
    name: string;
    correlationKey?: string;
    variables?: Record<string, unknown>;
    timeToLive?: string;
    messageId?: string;
  }): Promise<{ correlated: string[]; started: string[] }>;
  /** Starts an instance for every conditional start event (latest versions) whose condition holds for `variables`. */
  evaluateConditions(req: { variables?: Record<string, unknown>; processId?: string }): Promise<{ started: string[] }>;
  broadcastSignal(req: { name: string; variables?: Record<string, unknown> }): Promise<{ triggered: number }>;

  /** Open user tasks matching every given filter, oldest first; `limit` defaults to 1000. */
  listUserTasks(filter: {
    instanceId?: string;
    assignee?: string;
    candidateGroup?: string;
    limit?: number;
    offset?: number;
  }): Promise<UserTaskView[]>;
  claimUserTask(id: string, assignee: string): Promise<UserTaskView>;
  unclaimUserTask(id: string): Promise<UserTaskView>;
  completeUserTask(id: string, variables?: Record<string, unknown>): Promise<void>;

  activateJobs(req: {
    type: string;
    worker?: string;
    maxJobs?: number;
    lockMs?: number;
    waitMs?: number;
  }): Promise<JobView[]>;
  /** `worker`, when given, must be the worker holding the lock (else 409 JOB_NOT_LOCKED). */
  /** `result`: a task listener's decision (denied, corrections), as Camunda 8.8's job result. */
  completeJob(key: string, variables?: Record<string, unknown>, worker?: string, result?: JobResult): Promise<void>;
  failJob(
    key: string,
    req: {
      errorMessage?: string;
      retries?: number;
      retryBackoffMs?: number;
      worker?: string;
      /** Set as local variables of the job's element instance. */
      variables?: Record<string, unknown>;
    },
  ): Promise<void>;
  /**
   * Changes a job's retries (kept for its next failure) and, for an activated job, moves its lock
   * to `timeoutMs` from now. `404 JOB_NOT_FOUND` when there is no such job.
   */
  updateJob(key: string, change: { retries?: number; timeoutMs?: number }): Promise<void>;
  throwJobError(
    key: string,
    req: { errorCode: string; errorMessage?: string; variables?: Record<string, unknown>; worker?: string },
  ): Promise<void>;

  listIncidents(filter: { instanceId?: string }): Promise<IncidentView[]>;
  retryIncident(id: string, req: { retries?: number }, audit?: Audit): Promise<void>;

  /** The operations console's read models. */
  readonly console: ConsoleReads;
  /** Modification, migration, batch operations and the audit log of operator actions. */
  readonly operations: OperationsPort;
  /** Deployed decisions and forms: lists, documents, standalone evaluation, a task's form (runtime/resources.ts). */
  readonly resources: ResourceReads;
  /**
   * Committed data as stored, for read models of other API faces (Camunda's `/v2`, see
   * server/v2/): definitions, decisions, forms, instances, jobs, user tasks and incidents.
   */
  readonly reads: Pick<Reads, 'definitions' | 'decisions' | 'forms' | 'instances' | 'work'>;
  /** This node and its database, for `/api/health`. */
  health(): Promise<{ node: string; database: { kind: string; location: string } }>;

  /** Binds an in-process handler to a job type. */
  handle(type: string, handler: JobHandler): void;
  /** True when an in-process handler is bound to `type` (its jobs are never handed to external workers). */
  handles(type: string): boolean;
}

/** What `POST /api/instances/:id/ad-hoc-activities` asks: the sub-process and the inner elements to start. */
export interface AdHocActivationRequest {
  /** The ad-hoc sub-process's element id. */
  readonly adHocElementId: string;
  /** Its element instance key, when more than one instance of it is active (a multi-instance one). */
  readonly elementKey?: string;
  readonly elements: readonly { readonly elementId: string; readonly variables?: Record<string, unknown> }[];
}

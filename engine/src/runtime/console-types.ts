/**
 * The shapes of the console read models under `/api/console` (definitions with counts, the instance
 * list, the heatmap, the dashboard), shared by the SQLite queries and the web app.
 */
import type { InstanceStatus as Status } from './api-types.js';

/** One definition version with how many of its instances are in each status. */
export interface DefinitionSummary {
  processId: string;
  version: number;
  name: string | null;
  deployedAt: string;
  counts: Record<Status, number>;
  total: number;
  openIncidents: number;
}

/** Filter of `ConsoleQueries.instances`; every field optional. */
export interface InstanceQuery {
  processId?: string;
  version?: number;
  status?: Status;
  businessKey?: string;
  /** Only instances with at least one open incident. */
  withIncidents?: boolean;
  limit?: number;
  offset?: number;
}

/** A row of the instance list (no variables or state: the list stays light). */
export interface InstanceSummary {
  id: string;
  processId: string;
  version: number;
  businessKey: string | null;
  status: Status;
  startedAt: string;
  endedAt: string | null;
  openIncidents: number;
}

/** Per element of one definition version: instances that passed it, wait there now, failed there. */
export interface Heatmap {
  processId: string;
  version: number;
  instances: number;
  elements: Record<string, { passed: number; waiting: number; failed: number; openIncidents: number }>;
  /** Sequence flow id → how many instances took it. */
  flows: Record<string, number>;
}

/** An active instance that made no progress (no history entry) for longer than the threshold. */
export interface StalledInstance {
  id: string;
  processId: string;
  version: number;
  businessKey: string | null;
  lastActivityAt: string;
  activeElements: string[];
}

/** What the dashboard shows; `now` is the time the figures were computed for. */
export interface DashboardData {
  now: string;
  inFlight: number;
  suspended: number;
  completedLastHour: number;
  stalled: { thresholdMs: number; total: number; items: StalledInstance[] };
  incidents: {
    id: string;
    instanceId: string;
    processId: string;
    version: number;
    businessKey: string | null;
    elementId: string;
    /** The element's name in the instance's version, null when it has none. */
    elementName: string | null;
    type: string;
    message: string;
    createdAt: string;
  }[];
  failingElements: {
    processId: string;
    elementId: string;
    elementName: string | null;
    incidents: number;
    jobFailures: number;
    openIncidents: number;
  }[];
}

/**
 * What a running instance waits for, so the console can say so and show the way on: jobs (with
 * the worker holding one, or the retry after a failure), message and signal subscriptions, timers.
 */
export interface InstanceWaits {
  jobs: {
    key: string;
    type: string;
    elementId: string;
    retries: number;
    /** The worker whose lock is still running, else null. */
    worker: string | null;
    lockedUntil: string | null;
    /** After a failure with a back-off: when the job can be activated again, else null. */
    retryAt: string | null;
    errorMessage: string | null;
    /** True when an in-process handler of this server runs the type (external workers never get it). */
    inProcess: boolean;
  }[];
  subscriptions: { kind: string; name: string; correlationKey: string | null; elementId: string }[];
  timers: { elementId: string; dueAt: string }[];
}

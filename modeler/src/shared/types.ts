/** Shapes of the API answers the pages read (contract v1 plus the console read models). */

export type {
  InstanceStatus, IncidentView as Incident, HistoryEntry, ProcessView as ProcessVersion, DeploymentView as Deployment,
  UserTaskView as UserTask,
} from '../../../engine/src/runtime/api-types';
import type { IncidentView as Incident, InstanceStatus, InstanceView, ProcessView as ProcessVersion } from '../../../engine/src/runtime/api-types';

/** `GET /api/instances/:id`: the contract's instance plus the token count per element. */
export type Instance = InstanceView & { tokens?: Record<string, number> };

/** `GET /api/console/definitions`: one row per definition version. */
export interface DefinitionSummary extends ProcessVersion {
  counts: Record<InstanceStatus, number>;
  total: number;
  openIncidents: number;
}

/** A row of `GET /api/console/instances`. */
export interface InstanceSummary {
  id: string;
  processId: string;
  version: number;
  businessKey: string | null;
  status: InstanceStatus;
  startedAt: string;
  endedAt: string | null;
  openIncidents: number;
}

/** `GET /api/console/heatmap/:processId/:version`. */
export interface Heatmap {
  processId: string;
  version: number;
  instances: number;
  elements: Record<string, { passed: number; waiting: number; failed: number; openIncidents: number }>;
  flows: Record<string, number>;
}

/** `GET /api/console/dashboard`. */
export interface Dashboard {
  now: string;
  inFlight: number;
  suspended: number;
  completedLastHour: number;
  stalled: { thresholdMs: number; total: number; items: { id: string; processId: string; version: number; businessKey: string | null; lastActivityAt: string; activeElements: string[] }[] };
  incidents: (Incident & { processId: string; version: number; businessKey: string | null })[];
  failingElements: { processId: string; elementId: string; elementName: string | null; incidents: number; jobFailures: number; openIncidents: number }[];
}

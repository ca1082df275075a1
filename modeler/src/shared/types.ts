/** Shapes of the API answers the pages read (contract v1 plus the console read models). */

export type InstanceStatus = 'active' | 'completed' | 'cancelled' | 'suspended';

export interface Incident {
  id: string;
  instanceId: string;
  elementId: string;
  type: string;
  message: string;
  createdAt: string;
  jobKey?: string | null;
}

export interface Instance {
  id: string;
  processId: string;
  version: number;
  businessKey: string | null;
  status: InstanceStatus;
  variables: Record<string, unknown>;
  activeElements: string[];
  tokens?: Record<string, number>;
  incidents: Incident[];
  startedAt: string;
  endedAt: string | null;
  parentInstanceId?: string | null;
}

export interface HistoryEntry {
  seq: number;
  time: string;
  type: string;
  elementId?: string;
  elementType?: string;
  reason?: string;
  actor?: string;
  [extra: string]: unknown;
}

export interface ProcessVersion {
  processId: string;
  version: number;
  name: string | null;
  deployedAt: string;
}

export interface Deployment {
  id: string;
  processes: { processId: string; version: number; name: string | null }[];
}

export interface UserTask {
  id: string;
  instanceId: string;
  elementId: string;
  name: string | null;
  assignee: string | null;
  candidateGroups: string[];
  formKey: string | null;
  variables: Record<string, unknown>;
  createdAt: string;
}

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

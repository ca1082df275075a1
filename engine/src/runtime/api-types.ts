/**
 * The shapes the engine facade ({@link ../runtime/engine.ts Engine}) answers with; the HTTP layer
 * serialises them as they are (see ../shared/contract/API.md).
 */

export type InstanceStatus = 'active' | 'completed' | 'cancelled' | 'suspended';

export interface IncidentView {
  id: string;
  instanceId: string;
  elementId: string;
  type: string;
  message: string;
  createdAt: string;
  jobKey?: string | null;
}

export interface InstanceView {
  id: string;
  processId: string;
  version: number;
  businessKey: string | null;
  status: InstanceStatus;
  variables: Record<string, unknown>;
  activeElements: string[];
  incidents: IncidentView[];
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
  [extra: string]: unknown;
}

export interface ProcessView {
  processId: string;
  version: number;
  name: string | null;
  deployedAt: string;
}

export interface DeploymentView {
  id: string;
  processes: { processId: string; version: number; name: string | null }[];
}

export interface UserTaskView {
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

export interface JobView {
  key: string;
  type: string;
  instanceId: string;
  elementId: string;
  retries: number;
  variables: Record<string, unknown>;
  customHeaders: Record<string, string>;
  worker?: string | null;
  deadline?: string | null;
}

export interface InstanceFilter {
  processId?: string;
  status?: InstanceStatus;
  businessKey?: string;
  limit?: number;
  offset?: number;
}

/** Who did an operator action and why; written to the history. */
export interface Audit {
  reason?: string;
  actor?: string;
}

/**
 * A failure the caller caused or can act on. The HTTP layer maps it to
 * `{"error": {"code", "message", "details"}}` with `status`.
 */
export class EngineError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

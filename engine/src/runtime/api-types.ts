/**
 * The shapes the engine facade ({@link ../runtime/engine.ts Engine}) answers with; the HTTP layer
 * serialises them as they are (see ../shared/contract/API.md).
 */
import type { HistoryEvent } from '../core/history.js';
import type { EvaluatedDecision } from '../decisions/types.js';

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

/** One history event of an instance (the typed union of core/history.ts), numbered and timed. */
export type HistoryEntry = HistoryEvent & {
  /** Its place in the instance's history (strictly increasing). */
  readonly seq: number;
  /** When it was recorded, ISO 8601 in UTC. */
  readonly time: string;
};

export interface ProcessView {
  processId: string;
  version: number;
  name: string | null;
  deployedAt: string;
}

/**
 * What a deployment answers: every process, decision, decision requirements graph and form its
 * resources hold, with the version each has now (new, or the existing one for a resource deployed
 * unchanged), and the warnings found. `key` and `resourceName` go beyond the contract.
 */
export interface DeploymentView {
  id: string;
  processes: {
    processId: string;
    version: number;
    name: string | null;
    key: string;
    resourceName: string;
    versionTag: string | null;
  }[];
  decisions: {
    decisionId: string;
    version: number;
    name: string | null;
    decisionRequirementsId: string;
    key: string;
    decisionRequirementsKey: string;
    resourceName: string;
    versionTag: string | null;
  }[];
  decisionRequirements: {
    decisionRequirementsId: string;
    version: number;
    name: string | null;
    key: string;
    resourceName: string;
  }[];
  forms: { formId: string; version: number; key: string; resourceName: string; versionTag: string | null }[];
  /** What deploys but may fail when it runs, located like problems (with the resource's name). */
  warnings: { resource?: string; elementId: string | null; line: number | null; message: string }[];
}

export interface UserTaskView {
  id: string;
  instanceId: string;
  elementId: string;
  name: string | null;
  assignee: string | null;
  candidateGroups: string[];
  formKey: string | null;
  /**
   * Whether the task has a Camunda Form (linked by formId, or embedded), so that
   * `GET /api/user-tasks/:id/form` answers it; a formKey of the application's own has none.
   */
  hasForm: boolean;
  variables: Record<string, unknown>;
  createdAt: string;
  /** Tasks whose element has task listeners: the data those listeners may correct. */
  candidateUsers?: string[];
  dueDate?: string | null;
  followUpDate?: string | null;
  priority?: number;
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
  /** The element instance the job belongs to (local to its instance; beyond the contract). */
  elementKey?: string;
  /** The process and version of its instance (beyond the contract). */
  processId?: string;
  version?: number;
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

/** One version of a deployed decision (`GET /api/decisions`). */
export interface DecisionView {
  decisionId: string;
  version: number;
  name: string | null;
  versionTag: string | null;
  decisionRequirementsId: string;
  key: string;
  deployedAt: string;
}

/** What evaluating a decision standalone answers: its result and the audit of every decision evaluated. */
export interface DecisionEvaluationView {
  decisionId: string;
  version: number;
  key: string;
  result: unknown;
  /** Required decisions first, the called one last: inputs, matched rules, outputs (decisions/types.ts). */
  evaluations: readonly EvaluatedDecision[];
}

/** One version of a deployed form (`GET /api/forms`). */
export interface FormView {
  formId: string;
  version: number;
  versionTag: string | null;
  key: string;
  deployedAt: string;
}

/** The form of a user task (`GET /api/user-tasks/:id/form`). */
export interface UserTaskFormView {
  /** The form-js schema. */
  schema: unknown;
  formId: string;
  /** The deployed version (null for a form embedded in the BPMN). */
  version: number | null;
  key: string | null;
  embedded: boolean;
  /** The variables visible at the task, to prefill the form. */
  variables: Record<string, unknown>;
}

/** A decision evaluated by a business rule task, from the history (`GET /api/console/instances/:id/decisions`). */
export interface DecisionEvaluationEntry {
  seq: number;
  time: string;
  elementId: string | null;
  elementName: string | null;
  decisionId: string;
  decisionName: string | null;
  version: number;
  decisionKey: string;
  decisionRequirementsId: string;
  resultVariable: string;
  /** The result written to the result variable (absent when the evaluation failed). */
  result?: unknown;
  /** Why the evaluation failed (then an incident was raised at the element). */
  failure?: string;
  evaluations: readonly EvaluatedDecision[];
}

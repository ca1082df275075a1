/** The rows the storage port reads and writes (see ./port.ts). Times are epoch milliseconds. */
import type { DecisionGraph } from '../model/dmn/types.js';
import type { ProcessModel } from '../model/types.js';

export interface DefinitionRow {
  key: string;
  processId: string;
  version: number;
  name: string | null;
  versionTag: string | null;
  deploymentId: string;
  /** The resource of its deployment it was compiled from (its XML: {@link ResourceRow}). */
  resourceName: string;
  /** SHA-256 of that resource: a redeploy of the same bytes under the same name is no new version. */
  checksum: string;
  model: ProcessModel;
  deployedAt: number;
}

/** The kinds of resource a deployment holds. */
export type ResourceKind = 'bpmn' | 'dmn' | 'form';

/** One file of a deployment, as it was deployed. */
export interface ResourceRow {
  deploymentId: string;
  name: string;
  kind: ResourceKind;
  /** SHA-256 of the content (hex). */
  checksum: string;
  content: string;
}

/** One version of a decision requirements graph (one `.dmn` resource), compiled. */
export interface DecisionRequirementsRow {
  key: string;
  /** The id of the DMN `<definitions>`. */
  decisionRequirementsId: string;
  version: number;
  name: string | null;
  deploymentId: string;
  resourceName: string;
  checksum: string;
  graph: DecisionGraph;
  deployedAt: number;
}

/** One version of a decision; it is evaluated in the requirements graph it was deployed in. */
export interface DecisionRow {
  key: string;
  decisionId: string;
  version: number;
  name: string | null;
  versionTag: string | null;
  decisionRequirementsKey: string;
  decisionRequirementsId: string;
  deploymentId: string;
  deployedAt: number;
}

/** One version of a form (a Camunda Form); its schema is the content of its resource. */
export interface FormRow {
  key: string;
  formId: string;
  version: number;
  versionTag: string | null;
  deploymentId: string;
  resourceName: string;
  checksum: string;
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
  /** The process (BPMN id) of the instance or start event: a message correlates once per process. */
  processId: string;
}

export interface MessageRow {
  id: number;
  name: string;
  correlationKey: string | null;
  variables: Record<string, unknown>;
  expiresAt: number;
  messageId: string | null;
  /** The processes (BPMN ids) it was correlated to so far: once per process. */
  processes: string[];
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
  /** A command the instance could not take (a limit was hit): its retry applies it again. */
  command?: unknown;
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

/** A command for another instance, or a delivery to fan out, waiting in the inbox (see InboxRepo). */
export interface InboxRow {
  seq: number;
  /** The instance it is for (items of one target apply in seq order); null for fan-out items. */
  target: string | null;
  kind: 'command' | 'start' | 'signal' | 'message';
  payload: unknown;
  createdAt: number;
}

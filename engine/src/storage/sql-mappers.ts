/** SQL rows of both adapters (snake_case columns, JSON as text) → port rows, and port rows → column values. */
import type {
  DecisionRequirementsRow,
  DecisionRow,
  DefinitionRow,
  FormRow,
  ResourceRow,
  HistoryRow,
  InboxRow,
  IncidentRow,
  InstanceRow,
  JobRow,
  MessageRow,
  SubscriptionRow,
  TimerRow,
  UserTaskRow,
} from './rows.js';

// better-sqlite3 returns untyped rows
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Row = Record<string, any>;

export const json = (v: unknown): string => JSON.stringify(v);

export function opt<T>(r: unknown, f: (r: Row) => T): T | undefined {
  return r ? f(r as Row) : undefined;
}

export function defRow(r: Row): DefinitionRow {
  return {
    key: r.key,
    processId: r.process_id,
    version: r.version,
    name: r.name,
    versionTag: r.version_tag,
    deploymentId: r.deployment_id,
    resourceName: r.resource_name,
    checksum: r.checksum,
    model: JSON.parse(r.model),
    deployedAt: r.deployed_at,
  };
}

export function resourceRow(r: Row): ResourceRow {
  return { deploymentId: r.deployment_id, name: r.name, kind: r.kind, checksum: r.checksum, content: r.content };
}

export function requirementsRow(r: Row): DecisionRequirementsRow {
  return {
    key: r.key,
    decisionRequirementsId: r.drg_id,
    version: r.version,
    name: r.name,
    deploymentId: r.deployment_id,
    resourceName: r.resource_name,
    checksum: r.checksum,
    graph: JSON.parse(r.graph),
    deployedAt: r.deployed_at,
  };
}

export function decisionRow(r: Row): DecisionRow {
  return {
    key: r.key,
    decisionId: r.decision_id,
    version: r.version,
    name: r.name,
    versionTag: r.version_tag,
    decisionRequirementsKey: r.drg_key,
    decisionRequirementsId: r.drg_id,
    deploymentId: r.deployment_id,
    deployedAt: r.deployed_at,
  };
}

export function formRow(r: Row): FormRow {
  return {
    key: r.key,
    formId: r.form_id,
    version: r.version,
    versionTag: r.version_tag,
    deploymentId: r.deployment_id,
    resourceName: r.resource_name,
    checksum: r.checksum,
    deployedAt: r.deployed_at,
  };
}

export function instanceRow(r: Row): InstanceRow {
  return {
    id: r.id,
    processId: r.process_id,
    version: r.version,
    definitionKey: r.definition_key,
    businessKey: r.business_key,
    status: r.status,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    parentId: r.parent_id,
    revision: r.revision,
  };
}

export function historyRow(r: Row): HistoryRow {
  return {
    seq: r.seq,
    instanceId: r.instance_id,
    time: r.time,
    type: r.type,
    elementId: r.element_id,
    elementType: r.element_type,
    data: r.data ? JSON.parse(r.data) : {},
  };
}

export function jobRow(r: Row): JobRow {
  return {
    key: r.key,
    instanceId: r.instance_id,
    elementKey: r.element_key,
    elementId: r.element_id,
    type: r.type,
    retries: r.retries,
    headers: JSON.parse(r.headers),
    state: r.state,
    dueAt: r.due_at,
    worker: r.worker,
    lockUntil: r.lock_until,
    errorMessage: r.error_message,
    createdAt: r.created_at,
  };
}

export function timerRow(r: Row): TimerRow {
  return {
    key: r.key,
    instanceId: r.instance_id,
    elementKey: r.element_key,
    elementId: r.element_id,
    definitionKey: r.definition_key,
    dueAt: r.due_at,
    repeat: r.repeat,
  };
}

export function subRow(r: Row): SubscriptionRow {
  return {
    key: r.key,
    kind: r.kind,
    name: r.name,
    correlationKey: r.correlation_key,
    instanceId: r.instance_id,
    elementKey: r.element_key,
    elementId: r.element_id,
    definitionKey: r.definition_key,
    processId: r.process_id,
  };
}

export function messageRow(r: Row): MessageRow {
  return {
    id: r.id,
    name: r.name,
    correlationKey: r.correlation_key,
    variables: JSON.parse(r.variables),
    expiresAt: r.expires_at,
    messageId: r.message_id,
    processes: JSON.parse(r.processes),
  };
}

export function taskRow(r: Row): UserTaskRow {
  return {
    id: r.id,
    instanceId: r.instance_id,
    elementKey: r.element_key,
    elementId: r.element_id,
    name: r.name,
    assignee: r.assignee,
    candidateGroups: r.candidate_groups ? (JSON.parse(r.candidate_groups) as string[]) : [],
    formKey: r.form_key,
    createdAt: r.created_at,
  };
}

export function incidentRow(r: Row): IncidentRow {
  return {
    id: r.id,
    instanceId: r.instance_id,
    elementKey: r.element_key,
    elementId: r.element_id,
    type: r.type,
    message: r.message,
    jobKey: r.job_key,
    createdAt: r.created_at,
    ...(r.command ? { command: JSON.parse(r.command) } : {}),
  };
}

export function inboxRow(r: Row): InboxRow {
  return { seq: r.seq, target: r.target, kind: r.kind, payload: JSON.parse(r.payload), createdAt: r.created_at };
}

/** The `status` column of an instance: its state's status, or 'suspended'. */
export function statusColumn(s: { status: string; suspended: boolean }): string {
  return s.status === 'active' && s.suspended ? 'suspended' : s.status;
}

/** The history columns of one event: everything beyond type, element id and type goes to `data` as JSON. */
export function historyColumns(e: {
  type: string;
  elementId?: string;
  elementType?: string;
  [k: string]: unknown;
}): [string, string | null, string | null, string | null] {
  const { type, elementId, elementType, ...data } = e;
  let extra: string | null = null;
  for (const _ in data) {
    extra = json(data);
    break;
  }
  return [type, elementId ?? null, elementType ?? null, extra];
}

/** A job's columns in the order both adapters insert them (key, instance_id, …, created_at). */
export function jobValues(r: JobRow): unknown[] {
  const { key, instanceId, elementKey, elementId, type, retries, headers, state, dueAt, worker, lockUntil, createdAt } =
    r;
  return [
    key,
    instanceId,
    elementKey,
    elementId,
    type,
    retries,
    json(headers),
    state,
    dueAt,
    worker,
    lockUntil,
    createdAt,
  ];
}

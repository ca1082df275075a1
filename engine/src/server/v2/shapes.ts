/**
 * Baton's rows and views in the shapes of Camunda's `/v2` answers (every field Camunda's schema
 * requires; what Baton does not have is null, an empty list or Camunda's default, never made up).
 */
import { ROOT_KEY, type InstanceState } from '../../core/state.js';
import type { JobView } from '../../runtime/api-types.js';
import type { IncidentRow, UserTaskRow } from '../../storage/port.js';
import type { Catalog, KeyedProcess } from './catalog.js';
import { idKey, instanceKey, scopedKey } from './keys.js';
import { DEFAULT_TENANT } from './search.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** Camunda's state of a process instance. */
export function instanceStateOf(s: InstanceState): 'ACTIVE' | 'COMPLETED' | 'TERMINATED' {
  return s.status === 'completed' ? 'COMPLETED' : s.status === 'cancelled' ? 'TERMINATED' : 'ACTIVE';
}

/** `ProcessInstanceResult`. */
export function processInstance(s: InstanceState, def: KeyedProcess | undefined, root: string | null) {
  return {
    processDefinitionId: s.processId,
    processDefinitionName: def?.row.name ?? null,
    processDefinitionVersion: s.version,
    processDefinitionVersionTag: def?.row.versionTag ?? null,
    startDate: iso(s.startedAt),
    endDate: s.endedAt === null ? null : iso(s.endedAt),
    state: instanceStateOf(s),
    hasIncident: Object.keys(s.incidents).length > 0,
    tenantId: DEFAULT_TENANT,
    processInstanceKey: instanceKey(s.id),
    processDefinitionKey: def?.key ?? '0',
    parentProcessInstanceKey: s.parent ? instanceKey(s.parent.instanceId) : null,
    parentElementInstanceKey: s.parent ? scopedKey(s.parent.instanceId, s.parent.elementKey) : null,
    rootProcessInstanceKey: root,
    tags: [] as string[],
    businessId: s.businessKey,
  };
}
export type ProcessInstanceResult = ReturnType<typeof processInstance>;

/** `ProcessDefinitionResult`. */
export function processDefinition(p: KeyedProcess) {
  return {
    name: p.row.name,
    resourceName: p.row.resourceName,
    version: p.row.version,
    versionTag: p.row.versionTag,
    processDefinitionId: p.row.processId,
    tenantId: DEFAULT_TENANT,
    processDefinitionKey: p.key,
    hasStartForm: false,
    state: 'ACTIVE' as const,
  };
}

/** `ActivatedJobResult` of a job just activated. */
export async function activatedJob(job: JobView, catalog: Catalog, worker: string) {
  const version = job.version ?? 0;
  return {
    type: job.type,
    processDefinitionId: job.processId ?? '',
    processDefinitionVersion: version,
    elementId: job.elementId,
    customHeaders: job.customHeaders,
    worker: job.worker ?? worker,
    retries: job.retries,
    deadline: job.deadline ? Date.parse(job.deadline) : 0,
    variables: job.variables,
    tenantId: DEFAULT_TENANT,
    jobKey: idKey(job.key),
    processInstanceKey: instanceKey(job.instanceId),
    processDefinitionKey: job.processId ? await catalog.processKey(job.processId, version) : '0',
    elementInstanceKey: scopedKey(job.instanceId, job.elementKey ?? ROOT_KEY),
    kind: 'BPMN_ELEMENT' as const,
    listenerEventType: 'UNSPECIFIED' as const,
    userTask: null,
    tags: [] as string[],
    rootProcessInstanceKey: null,
  };
}

/** `UserTaskResult` of an open user task of instance `s`. */
export function userTask(t: UserTaskRow, s: InstanceState | undefined, def: KeyedProcess | undefined) {
  return {
    name: t.name,
    state: 'CREATED' as const,
    assignee: t.assignee,
    elementId: t.elementId,
    candidateGroups: t.candidateGroups,
    candidateUsers: [] as string[],
    processDefinitionId: s?.processId ?? def?.row.processId ?? '',
    creationDate: iso(t.createdAt),
    completionDate: null,
    followUpDate: null,
    dueDate: null,
    tenantId: DEFAULT_TENANT,
    externalFormReference: null,
    processDefinitionVersion: s?.version ?? 0,
    customHeaders: {},
    priority: 50,
    userTaskKey: idKey(t.id),
    elementInstanceKey: scopedKey(t.instanceId, t.elementKey),
    processName: def?.row.name ?? null,
    processDefinitionKey: def?.key ?? '0',
    processInstanceKey: instanceKey(t.instanceId),
    rootProcessInstanceKey: null,
    formKey: null,
    tags: [] as string[],
  };
}
export type UserTaskResult = ReturnType<typeof userTask>;

const ERROR_TYPES: Record<string, string> = {
  JOB_NO_RETRIES: 'JOB_NO_RETRIES',
  EXPRESSION_FAILED: 'EXTRACT_VALUE_ERROR',
  CONDITION_FAILED: 'CONDITION_ERROR',
  CALLED_DECISION_NOT_FOUND: 'CALLED_DECISION_ERROR',
  DECISION_EVALUATION_FAILED: 'DECISION_EVALUATION_ERROR',
  CALLED_ELEMENT_NOT_FOUND: 'CALLED_ELEMENT_ERROR',
  CALLED_INSTANCE_REFUSED: 'CALLED_ELEMENT_ERROR',
  FORM_NOT_FOUND: 'FORM_NOT_FOUND',
  UNHANDLED_ERROR: 'UNHANDLED_ERROR_EVENT',
  UNHANDLED_ERROR_EVENT: 'UNHANDLED_ERROR_EVENT',
};

/** `IncidentResult` of an open incident. */
export function incident(i: IncidentRow, s: InstanceState | undefined, def: KeyedProcess | undefined) {
  return {
    processDefinitionId: s?.processId ?? '',
    errorType: ERROR_TYPES[i.type] ?? 'UNKNOWN',
    errorMessage: i.message,
    elementId: i.elementId,
    creationTime: iso(i.createdAt),
    state: 'ACTIVE' as const,
    tenantId: DEFAULT_TENANT,
    incidentKey: idKey(i.id),
    processDefinitionKey: def?.key ?? '0',
    processInstanceKey: instanceKey(i.instanceId),
    rootProcessInstanceKey: null,
    elementInstanceKey: scopedKey(i.instanceId, i.elementKey),
    jobKey: i.jobKey ? idKey(i.jobKey) : null,
  };
}
export type IncidentResult = ReturnType<typeof incident>;

/** Store rows and instance state -> the shapes of the public API. */
import { visibleVariables } from '../core/run.js';
import type { InstanceState, TaskData } from '../core/state.js';
import { ROOT_KEY } from '../core/state.js';
import { EMBEDDED_FORM_PREFIX } from '../model/read-links.js';
import type { HistoryRow, IncidentRow, JobRow, UserTaskRow } from '../storage/port.js';
import type { HistoryEntry, IncidentView, InstanceView, JobView, UserTaskView } from './api-types.js';

const iso = (ms: number): string => new Date(ms).toISOString();

export function instanceView(s: InstanceState): InstanceView & { tokens: Record<string, number> } {
  const tokens: Record<string, number> = {};
  for (const ei of Object.values(s.elements))
    if (ei.key !== ROOT_KEY) tokens[ei.elementId] = (tokens[ei.elementId] ?? 0) + 1;
  return {
    id: s.id,
    processId: s.processId,
    version: s.version,
    businessKey: s.businessKey,
    status: s.status === 'active' && s.suspended ? 'suspended' : s.status,
    variables: s.vars[ROOT_KEY] ?? {},
    activeElements: Object.keys(tokens),
    tokens,
    incidents: Object.values(s.incidents).map((i) => ({
      id: i.id,
      instanceId: s.id,
      elementId: i.elementId,
      type: i.type,
      message: i.message,
      createdAt: iso(i.createdAt),
      jobKey: i.jobKey ?? null,
    })),
    startedAt: iso(s.startedAt),
    endedAt: s.endedAt === null ? null : iso(s.endedAt),
    parentInstanceId: s.parent?.instanceId ?? null,
  };
}

/** A stored history row as the event it was recorded as (the store keeps what the engine appended). */
export function historyView(r: HistoryRow): HistoryEntry {
  return {
    ...r.data,
    seq: r.seq,
    time: iso(r.time),
    type: r.type,
    ...(r.elementId ? { elementId: r.elementId } : {}),
    ...(r.elementType ? { elementType: r.elementType } : {}),
  } as HistoryEntry;
}

export function incidentView(r: IncidentRow): IncidentView {
  return {
    id: r.id,
    instanceId: r.instanceId,
    elementId: r.elementId,
    type: r.type,
    message: r.message,
    createdAt: iso(r.createdAt),
    jobKey: r.jobKey,
  };
}

export function userTaskView(r: UserTaskRow, state: InstanceState | undefined): UserTaskView {
  return {
    id: r.id,
    instanceId: r.instanceId,
    elementId: r.elementId,
    name: r.name,
    assignee: r.assignee,
    candidateGroups: r.candidateGroups,
    formKey: r.formKey,
    hasForm: !!state?.elements[r.elementKey]?.form || !!r.formKey?.startsWith(EMBEDDED_FORM_PREFIX),
    variables: state ? visibleVariables(state, r.elementKey) : {},
    createdAt: iso(r.createdAt),
    ...taskDataView(state?.elements[r.elementKey]?.taskData),
  };
}

/** A task with task listeners keeps more data in the instance (what listeners may correct). */
function taskDataView(d: TaskData | undefined): Partial<UserTaskView> {
  if (!d) return {};
  return { candidateUsers: d.candidateUsers, dueDate: d.dueDate, followUpDate: d.followUpDate, priority: d.priority };
}

export function jobView(r: JobRow, state: InstanceState | undefined): JobView {
  return {
    key: r.key,
    type: r.type,
    instanceId: r.instanceId,
    elementId: r.elementId,
    retries: r.retries,
    variables: state ? visibleVariables(state, r.elementKey) : {},
    customHeaders: r.headers,
    worker: r.worker,
    deadline: r.lockUntil === null ? null : iso(r.lockUntil),
    elementKey: r.elementKey,
    ...(state ? { processId: state.processId, version: state.version } : {}),
  };
}

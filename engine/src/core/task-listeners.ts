/**
 * User task listeners (`zeebe:taskListeners`), as Camunda 8.8 runs them: a transition of a user
 * task (creating it, assigning it, completing it) waits while its listeners run one after another,
 * each a job of its own type. A listener job sees the task's data as `io.camunda.zeebe:*` headers;
 * its worker may correct the data (assignee, candidate groups and users, due and follow-up date,
 * priority), seen by the next listener and applied when the transition ends, or deny an assigning
 * or completing transition: the task stays as it was and the corrections are dropped.
 *
 * A failed listener job retries, then raises an incident whose retry runs that listener again; a
 * listener whose type cannot be evaluated raises one whose retry runs the whole transition again.
 */
import type { ElementDef, TaskListenerEvent } from '../model/types.js';
import type { JobResult, TaskCorrections } from './commands.js';
import { openJob } from './elements/job-task.js';
import { complete } from './lifecycle.js';
import type { Run } from './run.js';
import type { ElementInstance, TaskData, TaskTransition } from './state.js';

type Vars = Record<string, unknown>;

/** Outcome of a task listener step that the caller must refuse (bad result). */
export interface TaskRefusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

const ACTIONS: Record<TaskTransition['event'], string> = {
  creating: 'create',
  assigning: 'assign',
  completing: 'complete',
};

function listenersOf(el: ElementDef, event: TaskListenerEvent) {
  return (el.userTask?.listeners ?? []).filter((l) => l.eventType === event);
}

/** True when the user task `el` has listeners for `event`. */
export function hasTaskListeners(el: ElementDef, event: TaskListenerEvent): boolean {
  return listenersOf(el, event).length > 0;
}

/** Starts a transition: its first listener's job, or (none) its end at once. */
export function beginTransition(run: Run, ei: ElementInstance, transition: Omit<TaskTransition, 'index'>): void {
  ei.taskListener = { ...transition, index: 0, data: copy(transition.data), initial: copy(transition.data) };
  next(run, ei);
}

/** Runs the listener at the transition's index, or ends the transition when none is left. */
function next(run: Run, ei: ElementInstance): void {
  const t = ei.taskListener!;
  const el = run.def(ei.elementId);
  const listener = listenersOf(el, t.event)[t.index];
  if (!listener) {
    delete ei.taskListener;
    endTransition(run, ei, t);
    return;
  }
  const what = `the ${t.event} task listener "${listener.type.src}" of ${el.id}`;
  if (!openJob(run, ei, { ...listener, headers: headers(t, el) }, what, 'activate')) return;
  run.record('task-listener-started', ei, { eventType: t.event, index: t.index, jobKey: ei.job!.key });
}

/** Retrying an incident of a transition whose listener could not be created: the whole transition again. */
export function restartTransition(run: Run, ei: ElementInstance): void {
  const t = ei.taskListener!;
  ei.taskListener = { ...t, index: 0, data: copy(t.initial ?? t.data) };
  next(run, ei);
}

/** A task listener's job was completed: apply its corrections or denial, then the next listener. */
export function onTaskListenerJobCompleted(
  run: Run,
  ei: ElementInstance,
  variables: Vars | undefined,
  result: JobResult | undefined,
): TaskRefusal | undefined {
  const t = ei.taskListener!;
  if (variables && Object.keys(variables).length > 0)
    return refusal(
      `Expected a task listener job to complete without variables (as on Camunda 8), but ${ei.elementId}'s ${t.event} listener sent some`,
    );
  if (result?.denied && t.event === 'creating')
    return refusal(`Expected a creating task listener not to deny: Camunda 8 cannot deny the creation of a user task`);
  if (result?.corrections?.assignee !== undefined && t.event === 'creating' && t.assignAfter !== undefined)
    return refusal(
      `Expected a creating task listener to correct the assignee only when the process sets none, but ${ei.elementId} is assigned to ${t.assignAfter}: correct it in an assigning listener`,
    );
  delete ei.job;
  run.record('task-listener-completed', ei, {
    eventType: t.event,
    index: t.index,
    ...(result?.denied ? { denied: true, deniedReason: result.deniedReason ?? null } : {}),
    ...(result?.corrections ? { corrections: Object.keys(result.corrections) } : {}),
  });
  if (result?.denied) {
    delete ei.taskListener;
    run.record('user-task-transition-denied', ei, {
      taskId: t.taskId,
      eventType: t.event,
      deniedReason: result.deniedReason ?? null,
    });
    return undefined;
  }
  if (result?.corrections) t.data = corrected(t.data, result.corrections);
  t.index++;
  next(run, ei);
  return undefined;
}

/** The transition's listeners all completed: make it happen. */
function endTransition(run: Run, ei: ElementInstance, t: TaskTransition): void {
  const el = run.def(ei.elementId);
  if (t.event === 'creating') {
    // the process's assignee is assigned after creation, through the assigning listeners
    const later = t.assignAfter !== undefined && hasTaskListeners(el, 'assigning');
    ei.userTask = t.taskId;
    ei.taskData = later ? { ...t.data, assignee: null } : t.data;
    run.effect({
      type: 'CreateUserTask',
      id: t.taskId,
      elementKey: ei.key,
      elementId: ei.elementId,
      name: el.name ?? null,
      assignee: ei.taskData.assignee,
      candidateGroups: [...t.data.candidateGroups],
      formKey: el.userTask?.formKey ?? null,
    });
    if (later) assign(run, ei, t.assignAfter!);
    return;
  }
  const before = ei.taskData!;
  ei.taskData = t.data;
  if (t.event === 'assigning') {
    run.effect({
      type: 'UpdateUserTask',
      id: t.taskId,
      assignee: t.data.assignee,
      candidateGroups: [...t.data.candidateGroups],
    });
    run.record(t.data.assignee === null ? 'user-task-unclaimed' : 'user-task-claimed', ei, {
      taskId: t.taskId,
      ...(t.data.assignee !== null ? { assignee: t.data.assignee } : {}),
      ...(before.assignee !== t.data.assignee ? {} : { unchanged: true }),
    });
    return;
  }
  run.record('user-task-completed', ei, { taskId: t.taskId });
  run.effect({ type: 'RemoveUserTask', id: t.taskId });
  delete ei.userTask;
  complete(run, ei, t.variables ?? {});
}

/** Assigns an open task: through its assigning listeners, or at once when it has none. */
export function assign(run: Run, ei: ElementInstance, assignee: string | null): void {
  const data = ei.taskData!;
  beginTransition(run, ei, { event: 'assigning', taskId: ei.userTask!, data: { ...data, assignee } });
}

function headers(t: TaskTransition, el: ElementDef): Record<string, string> {
  const d = t.data;
  const list = (xs: readonly string[]) => JSON.stringify(xs);
  return {
    'io.camunda.zeebe:action': ACTIONS[t.event],
    'io.camunda.zeebe:userTaskKey': t.taskId,
    ...(d.assignee !== null ? { 'io.camunda.zeebe:assignee': d.assignee } : {}),
    'io.camunda.zeebe:candidateGroups': list(d.candidateGroups),
    'io.camunda.zeebe:candidateUsers': list(d.candidateUsers),
    ...(d.dueDate !== null ? { 'io.camunda.zeebe:dueDate': d.dueDate } : {}),
    ...(d.followUpDate !== null ? { 'io.camunda.zeebe:followUpDate': d.followUpDate } : {}),
    ...(el.userTask?.formKey ? { 'io.camunda.zeebe:formKey': el.userTask.formKey } : {}),
    'io.camunda.zeebe:priority': String(d.priority),
  };
}

function corrected(data: TaskData, c: TaskCorrections): TaskData {
  return {
    assignee: c.assignee !== undefined ? (c.assignee === '' ? null : c.assignee) : data.assignee,
    candidateGroups: c.candidateGroups ? [...c.candidateGroups] : data.candidateGroups,
    candidateUsers: c.candidateUsers ? [...c.candidateUsers] : data.candidateUsers,
    dueDate: c.dueDate !== undefined && c.dueDate !== null ? c.dueDate || null : data.dueDate,
    followUpDate: c.followUpDate !== undefined && c.followUpDate !== null ? c.followUpDate || null : data.followUpDate,
    priority: c.priority ?? data.priority,
  };
}

function copy(d: TaskData): TaskData {
  return { ...d, candidateGroups: [...d.candidateGroups], candidateUsers: [...d.candidateUsers] };
}

function refusal(message: string): TaskRefusal {
  return { status: 400, code: 'INVALID_JOB_RESULT', message };
}

/** The task list: open user tasks, claim / unclaim (recorded in the history), complete. */
import type { Store, Tx } from '../storage/port.js';
import type { UserTaskRow } from '../storage/rows.js';
import type { UserTaskView } from './api-types.js';
import { EngineError } from './api-types.js';
import type { GroupCommit, Work } from './group-commit.js';
import { instanceOfKey } from './jobs.js';
import type { Processor } from './processor.js';
import { userTaskView } from './views.js';

export interface UserTaskDeps {
  readonly store: Store;
  readonly commits: GroupCommit;
  readonly processor: Processor;
  readonly now: () => number;
}

export async function listUserTasks(
  d: UserTaskDeps,
  f: { instanceId?: string; assignee?: string; candidateGroup?: string; limit?: number; offset?: number },
): Promise<UserTaskView[]> {
  const rows = await d.store.read.work.userTasks(f);
  return Promise.all(rows.map(async (t) => userTaskView(t, await d.store.read.instances.state(t.instanceId))));
}

async function openTask(tx: Tx, id: string) {
  const t = await tx.userTasks.get(id);
  if (!t) throw new EngineError(404, 'USER_TASK_NOT_FOUND', `Expected an open user task ${id}, but there is none`);
  return t;
}

/**
 * A task whose element has task listeners is assigned through the core (its assigning listeners run
 * first, and may correct or deny it); the answer is the task as it is then.
 */
async function assignThroughCore(
  d: UserTaskDeps,
  w: Work,
  t: UserTaskRow,
  assignee: string | null,
): Promise<UserTaskView | undefined> {
  const state = await w.tx.instances.peek(t.instanceId);
  if (!state?.elements[t.elementKey]?.taskData) return undefined;
  const after = await d.processor.command(
    w,
    t.instanceId,
    { type: 'AssignUserTask', taskId: t.id, assignee },
    'outside',
  );
  const row = (await w.tx.userTasks.get(t.id)) ?? t;
  return userTaskView(row, after ?? state);
}

export function claimUserTask(d: UserTaskDeps, id: string, assignee: string): Promise<UserTaskView> {
  return d.commits.submit({
    targets: [instanceOfKey(id)],
    run: async (w) => {
      const t = await openTask(w.tx, id);
      const viaCore = await assignThroughCore(d, w, t, assignee);
      if (viaCore) return viaCore;
      if (t.assignee && t.assignee !== assignee)
        throw new EngineError(
          409,
          'USER_TASK_ALREADY_CLAIMED',
          `Expected user task ${id} to be unclaimed, but ${t.assignee} holds it`,
        );
      await w.tx.userTasks.setAssignee(id, assignee);
      await w.tx.history.append(t.instanceId, d.now(), [
        { type: 'user-task-claimed', elementId: t.elementId, taskId: id, assignee },
      ]);
      return userTaskView({ ...t, assignee }, await w.tx.instances.peek(t.instanceId));
    },
  });
}

export function unclaimUserTask(d: UserTaskDeps, id: string): Promise<UserTaskView> {
  return d.commits.submit({
    targets: [instanceOfKey(id)],
    run: async (w) => {
      const t = await openTask(w.tx, id);
      const viaCore = await assignThroughCore(d, w, t, null);
      if (viaCore) return viaCore;
      await w.tx.userTasks.setAssignee(id, null);
      await w.tx.history.append(t.instanceId, d.now(), [
        { type: 'user-task-unclaimed', elementId: t.elementId, taskId: id },
      ]);
      return userTaskView({ ...t, assignee: null }, await w.tx.instances.peek(t.instanceId));
    },
  });
}

export async function completeUserTask(
  d: UserTaskDeps,
  id: string,
  variables?: Record<string, unknown>,
): Promise<void> {
  await d.commits.submit({
    targets: [instanceOfKey(id)],
    run: async (w) => {
      const t = await openTask(w.tx, id);
      await d.processor.command(
        w,
        t.instanceId,
        { type: 'CompleteUserTask', taskId: id, ...(variables ? { variables } : {}) },
        'outside',
      );
    },
  });
}

/** The task list: open user tasks, claim / unclaim (recorded in the history), complete. */
import type { UserTaskView } from './api-types.js';
import { EngineError } from './api-types.js';
import type { EngineOps } from './engine-ops.js';
import { userTaskView } from './views.js';

export function listUserTasks(
  ops: EngineOps,
  f: { instanceId?: string; assignee?: string; candidateGroup?: string; limit?: number; offset?: number },
): UserTaskView[] {
  return ops.store.listUserTasks(f).map((t) => userTaskView(t, ops.store.loadState(t.instanceId)));
}

function openTask(ops: EngineOps, id: string) {
  const t = ops.store.userTask(id);
  if (!t) throw new EngineError(404, 'USER_TASK_NOT_FOUND', `Expected an open user task ${id}, but there is none`);
  return t;
}

export function claimUserTask(ops: EngineOps, id: string, assignee: string): Promise<UserTaskView> {
  return ops.submit('ClaimUserTask', () => {
    const t = openTask(ops, id);
    if (t.assignee && t.assignee !== assignee)
      throw new EngineError(
        409,
        'USER_TASK_ALREADY_CLAIMED',
        `Expected user task ${id} to be unclaimed, but ${t.assignee} holds it`,
      );
    ops.store.setAssignee(id, assignee);
    ops.store.appendHistory(t.instanceId, ops.now(), [
      { type: 'user-task-claimed', elementId: t.elementId, taskId: id, assignee },
    ]);
    return userTaskView({ ...t, assignee }, ops.store.loadState(t.instanceId));
  });
}

export function unclaimUserTask(ops: EngineOps, id: string): Promise<UserTaskView> {
  return ops.submit('UnclaimUserTask', () => {
    const t = openTask(ops, id);
    ops.store.setAssignee(id, null);
    ops.store.appendHistory(t.instanceId, ops.now(), [
      { type: 'user-task-unclaimed', elementId: t.elementId, taskId: id },
    ]);
    return userTaskView({ ...t, assignee: null }, ops.store.loadState(t.instanceId));
  });
}

export async function completeUserTask(ops: EngineOps, id: string, variables?: Record<string, unknown>): Promise<void> {
  await ops.submit('CompleteUserTask', () => {
    const t = openTask(ops, id);
    ops.processor.run({
      kind: 'command',
      instanceId: t.instanceId,
      cmd: { type: 'CompleteUserTask', taskId: id, ...(variables ? { variables } : {}) },
    });
  });
}

/**
 * Carries out the effects of one command on one instance, in its transaction: rows for jobs,
 * timers, subscriptions, user tasks and incidents, and inbox items for everything that concerns
 * another instance (a child to start or cancel, a parent to notify, a signal or message to deliver).
 * What must happen after the commit (handing jobs to handlers, waking long polls and the scheduler,
 * applying the new inbox items) is registered with `after`; other nodes hear of new work through
 * notices.
 */
import type { Command } from '../core/commands.js';
import type { Effect, JobSpec } from '../core/effects.js';
import type { InstanceState } from '../core/state.js';
import type { InboxRow, JobRow } from '../storage/port.js';
import type { Work } from './group-commit.js';
import type { CommandItem, FanOutItem, StartItem } from './inbox.js';

/** Where the effects' after-commit consequences go (the engine's scheduler, inbox and wake-ups). */
export interface EffectSinks {
  /** Whether this node runs jobs of that type in-process. */
  readonly isHandled: (type: string) => boolean;
  /** The lock an in-process job is created with: this node's worker name and a lease. */
  readonly inProcessLock: () => { readonly worker: string; readonly lockUntil: number };
  /** After commit: new or returned jobs (in-process ones to run, external ones to announce). */
  readonly jobsReady: (rows: readonly JobRow[]) => void;
  /** After commit: a timer was scheduled. */
  readonly timerScheduled: (dueAt: number) => void;
  /** After commit: inbox items to apply. */
  readonly inboxAdded: (items: readonly InboxRef[]) => void;
  /** Headers a new job carries besides the model's (a trace context, when tracing is on). */
  readonly traceHeaders?: (instanceId: string, startedAt: number, elementKey: string) => Record<string, string>;
}

/** An inbox item as its writer knows it: where it goes. */
export interface InboxRef {
  readonly seq: number;
  readonly target: string | null;
}

/** The row of a job the core created, activatable now (locked to this node when `lock` is given). */
export function newJobRow(
  job: JobSpec,
  instanceId: string,
  now: number,
  headers: JobSpec['headers'] = job.headers,
  lock?: { readonly worker: string; readonly lockUntil: number },
): JobRow {
  return {
    key: job.key,
    instanceId,
    elementKey: job.elementKey,
    elementId: job.elementId,
    type: job.type,
    retries: job.retries,
    headers,
    state: 'activatable',
    dueAt: now,
    worker: lock?.worker ?? null,
    lockUntil: lock?.lockUntil ?? null,
    errorMessage: null,
    createdAt: now,
  };
}

export async function applyEffects(
  w: Work,
  state: InstanceState,
  effects: readonly Effect[],
  now: number,
  sinks: EffectSinks,
  refused?: Command,
): Promise<void> {
  const { tx } = w;
  const id = state.id;
  const inbox: InboxRef[] = [];
  const add = async (item: Omit<InboxRow, 'seq' | 'createdAt'>) => {
    inbox.push({ seq: await tx.inbox.add({ ...item, createdAt: now }), target: item.target });
  };
  for (const e of effects) {
    switch (e.type) {
      case 'CreateJob': {
        const lock = sinks.isHandled(e.job.type) ? sinks.inProcessLock() : undefined;
        const headers = sinks.traceHeaders
          ? { ...e.job.headers, ...sinks.traceHeaders(id, state.startedAt, e.job.elementKey) }
          : e.job.headers;
        const row = newJobRow(e.job, id, now, headers, lock);
        await tx.jobs.insert(row);
        if (!lock) tx.notify({ kind: 'jobs', types: [row.type] });
        w.after(() => sinks.jobsReady([row]));
        break;
      }
      case 'UpdateJob':
        await tx.jobs.update(e.key, {
          ...(e.retries !== undefined ? { retries: e.retries } : {}),
          state: e.state,
          ...(e.dueAt !== undefined ? { dueAt: e.dueAt } : {}),
          ...(e.errorMessage ? { errorMessage: e.errorMessage } : {}),
        });
        if (e.state === 'activatable') {
          tx.notify({ kind: 'jobs', types: [] });
          w.after(() => sinks.jobsReady([]));
        }
        break;
      case 'RemoveJob':
        await tx.jobs.delete(e.key);
        break;
      case 'ScheduleTimer':
        await tx.timers.upsert({
          key: e.key,
          instanceId: id,
          elementKey: e.elementKey,
          elementId: e.elementId,
          definitionKey: null,
          dueAt: e.dueAt,
          repeat: null,
        });
        tx.notify({ kind: 'timers', dueAt: e.dueAt });
        w.after(() => sinks.timerScheduled(e.dueAt));
        break;
      case 'CancelTimer':
        await tx.timers.delete(e.key);
        break;
      case 'OpenSubscription':
        await tx.subscriptions.insert(
          {
            key: e.key,
            kind: e.kind,
            name: e.name,
            correlationKey: e.correlationKey ?? null,
            instanceId: id,
            elementKey: e.elementKey,
            elementId: e.elementId,
            definitionKey: null,
            processId: state.processId,
          },
          now,
        );
        break;
      case 'CloseSubscription':
        await tx.subscriptions.delete(e.key);
        break;
      case 'CreateUserTask':
        await tx.userTasks.insert({
          id: e.id,
          instanceId: id,
          elementKey: e.elementKey,
          elementId: e.elementId,
          name: e.name,
          assignee: e.assignee,
          candidateGroups: e.candidateGroups,
          formKey: e.formKey,
          createdAt: now,
        });
        break;
      case 'RemoveUserTask':
        await tx.userTasks.delete(e.id);
        break;
      case 'UpdateUserTask': {
        const row = await tx.userTasks.get(e.id);
        if (!row) break;
        if (row.candidateGroups.join('\u0000') === e.candidateGroups.join('\u0000')) {
          await tx.userTasks.setAssignee(e.id, e.assignee);
        } else {
          // the port has no update of the groups: the row is written again, keeping its creation time
          await tx.userTasks.delete(e.id);
          await tx.userTasks.insert({ ...row, assignee: e.assignee, candidateGroups: [...e.candidateGroups] });
        }
        break;
      }
      case 'CreateIncident':
        await tx.incidents.insert({
          id: e.id,
          instanceId: id,
          elementKey: e.elementKey,
          elementId: e.elementId,
          type: e.incidentType,
          message: e.message,
          jobKey: e.jobKey ?? null,
          createdAt: now,
          ...(refused ? { command: refused } : {}),
        });
        break;
      case 'ResolveIncident':
        await tx.incidents.delete(e.id);
        break;
      case 'StartChildInstance':
        await add({
          target: e.childId,
          kind: 'start',
          payload: {
            definition: {
              processId: e.processId,
              ...(e.versionTag ? { versionTag: e.versionTag } : {}),
              ...(e.sameDeployment ? { sameDeploymentAs: state.definitionKey } : {}),
            },
            init: {
              id: e.childId,
              businessKey: state.businessKey,
              parent: { instanceId: id, elementKey: e.elementKey },
              callDepth: e.callDepth,
              variables: e.variables,
            },
          } satisfies StartItem,
        });
        break;
      case 'CancelChildInstance':
        await add({
          target: e.childId,
          kind: 'command',
          payload: {
            cmd: { type: 'CancelInstance', reason: 'the calling activity was terminated', byParent: true },
          } satisfies CommandItem,
        });
        break;
      case 'NotifyParent': {
        const cmd: Command =
          e.outcome === 'completed'
            ? { type: 'CompleteChild', elementKey: e.elementKey, variables: e.variables }
            : {
                type: 'ThrowFromChild',
                elementKey: e.elementKey,
                kind: e.outcome,
                variables: e.variables,
                ...(e.code !== undefined ? { code: e.code } : {}),
              };
        await add({ target: e.parentId, kind: 'command', payload: { cmd } satisfies CommandItem });
        break;
      }
      case 'ChangeDefinition':
        await tx.operations.changeDefinition(id, e.definitionKey, e.version);
        break;
      case 'MoveWork':
        await tx.operations.moveWork(e.kind, e.key, e.elementId);
        break;
      case 'PublishMessage':
        await add({
          target: null,
          kind: 'message',
          payload: {
            name: e.name,
            ...(e.correlationKey !== undefined ? { correlationKey: e.correlationKey } : {}),
            variables: e.variables,
            callDepth: (state.callDepth ?? 0) + 1,
          } satisfies FanOutItem,
        });
        break;
      case 'BroadcastSignal':
        await add({
          target: null,
          kind: 'signal',
          payload: { name: e.name, variables: e.variables, callDepth: (state.callDepth ?? 0) + 1 } satisfies FanOutItem,
        });
        break;
    }
  }
  if (inbox.length) {
    tx.notify({ kind: 'inbox' });
    w.after(() => sinks.inboxAdded(inbox));
  }
}

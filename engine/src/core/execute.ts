/**
 * The pure core: (instance state, command, context) -> (new state, history, effects) or a rejection.
 * No I/O, no clock, no randomness: time and ids come in through the context.
 *
 * @example
 *   const out = execute(state, model, { type: 'CompleteJob', jobKey, variables: { ok: true } }, ctx);
 *   if (out.ok) store.commit(out.state, out.history, out.effects);
 */
import type { ProcessModel } from '../model/types.js';
import type { Command } from './commands.js';
import { DEFERRED_WHILE_SUSPENDED } from './commands.js';
import type { Effect, HistoryEvent } from './effects.js';
import { continueBody } from './elements/multi-instance.js';
import { behaviorOf } from './elements/registry.js';
import { fireWait, throwEvent } from './events.js';
import { evalCondition } from './feel.js';
import { afterListeners, checkScope, complete, completeRoot, leave, runActivation, terminate } from './lifecycle.js';
import { activateAdHocElements, decideAdHoc } from './elements/ad-hoc-sub-process.js';
import { onListenerJobCompleted } from './listeners.js';
import {
  assign,
  beginTransition,
  hasTaskListeners,
  onTaskListenerJobCompleted,
  restartTransition,
} from './task-listeners.js';
import { LinksNeeded, type LinkRef } from './links.js';
import type { CoreContext } from './run.js';
import { Run } from './run.js';
import type { ElementInstance, InstanceState, Wait } from './state.js';
import { ROOT_KEY } from './state.js';
import { depthMessage, variablesDepthProblem } from './plain-data.js';
import { findWait } from './waits.js';
import { modifyInstance } from './modify.js';

export type Outcome =
  | { readonly ok: true; readonly state: InstanceState; readonly history: HistoryEvent[]; readonly effects: Effect[] }
  | {
      readonly ok: false;
      readonly status: number;
      readonly code: string;
      readonly message: string;
      /** What exactly was wrong, when there is more to say (each problem of a modification). */
      readonly details?: readonly unknown[];
      /** `LINKS_NEEDED`: resources to load before running the command again (see ./links.ts). */
      readonly needs?: readonly LinkRef[];
    };

export interface NewInstance {
  readonly id: string;
  readonly processId: string;
  readonly version: number;
  readonly definitionKey: string;
  readonly businessKey: string | null;
  readonly parent?: { readonly instanceId: string; readonly elementKey: string };
  /** How many call activities deep the instance is started (the call depth budget, core/budgets.ts); default 0. */
  readonly callDepth?: number;
  readonly variables?: Record<string, unknown>;
  /** A message, timer or signal start event; default: the none start event. */
  readonly startElementId?: string;
}

function reject(status: number, code: string, message: string): Outcome {
  return { ok: false, status, code, message };
}

/** Variables coming in with a command nest at most MAX_VARIABLE_DEPTH levels: deeper ones cannot be stored. */
function variablesTooDeep(vars: Record<string, unknown> | undefined): Outcome | undefined {
  const found = variablesDepthProblem(vars);
  return found ? reject(400, 'VARIABLES_TOO_DEEP', depthMessage('the variables', found)) : undefined;
}

/**
 * Runs `step`; a command that needs a deployed resource the context did not bring answers
 * `LINKS_NEEDED` with the references (its working state is then half-changed: run it again on a copy).
 */
function withLinks(step: () => Outcome): Outcome {
  try {
    return step();
  } catch (e) {
    if (!(e instanceof LinksNeeded)) throw e;
    return { ok: false, status: 500, code: 'LINKS_NEEDED', message: e.message, needs: e.refs };
  }
}

/** Starts a new instance and runs it to its first wait states. */
export function startInstance(model: ProcessModel, init: NewInstance, ctx: CoreContext): Outcome {
  return withLinks(() => start(model, init, ctx));
}

function start(model: ProcessModel, init: NewInstance, ctx: CoreContext): Outcome {
  const tooDeep = variablesTooDeep(init.variables);
  if (tooDeep) return tooDeep;
  const state: InstanceState = {
    id: init.id,
    processId: init.processId,
    version: init.version,
    definitionKey: init.definitionKey,
    businessKey: init.businessKey,
    status: 'active',
    suspended: false,
    startedAt: ctx.now,
    endedAt: null,
    elements: {},
    vars: { [ROOT_KEY]: { ...(init.variables ?? {}) } },
    joins: {},
    compensation: {},
    incidents: {},
    deferred: [],
    nextKey: 2,
    seq: 0,
    ...(init.parent ? { parent: init.parent } : {}),
    ...(init.callDepth ? { callDepth: init.callDepth } : {}),
  };
  const run = new Run(state, model, ctx);
  const root: ElementInstance = { key: ROOT_KEY, elementId: model.id, parent: null, phase: 'active' };
  if (init.startElementId) root.startAt = { elementId: init.startElementId, variables: init.variables ?? {} };
  run.addElement(root);
  run.record('process-started', undefined, {
    elementId: model.id,
    elementType: 'bpmn:Process',
    businessKey: init.businessKey,
    version: init.version,
  });
  const maxDepth = run.budget.limits.callDepth;
  if ((init.callDepth ?? 0) > maxDepth) {
    // started by a signal or message another instance threw, one level deeper than it: a loop of
    // instances starting each other stops here, like a call activity calling its own process
    const message =
      `Expected an instance started by another instance's signal or message to nest at most ${maxDepth} levels deep, ` +
      `but this one is level ${init.callDepth}; it waits at its start: retry this incident to run it anyway`;
    run.incident(root, 'BUDGET_EXCEEDED', { message, budget: { budget: 'callDepth', limit: maxDepth } }, 'continue', {
      pending: [ROOT_KEY],
    });
    return finish(run);
  }
  runActivation(run, root);
  return finish(run);
}

/**
 * Applies one command to a copy of the instance state. With `owned`, the caller hands the state
 * over (it was just decoded and nobody else holds it) and the copy is skipped.
 */
export function execute(
  current: InstanceState,
  model: ProcessModel,
  cmd: Command,
  ctx: CoreContext,
  owned = false,
): Outcome {
  return withLinks(() => applyCommand(current, model, cmd, ctx, owned));
}

function applyCommand(
  current: InstanceState,
  model: ProcessModel,
  cmd: Command,
  ctx: CoreContext,
  owned: boolean,
): Outcome {
  const tooDeep = variablesTooDeep('variables' in cmd ? cmd.variables : undefined);
  if (tooDeep) return tooDeep;
  const state = owned ? current : structuredClone(current);
  const run = new Run(state, model, ctx);
  if (state.status !== 'active' && cmd.type !== 'StartInstance') {
    return reject(409, 'INSTANCE_NOT_ACTIVE', `Expected instance ${state.id} to be active, but it is ${state.status}`);
  }
  if (state.suspended && REFUSED_WHILE_SUSPENDED.has(cmd.type)) {
    return reject(409, 'INSTANCE_SUSPENDED', `Expected instance ${state.id} to be running, but it is suspended`);
  }
  if (state.suspended && DEFERRED_WHILE_SUSPENDED.has(cmd.type)) {
    state.deferred.push(cmd);
    return { ok: true, state, history: [], effects: closeConsumedSubscription(run, cmd) };
  }
  const rejection = apply(run, cmd);
  if (rejection) return rejection;
  return finish(run);
}

/** Commands that would move tokens now, so a suspended instance refuses them (timers and messages wait instead). */
const REFUSED_WHILE_SUSPENDED: ReadonlySet<Command['type']> = new Set([
  'CompleteJob',
  'CompleteUserTask',
  'ThrowJobError',
  'RetryIncident',
  'ActivateAdHocElements',
  'AssignUserTask',
]);

function finish(run: Run): Outcome {
  run.drain();
  if (!run.state.suspended && !run.stopped) evaluateConditionals(run);
  run.park();
  return { ok: true, state: run.state, history: run.history, effects: run.effects };
}

/**
 * A message or signal kept for a suspended instance is taken: a one-shot subscription (a catch
 * event, an interrupting boundary or event sub-process, an event-based gateway) closes now, so that
 * a second message cannot also be acknowledged as correlated to it.
 */
function closeConsumedSubscription(run: Run, cmd: Command): Effect[] {
  if (cmd.type !== 'CorrelateMessage' && cmd.type !== 'TriggerSignal') return [];
  const found = findWait(run, cmd.subscriptionKey);
  if (!found) return [];
  const target = run.def(found.wait.target);
  const ownerEl = run.def(found.owner.elementId);
  const oneShot =
    target.id === found.owner.elementId || ownerEl.type === 'bpmn:EventBasedGateway' || target.interrupting !== false;
  return oneShot ? [{ type: 'CloseSubscription', key: cmd.subscriptionKey }] : [];
}

function byJob(run: Run, key: string): ElementInstance | undefined {
  return Object.values(run.state.elements).find((e) => e.job?.key === key);
}

function apply(run: Run, cmd: Command): Outcome | undefined {
  const s = run.state;
  switch (cmd.type) {
    case 'StartInstance':
      return reject(400, 'INVALID_COMMAND', 'StartInstance goes through startInstance()');
    case 'CompleteJob': {
      const ei = byJob(run, cmd.jobKey);
      if (!ei) return reject(404, 'JOB_NOT_FOUND', `Expected job ${cmd.jobKey} to exist, but it does not`);
      run.record('job-completed', ei, { jobKey: cmd.jobKey });
      run.effect({ type: 'RemoveJob', key: cmd.jobKey });
      if (ei.taskListener) {
        const refused = onTaskListenerJobCompleted(run, ei, cmd.variables, cmd.result);
        if (refused) return reject(refused.status, refused.code, refused.message);
      } else if (cmd.result) {
        return reject(
          400,
          'INVALID_JOB_RESULT',
          `Expected a job result (denied, corrections) only for a task listener job, but job ${cmd.jobKey} is not one`,
        );
      } else if (ei.listener) onListenerJobCompleted(run, ei, cmd.variables, (phase) => afterListeners(run, ei, phase));
      else triggerSelf(run, ei, 'job', cmd.variables);
      return undefined;
    }
    case 'FailJob': {
      const ei = byJob(run, cmd.jobKey);
      if (!ei?.job) return reject(404, 'JOB_NOT_FOUND', `Expected job ${cmd.jobKey} to exist, but it does not`);
      const retries = Math.max(0, Math.floor(cmd.retries));
      for (const [k, v] of Object.entries(cmd.variables ?? {})) run.setLocal(ei.key, k, v);
      run.record('job-failed', ei, { jobKey: cmd.jobKey, retries, errorMessage: cmd.errorMessage ?? null });
      if (retries > 0) {
        run.effect({
          type: 'UpdateJob',
          key: cmd.jobKey,
          retries,
          state: 'activatable',
          dueAt: run.ctx.now + Math.max(0, cmd.retryBackoffMs ?? 0),
          ...(cmd.errorMessage ? { errorMessage: cmd.errorMessage } : {}),
        });
      } else {
        run.effect({
          type: 'UpdateJob',
          key: cmd.jobKey,
          retries: 0,
          state: 'failed',
          ...(cmd.errorMessage ? { errorMessage: cmd.errorMessage } : {}),
        });
        run.incident(
          ei,
          'JOB_NO_RETRIES',
          cmd.errorMessage || `Job ${cmd.jobKey} failed and has no retries left`,
          'job',
          { jobKey: cmd.jobKey },
        );
      }
      return undefined;
    }
    case 'ThrowJobError': {
      const ei = byJob(run, cmd.jobKey);
      if (!ei) return reject(404, 'JOB_NOT_FOUND', `Expected job ${cmd.jobKey} to exist, but it does not`);
      if (ei.listener)
        return reject(
          409,
          'LISTENER_JOB_ERROR',
          `Expected a job of a task, but job ${cmd.jobKey} is a ${ei.listener.phase} execution listener of ${ei.elementId}: Camunda 8 does not support throwing a BPMN error from a listener job; complete or fail it`,
        );
      run.record('job-error-thrown', ei, {
        jobKey: cmd.jobKey,
        errorCode: cmd.errorCode,
        errorMessage: cmd.errorMessage ?? null,
      });
      if (throwEvent(run, ei, 'error', cmd.errorCode, cmd.variables ?? {}) === 'uncaught') {
        run.effect({ type: 'UpdateJob', key: cmd.jobKey, state: 'failed' });
        run.incident(
          ei,
          'UNHANDLED_ERROR_EVENT',
          `Expected a catch event for the error '${cmd.errorCode}' thrown by ${ei.elementId}, but none was found${cmd.errorMessage ? `: ${cmd.errorMessage}` : ''}`,
          'job',
          { jobKey: cmd.jobKey },
        );
      }
      return undefined;
    }
    case 'FireTimer':
    case 'CorrelateMessage':
    case 'TriggerSignal': {
      const key = cmd.type === 'FireTimer' ? cmd.timerKey : cmd.subscriptionKey;
      const found = findWait(run, key);
      if (!found)
        return cmd.type === 'FireTimer'
          ? reject(404, 'TIMER_NOT_FOUND', `Expected timer ${key} to be armed, but it is not (its element ended)`)
          : reject(404, 'SUBSCRIPTION_NOT_FOUND', `Expected subscription ${key} to be open, but it is not`);
      const vars = cmd.type === 'FireTimer' ? undefined : cmd.variables;
      fireWait(run, found.owner, found.wait, vars);
      return undefined;
    }
    case 'AssignUserTask':
      return assignUserTask(run, cmd);
    case 'CompleteUserTask': {
      const ei = Object.values(s.elements).find((e) => e.userTask === cmd.taskId);
      if (!ei) return reject(404, 'USER_TASK_NOT_FOUND', `Expected user task ${cmd.taskId} to be open, but it is not`);
      if (ei.taskListener) return busy(ei);
      if (hasTaskListeners(run.def(ei.elementId), 'completing')) {
        beginTransition(run, ei, {
          event: 'completing',
          taskId: cmd.taskId,
          data: ei.taskData!,
          ...(cmd.variables ? { variables: cmd.variables } : {}),
        });
        return undefined;
      }
      run.record('user-task-completed', ei, { taskId: cmd.taskId });
      run.effect({ type: 'RemoveUserTask', id: cmd.taskId });
      triggerSelf(run, ei, 'userTask', cmd.variables);
      return undefined;
    }
    case 'CancelInstance': {
      if (s.parent && !cmd.byParent) {
        return reject(
          409,
          'CALLED_INSTANCE',
          `Expected a root instance, but ${s.id} was called by instance ${s.parent.instanceId}: cancel that one`,
        );
      }
      const root = run.ei(ROOT_KEY);
      if (root) terminate(run, root);
      s.status = 'cancelled';
      s.endedAt = run.ctx.now;
      run.record('process-cancelled', undefined, {
        elementId: run.model.id,
        elementType: 'bpmn:Process',
        ...audit(cmd),
        ...(cmd.byParent ? { byParent: true } : {}),
      });
      return undefined;
    }
    case 'SuspendInstance':
      if (s.suspended)
        return reject(
          409,
          'INSTANCE_SUSPENDED',
          `Expected instance ${s.id} to be running, but it is already suspended`,
        );
      s.suspended = true;
      run.record('process-suspended', undefined, audit(cmd));
      return undefined;
    case 'ResumeInstance': {
      if (!s.suspended)
        return reject(409, 'INSTANCE_NOT_SUSPENDED', `Expected instance ${s.id} to be suspended, but it is not`);
      s.suspended = false;
      run.record('process-resumed', undefined, audit(cmd));
      const deferred = s.deferred.splice(0) as Command[];
      for (const d of deferred) {
        // a kept command whose wait closed meanwhile is refused where the history shows it, not dropped
        const refused = apply(run, d);
        if (refused && !refused.ok)
          run.record('command-refused', undefined, { command: d.type, code: refused.code, message: refused.message });
        run.drain();
      }
      return undefined;
    }
    case 'SetVariables':
      for (const [k, v] of Object.entries(cmd.variables)) run.setLocal(ROOT_KEY, k, v);
      run.record('variables-updated', undefined, { names: Object.keys(cmd.variables), ...audit(cmd) });
      return undefined;
    case 'RetryIncident':
      return retryIncident(run, cmd);
    case 'ModifyInstance': {
      const refused = modifyInstance(run, cmd.modification, audit(cmd));
      return refused ? { ok: false, ...refused } : undefined;
    }
    case 'ActivateAdHocElements':
      return activateAdHocElements(run, cmd, audit(cmd));
    case 'CompleteChild': {
      const ei = run.ei(cmd.elementKey);
      if (!ei?.child)
        return reject(
          404,
          'ELEMENT_NOT_FOUND',
          `Expected call activity instance ${cmd.elementKey} to wait for its child, but it does not`,
        );
      triggerSelf(run, ei, 'child', cmd.variables);
      return undefined;
    }
    case 'RaiseIncident': {
      const ei = run.ei(cmd.elementKey) ?? run.ei(ROOT_KEY);
      if (ei) run.incident(ei, cmd.incidentType, cmd.message, cmd.retry ?? 'activate');
      return undefined;
    }
    case 'ThrowFromChild': {
      const ei = run.ei(cmd.elementKey);
      if (!ei)
        return reject(404, 'ELEMENT_NOT_FOUND', `Expected call activity instance ${cmd.elementKey}, but it is gone`);
      if (throwEvent(run, ei, cmd.kind, cmd.code, cmd.variables ?? {}) === 'uncaught' && cmd.kind === 'error') {
        run.incident(
          ei,
          'UNHANDLED_ERROR_EVENT',
          `Expected a catch event for the error '${cmd.code ?? ''}' thrown in the called process, but none was found`,
          'activate',
        );
      }
      return undefined;
    }
  }
}

/**
 * The element instance a command is addressed to (the owner of its job, timer or subscription, or
 * the call activity of a child's result); the process root when it names none or it is gone.
 */
export function commandElementKey(state: InstanceState, cmd: Command): string {
  const elements = Object.values(state.elements);
  switch (cmd.type) {
    case 'CompleteJob':
    case 'FailJob':
    case 'ThrowJobError':
      return elements.find((e) => e.job?.key === cmd.jobKey)?.key ?? ROOT_KEY;
    case 'FireTimer':
    case 'CorrelateMessage':
    case 'TriggerSignal': {
      const key = cmd.type === 'FireTimer' ? cmd.timerKey : cmd.subscriptionKey;
      return elements.find((e) => e.waits?.some((w) => w.key === key))?.key ?? ROOT_KEY;
    }
    case 'CompleteUserTask':
    case 'AssignUserTask':
      return elements.find((e) => e.userTask === cmd.taskId)?.key ?? ROOT_KEY;
    case 'CompleteChild':
    case 'ThrowFromChild':
    case 'RaiseIncident':
      return state.elements[cmd.elementKey] ? cmd.elementKey : ROOT_KEY;
    default:
      return ROOT_KEY;
  }
}

function audit(cmd: { reason?: string; actor?: string; batchId?: string }): Record<string, unknown> {
  return {
    ...(cmd.reason !== undefined ? { reason: cmd.reason } : {}),
    ...(cmd.actor !== undefined ? { actor: cmd.actor } : {}),
    ...(cmd.batchId !== undefined ? { batchId: cmd.batchId } : {}),
  };
}

function triggerSelf(
  run: Run,
  ei: ElementInstance,
  kind: 'job' | 'userTask' | 'child',
  variables: Record<string, unknown> | undefined,
): void {
  if (run.ei(ei.key) !== ei) return;
  const el = run.def(ei.elementId);
  behaviorOf(el, ei).trigger?.(run, ei, el, { kind, variables: variables ?? {} });
}

function retryIncident(run: Run, cmd: Extract<Command, { type: 'RetryIncident' }>): Outcome | undefined {
  const inc = run.state.incidents[cmd.incidentId];
  if (!inc) return reject(404, 'INCIDENT_NOT_FOUND', `Expected incident ${cmd.incidentId} to be open, but it is not`);
  const over = inc.retry === 'continue' ? tokensOver(run) : undefined;
  if (over) return over;
  delete run.state.incidents[inc.id];
  run.effect({ type: 'ResolveIncident', id: inc.id });
  run.history.push({ type: 'incident-resolved', elementId: inc.elementId, incidentId: inc.id, ...audit(cmd) });
  if (inc.retry === 'continue') {
    for (const key of inc.pending ?? []) run.enqueue(key);
    return undefined;
  }
  const ei = run.ei(inc.elementKey);
  if (!ei || (ei.key === ROOT_KEY && !ei.listener)) return undefined;
  if (ei.taskListener && inc.retry !== 'job') {
    restartTransition(run, ei);
    return undefined;
  }
  if (inc.retry === 'complete' && ei.listener?.phase === 'end') {
    // an end listener's type or retries failed: output mappings and all end listeners run again
    delete ei.listener;
    if (ei.key === ROOT_KEY) completeRoot(run);
    else complete(run, ei);
    return undefined;
  }
  switch (inc.retry) {
    case 'job':
      if (ei.job) {
        run.effect({
          type: 'UpdateJob',
          key: ei.job.key,
          retries: Math.max(1, cmd.retries ?? 1),
          state: 'activatable',
          dueAt: run.ctx.now,
        });
      }
      break;
    case 'activate':
      run.enqueue(ei.key);
      break;
    case 'leave':
      ei.phase = 'active';
      if (ei.adHocInner) checkScope(run, ei.key);
      else leave(run, ei);
      break;
    // a multi-instance or loop body (or an ad-hoc sub-process) failed deciding how to go on: decide again
    case 'complete':
      if (ei.mi) continueBody(run, ei);
      else if (run.def(ei.elementId).adHoc) decideAdHoc(run, ei);
      else complete(run, ei);
      break;
  }
  return undefined;
}

/** A user task whose transition waits for its task listeners takes no other transition. */
function busy(ei: ElementInstance): Outcome {
  const t = ei.taskListener!;
  return reject(
    409,
    'USER_TASK_BUSY',
    `Expected user task ${t.taskId} to be idle, but its ${t.event} transition waits for a task listener`,
  );
}

/** Claims or unclaims a user task through the core (its element has task listeners). */
function assignUserTask(run: Run, cmd: Extract<Command, { type: 'AssignUserTask' }>): Outcome | undefined {
  const ei = Object.values(run.state.elements).find((e) => e.userTask === cmd.taskId);
  if (!ei?.taskData)
    return reject(404, 'USER_TASK_NOT_FOUND', `Expected user task ${cmd.taskId} to be open, but it is not`);
  if (ei.taskListener) return busy(ei);
  const holder = ei.taskData.assignee;
  if (!cmd.allowOverride && cmd.assignee !== null && holder && holder !== cmd.assignee)
    return reject(
      409,
      'USER_TASK_ALREADY_CLAIMED',
      `Expected user task ${cmd.taskId} to be unclaimed, but ${holder} holds it`,
    );
  assign(run, ei, cmd.assignee);
  return undefined;
}

/** A run stopped at the tokens budget cannot go on while the instance still holds more tokens than that. */
function tokensOver(run: Run): Outcome | undefined {
  const { tokens } = run.budget.limits;
  if (run.budget.tokens <= tokens) return undefined;
  return reject(
    409,
    'BUDGET_EXCEEDED',
    `Expected instance ${run.state.id} to hold at most ${tokens} tokens to continue, but it holds ${run.budget.tokens}; cancel it, or raise the budget (BATON_MAX_TOKENS)`,
  );
}

/** Conditional events fire when their condition turns true; checked after every command. */
function evaluateConditionals(run: Run): void {
  for (let round = 0; round < 20; round++) {
    const due: [ElementInstance, Wait][] = [];
    for (const owner of Object.values(run.state.elements)) {
      for (const w of owner.waits ?? []) {
        if (w.kind !== 'conditional') continue;
        const ev = run.def(w.target).event;
        if (ev?.kind !== 'conditional') continue;
        const r = evalCondition(ev.condition, run.visible(owner.key), run.ctx);
        const holds = r.ok && r.value;
        if (holds && !w.held) due.push([owner, w]);
        (w as { held?: boolean }).held = holds;
      }
    }
    if (!due.length) return;
    for (const [owner, w] of due)
      if (run.ei(owner.key) === owner && owner.waits?.includes(w)) fireWait(run, owner, w, {});
    run.drain();
  }
}

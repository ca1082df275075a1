/**
 * Execution listeners (`zeebe:executionListeners`), as Camunda 8.6+ runs them: each is a job of its
 * own type, and the element waits for it. Start listeners run after the input mappings and before
 * the element arms its boundary events and does its work; their variables become local variables
 * of the element. End listeners run after the output mappings and before the element takes its
 * outgoing flows; their variables propagate from the element's parent scope, like output mappings.
 * Listeners of one event type run one after another, in document order.
 *
 * A failed listener job retries and then raises an incident whose retry runs that listener again;
 * a listener whose type or retries cannot be evaluated raises an incident whose retry runs all
 * listeners of its event type again (with the input or output mappings before them).
 */
import type { ElementDef } from '../model/types.js';
import { openJob } from './elements/job-task.js';
import { isBody } from './elements/registry.js';
import type { Run } from './run.js';
import type { ElementInstance } from './state.js';

type Vars = Record<string, unknown>;
export type ListenerPhase = 'start' | 'end';

/** The listeners of `phase` that run for this element instance (none on a multi-instance body: they run per iteration). */
function listenersOf(el: ElementDef, ei: ElementInstance, phase: ListenerPhase) {
  return isBody(el, ei) ? [] : (el.listeners?.[phase] ?? []);
}

/** True when `ei` has listeners of `phase` to run. */
export function hasListeners(el: ElementDef, ei: ElementInstance, phase: ListenerPhase): boolean {
  return listenersOf(el, ei, phase).length > 0;
}

/**
 * Opens the job of listener `index` of `phase`. Returns false when it could not be created (the
 * incident is raised); the element goes on only when the last listener's job is completed.
 */
export function runListener(run: Run, ei: ElementInstance, el: ElementDef, phase: ListenerPhase, index = 0): boolean {
  const list = listenersOf(el, ei, phase);
  const listener = list[index]!;
  ei.listener = { phase, index };
  const headers = { ...(el.job?.headers ?? {}), ...listener.headers };
  const what = `the ${phase} execution listener "${listener.type.src}" of ${el.id}`;
  if (!openJob(run, ei, { ...listener, headers }, what, phase === 'start' ? 'activate' : 'complete')) return false;
  run.record('listener-started', ei, { eventType: phase, index, jobKey: ei.job!.key });
  return true;
}

/**
 * A listener's job was completed: its variables land (local for start, propagated for end), then
 * the next listener runs, or `done` continues the element (activation, or leaving).
 */
export function onListenerJobCompleted(
  run: Run,
  ei: ElementInstance,
  variables: Vars | undefined,
  done: (phase: ListenerPhase) => void,
): void {
  const { phase, index } = ei.listener!;
  const el = run.def(ei.elementId);
  delete ei.job;
  for (const [k, v] of Object.entries(variables ?? {})) {
    if (phase === 'start' || ei.parent === null) run.setLocal(ei.key, k, v);
    else run.assign(ei.parent, k, v, 'propagate');
  }
  run.record('listener-completed', ei, { eventType: phase, index });
  if (index + 1 < listenersOf(el, ei, phase).length) {
    runListener(run, ei, el, phase, index + 1);
    return;
  }
  delete ei.listener;
  done(phase);
}

/**
 * Straight-through runs: jobs that one command creates for in-process handlers are run at once, in
 * the command's transaction, and their results applied as further commands on the same state, so
 * that a chain of in-process steps (service tasks, scripts, gateways) costs one commit instead of
 * one per job. A job handled this way never gets a row; its history (created, completed) is the same.
 *
 * Only handlers that answer at once take part: a handler returning a plain value, or a promise
 * settled within a few microtask turns (an `async` handler that does not wait for I/O). The
 * transaction never yields to the event loop for it: nothing else runs (or is metered) meanwhile.
 * A handler still running then, or one that failed, is not waited for: its job is written as
 * usual (locked by this node) and, once the commit is durable, the running call is handed to the
 * scheduler as that job's run (see {@link InlineHandlers.adopt}), which applies its result or
 * failure in a later commit as today.
 *
 * Handlers stay at-least-once: one that ran here runs again if the transaction rolls back (a
 * failure of another operation of the batch, a crash before the commit), and nothing it did is
 * recorded twice, since nothing of the first run was committed.
 */
import type { Command } from '../core/commands.js';
import type { Effect, JobSpec } from '../core/effects.js';
import type { Outcome } from '../core/execute.js';
import type { InstanceState } from '../core/state.js';
import type { JobHandler } from './engine-port.js';
import { newJobRow } from './effects.js';
import { jobView } from './views.js';

export type Done = Extract<Outcome, { ok: true }>;

/** The engine's side of straight-through runs. */
export interface InlineHandlers {
  /** The in-process handler of `type` on this node, if any. */
  handler(type: string): JobHandler | undefined;
  /** After the commit: a handler call that did not answer at once becomes the run of job `key`. */
  adopt(key: string, result: Promise<HandlerResult>): void;
}

export type HandlerResult = Record<string, unknown> | void;

/** Most jobs run inline after one command (a loop of service tasks must not hold a transaction forever). */
export const MAX_INLINE_JOBS = 200;

export interface Chain {
  readonly out: Done;
  /** Jobs run and completed here (they get no row). */
  readonly completed: number;
  /** Handler calls still running (or failed) when the chain stopped, by job key: for the scheduler. */
  readonly adopted: ReadonlyMap<string, Promise<HandlerResult>>;
  /** The effects of the completions alone (not of the first command). */
  readonly stepEffects: readonly Effect[];
}

type Call = { settled: true; value: HandlerResult } | { settled: false; promise: Promise<HandlerResult> };

/**
 * Runs the in-process jobs `first` created, and those their completions create in turn, applying
 * each result with `step` (one core command on the state). The answer merges the history and
 * effects of every step; a job created and removed within the chain leaves no effect behind. It
 * stops at {@link MAX_INLINE_JOBS} jobs or once `spent` says the command's budget is half used: the
 * jobs left get their rows and run after the commit, as without straight-through runs.
 */
export async function runChain(
  first: Done,
  instanceId: string,
  inline: InlineHandlers,
  step: (state: InstanceState, cmd: Command) => Promise<Outcome>,
  now: number,
  spent: () => boolean,
  maxJobs = MAX_INLINE_JOBS,
): Promise<Chain> {
  let pending = handledJobs(first.effects, inline);
  if (!pending.length) return { out: first, completed: 0, adopted: new Map(), stepEffects: [] };
  let state = first.state;
  const history = [...first.history];
  const effects = [...first.effects];
  const stepEffects: Effect[] = [];
  const adopted = new Map<string, Promise<HandlerResult>>();
  let completed = 0;
  while (pending.length) {
    const room = maxJobs - completed;
    if (room <= 0 || spent()) break;
    const batch = pending.slice(0, room);
    const calls = await settleSoon(batch.map((j) => call(inline.handler(j.type)!, j, instanceId, state, now)));
    const next: JobSpec[] = [];
    for (const [i, c] of calls.entries()) {
      const job = batch[i]!;
      if (!c.settled) {
        adopted.set(job.key, c.promise);
        continue;
      }
      // the budget ran low during the round: the result is applied after the commit, like a slow handler's
      if (spent()) {
        adopted.set(job.key, Promise.resolve(c.value));
        continue;
      }
      const cmd: Command = {
        type: 'CompleteJob',
        jobKey: job.key,
        ...(c.value && typeof c.value === 'object' ? { variables: c.value } : {}),
      };
      const more = await step(state, cmd);
      // the job is gone meanwhile (an earlier step of this round terminated its element): like a
      // late result today, it is dropped; its creation and removal are in the effects already
      if (!more.ok) continue;
      completed++;
      state = more.state;
      history.push(...more.history);
      effects.push(...more.effects);
      stepEffects.push(...more.effects);
      next.push(...handledJobs(more.effects, inline));
    }
    pending = next;
  }
  const kept = withoutShortLivedJobs(effects);
  const rows = new Set(kept.flatMap((e) => (e.type === 'CreateJob' ? [e.job.key] : [])));
  for (const key of adopted.keys()) if (!rows.has(key)) adopted.delete(key);
  return { out: { ok: true, state, history, effects: kept }, completed, adopted, stepEffects };
}

function handledJobs(effects: readonly Effect[], inline: InlineHandlers): JobSpec[] {
  const out: JobSpec[] = [];
  for (const e of effects) if (e.type === 'CreateJob' && inline.handler(e.job.type)) out.push(e.job);
  return out;
}

/** Calls a handler; a value or a settled promise is known at once, anything else is kept running. */
function call(handler: JobHandler, job: JobSpec, instanceId: string, state: InstanceState, now: number): Call {
  const row = newJobRow(job, instanceId, now);
  try {
    const r = handler(jobView(row, state));
    if (r && typeof (r as Promise<unknown>).then === 'function')
      return { settled: false, promise: r as Promise<HandlerResult> };
    return { settled: true, value: r as HandlerResult };
  } catch (err) {
    return { settled: false, promise: Promise.reject(err) };
  }
}

/** Microtask turns a handler's promise gets to settle (an `async` function awaiting only settled promises). */
const MICROTASK_TURNS = 16;

/**
 * Waits for the pending calls for {@link MICROTASK_TURNS} microtask turns, without yielding to the
 * event loop (a transaction must not); the ones fulfilled by then count as settled. A rejection is
 * not settled: the scheduler reports it (a failure or a BPMN error) as it does today.
 */
async function settleSoon(calls: Call[]): Promise<Call[]> {
  const open = calls.filter((c) => !c.settled);
  if (!open.length) return calls;
  const results = new Map<Call, HandlerResult>();
  for (const c of open)
    c.promise.then(
      (v) => void results.set(c, v),
      () => {},
    );
  for (let turn = 0; turn < MICROTASK_TURNS && results.size < open.length; turn++) await undefined;
  return calls.map((c) => (!c.settled && results.has(c) ? { settled: true, value: results.get(c) } : c));
}

/** Drops a job's creation and removal when both happened within one chain: no row, no dispatch. */
function withoutShortLivedJobs(effects: readonly Effect[]): Effect[] {
  const created = new Set<string>();
  const gone = new Set<string>();
  for (const e of effects) {
    if (e.type === 'CreateJob') created.add(e.job.key);
    else if (e.type === 'RemoveJob' && created.has(e.key)) gone.add(e.key);
  }
  if (!gone.size) return effects as Effect[];
  return effects.filter(
    (e) => !((e.type === 'CreateJob' && gone.has(e.job.key)) || (e.type === 'RemoveJob' && gone.has(e.key))),
  );
}

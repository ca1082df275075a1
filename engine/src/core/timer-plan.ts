/**
 * When timers fire: the first due time of any timer, and the one rule for what a cycle does after
 * it fired — the same for boundary, event sub-process, intermediate and start timers.
 *
 * The catch-up rule (Camunda 8's): after a cycle fired for the occurrence due at `previousDue`, its
 * next due time is the natural next occurrence (`previousDue` plus the interval, or the next cron
 * match after it) when that still lies after `now`. When it does not — the engine was down, the
 * instance was suspended, or the firing came late by a whole interval — the missed occurrences
 * collapse into the firing that just happened, and the next one is a full interval after `now`
 * (the next cron match after `now`). Repetitions count firings, so missed occurrences use none up.
 * Pure: `now` comes in as an argument.
 */
import type { TimerKind } from '../model/types.js';
import { addIsoDuration } from './iso-time.js';
import { parseTimer, TIMER_PROPERTY, type CycleSpec, type Parsed, type TimerSpec } from './timer-spec.js';

/** Default shortest timer cycle (compile option `minTimerCycleMs`): one firing per second. */
export const DEFAULT_MIN_TIMER_CYCLE_MS = 1000;

/** A cycle's progress, kept with its timer: the cycle's text and how many firings are left after the scheduled one (-1 = unbounded). */
export interface CycleProgress {
  readonly spec: string;
  readonly left: number;
}

/** A timer to schedule: its due time and, for cycles, the progress to keep with it. */
export interface TimerPlan {
  readonly dueAt: number;
  readonly cycle?: CycleProgress;
}

/**
 * Checks a timer value (already evaluated): it must parse as its kind, and a cycle must not fire
 * more often than once every `minCycleMs`. The compiler checks literal values with it, the core and
 * the runtime the values of expressions.
 */
export function checkTimer(kind: TimerKind, text: string, minCycleMs: number): Parsed<TimerSpec> {
  const parsed = parseTimer(kind, text);
  if (!parsed.ok || parsed.value.kind !== 'cycle') return parsed;
  const tooFast = cycleTooFast(parsed.value.cycle, minCycleMs);
  return tooFast ? { ok: false, expected: tooFast } : parsed;
}

/**
 * Plans the first firing of a timer whose value (already evaluated) is `text`, armed at `now`: a
 * duration is due that long after `now` (zero or negative: at once), a date at that date (past: at
 * once), a cycle at its start (past: at once) or one interval after `now`, a cron cycle at its next
 * match. Refuses what {@link checkTimer} refuses.
 */
export function planTimer(
  kind: TimerKind,
  text: string,
  now: number,
  minCycleMs: number,
): { ok: true; plan: TimerPlan } | { ok: false; expected: string } {
  const checked = checkTimer(kind, text, minCycleMs);
  if (!checked.ok) return checked;
  const spec = checked.value;
  const dueAt = firstDue(spec, now);
  if (spec.kind !== 'cycle') return { ok: true, plan: { dueAt } };
  const r = spec.cycle.repetitions;
  return { ok: true, plan: { dueAt, cycle: { spec: text.trim(), left: r < 0 ? -1 : Math.max(r - 1, 0) } } };
}

/** The first due time of a parsed timer armed at `now`. */
export function firstDue(spec: TimerSpec, now: number): number {
  switch (spec.kind) {
    case 'duration':
      return Math.max(now, addIsoDuration(now, spec.duration));
    case 'date':
      return spec.at.epochMs;
    case 'cycle': {
      const c = spec.cycle;
      if (c.type === 'cron') return c.cron.next(now) ?? Number.MAX_SAFE_INTEGER;
      return c.start ? Math.max(c.start.epochMs, now) : addIsoDuration(now, c.interval);
    }
  }
}

/**
 * The cycle's next firing after the one due at `previousDue` fired at `now` (see the module's
 * catch-up rule), or undefined when the cycle is done (no repetitions left, or no cron match ahead).
 */
export function nextCycleFiring(
  progress: CycleProgress,
  previousDue: number,
  now: number,
): { dueAt: number; cycle: CycleProgress } | undefined {
  if (progress.left === 0) return undefined;
  const parsed = parseTimer('cycle', progress.spec);
  if (!parsed.ok || parsed.value.kind !== 'cycle') return undefined;
  const cycle = parsed.value.cycle;
  const natural = step(cycle, previousDue);
  const dueAt = natural !== undefined && natural > now ? natural : step(cycle, now);
  if (dueAt === undefined) return undefined;
  return { dueAt, cycle: { spec: progress.spec, left: progress.left < 0 ? -1 : progress.left - 1 } };
}

/** One occurrence after `from`: plus the interval (in the start's zone), or the next cron match. */
function step(cycle: CycleSpec, from: number): number | undefined {
  if (cycle.type === 'cron') return cycle.cron.next(from);
  return addIsoDuration(from, cycle.interval, cycle.start?.zone);
}

/** Where the shortest gap of a calendar interval is measured: February of a common year. */
const REFERENCE = Date.UTC(2001, 1, 1);
/** Cron runs sampled to find a cron cycle's shortest gap. */
const CRON_SAMPLE = 1000;

/** The shortest time between two firings of the cycle (for cron, over its first runs after 2001-02-01). */
export function shortestGapMs(cycle: CycleSpec): number {
  if (cycle.type === 'interval') return addIsoDuration(REFERENCE, cycle.interval, cycle.start?.zone) - REFERENCE;
  let gap = Number.POSITIVE_INFINITY;
  let at = cycle.cron.next(REFERENCE);
  for (let i = 0; at !== undefined && i < CRON_SAMPLE; i++) {
    const next = cycle.cron.next(at);
    if (next !== undefined) gap = Math.min(gap, next - at);
    at = next;
  }
  return gap;
}

/** What was expected when the cycle fires more often than once every `minCycleMs`; undefined when it does not. */
export function cycleTooFast(cycle: CycleSpec, minCycleMs: number): string | undefined {
  // cron fires at most once a second, so it can only be too fast for a minimum above 1 s
  if (cycle.type === 'cron' && minCycleMs <= 1000) return undefined;
  const gap = shortestGapMs(cycle);
  if (gap >= minCycleMs) return undefined;
  return `a cycle that fires at most once every ${formatMs(minCycleMs)} (the minimum timer cycle, compile option minTimerCycleMs), not every ${formatMs(gap)}`;
}

/** The text of an evaluated timer value: a string as it is, anything else as JSON (for the message that refuses it). */
export function timerText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** "1 ms", "250 ms", "1 s", "1.5 s", "2 min". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000 || ms % 60_000 !== 0) return `${ms / 1000} s`;
  return `${ms / 60_000} min`;
}

/** "Expected the timeCycle of timer Tick to be …, but found "…"" — the message for a refused timer value. */
export function timerProblem(kind: TimerKind, timerId: string, expected: string, text: string): string {
  return `Expected the ${TIMER_PROPERTY[kind]} of timer ${timerId} to be ${expected}, but found "${text.trim()}"`;
}

/**
 * A clock that moves only when told to. An engine opened with `now: clock.now` reads its time from
 * it; `advance` and `set` then walk the engine through every timer due on the way, one due time
 * after another, letting the engine come to rest (in-process handlers answered, inbox items
 * applied, timers fired) at each, so a test sees what a week of real time would have done, in
 * milliseconds and in the same order every run.
 *
 * @example
 *   const clock = new TestClock('2030-01-01T00:00:00Z');
 *   await clock.advance('P7D'); // fires every timer due within the week, in order
 */
import { Temporal } from 'temporal-polyfill';
import type { Engine } from '../runtime/engine.js';

/** An ISO 8601 duration (`P7D`, `PT1H30M`, `P1M`), a Temporal duration, or a number of milliseconds. */
export type DurationInput = string | number | Temporal.Duration;
/** An ISO 8601 instant (`2030-01-01T09:00:00Z`), a Date, or epoch milliseconds. */
export type InstantInput = string | number | Date;

/** What the clock drives: the engine (see Engine.poke, Engine.idle) and where its next timer is. */
export interface ClockDriver {
  /** Looks for due work now. */
  poke(): void;
  /** True when nothing is left to do by the clock's time. */
  idle(): Promise<boolean>;
  /** When the earliest timer is due (epoch ms), if there is one. */
  nextTimerDue(): Promise<number | undefined>;
}

/** The driver of an engine opened with `now: clock.now`. */
export function engineDriver(engine: Engine): ClockDriver {
  return {
    poke: () => engine.poke(),
    idle: () => engine.idle(),
    nextTimerDue: () => engine.store.read.work.nextTimerDue(),
  };
}

/** Thrown for a duration or instant the clock cannot read, or a move it refuses (backwards). */
export class ClockError extends Error {
  override name = 'ClockError';
}

export class TestClock {
  private ms: number;
  private driver: ClockDriver | undefined;
  /** Moves run one after another, never interleaved. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    start: InstantInput = Date.now(),
    /** How long (real time) the engine may take to come to rest before a move fails. */
    private readonly settleTimeoutMs = 10_000,
  ) {
    this.ms = toEpochMs(start);
  }

  /** The current time in epoch ms: pass this to the engine (`openEngine({ now: clock.now })`). */
  readonly now = (): number => this.ms;

  /** The current time as an ISO 8601 instant. */
  read(): string {
    return new Date(this.ms).toISOString();
  }

  /** Lets `advance` and `set` drive this engine. */
  attach(driver: ClockDriver): void {
    this.driver = driver;
  }

  /** Moves the clock forward by `by`, firing every timer due on the way in order; resolves with the new time. */
  advance(by: DurationInput): Promise<string> {
    return this.enqueue(() => this.moveTo(addDuration(this.ms, by)));
  }

  /** Moves the clock to `to` (not backwards), firing every timer due on the way; resolves with the new time. */
  set(to: InstantInput): Promise<string> {
    return this.enqueue(() => {
      const target = toEpochMs(to);
      if (target < this.ms)
        throw new ClockError(`Expected a time at or after the clock's ${this.read()}, but got ${iso(target)}`);
      return this.moveTo(target);
    });
  }

  /** Resolves once the engine is at rest by the current time (nothing in-process runs or is due). */
  settle(): Promise<void> {
    return this.enqueue(() => this.waitForRest());
  }

  private enqueue<T>(move: () => Promise<T>): Promise<T> {
    const run = this.queue.then(move);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async moveTo(target: number): Promise<string> {
    const d = this.driver;
    await this.waitForRest();
    if (d) {
      for (;;) {
        const next = await d.nextTimerDue();
        if (next === undefined || next > target) break;
        if (next <= this.ms)
          // still due after the engine came to rest: its firing failed and backs off (see the log)
          throw new ClockError(`Expected the timer due at ${iso(next)} to fire, but it failed and is backing off`);
        this.ms = next;
        await this.waitForRest();
      }
    }
    this.ms = target;
    await this.waitForRest();
    return this.read();
  }

  private async waitForRest(): Promise<void> {
    const d = this.driver;
    if (!d) return;
    d.poke();
    const deadline = performance.now() + this.settleTimeoutMs;
    let quiet = 0;
    for (;;) {
      // each look starts a turn of the event loop of its own, where no transaction is open (a
      // transaction never spans turns), so that its reads see committed data even on `:memory:`
      await new Promise((r) => setImmediate(r));
      if (await d.idle()) {
        if (++quiet >= 2) return;
      } else quiet = 0;
      if (performance.now() > deadline)
        throw new ClockError(
          `Expected the engine to come to rest at ${this.read()} within ${this.settleTimeoutMs} ms (real time), but it is still busy: a handler that does not return, or work that keeps coming`,
        );
    }
  }
}

/** `at` plus `by` (calendar units such as days and months in UTC). */
export function addDuration(at: number, by: DurationInput): number {
  if (typeof by === 'number') {
    if (!(Number.isFinite(by) && by >= 0)) throw new ClockError(`Expected a duration of 0 ms or more, but got ${by}`);
    return at + by;
  }
  let d: Temporal.Duration;
  try {
    d = typeof by === 'string' ? Temporal.Duration.from(by) : by;
  } catch {
    throw new ClockError(`Expected an ISO 8601 duration such as P7D or PT1H30M, but got ${JSON.stringify(by)}`);
  }
  if (d.sign < 0) throw new ClockError(`Expected a duration forward in time, but got ${d.toString()}`);
  return Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO('UTC').add(d).epochMilliseconds;
}

/** Epoch ms of an instant given as ISO text (with offset or Z), Date or number. */
export function toEpochMs(t: InstantInput): number {
  if (typeof t === 'number') {
    if (!Number.isFinite(t)) throw new ClockError(`Expected epoch milliseconds, but got ${t}`);
    return t;
  }
  if (t instanceof Date) return t.getTime();
  try {
    return Temporal.Instant.from(t).epochMilliseconds;
  } catch {
    throw new ClockError(`Expected an ISO 8601 instant such as 2030-01-01T09:00:00Z, but got ${JSON.stringify(t)}`);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The meter behind the CPU time budget (core/budgets.ts `cpuMs`): the CPU time this process used
 * since the meter was made. On a busy machine the process waits for a CPU, and wall time then runs
 * ahead of the work the command did; counting CPU time keeps a healthy command from being stopped
 * because other processes were busy.
 */

/** A recent reading of the process's CPU time, shared by the meters made within {@link FRESH_MS} of it. */
let reading = { wall: -Infinity, cpu: 0 };
/** How old a shared reading may be: a meter may count up to this much CPU time from before it began. */
const FRESH_MS = 1;

/**
 * A meter of the CPU time used from now on, in ms. Reading CPU time costs a system call (a few µs,
 * as much as a step), so the wall clock, which for the thread that runs the command is never behind
 * its CPU time, is read until it reaches `limitMs`; and the starting point is a reading at most
 * {@link FRESH_MS} old, shared by the commands of that millisecond (thousands a second), so the
 * meter errs by at most that much, on the safe side.
 */
export function cpuMeter(limitMs: number): () => number {
  const wall0 = performance.now();
  if (wall0 - reading.wall > FRESH_MS) reading = { wall: wall0, cpu: cpuMs() };
  const cpu0 = reading.cpu;
  const meter = (): number => {
    const wall = performance.now() - wall0;
    return wall < limitMs ? wall : cpuMs() - cpu0;
  };
  cpuStart.set(meter, cpu0);
  return meter;
}

/**
 * Whether `meter` (made by {@link cpuMeter}) has counted at least `ms` of CPU time: its wall-clock
 * reading first (no system call while it is lower), then CPU time itself, so that waiting for a CPU
 * on a busy machine does not count.
 */
export function cpuSpent(meter: () => number, ms: number): boolean {
  if (meter() < ms) return false;
  const start = cpuStart.get(meter);
  return start === undefined || cpuMs() - start >= ms;
}

const cpuStart = new WeakMap<() => number, number>();

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

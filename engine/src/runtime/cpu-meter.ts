/**
 * The meter behind the CPU time budget (core/budgets.ts `cpuMs`): the CPU time this process used
 * since the meter was made. On a busy machine the process waits for a CPU, and wall time then runs
 * ahead of the work the command did; counting CPU time keeps a healthy command from being stopped
 * because other processes were busy.
 */

/**
 * A meter of the CPU time used from now on, in ms. Reading CPU time costs a system call (a few µs,
 * as much as a step), so the wall clock, which for the thread that runs the command is never behind
 * its CPU time, is read until it reaches `limitMs`.
 */
export function cpuMeter(limitMs: number): () => number {
  const wall0 = performance.now();
  const cpu0 = cpuMs();
  return () => {
    const wall = performance.now() - wall0;
    return wall < limitMs ? wall : cpuMs() - cpu0;
  };
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

// Workload (m) of `npm run bench` (large instances) and the synchronous=NORMAL rows, in quick mode:
// correctness only (every instance completes, every figure is reported), no timing asserted.
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup } from '../bench/baton.js';
import { runSuite } from '../bench/suite.js';

afterAll(() => cleanup());

describe('npm run bench --quick, workload (m) with its NORMAL rows', () => {
  it('runs the large multi-instance script and job workloads under FULL and NORMAL and reports every figure', async () => {
    // when (m) runs in quick mode with the NORMAL rows
    const results = await runSuite({ quick: true, only: ['m'], systems: ['baton'], rounds: 1, normalRows: true });

    // then each row has its NORMAL twin, and every figure of every row is finite
    expect(results.map((r) => r.name.endsWith('synchronous=NORMAL'))).toEqual([false, true, false, true, false, true]);
    for (const r of results)
      for (const m of r.metrics) {
        const v = r.values.baton[m.key];
        expect(v, `${r.name}: ${m.label}`).toHaveLength(1);
        expect(Number.isFinite(v![0]), `${r.name}: ${m.label} = ${v![0]}`).toBe(true);
      }
  }, 300_000);
});

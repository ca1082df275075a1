// Smoke test of the benchmark harness: the quick mode of workload (a) on Baton completes every
// instance it starts. Performance itself is never asserted here; `npm run bench` measures it.
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup } from '../bench/baton.js';
import { runSuite } from '../bench/suite.js';

describe('npm run bench --quick', () => {
  afterAll(() => cleanup());

  it('runs workload (a) on Baton and completes every instance', async () => {
    // given the quick sizes, one round, Baton only
    // when
    const results = await runSuite({ quick: true, only: ['a'], systems: ['baton'], rounds: 1 });

    // then both variants (sequential, 100 in flight) ran and every started instance completed
    expect(results.map((r) => r.workload)).toEqual(['a', 'a']);
    const expected = [30 + 10, 100 + 10];
    results.forEach((r, i) => {
      expect(r.values.baton.completed).toEqual([expected[i]]);
      expect(r.values.baton.rate![0]).toBeGreaterThan(0);
    });
  }, 120_000);
});

// Smoke test of the benchmark harness: the quick mode of workload (a) on Baton completes every
// instance it starts. Performance itself is never asserted here; `npm run bench` measures it.
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup } from '../bench/baton.js';
import { runSuite } from '../bench/suite.js';

afterAll(() => cleanup());

describe('npm run bench --quick', () => {
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

describe('npm run bench --quick: operating processes', () => {
  it('runs (h), a batch of cancels under load, and (i), a compressed day with retention, on Baton', async () => {
    // given the quick sizes, one round
    const results = await runSuite({ quick: true, only: ['h', 'i'], systems: ['baton'], rounds: 1 });
    // then the batch cancelled every waiting instance while the other work kept going
    const [h, i] = results;
    expect(h!.values.baton.cancelRate![0]).toBeGreaterThan(0);
    expect(h!.values.baton.rateDuring![0]).toBeGreaterThan(0);
    // and the day's database stopped growing once retention deleted what ended an hour before
    expect(i!.values.baton.kept![0]).toBeLessThan(i!.values.baton.started![0]! / 4);
    expect(i!.values.baton.growth6to24![0]).toBeLessThan(1.5);
  }, 120_000);
});

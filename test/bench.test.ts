// The benchmark cannot rot: every workload of `npm run bench` runs here in its quick mode (small sizes, one
// round), Baton's side of each and bpmn-engine's of (a). Performance itself is never asserted here (this
// machine is shared while tests run); `npm run bench` measures it. What is asserted: every workload ran to
// its end and reported every figure of its row.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { cleanup } from '../bench/baton.js';
import { runSuite } from '../bench/suite.js';
import { UNDER_CI } from './storage/pg.js';

// the rows (p) need PostgreSQL: without it they are left out (CI fails: test/storage/pg-global-setup.ts)
const pgReason = inject('pgUnavailable');
if (pgReason && UNDER_CI) throw new Error(`PostgreSQL is required under CI, but: ${pgReason}`);

afterAll(() => cleanup());

describe('npm run bench --quick', () => {
  it('runs workload (a) on Baton and on bpmn-engine and completes every instance', async () => {
    // given the quick sizes, one round
    // when
    const results = await runSuite({ quick: true, only: ['a'], rounds: 1 });

    // then both variants (sequential, 100 in flight) ran on both systems and every Baton instance completed
    expect(results.map((r) => r.workload)).toEqual(['a', 'a']);
    const expected = [30 + 10, 100 + 10];
    results.forEach((r, i) => {
      expect(r.values.baton.completed).toEqual([expected[i]]);
      expect(r.values.baton.rate![0]).toBeGreaterThan(0);
      expect(r.values.peer.rate![0]).toBeGreaterThan(0);
    });
  }, 120_000);

  it('runs (b), (c) and (d) on bpmn-engine, the peer, and reports every figure it measures', async () => {
    // given the letters with a peer side besides (a); the peer keeps nothing on disk
    const only = ['b', 'c', 'd'];
    // when
    const results = await runSuite({ quick: true, only, systems: ['peer'], rounds: 1 });

    // then each row ran on the peer: flows completed every instance, waits measured every figure
    expect(results.map((r) => r.workload)).toEqual(['b', 'b', 'c', 'c', 'd', 'd']);
    expect(results.slice(0, 4).map((r) => r.values.peer.completed)).toEqual([[5], [20], [5], [20]]);
    for (const r of results) {
      for (const m of r.metrics.filter((x) => x.key !== 'diskPerInstance')) {
        const v = r.values.peer[m.key];
        expect(v, `${r.name}: ${m.label}`).toHaveLength(1);
        expect(Number.isFinite(v![0]), `${r.name}: ${m.label} = ${v![0]}`).toBe(true);
      }
    }
  }, 120_000);

  it('runs every other workload on Baton and reports every figure of its rows', async () => {
    // given every workload letter but (a), (g) the scaling sweep included; (p) needs PostgreSQL
    const only = ['b', 'c', 'd', 'e', 'f', 'g', 'l', ...(pgReason ? [] : ['p'])];
    // when
    const results = await runSuite({ quick: true, only, systems: ['baton'], rounds: 1 });

    // then each letter ran, and each row has a finite value for each of its metrics
    expect([...new Set(results.map((r) => r.workload))].sort()).toEqual([...only].sort());
    for (const r of results) {
      for (const m of r.metrics) {
        const v = r.values.baton[m.key];
        expect(v, `${r.name}: ${m.label}`).toHaveLength(1);
        expect(Number.isFinite(v![0]), `${r.name}: ${m.label} = ${v![0]}`).toBe(true);
      }
    }
  }, 600_000);
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

  it('runs workload (j), decisions, on Baton: evaluations and instances with a business rule task', async () => {
    // given the quick sizes, one round
    // when
    const [result] = await runSuite({ quick: true, only: ['j'], systems: ['baton'], rounds: 1 });
    // then every rate was measured and every instance with the decision completed
    const v = result!.values.baton;
    expect(v.completed).toEqual([2 * (100 + 10)]);
    for (const key of ['pureRate', 'apiRate', 'baseRate', 'rate']) expect(v[key]![0], key).toBeGreaterThan(0);
    expect(Number.isFinite(v.costUs![0])).toBe(true);
  }, 120_000);
});

describe('npm run bench --quick: process tests', () => {
  it('runs workload (k), process tests with the testing kit, and reports tests per second', async () => {
    // given the quick size (10 tests), one round
    // when
    const [result] = await runSuite({ quick: true, only: ['k'], systems: ['baton'], rounds: 1 });
    // then every test ran (a failing assertion would have thrown) and both figures were measured
    const v = result!.values.baton;
    expect(v.tests).toEqual([10]);
    expect(v.rate![0]).toBeGreaterThan(0);
    expect(Number.isFinite(v.seconds![0])).toBe(true);
  }, 120_000);
});

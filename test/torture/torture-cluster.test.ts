/**
 * The short crash torture on three nodes sharing one PostgreSQL database: the same driver as
 * `npm run torture:cluster`, SIGKILLing random nodes (each comes back), requests spread over the
 * live ones. Fails on any lost or duplicated instance, element, message, timer or job side effect.
 * Needs PostgreSQL (see test/support/pg-database.ts); under CI its absence fails the run.
 */
import { expect, it } from 'vitest';
import { describePg } from '../storage/pg.js';
import { runTorture } from './run.js';

describePg('crash torture on three nodes sharing PostgreSQL (short, seeded)', () => {
  it('loses nothing and does nothing twice over 6 SIGKILLs of random nodes under a mixed load', async () => {
    // given / when: a seeded run of the same driver as `npm run torture:cluster`
    const result = await runTorture({
      seed: 11,
      instances: 40,
      kills: 6,
      killIntervalMs: [150, 1200],
      workers: 3,
      storm: 12,
      timeoutMs: 150_000,
      nodes: 3,
    });
    process.stdout.write(`${result.line}\n`);

    // then
    expect(result.findings, result.line).toEqual([]);
    expect(result).toMatchObject({ ok: true, kills: 6, lost: 0, duplicated: 0 });
    expect(result.instances).toBeGreaterThanOrEqual(40);
  }, 180_000);
});

/**
 * The short crash torture on three nodes sharing one PostgreSQL database: the same driver as
 * `npm run torture:cluster`, SIGKILLing random nodes (each comes back), requests spread over the
 * live ones. Fails on any lost or duplicated instance, element, message, timer or job side effect.
 * Needs PostgreSQL (see test/support/pg-database.ts); under CI its absence fails the run.
 */
import { describe, expect, it } from 'vitest';
import { postgresReachable } from '../support/pg-database.js';
import { runTorture } from './run.js';

const pg = await postgresReachable();
if (!pg.ok && process.env['CI']) throw new Error(`PostgreSQL is required under CI, but: ${pg.reason}`);
if (!pg.ok) process.stdout.write(`PostgreSQL tests did not run (crash torture on three nodes): ${pg.reason}\n`);

describe.skipIf(!pg.ok)('crash torture on three nodes sharing PostgreSQL (short, seeded)', () => {
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

/**
 * The short crash torture inside `npm test`: the same driver as `npm run torture` (run.ts) with 30
 * paced instances, storms of 16 starts before about half of the kills, and 4 SIGKILLs. It fails on any lost or duplicated instance, element, message, timer or
 * job side effect; the findings name the instance and carry a history excerpt.
 */
import { describe, expect, it } from 'vitest';
import { runTorture } from './run.js';

describe('crash torture (short, seeded)', () => {
  it('loses nothing and does nothing twice over 4 SIGKILLs under a mixed load (30 paced instances plus storms of 16 starts)', async () => {
    // given / when: a seeded run of the same driver as `npm run torture`
    const result = await runTorture({
      seed: 7,
      instances: 30,
      kills: 4,
      killIntervalMs: [150, 1500],
      workers: 3,
      storm: 16,
      timeoutMs: 150_000,
    });
    process.stdout.write(`${result.line}\n`);

    // then
    expect(result.findings, result.line).toEqual([]);
    expect(result).toMatchObject({ ok: true, kills: 4, lost: 0, duplicated: 0 });
    expect(result.instances).toBeGreaterThanOrEqual(30);
  }, 180_000);
});

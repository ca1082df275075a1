/**
 * Retention (issue 15, item 4): completed and cancelled instances, their history, variables and
 * incidents are deleted once ended longer than their time to live — global, per process, or never —
 * in the background; running instances are never touched. The engine runs on a clock of the test's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../engine/src/runtime/engine.js';
import { parseRetention } from '../../engine/src/runtime/retention.js';
import type { SqliteStore } from '../../engine/src/storage/sqlite/sqlite-store.js';
import { bpmn, flow, job } from '../core/harness.js';

const HOUR = 3_600_000;
const model = (id: string) =>
  bpmn(
    id,
    `<bpmn:startEvent id="S" />${job('T', `${id}.work`)}<bpmn:endEvent id="E" />${flow('f1', 'S', 'T')}${flow('f2', 'T', 'E')}`,
  );

let engine: Engine | undefined;
let dir: string | undefined;
afterEach(async () => {
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('retention', () => {
  it('deletes ended instances after their time to live (global, per process, never), with their history; running ones stay', async () => {
    // given an engine that keeps ended instances an hour, those of `brief` ten minutes and those of `kept` for ever
    dir = mkdtempSync(join(tmpdir(), 'baton-retention-'));
    let now = Date.UTC(2026, 0, 1);
    engine = await openEngine({
      dbPath: join(dir, 'baton.db'),
      now: () => now,
      retention: parseRetention('PT1H, brief=PT10M, kept=off'),
      retentionIntervalMs: 20,
    });
    for (const id of ['plain', 'brief', 'kept']) {
      await engine.deploy(model(id));
      engine.handle(`${id}.work`, () => ({ done: true }));
    }
    engine.start();
    // jobs created before the scheduler is up wait for their lease (30 s of this clock): let it start first
    await new Promise((r) => setTimeout(r, 100));
    const ids: Record<string, string> = {};
    for (const p of ['plain', 'brief', 'kept'])
      ids[p] = (await engine.startInstance({ processId: p, idempotencyKey: `k-${p}` })).id;
    await engine.deploy(bpmn('slow', `<bpmn:startEvent id="S" /><bpmn:userTask id="U" />${flow('f1', 'S', 'U')}`));
    const running = (await engine.startInstance({ processId: 'slow' })).id;
    const cancelled = (await engine.startInstance({ processId: 'slow' })).id;
    await engine.cancelInstance(cancelled, { reason: 'test' });
    for (const p of ['plain', 'brief', 'kept'])
      await until(`${p} to complete`, async () => (await engine!.getInstance(ids[p]!))?.status === 'completed');
    const db = (engine.store as SqliteStore).database;
    const historyOf = (id: string) =>
      (db.prepare('SELECT COUNT(*) AS n FROM history WHERE instance_id = ?').get(id) as { n: number }).n;
    expect(historyOf(ids.plain!)).toBeGreaterThan(0);
    const exists = async (id: string) => (await engine!.getInstance(id)) !== undefined;

    // when 30 minutes pass, then only `brief` is gone
    now += HOUR / 2;
    await until('brief to be deleted', async () => !(await exists(ids.brief!)));
    expect(await exists(ids.plain!)).toBe(true);
    expect(await exists(cancelled)).toBe(true);

    // when two hours have passed, then every ended instance but `kept` is gone with its history and its idempotency answer
    now += 2 * HOUR;
    await until('the others to be deleted', async () => !(await exists(ids.plain!)) && !(await exists(cancelled)));
    expect(historyOf(ids.plain!)).toBe(0);
    expect(historyOf(cancelled)).toBe(0);
    expect(await exists(ids.kept!)).toBe(true);
    expect(await exists(running)).toBe(true);
    expect((await engine.getInstance(running))!.status).toBe('active');
    // (the idempotency answers go in the sweep's next transaction, after the instances: wait for it, do not race it)
    const idem = () => (db.prepare('SELECT COUNT(*) AS n FROM idempotency').get() as { n: number }).n;
    await until('the idempotency answers to be deleted', async () => idem() === 0);
    // and the history read of a deleted instance says so
    expect(await engine.getHistory(ids.plain!)).toBeUndefined();
  });
});

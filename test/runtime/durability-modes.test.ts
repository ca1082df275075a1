import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../engine/src/runtime/engine.js';
import { bpmn, flow, job } from '../core/harness.js';

const MODEL = bpmn(
  'dur',
  `<bpmn:startEvent id="S" />${job('T', 't')}<bpmn:endEvent id="E" />${flow('f1', 'S', 'T')}${flow('f2', 'T', 'E')}`,
);

describe('GROUP durability mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-group-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('acknowledges commits after the WAL fsync, checkpoints, and leaves a file that reopens with everything', async () => {
    // given an engine in GROUP mode doing several hundred commits (past the checkpoint interval)
    const path = join(dir, 'g.db');
    const e = await openEngine({ dbPath: path, storeOptions: { synchronous: 'GROUP' } });
    e.handle('t', async (j) => ({ doubled: (j.variables['n'] as number) * 2 }));
    e.start();
    await e.deploy(MODEL);
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) ids.push((await e.startInstance({ processId: 'dur', variables: { n: i } })).id);
    for (const id of ids) await e.settle(id, 10_000);
    await e.close();
    expect(statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0).toBeLessThan(statSync(path).size);
    // when the file is opened again in the default mode
    const again = await openEngine({ dbPath: path });
    // then every instance is there, completed, with its result
    const { items, total } = await again.listInstances({ processId: 'dur', status: 'completed', limit: 500 });
    expect(total).toBe(300);
    expect(items.find((x) => x.id === ids[123])?.variables).toEqual({ n: 123, doubled: 246 });
    await again.close();
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../engine/src/runtime/engine.js';
import { bpmn, flow } from '../semantics/helpers.js';

describe('in-process jobs beyond the handlers running at once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-backlog-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('run as soon as handlers finish, not when their lease ends', async () => {
    // given an engine with a long job lease and a parallel multi-instance of 1,200 in-process jobs
    // (more than the 512 handlers one node runs at once)
    const e = await openEngine({ dbPath: join(dir, 'b.db'), jobLeaseMs: 600_000 });
    e.handle('backlog.work', async () => ({}));
    e.start();
    await e.deploy(
      bpmn(
        'backlog',
        `<bpmn:startEvent id="S" />
        <bpmn:serviceTask id="Work"><bpmn:extensionElements><zeebe:taskDefinition type="backlog.work" /></bpmn:extensionElements>
          <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
            <zeebe:loopCharacteristics inputCollection="=for i in 1..1200 return i" inputElement="item" />
          </bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>
        <bpmn:endEvent id="E" />${flow('S', 'Work')}${flow('Work', 'E')}`,
      ),
    );
    // when it starts
    const i = await e.startInstance({ processId: 'backlog' });
    // then every job runs and the instance completes within seconds (the lease is ten minutes)
    await expect
      .poll(async () => (await e.getInstance(i.id))?.status, { timeout: 20_000, interval: 100 })
      .toBe('completed');
    await e.close();
  });
});

describe('in-process jobs created before the engine starts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-prestart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [store, path] of [
    ['SQLite, the only engine on its file', 'early.db'],
    ['SQLite in memory', ':memory:'],
  ] as const)
    it(`run when it starts, not when their lease ends (${store})`, async () => {
      // given an engine whose clock stands still (a lease never ends) and an instance started before start()
      const e = await openEngine({ dbPath: path === ':memory:' ? path : join(dir, path), now: () => 1_000_000 });
      e.handle('early.work', () => ({ worked: true }));
      await e.deploy(
        bpmn(
          'early',
          `<bpmn:startEvent id="S" />
          <bpmn:serviceTask id="Work"><bpmn:extensionElements><zeebe:taskDefinition type="early.work" /></bpmn:extensionElements></bpmn:serviceTask>
          <bpmn:endEvent id="E" />${flow('S', 'Work')}${flow('Work', 'E')}`,
        ),
      );
      const i = await e.startInstance({ processId: 'early' });
      expect((await e.getInstance(i.id))?.status).toBe('active');
      // when the engine starts, then the handler runs and the instance completes
      e.start();
      await expect.poll(async () => (await e.getInstance(i.id))?.status, { timeout: 10_000 }).toBe('completed');
      expect((await e.getInstance(i.id))?.variables).toMatchObject({ worked: true });
      await e.close();
    });
});

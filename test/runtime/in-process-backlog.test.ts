import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, describePg, type TestDatabase } from '../storage/pg.js';
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

const early = bpmn(
  'early',
  `<bpmn:startEvent id="S" />
  <bpmn:serviceTask id="Work"><bpmn:extensionElements><zeebe:taskDefinition type="early.work" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:endEvent id="E" />${flow('S', 'Work')}${flow('Work', 'E')}`,
);

/** An instance started before start() on an engine whose clock stands still (a lease never ends) completes once it starts. */
async function startsBeforeStart(dbPath: string): Promise<void> {
  const e = await openEngine({ dbPath, now: () => 1_000_000 });
  try {
    e.handle('early.work', () => ({ worked: true }));
    await e.deploy(early);
    const i = await e.startInstance({ processId: 'early' });
    expect((await e.getInstance(i.id))?.status).toBe('active');
    e.start();
    await expect.poll(async () => (await e.getInstance(i.id))?.status, { timeout: 10_000 }).toBe('completed');
    expect((await e.getInstance(i.id))?.variables).toMatchObject({ worked: true });
  } finally {
    await e.close();
  }
}

describe('in-process jobs created before the engine starts run when it starts, not when their lease ends', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-prestart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('on SQLite, the only engine on its file', () => startsBeforeStart(join(dir, 'early.db')));
  it('on SQLite in memory', () => startsBeforeStart(':memory:'));
});

describePg('in-process jobs created before a node starts, on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());
  it('run when the node starts, not when their lease ends', () => startsBeforeStart(db.url));
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../engine/src/runtime/engine.js';
import { bpmn, flow, job } from '../core/harness.js';

describe('called instances', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-call-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are cancelled through their root instance, not on their own', async () => {
    // given a parent waiting for a called child that waits for a job
    const e = await openEngine({ dbPath: join(dir, 'b.db') });
    await e.deploy(bpmn('child', `<bpmn:startEvent id="S" />${job('Work', 'work')}<bpmn:endEvent id="E" />${flow('f1', 'S', 'Work')}${flow('f2', 'Work', 'E')}`));
    await e.deploy(bpmn('parent', `<bpmn:startEvent id="S" /><bpmn:callActivity id="Call"><bpmn:extensionElements><zeebe:calledElement processId="child" /></bpmn:extensionElements></bpmn:callActivity>
      <bpmn:endEvent id="E" />${flow('f1', 'S', 'Call')}${flow('f2', 'Call', 'E')}`));
    const parent = await e.startInstance({ processId: 'parent' });
    const [child] = e.listInstances({ processId: 'child' }).items;
    expect(child?.parentInstanceId).toBe(parent.id);
    // when an operator cancels the child directly, then it is refused and nothing changes
    await expect(e.cancelInstance(child!.id)).rejects.toMatchObject({ code: 'CALLED_INSTANCE' });
    expect(e.getInstance(child!.id)!.status).toBe('active');
    // when the parent is cancelled, then the child is cancelled with it and its job is gone
    await e.cancelInstance(parent.id, { reason: 'stop' });
    expect(e.getInstance(child!.id)!.status).toBe('cancelled');
    expect(await e.activateJobs({ type: 'work', maxJobs: 5 })).toEqual([]);
    await e.close();
  });
});

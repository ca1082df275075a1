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
    await e.deploy(
      bpmn(
        'child',
        `<bpmn:startEvent id="S" />${job('Work', 'work')}<bpmn:endEvent id="E" />${flow('f1', 'S', 'Work')}${flow('f2', 'Work', 'E')}`,
      ),
    );
    await e.deploy(
      bpmn(
        'parent',
        `<bpmn:startEvent id="S" /><bpmn:callActivity id="Call"><bpmn:extensionElements><zeebe:calledElement processId="child" /></bpmn:extensionElements></bpmn:callActivity>
      <bpmn:endEvent id="E" />${flow('f1', 'S', 'Call')}${flow('f2', 'Call', 'E')}`,
      ),
    );
    const parent = await e.startInstance({ processId: 'parent' });
    await expect.poll(async () => (await e.listInstances({ processId: 'child' })).total).toBe(1);
    const [child] = (await e.listInstances({ processId: 'child' })).items;
    expect(child?.parentInstanceId).toBe(parent.id);
    // when an operator cancels the child directly, then it is refused and nothing changes
    await expect(e.cancelInstance(child!.id)).rejects.toMatchObject({ code: 'CALLED_INSTANCE' });
    expect((await e.getInstance(child!.id))!.status).toBe('active');
    // when the parent is cancelled, then the child is cancelled with it and its job is gone
    await e.cancelInstance(parent.id, { reason: 'stop' });
    await expect.poll(async () => (await e.getInstance(child!.id))!.status).toBe('cancelled');
    expect(await e.activateJobs({ type: 'work', maxJobs: 5 })).toEqual([]);
    await e.close();
  });

  it('with bindingType="deployment" call the version deployed together with the caller, not the latest', async () => {
    // given parent and child deployed in one document, then a newer child alone
    const e = await openEngine({ dbPath: join(dir, 'd.db') });
    const both = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D2" targetNamespace="t">
  <bpmn:process id="kid" isExecutable="true"><bpmn:startEvent id="KS" />${job('Old', 'old')}<bpmn:endEvent id="KE" />${flow('k1', 'KS', 'Old')}${flow('k2', 'Old', 'KE')}</bpmn:process>
  <bpmn:process id="mom" isExecutable="true"><bpmn:startEvent id="S" /><bpmn:callActivity id="Call"><bpmn:extensionElements><zeebe:calledElement processId="kid" bindingType="deployment" /></bpmn:extensionElements></bpmn:callActivity>
    <bpmn:endEvent id="E" />${flow('f1', 'S', 'Call')}${flow('f2', 'Call', 'E')}</bpmn:process>
</bpmn:definitions>`;
    await e.deploy(both);
    await e.deploy(
      bpmn(
        'kid',
        `<bpmn:startEvent id="KS" />${job('New', 'new')}<bpmn:endEvent id="KE" />${flow('k1', 'KS', 'New')}${flow('k2', 'New', 'KE')}`,
      ),
    );
    // when the parent starts
    await e.startInstance({ processId: 'mom' });
    // then its child is version 1 of kid, waiting at the old task
    await expect.poll(async () => (await e.listInstances({ processId: 'kid' })).total).toBe(1);
    const [child] = (await e.listInstances({ processId: 'kid' })).items;
    expect(child).toMatchObject({ version: 1, activeElements: ['Old'] });
    await e.close();
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../engine/src/runtime/engine.js';
import { bpmn, flow, job } from '../core/harness.js';

describe('conditional start events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-cond-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('start an instance when POST /api/conditions/evaluate brings variables that make the condition true', async () => {
    // given a process started by a condition on the temperature
    const e = await openEngine({ dbPath: join(dir, 'b.db') });
    await e.deploy(
      bpmn(
        'alarm',
        `<bpmn:startEvent id="Hot"><bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">=temperature &gt; 30</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:startEvent>
      ${job('Cool', 'cool')}<bpmn:endEvent id="E" />${flow('f1', 'Hot', 'Cool')}${flow('f2', 'Cool', 'E')}`,
      ),
    );
    // when the condition does not hold, nothing starts
    expect((await e.evaluateConditions({ variables: { temperature: 20 } })).started).toEqual([]);
    // when it holds, one instance starts with those variables and its start event completed
    const { started } = await e.evaluateConditions({ variables: { temperature: 35 } });
    expect(started).toHaveLength(1);
    const inst = (await e.getInstance(started[0]!))!;
    expect(inst.variables).toEqual({ temperature: 35 });
    expect(inst.activeElements).toEqual(['Cool']);
    expect((await e.getHistory(inst.id))!.some((h) => h.type === 'element-completed' && h.elementId === 'Hot')).toBe(
      true,
    );
    await e.close();
  });
});

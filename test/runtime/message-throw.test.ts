import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../engine/src/runtime/engine.js';
import { bpmn, flow } from '../core/harness.js';

const MSG =
  '<bpmn:message id="M" name="order-paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>';

describe('message throw events without a job', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-msgthrow-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('publish their message to the engine: the waiting instance with the same correlation key continues', async () => {
    // given a receiver waiting for "order-paid" of order A-1 and another of order B-2
    const e = await openEngine({ dbPath: join(dir, 'b.db') });
    await e.deploy(
      bpmn(
        'receiver',
        `<bpmn:startEvent id="S" /><bpmn:intermediateCatchEvent id="Paid"><bpmn:messageEventDefinition messageRef="M" /></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="E" />${flow('f1', 'S', 'Paid')}${flow('f2', 'Paid', 'E')}`,
        MSG,
      ),
    );
    await e.deploy(
      bpmn(
        'sender',
        `<bpmn:startEvent id="S" /><bpmn:intermediateThrowEvent id="Send"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=amount" target="paidAmount" /></zeebe:ioMapping></bpmn:extensionElements><bpmn:messageEventDefinition messageRef="M" /></bpmn:intermediateThrowEvent>
      <bpmn:endEvent id="E" />${flow('f1', 'S', 'Send')}${flow('f2', 'Send', 'E')}`,
        MSG,
      ),
    );
    const a = await e.startInstance({ processId: 'receiver', variables: { orderId: 'A-1' } });
    const b = await e.startInstance({ processId: 'receiver', variables: { orderId: 'B-2' } });
    // when the sender throws the message for A-1
    const sender = await e.startInstance({ processId: 'sender', variables: { orderId: 'A-1', amount: 40 } });
    // then the sender completed, A-1 got the message with the thrower's local variables, B-2 still waits
    expect(sender.status).toBe('completed');
    await expect
      .poll(() => e.getInstance(a.id))
      .toMatchObject({ status: 'completed', variables: { orderId: 'A-1', paidAmount: 40 } });
    expect(await e.getInstance(b.id)).toMatchObject({ status: 'active', activeElements: ['Paid'] });
    await e.close();
  });
});

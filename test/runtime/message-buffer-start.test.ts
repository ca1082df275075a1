/**
 * A message published with a time to live before any instance waits for it is taken by the first
 * subscription that matches, also when that subscription opens in the very command that starts the
 * instance (a message catch event right after the start event, or an event-based gateway): the
 * start takes it in the same transaction, like any later command does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../engine/src/runtime/engine.js';
import { createMetrics } from '../../engine/src/runtime/metrics.js';
import { bpmn, chain, end, message, messageDef, start, userTask } from '../semantics/helpers.js';
import { parseProm, seriesOf } from '../support/prom.js';

describe('a buffered message and a subscription opened at start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-buffer-'));
  let engine: Engine | undefined;
  afterEach(() => engine?.close());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a message catch event right after the start takes the buffered message at once', async () => {
    // given a buffered message for key k1, published before the process even waits for it
    const metrics = createMetrics({ defaultMetrics: false });
    engine = await openEngine({ dbPath: join(dir, 'catch.db'), metrics });
    await engine.deploy(
      bpmn(
        'buf_catch',
        [
          start(),
          `<bpmn:intermediateCatchEvent id="Wait">${message('M')}</bpmn:intermediateCatchEvent>`,
          userTask('After'),
          end(),
          chain('Start', 'Wait', 'After', 'End'),
        ].join('\n'),
        messageDef('M', 'buf-go', '=key'),
      ),
    );
    await engine.publishMessage({
      name: 'buf-go',
      correlationKey: 'k1',
      variables: { paid: true },
      timeToLive: 'PT1H',
    });
    // when an instance with that key starts
    const i = await engine.startInstance({ processId: 'buf_catch', variables: { key: 'k1' } });
    // then the start itself took the message: the instance is past the catch event, with its variables
    const tasks = await engine.listUserTasks({ instanceId: i.id });
    expect(tasks.map((t) => t.elementId)).toEqual(['After']);
    expect((await engine.getInstance(i.id))?.variables).toMatchObject({ paid: true });
    // and a second instance with the same key does not get it again (once per process)
    const j = await engine.startInstance({ processId: 'buf_catch', variables: { key: 'k1' } });
    expect(await engine.listUserTasks({ instanceId: j.id })).toEqual([]);
    expect(seriesOf(parseProm(await metrics.registry.metrics()), 'baton_messages_correlated_total')).toEqual([
      'process_id=buf_catch 1',
    ]);
  });

  it('an event-based gateway right after the start takes the buffered message at once', async () => {
    engine = await openEngine({ dbPath: join(dir, 'gateway.db') });
    await engine.deploy(
      bpmn(
        'buf_gw',
        [
          start(),
          '<bpmn:eventBasedGateway id="G" />',
          `<bpmn:intermediateCatchEvent id="OnMsg">${message('M')}</bpmn:intermediateCatchEvent>`,
          `<bpmn:intermediateCatchEvent id="OnOther">${message('O')}</bpmn:intermediateCatchEvent>`,
          userTask('Paid'),
          userTask('Other'),
          end(),
          end('End2'),
          chain('Start', 'G', 'OnMsg', 'Paid', 'End'),
          chain('G', 'OnOther', 'Other', 'End2'),
        ].join('\n'),
        messageDef('M', 'gw-go', '=key') + messageDef('O', 'gw-other', '=key'),
      ),
    );
    await engine.publishMessage({ name: 'gw-go', correlationKey: 'k9', timeToLive: 'PT1H' });
    const i = await engine.startInstance({ processId: 'buf_gw', variables: { key: 'k9' } });
    expect((await engine.listUserTasks({ instanceId: i.id })).map((t) => t.elementId)).toEqual(['Paid']);
  });
});

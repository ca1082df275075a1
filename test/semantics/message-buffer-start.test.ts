/**
 * A message published with a time to live before any instance exists is taken by the first
 * instance whose start reaches a matching catch event, in its start transaction (the subscription
 * opened by the start takes it at once, as one opened by any later command does).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bpmn, chain, end, message, messageDef, start, startEngine, waitStatus, type TestEngine } from './helpers.js';

describe('a buffered message and a new instance', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startEngine();
  });
  afterEach(() => t.close());

  it('is correlated when the start reaches the catch event, once per process', async () => {
    // given a process that waits for a message right after its start
    await t.engine.deploy(
      bpmn(
        'sem_buf_start',
        [
          start(),
          `<bpmn:intermediateCatchEvent id="Catch">${message('M')}</bpmn:intermediateCatchEvent>`,
          end(),
          chain('Start', 'Catch', 'End'),
        ].join('\n'),
        messageDef('M', 'sem-buf', '=key'),
      ),
    );
    // and a message published before any instance exists
    await t.engine.publishMessage({
      name: 'sem-buf',
      correlationKey: 'k1',
      timeToLive: 'PT1M',
      variables: { paid: true },
    });
    // when two instances start
    const first = await t.engine.startInstance({ processId: 'sem_buf_start', variables: { key: 'k1' } });
    const second = await t.engine.startInstance({ processId: 'sem_buf_start', variables: { key: 'k1' } });
    // then the first took the message and completed; the second waits (a message correlates once per process)
    await waitStatus(t.engine, first.id, 'completed');
    expect((await t.engine.getInstance(first.id))!.variables).toMatchObject({ paid: true });
    expect((await t.engine.getInstance(second.id))!.activeElements).toEqual(['Catch']);
  });
});

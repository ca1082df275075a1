/**
 * An instance started at a message, timer, signal or conditional start event keeps which start event
 * and its variables in a typed field of the process root (`startAt`) until the root activates — also
 * across an incident that holds it at its start — and a root stored in the earlier form (the keys
 * `$start` and `$vars` mixed into `pretriggered`) still starts there.
 */
import { describe, expect, it } from 'vitest';
import { ROOT_KEY } from '../../engine/src/core/state.js';
import { bpmn, compile, CoreDriver, flow } from './harness.js';

const TWO_STARTS = bpmn(
  'p',
  `<bpmn:startEvent id="Plain" /><bpmn:startEvent id="ByMessage"><bpmn:messageEventDefinition messageRef="M" /></bpmn:startEvent>
   <bpmn:endEvent id="PlainEnd" /><bpmn:endEvent id="MessageEnd" />${flow('f1', 'Plain', 'PlainEnd')}${flow('f2', 'ByMessage', 'MessageEnd')}`,
  '<bpmn:message id="M" name="go" />',
);

/** An instance started at ByMessage one call level too deep: it waits at its start for the incident's retry. */
async function heldAtStart(): Promise<CoreDriver> {
  const d = new CoreDriver(await compile(TWO_STARTS));
  d.budgets = { callDepth: 1 };
  d.start({ order: 7 }, 2, 'ByMessage');
  expect(d.incidents().map((i) => i.type)).toEqual(['BUDGET_EXCEEDED']);
  return d;
}

describe('the start event an instance was started at', () => {
  it('is kept in the root as a typed field while an incident holds the instance at its start', async () => {
    const d = await heldAtStart();
    expect(d.state.elements[ROOT_KEY]!.startAt).toEqual({ elementId: 'ByMessage', variables: { order: 7 } });
    expect(d.state.elements[ROOT_KEY]!.pretriggered).toBeUndefined();
    // when the incident is retried, then it runs from that start event, and the field is consumed
    d.budgets = { callDepth: 5 };
    expect(d.send({ type: 'RetryIncident', incidentId: d.incidents()[0]!.id })).toBeUndefined();
    expect(d.completed()).toEqual(['ByMessage', 'MessageEnd']);
    expect(d.state.status).toBe('completed');
  });

  it('is read from a root stored in the earlier form ($start and $vars in pretriggered)', async () => {
    // given the same waiting instance as an earlier version stored it
    const d = await heldAtStart();
    const root = d.state.elements[ROOT_KEY]!;
    root.pretriggered = { $start: root.startAt!.elementId, $vars: root.startAt!.variables };
    delete root.startAt;
    // when the incident is retried, then it runs from ByMessage, not from the plain start event
    d.budgets = { callDepth: 5 };
    d.send({ type: 'RetryIncident', incidentId: d.incidents()[0]!.id });
    expect(d.completed()).toEqual(['ByMessage', 'MessageEnd']);
    expect(d.vars()).toEqual({ order: 7 });
  });
});

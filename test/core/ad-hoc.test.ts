/**
 * Ad-hoc sub-processes as Camunda 8.7+ runs them, through the pure core: the active elements
 * collection, the completion condition, cancelRemainingInstances, the output collection, and
 * inner elements started through the API.
 */
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/src/model/compile.js';
import { bpmn, compile, CoreDriver, flow, job } from './harness.js';

/** A travel booking: flights, hotel and car are booked as the traveller asks; a check follows the flight. */
function adHocModel(attrs: string, adHocExt: string, condition = ''): string {
  return bpmn(
    'trip',
    `<bpmn:startEvent id="S" />
    <bpmn:adHocSubProcess id="Book" ${attrs}>
      <bpmn:extensionElements>${adHocExt}</bpmn:extensionElements>
      ${job('Flight', 'book-flight')}${job('Hotel', 'book-hotel')}${job('Car', 'book-car')}
      ${job('CheckVisa', 'check-visa')}${flow('fi', 'Flight', 'CheckVisa')}
      ${condition ? `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${condition}</bpmn:completionCondition>` : ''}
    </bpmn:adHocSubProcess>
    <bpmn:endEvent id="E" />${flow('f1', 'S', 'Book')}${flow('f2', 'Book', 'E')}`,
  );
}

function open(d: CoreDriver): string[] {
  return [...d.jobs.values()].map((j) => j.type).sort();
}

describe('ad-hoc sub-process', () => {
  it('starts the elements its collection names, runs their flows, and completes when all are done', async () => {
    const m = await compile(adHocModel('', '<zeebe:adHoc activeElementsCollection="=wanted" />'));
    const d = new CoreDriver(m).start({ wanted: ['Flight', 'Car'] });
    expect(open(d)).toEqual(['book-car', 'book-flight']);
    d.completeJob('book-car', { carRef: 'C1' });
    // variables written inside one activation stay in it (Camunda 8.8)
    expect(d.vars()).not.toHaveProperty('carRef');
    d.completeJob('book-flight');
    expect(open(d)).toEqual(['check-visa']);
    expect(d.state.status).toBe('active');
    d.completeJob('check-visa');
    expect(d.state.status).toBe('completed');
    // history counts only real elements: the ad-hoc sub-process once, each inner element once
    expect(d.completed().filter((id) => id === 'Book')).toHaveLength(1);
    expect(d.ofType('element-activated').filter((id) => id === 'Book')).toHaveLength(1);
  });

  it('waits with an empty collection until the API starts elements, and refuses ids it cannot start', async () => {
    const m = await compile(adHocModel('', '<zeebe:adHoc activeElementsCollection="=[]" />', '=done = true'));
    const d = new CoreDriver(m).start();
    expect(open(d)).toEqual([]);
    expect(d.active()).toEqual(['Book']);
    // CheckVisa has an incoming flow: only Flight, Hotel and Car can be started
    const refused = d.sendRaw({
      type: 'ActivateAdHocElements',
      adHocElementId: 'Book',
      elements: [{ elementId: 'CheckVisa' }],
    });
    expect(!refused.ok && refused.code).toBe('INVALID_ELEMENT');
    expect(
      d.send({
        type: 'ActivateAdHocElements',
        adHocElementId: 'Book',
        elements: [{ elementId: 'Hotel', variables: { city: 'Oslo' } }],
      }),
    ).toBeUndefined();
    expect(open(d)).toEqual(['book-hotel']);
    expect(d.history.some((h) => h.type === 'ad-hoc-elements-activated')).toBe(true);
    // the condition does not hold yet: the sub-process stays
    d.completeJob('book-hotel', { done: false });
    expect(d.active()).toEqual(['Book']);
    d.send({ type: 'ActivateAdHocElements', adHocElementId: 'Book', elements: [{ elementId: 'Car' }] });
    d.send({ type: 'SetVariables', variables: { done: true } });
    d.completeJob('book-car');
    expect(d.state.status).toBe('completed');
  });

  it('a true completion condition terminates what still runs (cancelRemainingInstances default)', async () => {
    const m = await compile(
      adHocModel(
        '',
        '<zeebe:adHoc activeElementsCollection="=[&quot;Flight&quot;, &quot;Hotel&quot;]" />',
        '=hotelBooked',
      ),
    );
    const d = new CoreDriver(m).start({ hotelBooked: false });
    d.send({ type: 'SetVariables', variables: { hotelBooked: true } });
    d.completeJob('book-hotel');
    expect(d.terminated()).toContain('Flight');
    expect(d.jobs.size).toBe(0);
    expect(d.state.status).toBe('completed');
  });

  it('with cancelRemainingInstances="false" it waits for the running flows, and collects one output per flow', async () => {
    const m = await compile(
      adHocModel(
        'cancelRemainingInstances="false"',
        '<zeebe:adHoc activeElementsCollection="=[&quot;Hotel&quot;, &quot;Car&quot;]" outputCollection="bookings" outputElement="=ref" />',
        '=true',
      ),
    );
    const d = new CoreDriver(m).start();
    d.completeJob('book-hotel', { ref: 'H1' });
    expect(d.active()).toContain('Car');
    const refused = d.sendRaw({
      type: 'ActivateAdHocElements',
      adHocElementId: 'Book',
      elements: [{ elementId: 'Flight' }],
    });
    expect(!refused.ok && refused.code).toBe('ELEMENT_COMPLETING');
    d.completeJob('book-car', { ref: 'C7' });
    expect(d.state.status).toBe('completed');
    expect(d.vars()['bookings']).toEqual(['H1', 'C7']);
    expect(d.vars()).not.toHaveProperty('ref');
  });

  it('an active elements collection naming an unknown element raises an incident', async () => {
    const m = await compile(adHocModel('', '<zeebe:adHoc activeElementsCollection="=wanted" />'));
    const d = new CoreDriver(m).start({ wanted: ['Train'] });
    expect(d.incidents()[0]?.message).toMatch(/"Train"/);
    d.send({ type: 'SetVariables', variables: { wanted: ['Car'] } });
    d.send({ type: 'RetryIncident', incidentId: d.incidents()[0]!.id });
    expect(open(d)).toEqual(['book-car']);
  });
});

describe('ad-hoc sub-process at deploy', () => {
  it('refuses start events inside, and the job worker (AI agent) form', async () => {
    const xml = bpmn(
      'p',
      `<bpmn:startEvent id="S" />
      <bpmn:adHocSubProcess id="Agent">
        <bpmn:extensionElements><zeebe:taskDefinition type="agent" /></bpmn:extensionElements>
        <bpmn:startEvent id="Inner" />${job('Tool', 'tool')}
      </bpmn:adHocSubProcess>${flow('f1', 'S', 'Agent')}`,
    );
    const problems = (await compileBpmn(xml)).problems.map((p) => `${p.elementId}: ${p.message}`);
    expect(problems.join('\n')).toMatch(/Agent: .*zeebe:taskDefinition/);
    expect(problems.join('\n')).toMatch(
      /Agent: Expected no start or end events in ad-hoc sub-process Agent, but found Inner/,
    );
  });
});

describe('ad-hoc completion condition that fails', () => {
  it('raises an incident; its retry decides again without collecting the output twice', async () => {
    const m = await compile(
      adHocModel(
        '',
        '<zeebe:adHoc activeElementsCollection="=[&quot;Hotel&quot;]" outputCollection="bookings" outputElement="=ref" />',
        '=if limit = null then "not yet" else count(bookings) &gt;= limit',
      ),
    );
    const d = new CoreDriver(m).start();
    d.completeJob('book-hotel', { ref: 'H1' });
    expect(d.incidents()[0]?.type).toBe('EXPRESSION_FAILED');
    d.send({ type: 'SetVariables', variables: { limit: 1 } });
    d.send({ type: 'RetryIncident', incidentId: d.incidents()[0]!.id });
    expect(d.state.status).toBe('completed');
    expect(d.vars()['bookings']).toEqual(['H1']);
  });
});

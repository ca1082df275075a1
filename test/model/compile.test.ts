import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/src/model/compile.js';
import type { ProcessModel } from '../../engine/src/model/types.js';
import { lineOf, only } from './bpmn-helpers.js';

const CASES = fileURLToPath(new URL('../../../shared/conformance/cases/', import.meta.url));
/** Cases that wait for an open issue (test/conformance-pending.json) are left out until they pass. */
const pending = Object.keys(
  JSON.parse(readFileSync(new URL('../conformance-pending.json', import.meta.url), 'utf8')).cases as object,
);
const bpmnFiles = readdirSync(CASES)
  .filter((f) => f.endsWith('.bpmn') && !pending.some((name) => f.startsWith(`${name}.`) || f.startsWith(`${name}-`)))
  .sort();
const read = (file: string): string => readFileSync(CASES + file, 'utf8');
const compileCase = async (name: string): Promise<ProcessModel> => only(await compileBpmn(read(`${name}.bpmn`)));

describe('compileBpmn on the conformance cases', () => {
  it('finds the case files', () => {
    expect(bpmnFiles.length).toBeGreaterThan(40);
    expect(bpmnFiles.filter((f) => f.startsWith('invalid-')).length).toBeGreaterThanOrEqual(3);
  });

  it.each(bpmnFiles)('%s compiles exactly when it is not named invalid-*', async (file) => {
    // given a conformance document
    const xml = read(file);
    // when it is compiled
    const result = await compileBpmn(xml);
    // then only the invalid-* documents have problems, and those deploy nothing
    if (file.startsWith('invalid-')) {
      expect(result.problems.length).toBeGreaterThan(0);
      expect(result.processes).toEqual([]);
    } else {
      expect(result.problems).toEqual([]);
      expect(result.processes.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('names the terminate boundary event and its line', async () => {
    // given a terminate event definition on a boundary event
    const xml = read('invalid-terminate-boundary.bpmn');
    // when compiled
    const { problems } = await compileBpmn(xml);
    // then the problem names Bnd_Terminate at the line of its start tag
    const problem = problems.find((p) => p.elementId === 'Bnd_Terminate');
    expect(problem).toBeDefined();
    expect(problem!.line).toBe(lineOf(xml, 'id="Bnd_Terminate"'));
    expect(problem!.message).toMatch(/^Expected .*terminate/);
  });

  it('names the flow whose target is missing, as the case expects', async () => {
    // given the flow-missing-target case and its expectation
    const xml = read('invalid-flow-missing-target.bpmn');
    const expected = JSON.parse(read('invalid-flow-missing-target.json')).expectDeployError.elementId as string;
    // when compiled
    const { problems } = await compileBpmn(xml);
    // then a problem names that flow at its line
    const problem = problems.find((p) => p.elementId === expected);
    expect(problem?.line).toBe(lineOf(xml, `id="${expected}"`));
    expect(problem?.message).toContain('Task_Missing');
  });

  it('gives the line of malformed XML', async () => {
    // when the unclosed-task document is compiled
    const { problems } = await compileBpmn(read('invalid-xml.bpmn'));
    // then one document-level problem carries the line where the parser noticed
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ elementId: null, line: 9 });
    expect(problems[0]!.message).toMatch(/^Expected well-formed XML, but/);
  });
});

describe('compiled models of real documents', () => {
  it('wires flows from sourceRef/targetRef, with lines and scopes', async () => {
    // given sequence-basic, when compiled
    const model = await compileCase('sequence-basic');
    // then flows, children, scopes, lines and the job are as drawn
    expect(model.id).toBe('conf_sequence_basic');
    expect(model.root.startEvents).toEqual(['Start']);
    expect(model.root.children).toEqual(['Start', 'Task_Pick', 'Task_Pack', 'Throw_Packed', 'End']);
    expect(model.flows['Flow_Task_Pick_Task_Pack']).toMatchObject({ source: 'Task_Pick', target: 'Task_Pack' });
    expect(model.elements['Task_Pick']).toMatchObject({
      type: 'bpmn:ServiceTask',
      scope: 'conf_sequence_basic',
      incoming: ['Flow_Start_Task_Pick'],
      outgoing: ['Flow_Task_Pick_Task_Pack'],
      line: lineOf(read('sequence-basic.bpmn'), 'id="Task_Pick"'),
      job: { type: { src: 'sequence-basic.pick', feel: false }, retries: { src: '3', feel: false }, headers: {} },
    });
    expect(model.flows['Flow_Start_Task_Pick']!.line).toBe(
      lineOf(read('sequence-basic.bpmn'), 'id="Flow_Start_Task_Pick"'),
    );
    expect(model.elements['Throw_Packed']!.event).toBeUndefined();
  });

  it('keeps default flows and FEEL conditions', async () => {
    // given xor-default-flow, when compiled
    const model = await compileCase('xor-default-flow');
    // then the default flow is kept and conditions are FEEL without the =
    expect(model.elements['Gw_Route']!.defaultFlow).toBe('Flow_Standard');
    expect(model.flows['Flow_Gw_Route_Task_Express']!.condition).toEqual({ src: 'shipping = "express"', feel: true });
    expect(model.flows['Flow_Standard']!.condition).toBeUndefined();
  });

  it('lists boundary events on their activity', async () => {
    // given boundary-timers, when compiled
    const model = await compileCase('boundary-timers');
    // then both boundaries are listed on the task, each with its own interruption
    expect(model.elements['Task_Review']!.boundaries).toEqual(['Bnd_Remind', 'Bnd_Timeout']);
    expect(model.elements['Bnd_Remind']).toMatchObject({
      attachedTo: 'Task_Review',
      interrupting: false,
      event: { kind: 'timer', timer: 'duration', value: { src: 'PT0.2S', feel: false } },
    });
    expect(model.elements['Bnd_Timeout']!.interrupting).toBe(true);
  });

  it('reads job retries', async () => {
    // given job-retries-incident-retry, when compiled
    const model = await compileCase('job-retries-incident-retry');
    // then the job carries the declared retries
    const task = Object.values(model.elements).find((e) => e.job !== undefined);
    expect(task?.job?.retries).toEqual({ src: '2', feel: false });
  });

  it('reads input and output mappings', async () => {
    // given io-input-output-mappings, when compiled
    const model = await compileCase('io-input-output-mappings');
    // then inputs and outputs are kept in order; elements without mappings have none
    const task = model.elements['Task_Review']!;
    expect(task.inputs).toEqual([
      { source: { src: 'order.customer.name', feel: true }, target: 'customerName' },
      { source: { src: 'order.total + order.shipping', feel: true }, target: 'grandTotal' },
      { source: { src: '"manual"', feel: true }, target: 'mode' },
    ]);
    expect(task.outputs?.map((m) => m.target)).toEqual(['orderApproved', 'reviewResult']);
    expect(model.elements['Start']!.outputs).toBeUndefined();
  });

  it('reads multi-instance settings', async () => {
    // given mi-parallel-jobs-output, when compiled
    const model = await compileCase('mi-parallel-jobs-output');
    // then the zeebe:loopCharacteristics are read
    expect(model.elements['Task_Quote']!.multiInstance).toEqual({
      sequential: false,
      inputCollection: { src: 'suppliers', feel: true },
      inputElement: 'supplier',
      outputCollection: 'quotes',
      outputElement: { src: 'offer + "-quoted"', feel: true },
    });
  });

  it('reads the called element with Camunda 8 defaults', async () => {
    // given call-variables-in-out, when compiled
    const model = await compileCase('call-variables-in-out');
    // then unset attributes take Camunda 8 defaults
    expect(model.elements['Call_Child']!.calledElement).toEqual({
      processId: { src: 'conf_call_variables_in_out_child', feel: false },
      propagateAllChildVariables: false,
      propagateAllParentVariables: true,
      bindingType: 'latest',
    });
  });

  it('links compensation boundary events to their handlers', async () => {
    // given comp-order-fulfilment, when compiled
    const model = await compileCase('comp-order-fulfilment');
    // then each compensation boundary names its handler via the association
    expect(model.elements['Comp_Reserve']).toMatchObject({
      compensationHandler: 'Task_Release',
      attachedTo: 'Task_Reserve',
      event: { kind: 'compensate', waitForCompletion: true },
    });
    expect(model.elements['Task_Release']!.isForCompensation).toBe(true);
    expect(model.elements['Task_Charge']!.boundaries).toEqual(['Comp_Charge', 'Bnd_Declined']);
    expect(model.elements['Bnd_Declined']!.event).toEqual({ kind: 'error', errorCode: 'PAYMENT_DECLINED' });
  });

  it('describes event sub-processes and their start events', async () => {
    // given eventsub-noninterrupting-message-timer, when compiled
    const model = await compileCase('eventsub-noninterrupting-message-timer');
    // then the event sub-processes are listed and their starts are non-interrupting
    expect(model.root.eventSubprocesses).toEqual(['EvSub_Update', 'EvSub_Remind']);
    expect(model.elements['EvSub_Update']).toMatchObject({
      triggeredByEvent: true,
      children: ['Start_Update', 'Task_Log', 'EvEnd_Update'],
    });
    expect(model.elements['Start_Update']).toMatchObject({
      scope: 'EvSub_Update',
      interrupting: false,
      event: { kind: 'message', correlationKey: { src: 'ticket', feel: true } },
    });
  });

  it('reads scripts and sub-process scopes', async () => {
    // given mi-subprocess-sequential-script, when compiled
    const model = await compileCase('mi-subprocess-sequential-script');
    // then the script sits in the sub-process scope
    expect(model.elements['Sub_Lines']).toMatchObject({
      startEvents: ['Line_Start'],
      multiInstance: { sequential: true },
    });
    expect(model.elements['Script_LineTotal']).toMatchObject({
      scope: 'Sub_Lines',
      script: { expression: { src: 'line.qty * line.price', feel: true }, resultVariable: 'lineTotal' },
    });
  });

  it('returns deeply frozen models', async () => {
    // given sequence-basic, when compiled
    const model = await compileCase('sequence-basic');
    // then the model and its parts are frozen
    expect(Object.isFrozen(model)).toBe(true);
    expect(Object.isFrozen(model.elements['Task_Pick']!.incoming)).toBe(true);
    expect(Object.isFrozen(model.flows['Flow_Start_Task_Pick'])).toBe(true);
  });
});

/**
 * The "Camunda 8 compatibility" table of docs/bpmn-coverage.md: every extension element and
 * attribute of zeebe-bpmn-moddle's descriptor, with what Baton does with it. Each row carries a
 * probe model; test/zeebe-compat.test.ts deploys every probe and checks the verdict, checks that
 * the descriptor has no element or attribute without a row, and that the doc holds this table.
 *
 *   node --import tsx scripts/zeebe-compat.ts --write   rewrites the table in the doc
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DOC_PATH = fileURLToPath(new URL('../docs/bpmn-coverage.md', import.meta.url));
export const START_MARKER = '<!-- zeebe-compat:start -->';
export const END_MARKER = '<!-- zeebe-compat:end -->';

/** supported: deploys and acts on it (or it is metadata without behaviour); warning: deploys, ignored with a warning; rejected: refused at deploy. */
export type Verdict = 'supported' | 'warning' | 'rejected';

export interface CompatRow {
  /** `zeebe:Name` (descriptor type) and, for an attribute row, the attribute. */
  readonly type: string;
  readonly attribute?: string;
  readonly verdict: Verdict;
  readonly note: string;
  /** The body of a probe process (start event `S` and end event `E` are added around `X`). */
  readonly probe: string;
  /** Definitions-level extras of the probe (messages, …). */
  readonly extra?: string;
  /** The element a warning or problem names (default X, the probe element). */
  readonly at?: string;
}

const ext = (inner: string) => `<bpmn:extensionElements>${inner}</bpmn:extensionElements>`;
const td = '<zeebe:taskDefinition type="t" />';
const service = (inner: string, attrs = '') => `<bpmn:serviceTask id="X"${attrs}>${ext(inner)}</bpmn:serviceTask>`;
const user = (inner: string) => `<bpmn:userTask id="X">${ext(inner)}</bpmn:userTask>`;
const call = (attrs: string) =>
  `<bpmn:callActivity id="X">${ext(`<zeebe:calledElement ${attrs} />`)}</bpmn:callActivity>`;
const rule = (attrs: string) =>
  `<bpmn:businessRuleTask id="X">${ext(`<zeebe:calledDecision ${attrs} />`)}</bpmn:businessRuleTask>`;
const adHoc = (attrs: string, more = '') =>
  `<bpmn:adHocSubProcess id="X">${ext(`<zeebe:adHoc ${attrs} />`)}<bpmn:task id="Inner" />${more}</bpmn:adHocSubProcess>`;
const listener = (attrs: string, inner = '') =>
  service(
    `${td}<zeebe:executionListeners><zeebe:executionListener ${attrs}>${inner}</zeebe:executionListener></zeebe:executionListeners>`,
  );
const taskListener = (attrs: string) =>
  user(`<zeebe:userTask /><zeebe:taskListeners><zeebe:taskListener ${attrs} /></zeebe:taskListeners>`);
const loop = (attrs: string) =>
  `<bpmn:serviceTask id="X">${ext(td)}<bpmn:multiInstanceLoopCharacteristics>${ext(`<zeebe:loopCharacteristics ${attrs} />`)}</bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>`;
const catchMsg =
  '<bpmn:intermediateCatchEvent id="X"><bpmn:messageEventDefinition messageRef="M" /></bpmn:intermediateCatchEvent>';
const message = (sub: string) => `<bpmn:message id="M" name="m">${ext(sub)}</bpmn:message>`;
const form = (attrs: string) => user(`<zeebe:userTask /><zeebe:formDefinition ${attrs} />`);
const conditional = (attrs: string) =>
  `<bpmn:intermediateCatchEvent id="X"><bpmn:conditionalEventDefinition>${ext(`<zeebe:conditionalFilter ${attrs} />`)}<bpmn:condition xsi:type="bpmn:tFormalExpression">=x &gt; 1</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>`;
const linked = (attrs: string) =>
  service(`${td}<zeebe:linkedResources><zeebe:linkedResource ${attrs} /></zeebe:linkedResources>`);

/** The rows, in the descriptor's order. */
export const ROWS: readonly CompatRow[] = [
  { type: 'zeebe:TaskDefinition', verdict: 'supported', note: 'a job of its type', probe: service(td) },
  {
    type: 'zeebe:TaskDefinition',
    attribute: 'type',
    verdict: 'supported',
    note: 'literal or FEEL',
    probe: service('<zeebe:taskDefinition type="=kind" />'),
  },
  {
    type: 'zeebe:TaskDefinition',
    attribute: 'retries',
    verdict: 'supported',
    note: 'default 3',
    probe: service('<zeebe:taskDefinition type="t" retries="5" />'),
  },
  {
    type: 'zeebe:TaskDefinition',
    attribute: '(on an ad-hoc sub-process)',
    verdict: 'rejected',
    note: "the job worker form (Camunda's AI agent)",
    probe: `<bpmn:adHocSubProcess id="X">${ext(td)}<bpmn:task id="Inner" /></bpmn:adHocSubProcess>`,
  },
  {
    type: 'zeebe:TaskHeaders',
    verdict: 'supported',
    note: "the job's customHeaders",
    probe: service(`${td}<zeebe:taskHeaders><zeebe:header key="k" value="v" /></zeebe:taskHeaders>`),
  },
  {
    type: 'zeebe:Header',
    attribute: 'key',
    verdict: 'supported',
    note: 'required',
    probe: service(`${td}<zeebe:taskHeaders><zeebe:header key="k" /></zeebe:taskHeaders>`),
  },
  {
    type: 'zeebe:Header',
    attribute: 'value',
    verdict: 'supported',
    note: '',
    probe: service(`${td}<zeebe:taskHeaders><zeebe:header key="k" value="v" /></zeebe:taskHeaders>`),
  },
  {
    type: 'zeebe:Header',
    attribute: 'id',
    verdict: 'supported',
    note: 'modeler metadata',
    probe: service(`${td}<zeebe:taskHeaders><zeebe:header id="h1" key="k" value="v" /></zeebe:taskHeaders>`),
  },
  {
    type: 'zeebe:IoMapping',
    verdict: 'supported',
    note: 'input and output mappings',
    probe: service(
      `${td}<zeebe:ioMapping><zeebe:input source="=1" target="a" /><zeebe:output source="=a" target="b" /></zeebe:ioMapping>`,
    ),
  },
  {
    type: 'zeebe:Input',
    attribute: 'source',
    verdict: 'supported',
    note: 'FEEL or literal',
    probe: service(`${td}<zeebe:ioMapping><zeebe:input source="=1" target="a" /></zeebe:ioMapping>`),
  },
  {
    type: 'zeebe:Input',
    attribute: 'target',
    verdict: 'supported',
    note: 'a name or a path',
    probe: service(`${td}<zeebe:ioMapping><zeebe:input source="=1" target="a.b" /></zeebe:ioMapping>`),
  },
  {
    type: 'zeebe:Output',
    attribute: 'source',
    verdict: 'supported',
    note: '',
    probe: service(`${td}<zeebe:ioMapping><zeebe:output source="=1" target="a" /></zeebe:ioMapping>`),
  },
  {
    type: 'zeebe:Output',
    attribute: 'target',
    verdict: 'supported',
    note: '',
    probe: service(`${td}<zeebe:ioMapping><zeebe:output source="=1" target="a" /></zeebe:ioMapping>`),
  },
  {
    type: 'zeebe:Subscription',
    attribute: 'correlationKey',
    verdict: 'supported',
    note: 'on a message',
    probe: catchMsg,
    extra: message('<zeebe:subscription correlationKey="=k" />'),
  },
  {
    type: 'zeebe:LoopCharacteristics',
    attribute: 'inputCollection',
    verdict: 'supported',
    note: '',
    probe: loop('inputCollection="=items" inputElement="item"'),
  },
  {
    type: 'zeebe:LoopCharacteristics',
    attribute: 'inputElement',
    verdict: 'supported',
    note: '',
    probe: loop('inputCollection="=items" inputElement="item"'),
  },
  {
    type: 'zeebe:LoopCharacteristics',
    attribute: 'outputCollection',
    verdict: 'supported',
    note: '',
    probe: loop('inputCollection="=items" outputCollection="out" outputElement="=1"'),
  },
  {
    type: 'zeebe:LoopCharacteristics',
    attribute: 'outputElement',
    verdict: 'supported',
    note: '',
    probe: loop('inputCollection="=items" outputCollection="out" outputElement="=1"'),
  },
  {
    type: 'zeebe:CalledElement',
    attribute: 'processId',
    verdict: 'supported',
    note: 'literal or FEEL',
    probe: call('processId="child"'),
  },
  {
    type: 'zeebe:CalledElement',
    attribute: 'propagateAllChildVariables',
    verdict: 'supported',
    note: '',
    probe: call('processId="child" propagateAllChildVariables="false"'),
  },
  {
    type: 'zeebe:CalledElement',
    attribute: 'propagateAllParentVariables',
    verdict: 'supported',
    note: '',
    probe: call('processId="child" propagateAllParentVariables="false"'),
  },
  {
    type: 'zeebe:CalledElement',
    attribute: 'bindingType',
    verdict: 'supported',
    note: 'latest, versionTag, deployment',
    probe: call('processId="child" bindingType="deployment"'),
  },
  {
    type: 'zeebe:CalledElement',
    attribute: 'versionTag',
    verdict: 'supported',
    note: '',
    probe: call('processId="child" bindingType="versionTag" versionTag="v1"'),
  },
  {
    type: 'zeebe:CalledElement',
    attribute: 'processIdExpression',
    verdict: 'warning',
    note: 'ignored: Baton reads processId',
    probe: call('processId="child" processIdExpression="=x"'),
  },
  {
    type: 'zeebe:CalledElement',
    attribute: 'businessId',
    verdict: 'warning',
    note: 'ignored: called instances get no business id from it',
    probe: call('processId="child" businessId="=id"'),
  },
  {
    type: 'zeebe:UserTaskForm',
    verdict: 'supported',
    note: 'embedded forms',
    probe: user('<zeebe:formDefinition formKey="camunda-forms:bpmn:F" />'),
    extra: '',
  },
  {
    type: 'zeebe:UserTaskForm',
    attribute: 'id',
    verdict: 'supported',
    note: '',
    probe: user('<zeebe:formDefinition formKey="camunda-forms:bpmn:F" />'),
  },
  {
    type: 'zeebe:UserTaskForm',
    attribute: 'body',
    verdict: 'supported',
    note: 'checked like a .form',
    probe: user('<zeebe:formDefinition formKey="camunda-forms:bpmn:F" />'),
  },
  {
    type: 'zeebe:FormDefinition',
    attribute: 'formKey',
    verdict: 'supported',
    note: '',
    probe: form('formKey="my-form"'),
  },
  {
    type: 'zeebe:FormDefinition',
    attribute: 'formId',
    verdict: 'supported',
    note: 'a linked Camunda Form',
    probe: form('formId="f"'),
  },
  {
    type: 'zeebe:FormDefinition',
    attribute: 'externalReference',
    verdict: 'supported',
    note: 'given as the form key',
    probe: form('externalReference="https://forms.example/1"'),
  },
  {
    type: 'zeebe:FormDefinition',
    attribute: 'bindingType',
    verdict: 'supported',
    note: '',
    probe: form('formId="f" bindingType="deployment"'),
  },
  {
    type: 'zeebe:FormDefinition',
    attribute: 'versionTag',
    verdict: 'supported',
    note: '',
    probe: form('formId="f" bindingType="versionTag" versionTag="v1"'),
  },
  {
    type: 'zeebe:LinkedResources',
    verdict: 'rejected',
    note: 'Baton keeps no linked resources (RPA scripts) to hand to workers',
    probe: linked('resourceId="r" resourceType="RPA" linkName="l"'),
  },
  {
    type: 'zeebe:LinkedResource',
    attribute: 'resourceId',
    verdict: 'rejected',
    note: 'see zeebe:LinkedResources',
    probe: linked('resourceId="r"'),
  },
  {
    type: 'zeebe:LinkedResource',
    attribute: 'resourceType',
    verdict: 'rejected',
    note: 'see zeebe:LinkedResources',
    probe: linked('resourceType="RPA"'),
  },
  {
    type: 'zeebe:LinkedResource',
    attribute: 'linkName',
    verdict: 'rejected',
    note: 'see zeebe:LinkedResources',
    probe: linked('linkName="l"'),
  },
  {
    type: 'zeebe:LinkedResource',
    attribute: 'bindingType',
    verdict: 'rejected',
    note: 'see zeebe:LinkedResources',
    probe: linked('bindingType="latest"'),
  },
  {
    type: 'zeebe:LinkedResource',
    attribute: 'versionTag',
    verdict: 'rejected',
    note: 'see zeebe:LinkedResources',
    probe: linked('versionTag="v"'),
  },
  {
    type: 'zeebe:UserTask',
    verdict: 'supported',
    note: 'a Camunda user task (same as a plain one)',
    probe: user('<zeebe:userTask />'),
  },
  {
    type: 'zeebe:CalledDecision',
    attribute: 'decisionId',
    verdict: 'supported',
    note: 'evaluated in the engine',
    probe: rule('decisionId="d" resultVariable="r"'),
  },
  {
    type: 'zeebe:CalledDecision',
    attribute: 'resultVariable',
    verdict: 'supported',
    note: 'required',
    probe: rule('decisionId="d" resultVariable="r"'),
  },
  {
    type: 'zeebe:CalledDecision',
    attribute: 'bindingType',
    verdict: 'supported',
    note: '',
    probe: rule('decisionId="d" resultVariable="r" bindingType="deployment"'),
  },
  {
    type: 'zeebe:CalledDecision',
    attribute: 'versionTag',
    verdict: 'supported',
    note: '',
    probe: rule('decisionId="d" resultVariable="r" bindingType="versionTag" versionTag="v1"'),
  },
  {
    type: 'zeebe:AssignmentDefinition',
    attribute: 'assignee',
    verdict: 'supported',
    note: '',
    probe: user('<zeebe:assignmentDefinition assignee="=who" />'),
  },
  {
    type: 'zeebe:AssignmentDefinition',
    attribute: 'candidateGroups',
    verdict: 'supported',
    note: '',
    probe: user('<zeebe:assignmentDefinition candidateGroups="a, b" />'),
  },
  {
    type: 'zeebe:AssignmentDefinition',
    attribute: 'candidateUsers',
    verdict: 'supported',
    note: 'evaluated and shown to task listeners; the task list does not filter by it',
    probe: user('<zeebe:assignmentDefinition candidateUsers="ann" />'),
  },
  {
    type: 'zeebe:PriorityDefinition',
    attribute: 'priority',
    verdict: 'warning',
    note: 'ignored: the task list has no priority',
    probe: user('<zeebe:priorityDefinition priority="80" />'),
  },
  {
    type: 'zeebe:JobPriorityDefinition',
    attribute: 'priority',
    verdict: 'warning',
    note: 'ignored: jobs are handed out in due order',
    probe: service(`${td}<zeebe:jobPriorityDefinition priority="80" />`),
  },
  {
    type: 'zeebe:TaskSchedule',
    attribute: 'dueDate',
    verdict: 'warning',
    note: 'ignored: the task list has no dates',
    probe: user('<zeebe:taskSchedule dueDate="2030-01-01T00:00:00Z" />'),
  },
  {
    type: 'zeebe:TaskSchedule',
    attribute: 'followUpDate',
    verdict: 'warning',
    note: 'ignored: the task list has no dates',
    probe: user('<zeebe:taskSchedule followUpDate="2030-01-01T00:00:00Z" />'),
  },
  {
    type: 'zeebe:Properties',
    verdict: 'supported',
    note: 'metadata without behaviour (also on Camunda 8)',
    probe: service(`${td}<zeebe:properties><zeebe:property name="a" value="b" /></zeebe:properties>`),
  },
  {
    type: 'zeebe:Property',
    attribute: 'name',
    verdict: 'supported',
    note: 'metadata',
    probe: service(`${td}<zeebe:properties><zeebe:property name="a" /></zeebe:properties>`),
  },
  {
    type: 'zeebe:Property',
    attribute: 'value',
    verdict: 'supported',
    note: 'metadata',
    probe: service(`${td}<zeebe:properties><zeebe:property name="a" value="b" /></zeebe:properties>`),
  },
  {
    type: 'zeebe:Script',
    attribute: 'expression',
    verdict: 'supported',
    note: 'FEEL',
    probe:
      '<bpmn:scriptTask id="X"><bpmn:extensionElements><zeebe:script expression="=1" resultVariable="r" /></bpmn:extensionElements></bpmn:scriptTask>',
  },
  {
    type: 'zeebe:Script',
    attribute: 'resultVariable',
    verdict: 'supported',
    note: '',
    probe:
      '<bpmn:scriptTask id="X"><bpmn:extensionElements><zeebe:script expression="=1" resultVariable="r" /></bpmn:extensionElements></bpmn:scriptTask>',
  },
  {
    type: 'zeebe:ExecutionListeners',
    verdict: 'supported',
    note: 'start and end listeners (Camunda 8.6)',
    probe: listener('eventType="start" type="l"'),
  },
  {
    type: 'zeebe:ExecutionListener',
    attribute: 'eventType',
    verdict: 'supported',
    note: 'start, end',
    probe: listener('eventType="end" type="l"'),
  },
  {
    type: 'zeebe:ExecutionListener',
    attribute: 'type',
    verdict: 'supported',
    note: '',
    probe: listener('eventType="start" type="=kind"'),
  },
  {
    type: 'zeebe:ExecutionListener',
    attribute: 'retries',
    verdict: 'supported',
    note: '',
    probe: listener('eventType="start" type="l" retries="2"'),
  },
  {
    type: 'zeebe:ExecutionListener',
    attribute: 'headers',
    verdict: 'supported',
    note: "over the element's headers",
    probe: listener(
      'eventType="start" type="l"',
      '<zeebe:taskHeaders><zeebe:header key="k" value="v" /></zeebe:taskHeaders>',
    ),
  },
  {
    type: 'zeebe:ExecutionListener',
    attribute: '(start on a start event)',
    verdict: 'rejected',
    note: 'as on Camunda 8 (also: start on boundary events, end on gateways and error end events)',
    at: 'S',
    probe: '<bpmn:task id="X" />',
    extra: '',
  },
  {
    type: 'zeebe:TaskListeners',
    verdict: 'supported',
    note: 'creating, assigning, completing (Camunda 8.8)',
    probe: taskListener('eventType="completing" type="l"'),
  },
  {
    type: 'zeebe:TaskListener',
    attribute: 'eventType',
    verdict: 'supported',
    note: 'creating, assigning, completing',
    probe: taskListener('eventType="assigning" type="l"'),
  },
  {
    type: 'zeebe:TaskListener',
    attribute: 'type',
    verdict: 'supported',
    note: '',
    probe: taskListener('eventType="creating" type="l"'),
  },
  {
    type: 'zeebe:TaskListener',
    attribute: 'retries',
    verdict: 'supported',
    note: '',
    probe: taskListener('eventType="creating" type="l" retries="1"'),
  },
  {
    type: 'zeebe:TaskListener',
    attribute: '(eventType updating)',
    verdict: 'warning',
    note: 'never runs: Baton has no operation that updates a user task',
    probe: taskListener('eventType="updating" type="l"'),
  },
  {
    type: 'zeebe:TaskListener',
    attribute: '(eventType canceling)',
    verdict: 'rejected',
    note: 'a terminated user task ends at once in Baton',
    probe: taskListener('eventType="canceling" type="l"'),
  },
  {
    type: 'zeebe:VersionTag',
    attribute: 'value',
    verdict: 'supported',
    note: 'for bindingType versionTag',
    probe: '<bpmn:task id="X" />',
  },
  {
    type: 'zeebe:AdHoc',
    attribute: 'activeElementsCollection',
    verdict: 'supported',
    note: 'Camunda 8.7',
    probe: adHoc('activeElementsCollection="=[]"'),
  },
  {
    type: 'zeebe:AdHoc',
    attribute: 'outputCollection',
    verdict: 'supported',
    note: '',
    probe: adHoc('outputCollection="out" outputElement="=1"'),
  },
  {
    type: 'zeebe:AdHoc',
    attribute: 'outputElement',
    verdict: 'supported',
    note: '',
    probe: adHoc('outputCollection="out" outputElement="=1"'),
  },
  {
    type: 'zeebe:ConditionalFilter',
    attribute: 'variableNames',
    verdict: 'rejected',
    note: 'conditions are evaluated after every command, not filtered by variable',
    probe: conditional('variableNames="x"'),
  },
  {
    type: 'zeebe:ConditionalFilter',
    attribute: 'variableEvents',
    verdict: 'rejected',
    note: 'see variableNames',
    probe: conditional('variableEvents="create"'),
  },
  {
    type: 'zeebe:AgentDefinition',
    attribute: 'agentType',
    verdict: 'rejected',
    note: "Camunda's AI agent is not part of Baton",
    probe: service(`${td}<zeebe:agentDefinition agentType="a" />`),
  },
  {
    type: 'zeebe:ZeebeServiceTask',
    attribute: 'retryCounter',
    verdict: 'warning',
    note: 'ignored: retries come from the task definition',
    probe: service(td, ' zeebe:retryCounter="3"'),
  },
  {
    type: 'zeebe:TemplateSupported',
    attribute: 'modelerTemplate',
    verdict: 'supported',
    note: 'modeler metadata',
    probe: service(td, ' zeebe:modelerTemplate="io.example.t"'),
  },
  {
    type: 'zeebe:TemplateSupported',
    attribute: 'modelerTemplateVersion',
    verdict: 'supported',
    note: 'modeler metadata',
    probe: service(td, ' zeebe:modelerTemplate="io.example.t" zeebe:modelerTemplateVersion="2"'),
  },
  {
    type: 'zeebe:TemplateSupported',
    attribute: 'modelerTemplateIcon',
    verdict: 'supported',
    note: 'modeler metadata',
    probe: service(td, ' zeebe:modelerTemplateIcon="data:image/svg+xml,x"'),
  },
  {
    type: 'zeebe:TemplatedRootElement',
    attribute: 'modelerTemplate',
    verdict: 'supported',
    note: 'modeler metadata',
    probe: catchMsg,
    extra:
      '<bpmn:message id="M" name="m" zeebe:modelerTemplate="t"><bpmn:extensionElements><zeebe:subscription correlationKey="=k" /></bpmn:extensionElements></bpmn:message>',
  },
  {
    type: 'zeebe:ConfigurationSupported',
    attribute: 'modelerConfigurationTemplate',
    verdict: 'supported',
    note: 'modeler metadata',
    probe: service(
      `${td}<zeebe:ioMapping><zeebe:input source="=1" target="a" zeebe:modelerConfigurationTemplate="c" /></zeebe:ioMapping>`,
    ),
  },
  {
    type: 'zeebe:ConfigurationSupported',
    attribute: 'modelerConfigurationName',
    verdict: 'supported',
    note: 'modeler metadata',
    probe: service(
      `${td}<zeebe:ioMapping><zeebe:input source="=1" target="a" zeebe:modelerConfigurationName="c" /></zeebe:ioMapping>`,
    ),
  },
  {
    type: 'zeebe:BindingTypeSupported',
    attribute: 'bindingType',
    verdict: 'supported',
    note: 'on calledElement, calledDecision, formDefinition (linkedResource: rejected)',
    probe: call('processId="child" bindingType="latest"'),
  },
  {
    type: 'zeebe:BindingTypeSupported',
    attribute: 'versionTag',
    verdict: 'supported',
    note: 'see bindingType',
    probe: call('processId="child" bindingType="versionTag" versionTag="v"'),
  },
];

/** Descriptor types that only lend attributes to others (their attributes have rows). */
export const ABSTRACT_TYPES: ReadonlySet<string> = new Set(['zeebe:InputOutputParameter']);

/** The probe model of a row. */
export function probeXml(row: CompatRow): string {
  const vt =
    row.type === 'zeebe:VersionTag'
      ? '<bpmn:extensionElements><zeebe:versionTag value="v1" /></bpmn:extensionElements>'
      : '';
  const form =
    row.type === 'zeebe:UserTaskForm'
      ? '<zeebe:userTaskForm id="F">{"components":[],"type":"default","id":"F"}</zeebe:userTaskForm>'
      : '';
  const head = vt || (form ? `<bpmn:extensionElements>${form}</bpmn:extensionElements>` : '');
  const start =
    row.attribute === '(start on a start event)'
      ? '<bpmn:startEvent id="S"><bpmn:extensionElements><zeebe:executionListeners><zeebe:executionListener eventType="start" type="l" /></zeebe:executionListeners></bpmn:extensionElements></bpmn:startEvent>'
      : '<bpmn:startEvent id="S" />';
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="D" targetNamespace="t">
  ${row.extra ?? ''}
  <bpmn:process id="probe" isExecutable="true">${head}
    ${start}${row.probe}<bpmn:endEvent id="E" />
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="X" /><bpmn:sequenceFlow id="f2" sourceRef="X" targetRef="E" />
  </bpmn:process>
</bpmn:definitions>`;
}

/** The markdown table the doc holds between its markers. */
export function compatTable(): string {
  const lines = ['| extension element | attribute | Baton | note |', '| --- | --- | --- | --- |'];
  for (const r of ROWS) {
    const name = `\`${r.type.replace(/^zeebe:(\w)/, (_, c: string) => `zeebe:${c.toLowerCase()}`)}\``;
    lines.push(`| ${name} | ${r.attribute ? `\`${r.attribute}\`` : ''} | ${r.verdict} | ${r.note} |`);
  }
  return lines.join('\n');
}

if (process.argv.includes('--write')) {
  const doc = readFileSync(DOC_PATH, 'utf8');
  const start = doc.indexOf(START_MARKER);
  const end = doc.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`Expected the markers ${START_MARKER} … ${END_MARKER} in ${DOC_PATH}`);
  writeFileSync(DOC_PATH, `${doc.slice(0, start + START_MARKER.length)}\n${compatTable()}\n${doc.slice(end)}`);
}

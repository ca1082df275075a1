/**
 * Minimal BPMN documents that put one event definition in one position (or one element in a
 * process), for test/coverage.test.ts: the compiler must accept exactly what the coverage table
 * says is supported.
 */
import type { Column, DefinitionKind } from '../scripts/coverage.js';

const HEADER =
  '<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ' +
  'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Defs" targetNamespace="http://baton.test">\n';

const ROOTS = [
  '<bpmn:message id="Msg" name="probe-message"><bpmn:extensionElements><zeebe:subscription correlationKey="=key" /></bpmn:extensionElements></bpmn:message>',
  '<bpmn:signal id="Sig" name="probe-signal" />',
  '<bpmn:error id="Err" errorCode="PROBE" />',
  '<bpmn:escalation id="Esc" escalationCode="PROBE" />',
].join('\n');

const JOB = '<bpmn:extensionElements><zeebe:taskDefinition type="probe" /></bpmn:extensionElements>';

/** The event definition element(s) of `kind`, as a catch or a throw. */
function definition(kind: DefinitionKind, catching: boolean): string {
  switch (kind) {
    case 'none':
      return '';
    case 'message':
      return '<bpmn:messageEventDefinition messageRef="Msg" />';
    case 'timer':
      return catching
        ? '<bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>'
        : '<bpmn:timerEventDefinition />';
    case 'error':
      return '<bpmn:errorEventDefinition errorRef="Err" />';
    case 'escalation':
      return '<bpmn:escalationEventDefinition escalationRef="Esc" />';
    case 'cancel':
      return '<bpmn:cancelEventDefinition />';
    case 'compensate':
      return '<bpmn:compensateEventDefinition />';
    case 'conditional':
      return '<bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">=x &gt; 1</bpmn:condition></bpmn:conditionalEventDefinition>';
    case 'link':
      return '<bpmn:linkEventDefinition name="L" />';
    case 'signal':
      return '<bpmn:signalEventDefinition signalRef="Sig" />';
    case 'terminate':
      return '<bpmn:terminateEventDefinition />';
    case 'multiple':
    case 'parallelMultiple':
      return '<bpmn:messageEventDefinition messageRef="Msg" /><bpmn:signalEventDefinition signalRef="Sig" />';
  }
}

function doc(body: string): string {
  return `${HEADER}${ROOTS}\n<bpmn:process id="P" isExecutable="true">\n${body}\n</bpmn:process>\n</bpmn:definitions>\n`;
}

const flow = (id: string, from: string, to: string) =>
  `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;

/** A transaction `T` holding start -> `inner` -> end, where `inner` is wired by the caller's flows. */
function inTransaction(inner: string): string {
  return `<bpmn:startEvent id="S" />${flow('F0', 'S', 'T')}<bpmn:transaction id="T">${inner}</bpmn:transaction>${flow('F9', 'T', 'E')}<bpmn:endEvent id="E" />`;
}

/**
 * A document with `kind` in `column`. Intermediate and end events stand inside a transaction and
 * boundary events are attached to one, so that cancel events have the context they need.
 */
export function eventProbe(kind: DefinitionKind, column: Column): string {
  const parallel = kind === 'parallelMultiple' ? ' parallelMultiple="true"' : '';
  const catching = column.type !== 'bpmn:IntermediateThrowEvent' && column.type !== 'bpmn:EndEvent';
  const def = definition(kind, catching);
  const linkPartner =
    kind === 'link'
      ? column.key === 'catch'
        ? '<bpmn:intermediateThrowEvent id="LT"><bpmn:linkEventDefinition name="L" /></bpmn:intermediateThrowEvent>'
        : '<bpmn:intermediateCatchEvent id="LC"><bpmn:linkEventDefinition name="L" /></bpmn:intermediateCatchEvent>'
      : '';
  switch (column.key) {
    case 'start':
      return doc(
        `<bpmn:startEvent id="X"${parallel}>${def}</bpmn:startEvent>${flow('F1', 'X', 'E')}<bpmn:endEvent id="E" />`,
      );
    case 'start-sub':
      return doc(
        `<bpmn:startEvent id="S" />${flow('F0', 'S', 'Sub')}<bpmn:subProcess id="Sub"><bpmn:startEvent id="X"${parallel}>${def}</bpmn:startEvent>${flow('F1', 'X', 'IE')}<bpmn:endEvent id="IE" /></bpmn:subProcess>${flow('F9', 'Sub', 'E')}<bpmn:endEvent id="E" />`,
      );
    case 'esp-int':
    case 'esp-non': {
      const interrupting = column.interrupting ? '' : ' isInterrupting="false"';
      const esp = `<bpmn:subProcess id="Esp" triggeredByEvent="true"><bpmn:startEvent id="X"${interrupting}${parallel}>${def}</bpmn:startEvent>${flow('F2', 'X', 'EE')}<bpmn:endEvent id="EE" /></bpmn:subProcess>`;
      return doc(
        `<bpmn:startEvent id="S" />${flow('F0', 'S', 'Sub')}<bpmn:subProcess id="Sub"><bpmn:startEvent id="IS" />${flow('F1', 'IS', 'W')}<bpmn:serviceTask id="W">${JOB}</bpmn:serviceTask>${flow('F3', 'W', 'IE')}<bpmn:endEvent id="IE" />${esp}</bpmn:subProcess>${flow('F9', 'Sub', 'E')}<bpmn:endEvent id="E" />`,
      );
    }
    case 'catch':
    case 'throw': {
      const tag = column.key === 'catch' ? 'intermediateCatchEvent' : 'intermediateThrowEvent';
      const incoming = kind === 'link' && column.key === 'catch' ? flow('F1', 'IS', 'LT') : flow('F1', 'IS', 'X');
      const outgoing = kind === 'link' && column.key === 'throw' ? flow('F2', 'LC', 'IE') : flow('F2', 'X', 'IE');
      return doc(
        inTransaction(
          `<bpmn:startEvent id="IS" />${incoming}<bpmn:${tag} id="X"${parallel}>${def}</bpmn:${tag}>${outgoing}${linkPartner}<bpmn:endEvent id="IE" />`,
        ),
      );
    }
    case 'boundary-int':
    case 'boundary-non': {
      const cancel = column.interrupting ? '' : ' cancelActivity="false"';
      const handler =
        kind === 'compensate'
          ? `<bpmn:serviceTask id="H" isForCompensation="true">${JOB}</bpmn:serviceTask><bpmn:association id="A" associationDirection="One" sourceRef="X" targetRef="H" />`
          : `${flow('F5', 'X', 'BE')}<bpmn:endEvent id="BE" />`;
      return doc(
        `${inTransaction(`<bpmn:startEvent id="IS" />${flow('F1', 'IS', 'IE')}<bpmn:endEvent id="IE" />`)}<bpmn:boundaryEvent id="X" attachedToRef="T"${cancel}${parallel}>${def}</bpmn:boundaryEvent>${handler}`,
      );
    }
    case 'end':
      return doc(
        inTransaction(
          `<bpmn:startEvent id="IS" />${flow('F1', 'IS', 'X')}<bpmn:endEvent id="X"${parallel}>${def}</bpmn:endEvent>`,
        ),
      );
    default:
      throw new Error(`Expected a known column, but got ${column.key}`);
  }
}

/** What an element needs to be complete enough to run, by type. */
const ELEMENT_BODY: Readonly<Record<string, string>> = {
  'bpmn:ServiceTask': JOB,
  'bpmn:SendTask': JOB,
  'bpmn:BusinessRuleTask': JOB,
  'bpmn:ScriptTask':
    '<bpmn:extensionElements><zeebe:script expression="=1" resultVariable="r" /></bpmn:extensionElements>',
  'bpmn:ReceiveTask': '',
  'bpmn:CallActivity': '<bpmn:extensionElements><zeebe:calledElement processId="P" /></bpmn:extensionElements>',
  'bpmn:SubProcess':
    '<bpmn:startEvent id="XS" /><bpmn:sequenceFlow id="XF" sourceRef="XS" targetRef="XE" /><bpmn:endEvent id="XE" />',
  'bpmn:Transaction':
    '<bpmn:startEvent id="XS" /><bpmn:sequenceFlow id="XF" sourceRef="XS" targetRef="XE" /><bpmn:endEvent id="XE" />',
  'bpmn:AdHocSubProcess':
    '<bpmn:extensionElements><zeebe:adHoc activeElementsCollection="=[&quot;XT&quot;]" /></bpmn:extensionElements><bpmn:task id="XT" />',
  'bpmn:IntermediateCatchEvent':
    '<bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>',
  'bpmn:ComplexGateway': '',
};

const ELEMENT_ATTRS: Readonly<Record<string, string>> = {
  'bpmn:ReceiveTask': ' messageRef="Msg"',
};

/** A document with element `type` (id X) between a start and an end event; undefined for types that are not flow nodes in a sequence. */
export function elementProbe(type: string): string | undefined {
  const tag = type.replace('bpmn:', '');
  const name = tag[0]!.toLowerCase() + tag.slice(1);
  const line = (x: string) =>
    doc(`<bpmn:startEvent id="S" />${flow('F1', 'S', 'X')}${x}${flow('F2', 'X', 'E')}<bpmn:endEvent id="E" />`);
  switch (type) {
    case 'bpmn:StartEvent':
      return doc(`<bpmn:startEvent id="X" />${flow('F1', 'X', 'E')}<bpmn:endEvent id="E" />`);
    case 'bpmn:EndEvent':
      return doc(`<bpmn:startEvent id="S" />${flow('F1', 'S', 'X')}<bpmn:endEvent id="X" />`);
    case 'bpmn:BoundaryEvent':
      return line(
        `<bpmn:userTask id="X" /><bpmn:boundaryEvent id="B" attachedToRef="X">${definition('timer', true)}</bpmn:boundaryEvent>${flow('F3', 'B', 'E')}`,
      );
    case 'bpmn:EventBasedGateway':
      return doc(
        `<bpmn:startEvent id="S" />${flow('F1', 'S', 'X')}<bpmn:eventBasedGateway id="X" />${flow('F2', 'X', 'C1')}${flow('F3', 'X', 'C2')}<bpmn:intermediateCatchEvent id="C1">${definition('timer', true)}</bpmn:intermediateCatchEvent><bpmn:intermediateCatchEvent id="C2">${definition('signal', true)}</bpmn:intermediateCatchEvent>${flow('F4', 'C1', 'E')}${flow('F5', 'C2', 'E')}<bpmn:endEvent id="E" />`,
      );
    case 'bpmn:SequenceFlow':
      return line('<bpmn:task id="X" />');
    case 'bpmn:DataObject':
      return line('<bpmn:task id="X" /><bpmn:dataObject id="D" />');
    case 'bpmn:DataObjectReference':
      return line(
        '<bpmn:task id="X" /><bpmn:dataObject id="D" /><bpmn:dataObjectReference id="DR" dataObjectRef="D" />',
      );
    case 'bpmn:DataStoreReference':
      return line('<bpmn:task id="X" /><bpmn:dataStoreReference id="DS" />');
    case 'bpmn:TextAnnotation':
      return line('<bpmn:task id="X" /><bpmn:textAnnotation id="N"><bpmn:text>note</bpmn:text></bpmn:textAnnotation>');
    case 'bpmn:Association':
      return line(
        '<bpmn:task id="X" /><bpmn:textAnnotation id="N" /><bpmn:association id="A" sourceRef="X" targetRef="N" />',
      );
    case 'bpmn:Group':
      return line('<bpmn:task id="X" /><bpmn:group id="G" />');
    default:
      return line(`<bpmn:${name} id="X"${ELEMENT_ATTRS[type] ?? ''}>${ELEMENT_BODY[type] ?? ''}</bpmn:${name}>`);
  }
}

/**
 * The BPMN of every workload, generated in code: one shape, two dialects. `zeebe` is Baton's
 * (zeebe:taskDefinition, FEEL with `=`); `peer` is bpmn-engine's (service functions from
 * `environment.services`, JavaScript conditions). Both describe the same elements and flows.
 */
export type Dialect = 'zeebe' | 'peer';

const HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ' +
  'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Defs_bench" targetNamespace="http://baton.bench">';

export function wrap(id: string, body: string, extra = ''): string {
  return `${HEAD}\n${extra}<bpmn:process id="${id}" isExecutable="true">\n${body}\n</bpmn:process>\n</bpmn:definitions>\n`;
}

const flow = (id: string, from: string, to: string, cond = '') =>
  `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}">${cond}</bpmn:sequenceFlow>`;

/** A service task calling job type / service `fn`. */
function service(id: string, d: Dialect): string {
  return d === 'zeebe'
    ? `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="bench-work" /></bpmn:extensionElements></bpmn:serviceTask>`
    : `<bpmn:serviceTask id="${id}" implementation="\${environment.services.work}" />`;
}

function condition(d: Dialect, feel: string, js: string): string {
  return d === 'zeebe'
    ? `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=${feel}</bpmn:conditionExpression>`
    : `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="javascript">next(null, ${js})</bpmn:conditionExpression>`;
}

/** (a) start → service task → exclusive gateway (amount > 100 ? big : small) → end. */
export function gatewayModel(d: Dialect): string {
  return wrap(
    'bench_a',
    [
      '<bpmn:startEvent id="Start" />',
      flow('F0', 'Start', 'Work'),
      service('Work', d),
      flow('F1', 'Work', 'Gw'),
      '<bpmn:exclusiveGateway id="Gw" default="FSmall" />',
      flow('FBig', 'Gw', 'EndBig', condition(d, 'amount > 100', 'environment.variables.amount > 100')),
      flow('FSmall', 'Gw', 'EndSmall'),
      '<bpmn:endEvent id="EndBig" />',
      '<bpmn:endEvent id="EndSmall" />',
    ].join('\n'),
  );
}

/** (b) ten service tasks in a line. */
export function lineModel(d: Dialect, n = 10): string {
  const parts = ['<bpmn:startEvent id="Start" />'];
  let prev = 'Start';
  for (let i = 1; i <= n; i++) {
    parts.push(flow(`F${i}`, prev, `T${i}`), service(`T${i}`, d));
    prev = `T${i}`;
  }
  parts.push(flow('FEnd', prev, 'End'), '<bpmn:endEvent id="End" />');
  return wrap('bench_b', parts.join('\n'));
}

/** (c) a ten-branch parallel fork and join, one service task per branch. */
export function parallelModel(d: Dialect, n = 10): string {
  const parts = [
    '<bpmn:startEvent id="Start" />',
    flow('F0', 'Start', 'Fork'),
    '<bpmn:parallelGateway id="Fork" />',
    '<bpmn:parallelGateway id="Join" />',
  ];
  for (let i = 1; i <= n; i++)
    parts.push(flow(`Fa${i}`, 'Fork', `T${i}`), service(`T${i}`, d), flow(`Fb${i}`, `T${i}`, 'Join'));
  parts.push(flow('FEnd', 'Join', 'End'), '<bpmn:endEvent id="End" />');
  return wrap('bench_c', parts.join('\n'));
}

/** (d) start → user task → end. */
export function userTaskModel(_d: Dialect): string {
  return wrap(
    'bench_user',
    [
      '<bpmn:startEvent id="Start" />',
      flow('F0', 'Start', 'Approve'),
      '<bpmn:userTask id="Approve" />',
      flow('F1', 'Approve', 'End'),
      '<bpmn:endEvent id="End" />',
    ].join('\n'),
  );
}

/** (d) start → message catch (correlated by `key`) → end. */
export function messageModel(d: Dialect): string {
  const msg =
    d === 'zeebe'
      ? '<bpmn:message id="Msg" name="bench.paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=key" /></bpmn:extensionElements></bpmn:message>\n'
      : '<bpmn:message id="Msg" name="bench.paid" />\n';
  return wrap(
    'bench_msg',
    [
      '<bpmn:startEvent id="Start" />',
      flow('F0', 'Start', 'Wait'),
      '<bpmn:intermediateCatchEvent id="Wait"><bpmn:messageEventDefinition id="MsgDef" messageRef="Msg" /></bpmn:intermediateCatchEvent>',
      flow('F1', 'Wait', 'End'),
      '<bpmn:endEvent id="End" />',
    ].join('\n'),
    msg,
  );
}

/** (e, steady) start → timer catch at the instance's own `=due` date-time → end. */
export function timerVarModel(): string {
  return wrap(
    'bench_timer_var',
    [
      '<bpmn:startEvent id="Start" />',
      flow('F0', 'Start', 'Wait'),
      '<bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDate xsi:type="bpmn:tFormalExpression">=due</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>',
      flow('F1', 'Wait', 'End'),
      '<bpmn:endEvent id="End" />',
    ].join('\n'),
  );
}

/** (e) start → timer catch at the fixed moment `dueIso` → end. */
export function timerModel(dueIso: string): string {
  return wrap(
    'bench_timer',
    [
      '<bpmn:startEvent id="Start" />',
      flow('F0', 'Start', 'Wait'),
      `<bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDate xsi:type="bpmn:tFormalExpression">${dueIso}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`,
      flow('F1', 'Wait', 'End'),
      '<bpmn:endEvent id="End" />',
    ].join('\n'),
  );
}

/** (f) start → service task for external workers (`bench-ext`) → end. */
export function externalJobModel(): string {
  return wrap(
    'bench_ext',
    [
      '<bpmn:startEvent id="Start" />',
      flow('F0', 'Start', 'Work'),
      '<bpmn:serviceTask id="Work"><bpmn:extensionElements><zeebe:taskDefinition type="bench-ext" /></bpmn:extensionElements></bpmn:serviceTask>',
      flow('F1', 'Work', 'End'),
      '<bpmn:endEvent id="End" />',
    ].join('\n'),
  );
}

/**
 * Helpers for the black-box semantics tests: tiny BPMN builders (no diagram info needed) and
 * drivers over the engine facade. Each test: given a model, when commands go in, then the
 * history and the instance say what happened.
 */
import type { Engine } from '../../engine/src/runtime/engine.js';
import type { JobView } from '../../engine/src/runtime/api-types.js';
import { waitFor } from '../processes/helpers.js';

export {
  completeUserTask,
  completions,
  history,
  idsOf,
  instance,
  startEngine,
  waitActive,
  waitFor,
  waitStatus,
  type TestEngine,
} from '../processes/helpers.js';

/** A BPMN document with one executable process `processId` around `body`, plus root elements. */
export function bpmn(processId: string, body: string, roots = '', processAttrs = ''): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ' +
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
    `id="Defs_${processId}" targetNamespace="http://baton.test/semantics">\n${roots}\n` +
    `<bpmn:process id="${processId}" isExecutable="true"${processAttrs}>\n${body}\n</bpmn:process>\n</bpmn:definitions>\n`
  );
}

/** A sequence flow `from` -> `to` (id `F_from_to`), optionally conditional (FEEL, escaped here). */
export function flow(from: string, to: string, condition?: string): string {
  const id = `F_${from}_${to}`;
  if (condition === undefined) return `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${esc(condition)}</bpmn:conditionExpression></bpmn:sequenceFlow>`;
}

/** Flows chaining the ids in order. */
export function chain(...ids: string[]): string {
  return ids
    .slice(1)
    .map((to, i) => flow(ids[i]!, to))
    .join('\n');
}

export const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A service task whose job has type `type` (default: the id). `inner` goes after the extension elements. */
export function job(id: string, type = id, extra = '', inner = '', attrs = ''): string {
  return `<bpmn:serviceTask id="${id}"${attrs}><bpmn:extensionElements><zeebe:taskDefinition type="${type}" />${extra}</bpmn:extensionElements>${inner}</bpmn:serviceTask>`;
}

export const start = (id = 'Start', def = '', attrs = '') =>
  `<bpmn:startEvent id="${id}"${attrs}>${def}</bpmn:startEvent>`;
export const end = (id = 'End', def = '') => `<bpmn:endEvent id="${id}">${def}</bpmn:endEvent>`;
export const userTask = (id: string, inner = '') => `<bpmn:userTask id="${id}">${inner}</bpmn:userTask>`;
export const script = (id: string, expression: string, resultVariable: string) =>
  `<bpmn:scriptTask id="${id}"><bpmn:extensionElements><zeebe:script expression="${esc(expression)}" resultVariable="${resultVariable}" /></bpmn:extensionElements></bpmn:scriptTask>`;

/** Event definitions. */
export const timer = (kind: 'timeDuration' | 'timeDate' | 'timeCycle', value: string) =>
  `<bpmn:timerEventDefinition><bpmn:${kind} xsi:type="bpmn:tFormalExpression">${esc(value)}</bpmn:${kind}></bpmn:timerEventDefinition>`;
export const conditional = (condition: string) =>
  `<bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">${esc(condition)}</bpmn:condition></bpmn:conditionalEventDefinition>`;
export const message = (ref: string) => `<bpmn:messageEventDefinition messageRef="${ref}" />`;
export const signal = (ref: string) => `<bpmn:signalEventDefinition signalRef="${ref}" />`;
export const compensate = (activityRef?: string) =>
  `<bpmn:compensateEventDefinition${activityRef ? ` activityRef="${activityRef}"` : ''} />`;

/** Root elements. */
export const messageDef = (id: string, name: string, correlationKey?: string) =>
  correlationKey
    ? `<bpmn:message id="${id}" name="${name}"><bpmn:extensionElements><zeebe:subscription correlationKey="${esc(correlationKey)}" /></bpmn:extensionElements></bpmn:message>`
    : `<bpmn:message id="${id}" name="${name}" />`;
export const signalDef = (id: string, name: string) => `<bpmn:signal id="${id}" name="${name}" />`;
export const errorDef = (id: string, code: string) => `<bpmn:error id="${id}" errorCode="${code}" />`;
export const escalationDef = (id: string, code: string) => `<bpmn:escalation id="${id}" escalationCode="${code}" />`;

/** Deploys `xml` (which must compile) and starts `processId`. */
export async function run(engine: Engine, xml: string, processId: string, variables: Record<string, unknown> = {}) {
  await engine.deploy(xml);
  return engine.startInstance({ processId, variables });
}

/**
 * Waits for one job of `type`, activates it and returns it. With `instanceId`, the job must belong
 * to that instance (tests keep job types unique per waiting instance).
 */
export async function activate(engine: Engine, type: string, instanceId?: string, timeoutMs = 5_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [j] = await engine.activateJobs({ type, worker: 'test', maxJobs: 1, lockMs: 60_000 });
    if (j) {
      if (instanceId !== undefined && j.instanceId !== instanceId)
        throw new Error(`Expected the ${type} job of ${instanceId}, but got one of ${j.instanceId}`);
      return j;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for a job of type ${type}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Activates and completes one job of `type`. */
export async function completeJob(
  engine: Engine,
  type: string,
  variables?: Record<string, unknown>,
  instanceId?: string,
): Promise<JobView> {
  const j = await activate(engine, type, instanceId);
  await engine.completeJob(j.key, variables);
  return j;
}

/** Waits until `elementId` completed `count` times in the instance's history. */
export function waitCompleted(engine: Engine, id: string, elementId: string, count = 1, timeoutMs = 5_000) {
  return waitFor(
    `${elementId} completed ${count}x`,
    async () =>
      ((await engine.getHistory(id)) ?? []).filter((h) => h.type === 'element-completed' && h.elementId === elementId)
        .length >= count,
    timeoutMs,
  );
}

/** Sleeps `ms` (for "nothing happens" checks). */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

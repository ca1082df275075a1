/**
 * Event fields of an {@link ElementDef}: the event definition, attachment and interruption.
 * Which definition may stand where is checked later, on the whole graph (validate-events.ts).
 */
import type { ModdleElement } from 'bpmn-moddle';
import { Extensions, type BuildContext, type Draft } from './context.js';
import { readJob, readMappings } from './read-zeebe.js';
import { checkTimerLiteral } from './timer-literal.js';
import type { EventDef, TimerKind } from './types.js';

const TIMER_PROPERTIES: ReadonlyArray<readonly [string, TimerKind]> = [
  ['timeDuration', 'duration'],
  ['timeDate', 'date'],
  ['timeCycle', 'cycle'],
];

/** Fills the event-specific fields of `draft` (definition, boundary attachment, interrupting, job, mappings). */
export function buildEvent(el: ModdleElement, draft: Draft, ext: Extensions, ctx: BuildContext): void {
  const id = draft.id;
  const definitions = (el.eventDefinitions ?? []) as ModdleElement[];
  if ((el.eventDefinitionRefs ?? []).length > 0) {
    ctx.sink.add(id, `Expected the event definitions of ${id} inside the event, but it references global ones`);
  }
  if (definitions.length > 1 || el.parallelMultiple === true) {
    ctx.sink.add(
      id,
      `Expected at most one event definition on ${id}, but found ${definitions.length}; multiple and parallel multiple events are not supported`,
    );
  } else if (definitions.length === 1) {
    const event = readDefinition(definitions[0]!, id, ctx);
    if (event) draft.event = event;
  }
  if (el.$type === 'bpmn:BoundaryEvent') {
    const target = el.attachedToRef?.id as string | undefined;
    if (target) draft.attachedTo = target;
    else if (!ctx.sink.has(id))
      ctx.sink.add(id, `Expected boundary event ${id} to be attached to an activity, but attachedToRef is missing`);
    draft.interrupting = el.cancelActivity !== false;
  } else if (el.$type === 'bpmn:StartEvent' && el.$parent?.triggeredByEvent === true) {
    draft.interrupting = el.isInterrupting !== false;
  }
  const throwsMessage =
    draft.event?.kind === 'message' && (el.$type === 'bpmn:EndEvent' || el.$type === 'bpmn:IntermediateThrowEvent');
  if (throwsMessage) {
    const job = readJob(id, ext, ctx);
    if (job) draft.job = job;
  }
  readMappings(draft, ext, ctx);
  if (el.$type === 'bpmn:StartEvent') ext.get('zeebe:FormDefinition');
}

/**
 * Reads a message reference as a message event: its name (may be FEEL) and the correlation key
 * of its `zeebe:subscription`. A missing message or name yields an empty literal name, which
 * the position rules reject where a name is needed.
 */
export function readMessage(message: ModdleElement | undefined, ownerId: string, ctx: BuildContext): EventDef {
  const messageName = ctx.expr(message?.name, ownerId, 'the message name') ?? { src: '', feel: false };
  if (!message) return { kind: 'message', messageName };
  const ext = new Extensions(message);
  const subscription = ext.get('zeebe:Subscription');
  if (typeof message.id === 'string') ext.reportUnread(message.id, ctx.sink);
  const correlationKey = ctx.expr(subscription?.correlationKey, ownerId, 'the correlation key');
  return { kind: 'message', messageName, ...(correlationKey ? { correlationKey } : {}) };
}

/** Reference properties of event definitions and the element type each must point to. */
const REFERENCE_TYPES: ReadonlyArray<readonly [string, string]> = [
  ['messageRef', 'bpmn:Message'],
  ['signalRef', 'bpmn:Signal'],
  ['errorRef', 'bpmn:Error'],
  ['escalationRef', 'bpmn:Escalation'],
];

/** A resolved reference to the wrong kind of element (errorRef="Task_A") would silently act as a catch-all. */
function checkReferenceTypes(def: ModdleElement, id: string, ctx: BuildContext): boolean {
  for (const [property, type] of REFERENCE_TYPES) {
    const target = def[property] as ModdleElement | undefined;
    if (target && target.$type !== type) {
      ctx.sink.add(
        id,
        `Expected the ${property} of ${id} to name a ${type}, but ${target.id ?? 'it'} is a ${target.$type}`,
      );
      return false;
    }
  }
  return true;
}

function readDefinition(def: ModdleElement, id: string, ctx: BuildContext): EventDef | undefined {
  // Baton reads no extension of an event definition (zeebe:conditionalFilter is refused)
  new Extensions(def).reportUnread(id, ctx.sink);
  if (!checkReferenceTypes(def, id, ctx)) return undefined;
  switch (def.$type) {
    case 'bpmn:TimerEventDefinition':
      return readTimer(def, id, ctx);
    case 'bpmn:MessageEventDefinition':
      return readMessage(def.messageRef, id, ctx);
    case 'bpmn:SignalEventDefinition': {
      const signalName = ctx.expr(def.signalRef?.name, id, 'the signal name');
      if (!signalName || signalName.src.trim() === '') {
        if (!ctx.sink.has(id))
          ctx.sink.add(id, `Expected signal event ${id} to reference a signal with a name, but found none`);
        return { kind: 'signal', signalName: { src: '', feel: false } };
      }
      return { kind: 'signal', signalName };
    }
    case 'bpmn:ErrorEventDefinition':
      return { kind: 'error', ...codeOf(def.errorRef?.errorCode, 'errorCode') };
    case 'bpmn:EscalationEventDefinition':
      return { kind: 'escalation', ...codeOf(def.escalationRef?.escalationCode, 'escalationCode') };
    case 'bpmn:CompensateEventDefinition': {
      const activityRef = def.activityRef?.id as string | undefined;
      return {
        kind: 'compensate',
        waitForCompletion: def.waitForCompletion !== false,
        ...(activityRef ? { activityRef } : {}),
      };
    }
    case 'bpmn:ConditionalEventDefinition': {
      const condition = ctx.expr(def.condition?.body, id, 'the condition', { feelOnly: true });
      if (condition && condition.src.trim() !== '') return { kind: 'conditional', condition };
      ctx.sink.add(id, `Expected a condition on conditional event ${id}, but found none`);
      return undefined;
    }
    case 'bpmn:LinkEventDefinition':
      if (typeof def.name === 'string' && def.name.trim() !== '') return { kind: 'link', name: def.name };
      ctx.sink.add(id, `Expected a name on the link event definition of ${id}, but found none`);
      return undefined;
    case 'bpmn:TerminateEventDefinition':
      return { kind: 'terminate' };
    case 'bpmn:CancelEventDefinition':
      return { kind: 'cancel' };
    default:
      ctx.sink.add(id, `Expected a supported event definition on ${id}, but found ${def.$type}`);
      return undefined;
  }
}

function codeOf<K extends string>(code: unknown, key: K): Partial<Record<K, string>> {
  return typeof code === 'string' && code !== '' ? ({ [key]: code } as Record<K, string>) : {};
}

function readTimer(def: ModdleElement, id: string, ctx: BuildContext): EventDef | undefined {
  const present = TIMER_PROPERTIES.filter(([property]) => def[property] !== undefined);
  if (present.length !== 1) {
    const found = present.length === 0 ? 'none' : present.map(([p]) => p).join(' and ');
    ctx.sink.add(id, `Expected exactly one of timeDuration, timeDate or timeCycle on timer ${id}, but found ${found}`);
    return undefined;
  }
  const [property, timer] = present[0]!;
  const value = ctx.expr(def[property]?.body, id, `the ${property}`);
  if (!value || value.src.trim() === '') {
    ctx.sink.add(id, `Expected a value in the ${property} of timer ${id}, but it is empty`);
    return undefined;
  }
  if (!value.feel) {
    const error = checkTimerLiteral(timer, value.src.trim(), ctx.minTimerCycleMs);
    if (error)
      ctx.sink.add(id, `Expected the ${property} of timer ${id} to be ${error}, but found "${value.src.trim()}"`);
  }
  return { kind: 'timer', timer, value: value.feel ? value : { src: value.src.trim(), feel: false } };
}

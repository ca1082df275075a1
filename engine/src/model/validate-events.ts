/**
 * Event rules: which event definition BPMN allows in which position (from {@link SUPPORTED}),
 * plus what each definition needs there (message names, correlation keys, link pairs).
 */
import { DEFAULT_MIN_TIMER_CYCLE_MS, timerProblem } from '../core/timer-plan.js';
import type { ProblemSink } from './problems.js';
import { SUPPORTED, type EventKind, type EventPosition } from './supported.js';
import { checkStartTimer } from './timer-literal.js';
import type { ElementDef, ProcessModel } from './types.js';

const LABELS: Readonly<Record<string, string>> = {
  'bpmn:StartEvent': 'start event',
  'bpmn:EndEvent': 'end event',
  'bpmn:IntermediateCatchEvent': 'intermediate catch event',
  'bpmn:IntermediateThrowEvent': 'intermediate throw event',
  'bpmn:BoundaryEvent': 'boundary event',
};

const POSITION_TEXT: Readonly<Record<EventPosition, string>> = {
  process: 'in a process',
  subProcess: 'in a sub-process',
  eventSubProcess: 'of an event sub-process',
  anywhere: '',
};

/** Files a problem for every event whose definition is not allowed where it stands or lacks what it needs. */
export function validateEvents(model: ProcessModel, sink: ProblemSink): void {
  const messageStarts = new Map<string, string>();
  for (const element of Object.values(model.elements)) {
    if (element.type === 'bpmn:ReceiveTask') {
      validateMessage(element, true, sink);
      continue;
    }
    const allowedByPosition = SUPPORTED[element.type]?.events;
    if (!allowedByPosition) continue;
    const position = positionOf(element, model);
    const allowed = allowedByPosition[position] ?? allowedByPosition.anywhere ?? [];
    const kind: EventKind = element.event?.kind ?? 'none';
    if (!allowed.includes(kind)) {
      const label = `${LABELS[element.type] ?? element.type} ${POSITION_TEXT[position]}`.trim();
      const found = kind === 'none' ? 'no event definition' : `a ${kind} event definition`;
      sink.add(
        element.id,
        `Expected a ${label} to have one of: ${allowed.map(describeKind).join(', ')}; but ${element.id} has ${found}`,
      );
      continue;
    }
    validateDefinition(element, position, model, sink);
    if (position === 'process' && element.event?.kind === 'message') {
      const name = element.event.messageName.src;
      const other = messageStarts.get(name);
      if (other !== undefined)
        sink.add(
          element.id,
          `Expected distinct message names on the start events of ${model.id}, but ${other} and ${element.id} both use "${name}"`,
        );
      else messageStarts.set(name, element.id);
    }
  }
  validateLinks(model, sink);
}

function validateDefinition(
  element: ElementDef,
  position: EventPosition,
  model: ProcessModel,
  sink: ProblemSink,
): void {
  const { id, type, event } = element;
  if (!event) return;
  const catches = type !== 'bpmn:EndEvent' && type !== 'bpmn:IntermediateThrowEvent';
  switch (event.kind) {
    case 'message':
      if (catches) validateMessage(element, position !== 'process', sink);
      if (position === 'process' && event.messageName.feel) {
        sink.add(
          id,
          `Expected a fixed message name on start event ${id}, but found the expression "=${event.messageName.src}"`,
        );
      }
      break;
    case 'timer':
      if (position === 'process' && event.value.feel) {
        const problem = checkStartTimer(event.timer, event.value, model.minTimerCycleMs ?? DEFAULT_MIN_TIMER_CYCLE_MS);
        if (problem) sink.add(id, timerProblem(event.timer, id, problem.expected, problem.found));
      }
      break;
    case 'signal':
      if (position === 'process' && event.signalName.feel) {
        sink.add(
          id,
          `Expected a fixed signal name on start event ${id}, but found the expression "=${event.signalName.src}"`,
        );
      }
      break;
    case 'cancel':
    case 'error':
    case 'compensate':
      if (element.interrupting === false) {
        sink.add(
          id,
          `Expected ${event.kind} ${LABELS[type] ?? type} ${id} to be interrupting, but it is non-interrupting`,
        );
      }
      if (event.kind === 'compensate') validateCompensate(element, position, model, sink);
      if (event.kind === 'cancel') validateCancel(element, model, sink);
      break;
    default:
      break;
  }
}

function validateMessage(element: ElementDef, needsKey: boolean, sink: ProblemSink): void {
  const event = element.event;
  if (event?.kind !== 'message' || event.messageName.src.trim() === '') {
    if (!sink.has(element.id))
      sink.add(element.id, `Expected ${element.id} to reference a message with a name, but found none`);
    return;
  }
  if (needsKey && (event.correlationKey === undefined || event.correlationKey.src.trim() === '')) {
    sink.add(
      element.id,
      `Expected message "${event.messageName.src}" of ${element.id} to have a zeebe:subscription correlationKey, but found none`,
    );
  }
}

function validateCancel(element: ElementDef, model: ProcessModel, sink: ProblemSink): void {
  const onTransaction =
    element.type === 'bpmn:BoundaryEvent'
      ? model.elements[element.attachedTo ?? '']?.type === 'bpmn:Transaction'
      : model.elements[element.scope]?.type === 'bpmn:Transaction';
  if (!onTransaction) {
    const where = element.type === 'bpmn:BoundaryEvent' ? 'attached to a transaction' : 'directly inside a transaction';
    sink.add(element.id, `Expected cancel event ${element.id} to be ${where}, but it is not`);
  }
}

function validateCompensate(
  element: ElementDef,
  position: EventPosition,
  model: ProcessModel,
  sink: ProblemSink,
): void {
  const event = element.event;
  if (event?.kind !== 'compensate') return;
  if (event.activityRef !== undefined) {
    const target = model.elements[event.activityRef];
    const family = target ? SUPPORTED[target.type]?.family : undefined;
    if (family !== 'task' && family !== 'container') {
      sink.add(
        element.id,
        `Expected the activityRef of ${element.id} to name an activity, but ${event.activityRef} is not one`,
      );
    }
  }
  if (position === 'eventSubProcess') {
    const subProcess = model.elements[element.scope];
    if (!subProcess || subProcess.scope === model.id) {
      sink.add(
        element.id,
        `Expected compensation event sub-process ${element.scope} to be inside a sub-process, but it is directly in process ${model.id}`,
      );
    }
  }
}

/** Every link throw needs exactly one link catch of the same name in its scope. */
function validateLinks(model: ProcessModel, sink: ProblemSink): void {
  const catches = new Map<string, string>();
  const links = Object.values(model.elements).filter((e) => e.event?.kind === 'link');
  for (const element of links) {
    if (element.type !== 'bpmn:IntermediateCatchEvent' || element.event?.kind !== 'link') continue;
    const key = `${element.scope}\u0000${element.event.name}`;
    const other = catches.get(key);
    if (other !== undefined)
      sink.add(
        element.id,
        `Expected one link catch event named "${element.event.name}" in ${element.scope}, but ${other} and ${element.id} share it`,
      );
    else catches.set(key, element.id);
    if (element.incoming.length > 0)
      sink.add(element.id, `Expected no incoming sequence flows on link catch event ${element.id}, but found some`);
  }
  for (const element of links) {
    if (element.type !== 'bpmn:IntermediateThrowEvent' || element.event?.kind !== 'link') continue;
    if (!catches.has(`${element.scope}\u0000${element.event.name}`)) {
      sink.add(
        element.id,
        `Expected a link catch event named "${element.event.name}" in ${element.scope} for ${element.id}, but found none`,
      );
    }
    if (element.outgoing.length > 0)
      sink.add(element.id, `Expected no outgoing sequence flows on link throw event ${element.id}, but found some`);
  }
}

function positionOf(element: ElementDef, model: ProcessModel): EventPosition {
  if (element.type !== 'bpmn:StartEvent') return 'anywhere';
  if (element.scope === model.id) return 'process';
  return model.elements[element.scope]?.triggeredByEvent ? 'eventSubProcess' : 'subProcess';
}

function describeKind(kind: EventKind): string {
  return kind === 'none' ? 'no definition' : kind;
}

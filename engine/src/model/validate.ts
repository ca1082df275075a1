/**
 * Graph rules of a compiled process: start and end events, gateways, default flows,
 * containers and compensation. Event positions are checked in validate-events.ts.
 */
import type { ProblemSink } from './problems.js';
import { SUPPORTED } from './supported.js';
import type { ElementDef, ProcessModel } from './types.js';
import { validateEvents } from './validate-events.js';

/** Targets an event-based gateway may lead to. */
const EVENT_GATEWAY_TARGET_KINDS = new Set(['message', 'timer', 'signal', 'conditional']);

/** Checks every rule on `model` and files all problems found (none means the process can run). */
export function validateProcess(model: ProcessModel, sink: ProblemSink): void {
  validateRoot(model, sink);
  for (const element of Object.values(model.elements)) {
    validateFlowEnds(element, sink);
    validateDefaultFlow(element, model, sink);
    const family = SUPPORTED[element.type]?.family;
    if (family === 'gateway') validateGateway(element, model, sink);
    if (family === 'container') validateContainer(element, model, sink);
    if (element.isForCompensation) validateHandler(element, sink);
    if (element.type === 'bpmn:BoundaryEvent' && element.event?.kind === 'compensate') {
      validateCompensationBoundary(element, model, sink);
    }
  }
  validateEvents(model, sink);
}

function validateRoot(model: ProcessModel, sink: ProblemSink): void {
  const starts = (model.root.children ?? []).filter((id) => model.elements[id]?.type === 'bpmn:StartEvent');
  if (starts.length === 0) {
    sink.add(model.id, `Expected process ${model.id} to have at least one start event, but found none`);
  }
  const noneStarts = model.root.startEvents ?? [];
  if (noneStarts.length > 1) {
    sink.add(
      noneStarts[1]!,
      `Expected at most one none start event in process ${model.id}, but found ${noneStarts.length}: ${noneStarts.join(', ')}`,
    );
  }
}

function validateFlowEnds(element: ElementDef, sink: ProblemSink): void {
  const { id, type } = element;
  if ((type === 'bpmn:StartEvent' || type === 'bpmn:BoundaryEvent') && element.incoming.length > 0) {
    sink.add(id, `Expected no incoming sequence flows on ${type} ${id}, but found ${element.incoming.join(', ')}`);
  }
  if (type === 'bpmn:EndEvent' && element.outgoing.length > 0) {
    sink.add(id, `Expected no outgoing sequence flows on end event ${id}, but found ${element.outgoing.join(', ')}`);
  }
}

function validateDefaultFlow(element: ElementDef, model: ProcessModel, sink: ProblemSink): void {
  const { id, defaultFlow } = element;
  if (defaultFlow === undefined) return;
  if (!element.outgoing.includes(defaultFlow)) {
    sink.add(id, `Expected the default flow of ${id} to be one of its outgoing flows, but ${defaultFlow} is not`);
  } else if (model.flows[defaultFlow]?.condition) {
    sink.add(defaultFlow, `Expected default flow ${defaultFlow} of ${id} to have no condition, but it has one`);
  }
}

function validateGateway(gateway: ElementDef, model: ProcessModel, sink: ProblemSink): void {
  const { id, type } = gateway;
  if (gateway.outgoing.length === 0) {
    sink.add(id, `Expected gateway ${id} to have at least one outgoing sequence flow, but found none`);
  }
  if (type === 'bpmn:ParallelGateway' || type === 'bpmn:EventBasedGateway') {
    for (const flowId of gateway.outgoing) {
      if (model.flows[flowId]?.condition) {
        sink.add(flowId, `Expected no condition on ${flowId} because it leaves ${type} ${id}, but found one`);
      }
    }
  }
  if (type === 'bpmn:EventBasedGateway') validateEventGateway(gateway, model, sink);
}

function validateEventGateway(gateway: ElementDef, model: ProcessModel, sink: ProblemSink): void {
  if (gateway.outgoing.length === 1) {
    sink.add(
      gateway.id,
      `Expected event-based gateway ${gateway.id} to have at least two outgoing flows, but found one`,
    );
  }
  for (const flowId of gateway.outgoing) {
    const target = model.elements[model.flows[flowId]?.target ?? ''];
    if (!target) continue;
    const catches =
      target.type === 'bpmn:IntermediateCatchEvent' && EVENT_GATEWAY_TARGET_KINDS.has(target.event?.kind ?? 'none');
    if (!catches && target.type !== 'bpmn:ReceiveTask') {
      sink.add(
        target.id,
        `Expected event-based gateway ${gateway.id} to lead to message, timer, signal or conditional catch events or receive tasks, but ${target.id} is a ${describe(target)}`,
      );
    }
  }
}

function validateContainer(container: ElementDef, model: ProcessModel, sink: ProblemSink): void {
  const { id } = container;
  const starts = (container.children ?? []).filter((c) => model.elements[c]?.type === 'bpmn:StartEvent');
  if (container.triggeredByEvent) {
    if (starts.length !== 1) {
      sink.add(id, `Expected event sub-process ${id} to have exactly one start event, but found ${starts.length}`);
    }
    if (container.incoming.length > 0 || container.outgoing.length > 0) {
      sink.add(id, `Expected event sub-process ${id} to have no incoming or outgoing sequence flows, but it has some`);
    }
    if ((container.boundaries ?? []).length > 0) {
      sink.add(
        id,
        `Expected no boundary events on event sub-process ${id}, but found ${container.boundaries!.join(', ')}`,
      );
    }
    return;
  }
  if (container.adHoc) {
    validateAdHoc(container, model, sink);
    return;
  }
  const noneStarts = container.startEvents ?? [];
  if (noneStarts.length !== 1) {
    sink.add(id, `Expected exactly one none start event in ${container.type} ${id}, but found ${noneStarts.length}`);
  }
}

/** Camunda 8's constraints of an ad-hoc sub-process: at least one activity, no start or end events. */
function validateAdHoc(container: ElementDef, model: ProcessModel, sink: ProblemSink): void {
  const inner = (container.children ?? []).map((c) => model.elements[c]!).filter((c) => !c.triggeredByEvent);
  const events = inner.filter((c) => c.type === 'bpmn:StartEvent' || c.type === 'bpmn:EndEvent');
  if (events.length > 0)
    sink.add(
      container.id,
      `Expected no start or end events in ad-hoc sub-process ${container.id}, but found ${events.map((e) => e.id).join(', ')}`,
    );
  if (!inner.some((c) => SUPPORTED[c.type]?.family === 'task' || SUPPORTED[c.type]?.family === 'container'))
    sink.add(
      container.id,
      `Expected ad-hoc sub-process ${container.id} to contain at least one activity, but it has none`,
    );
}

function validateHandler(handler: ElementDef, sink: ProblemSink): void {
  if (handler.incoming.length > 0 || handler.outgoing.length > 0) {
    sink.add(handler.id, `Expected compensation handler ${handler.id} to have no sequence flows, but it has some`);
  }
}

function validateCompensationBoundary(boundary: ElementDef, model: ProcessModel, sink: ProblemSink): void {
  const { id, compensationHandler } = boundary;
  if (boundary.outgoing.length > 0) {
    sink.add(
      id,
      `Expected compensation boundary event ${id} to have no outgoing sequence flows, but found ${boundary.outgoing.join(', ')}`,
    );
  }
  if (compensationHandler === undefined) {
    sink.add(
      id,
      `Expected compensation boundary event ${id} to be associated with a compensation handler, but found none`,
    );
    return;
  }
  const handler = model.elements[compensationHandler];
  if (!handler || !handler.isForCompensation) {
    sink.add(
      id,
      `Expected the compensation handler of ${id} to be an activity with isForCompensation="true", but ${compensationHandler} is not`,
    );
  } else if (handler.scope !== boundary.scope) {
    sink.add(
      id,
      `Expected compensation handler ${compensationHandler} to be in the same scope as ${id}, but it is in ${handler.scope}`,
    );
  }
}

/** A short description like "bpmn:IntermediateCatchEvent (link)". */
function describe(element: ElementDef): string {
  return element.event ? `${element.type} (${element.event.kind})` : element.type;
}

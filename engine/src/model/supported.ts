/**
 * The single registry of what Baton executes. The compiler rejects everything not listed here
 * (or in {@link IGNORED}); documentation can be generated from these tables.
 */
import type { EventDef } from './types.js';

/** An event definition kind, or `none` for an event without one. */
export type EventKind = EventDef['kind'] | 'none';

/**
 * Where an event sits, for the position rules:
 * - `process`: directly in the process; `subProcess`: in a sub-process or transaction;
 * - `eventSubProcess`: the start of an event sub-process; `anywhere`: any scope.
 */
export type EventPosition = 'process' | 'subProcess' | 'eventSubProcess' | 'anywhere';

/** Family of an executable element type. */
export type ElementFamily = 'event' | 'task' | 'gateway' | 'container';

/** One executable BPMN element type. */
export interface SupportedElement {
  readonly family: ElementFamily;
  /** What the element does in Baton, one sentence for docs and error messages. */
  readonly note: string;
  /** Events only: allowed event definition kinds by position. */
  readonly events?: Readonly<Partial<Record<EventPosition, readonly EventKind[]>>>;
}

/** Executable BPMN types by moddle type name (`bpmn:ServiceTask`). */
export const SUPPORTED: Readonly<Record<string, SupportedElement>> = {
  'bpmn:StartEvent': {
    family: 'event',
    note: 'Starts a process, a sub-process or an event sub-process.',
    events: {
      process: ['none', 'message', 'timer', 'signal', 'conditional'],
      subProcess: ['none'],
      eventSubProcess: ['message', 'timer', 'signal', 'error', 'escalation', 'conditional', 'compensate'],
    },
  },
  'bpmn:EndEvent': {
    family: 'event',
    note: 'Ends a path; cancel end events only directly inside a transaction.',
    events: { anywhere: ['none', 'message', 'signal', 'error', 'escalation', 'terminate', 'compensate', 'cancel'] },
  },
  'bpmn:IntermediateCatchEvent': {
    family: 'event',
    note: 'Waits for a timer, message, signal or condition, or is the target of a link.',
    events: { anywhere: ['timer', 'message', 'signal', 'conditional', 'link'] },
  },
  'bpmn:IntermediateThrowEvent': {
    family: 'event',
    note: 'Passes through, throws a signal, escalation, compensation, or jumps to a link.',
    events: { anywhere: ['none', 'message', 'signal', 'escalation', 'compensate', 'link'] },
  },
  'bpmn:BoundaryEvent': {
    family: 'event',
    note: 'Attached to an activity; cancel boundary events only on a transaction.',
    events: {
      anywhere: ['timer', 'message', 'signal', 'error', 'escalation', 'conditional', 'compensate', 'cancel'],
    },
  },
  'bpmn:Task': { family: 'task', note: 'Passes straight through.' },
  'bpmn:ManualTask': { family: 'task', note: 'Passes straight through.' },
  'bpmn:ServiceTask': { family: 'task', note: 'A job of its zeebe:taskDefinition type.' },
  'bpmn:SendTask': { family: 'task', note: 'A job of its zeebe:taskDefinition type.' },
  'bpmn:BusinessRuleTask': {
    family: 'task',
    note: 'Evaluates its zeebe:calledDecision (a deployed DMN decision) in the engine, or a job of its zeebe:taskDefinition type.',
  },
  'bpmn:ScriptTask': { family: 'task', note: 'A FEEL zeebe:script, or a job.' },
  'bpmn:UserTask': { family: 'task', note: 'Waits for a person to complete it through the API.' },
  'bpmn:ReceiveTask': { family: 'task', note: 'Waits for a correlated message.' },
  'bpmn:CallActivity': { family: 'task', note: 'Starts an instance of another process and waits for it.' },
  'bpmn:ExclusiveGateway': { family: 'gateway', note: 'Takes the first flow whose condition is true, or the default.' },
  'bpmn:ParallelGateway': { family: 'gateway', note: 'Forks and joins all paths.' },
  'bpmn:InclusiveGateway': {
    family: 'gateway',
    note: 'Takes every flow whose condition is true; joins the active ones.',
  },
  'bpmn:EventBasedGateway': { family: 'gateway', note: 'Waits for the first of its following catch events.' },
  'bpmn:ComplexGateway': { family: 'gateway', note: 'Joins when its activation condition holds.' },
  'bpmn:SubProcess': { family: 'container', note: 'An embedded scope; with triggeredByEvent, an event sub-process.' },
  'bpmn:Transaction': { family: 'container', note: 'A sub-process that can be cancelled and compensated.' },
  'bpmn:AdHocSubProcess': {
    family: 'container',
    note: 'Runs the inner activities its zeebe:adHoc collection or the API names, until its completion condition holds.',
  },
};

/** Elements that carry no behaviour and are skipped silently (artifacts, data, lanes, DI). */
export const IGNORED: ReadonlySet<string> = new Set([
  'bpmn:TextAnnotation',
  'bpmn:Association',
  'bpmn:Group',
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
]);

/** Root elements of `bpmn:definitions` that Baton reads or may skip. Others are rejected. */
export const ROOT_ELEMENTS: ReadonlySet<string> = new Set([
  'bpmn:Process',
  'bpmn:Collaboration',
  'bpmn:Message',
  'bpmn:Error',
  'bpmn:Signal',
  'bpmn:Escalation',
  'bpmn:ItemDefinition',
  'bpmn:DataStore',
  'bpmn:Category',
]);

/** zeebe extension elements that carry no behaviour (modeler and worker metadata); accepted and skipped. */
export const IGNORED_EXTENSIONS: ReadonlySet<string> = new Set([
  'zeebe:Properties',
  'zeebe:UserTaskForm',
  'zeebe:VersionTag',
]);

/** zeebe extension elements Baton accepts without acting on them, with the deploy warning's reason. */
export const WARNED_EXTENSIONS: Readonly<Record<string, string>> = {
  'zeebe:PriorityDefinition': "Baton's task list has no priority (task listeners see 50)",
  'zeebe:JobPriorityDefinition': 'Baton hands out jobs in the order they became due, without priorities',
  'zeebe:TaskSchedule': "Baton's task list has no due or follow-up dates",
};

/** Attributes of zeebe extension elements (`type@attribute`) Baton accepts without acting on them, with the reason. */
export const WARNED_ATTRIBUTES: Readonly<Record<string, string>> = {
  'zeebe:CalledElement@businessId': 'called instances get no business id from it',
  'zeebe:CalledElement@processIdExpression': 'Baton reads processId (which may be an expression)',
};

/** zeebe extension elements Baton refuses, with the reason given to the modeller. */
export const REFUSED_EXTENSIONS: Readonly<Record<string, string>> = {
  'zeebe:LinkedResources': 'linked resources are not supported',
  'zeebe:ConditionalFilter': 'conditional event filters are not supported',
  'zeebe:AgentDefinition': 'agent definitions are not supported',
};

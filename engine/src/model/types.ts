/**
 * The compiled, immutable process graph the engine executes.
 *
 * A deployed BPMN document is parsed once (bpmn-moddle + zeebe-bpmn-moddle), validated, and turned
 * into one {@link ProcessModel} per executable process. The core never sees XML or moddle objects:
 * it reads only these plain, JSON-serialisable records.
 */

/** A value that is either a FEEL expression (source had a leading `=`) or a literal string. */
export interface Expr {
  /** The text: FEEL source without the leading `=`, or the literal string. */
  readonly src: string;
  /** True when the source started with `=` and must be evaluated as FEEL. */
  readonly feel: boolean;
}

/** A variable mapping of `zeebe:ioMapping` (input or output). */
export interface Mapping {
  readonly source: Expr;
  readonly target: string;
}

export type TimerKind = 'duration' | 'date' | 'cycle';

/** What an event listens for or throws. One per event (multiple definitions are rejected at deploy). */
export type EventDef =
  | { readonly kind: 'timer'; readonly timer: TimerKind; readonly value: Expr }
  | { readonly kind: 'message'; readonly messageName: Expr; readonly correlationKey?: Expr }
  | { readonly kind: 'signal'; readonly signalName: Expr }
  /** `errorCode` undefined = catch-all (catch events) or no code (throw events). */
  | { readonly kind: 'error'; readonly errorCode?: string }
  | { readonly kind: 'escalation'; readonly escalationCode?: string }
  | { readonly kind: 'terminate' }
  | { readonly kind: 'compensate'; readonly activityRef?: string; readonly waitForCompletion: boolean }
  | { readonly kind: 'conditional'; readonly condition: Expr }
  | { readonly kind: 'link'; readonly name: string }
  | { readonly kind: 'cancel' };

export interface JobDef {
  readonly type: Expr;
  /** Retries expression; default "3". */
  readonly retries: Expr;
  readonly headers: Readonly<Record<string, string>>;
}

/** One `zeebe:executionListener`: a job of its own type run before (start) or after (end) the element. */
export interface ListenerDef {
  readonly type: Expr;
  /** Retries expression; default "3". */
  readonly retries: Expr;
  /** The listener's `zeebe:taskHeaders` (the element's own headers are merged under them when the job is created). */
  readonly headers: Readonly<Record<string, string>>;
}

/** The execution listeners of an element or process, by event type, in document order. */
export interface ExecutionListenersDef {
  readonly start?: readonly ListenerDef[];
  readonly end?: readonly ListenerDef[];
}

/** An ad-hoc sub-process (`bpmn:adHocSubProcess` with `zeebe:adHoc`), as Camunda 8.7+ runs it. */
export interface AdHocDef {
  /** `activeElementsCollection`: a list of inner element ids activated when the sub-process activates. */
  readonly activeElements?: Expr;
  /** Evaluated each time an inner flow completes; true completes the sub-process. */
  readonly completionCondition?: Expr;
  /** When the condition holds: terminate what still runs inside (default true), or wait for it. */
  readonly cancelRemainingInstances: boolean;
  /** A local list of `outputElement` values, one per completed inner flow, propagated on completion. */
  readonly outputCollection?: string;
  readonly outputElement?: Expr;
}

export interface MultiInstanceDef {
  readonly sequential: boolean;
  readonly inputCollection?: Expr;
  readonly inputElement?: string;
  readonly outputCollection?: string;
  readonly outputElement?: Expr;
  readonly completionCondition?: Expr;
  readonly loopCardinality?: Expr;
}

export interface StandardLoopDef {
  readonly condition?: Expr;
  readonly testBefore: boolean;
  readonly maximum?: number;
}

/** A user task lifecycle event a `zeebe:taskListener` reacts to (Camunda 8.8 names). */
export type TaskListenerEvent = 'creating' | 'assigning' | 'updating' | 'completing';

/** One `zeebe:taskListener`: a job run while the user task's transition waits for it. */
export interface TaskListenerDef {
  readonly eventType: TaskListenerEvent;
  readonly type: Expr;
  readonly retries: Expr;
}

export interface UserTaskDef {
  /** `zeebe:taskListeners`, in document order. */
  readonly listeners?: readonly TaskListenerDef[];
  readonly assignee?: Expr;
  readonly candidateGroups?: Expr;
  /** zeebe:assignmentDefinition candidateUsers (added by the model compiler). */
  readonly candidateUsers?: Expr;
  /** zeebe:formDefinition formKey (or, when absent, its formId or externalReference). */
  readonly formKey?: string;
  /** A linked Camunda Form (`zeebe:formDefinition formId`), resolved when the task activates. */
  readonly form?: LinkedResourceDef;
  /** An embedded form (`formKey="camunda-forms:bpmn:ID"`): the id of the process's `zeebe:userTaskForm`. */
  readonly embeddedForm?: string;
}

/** How a reference to another deployed resource picks its version (Camunda 8's binding types). */
export type BindingType = 'latest' | 'versionTag' | 'deployment';

/** A reference to a deployed form or decision by id, with Camunda's binding type. */
export interface LinkedResourceDef {
  readonly id: string;
  /** 'latest' (default), 'versionTag' (the latest version with that tag), or 'deployment' (deployed together). */
  readonly bindingType: BindingType;
  readonly versionTag?: string;
}

/** A business rule task's `zeebe:calledDecision`: the decision evaluated in the task's scope. */
export interface CalledDecisionDef {
  /** The decision id: a literal, or a FEEL expression evaluated when the task activates. */
  readonly decisionId: Expr;
  /** The variable the result is written to (then output mappings apply, as for any task). */
  readonly resultVariable: string;
  readonly bindingType: BindingType;
  readonly versionTag?: string;
}

export interface CalledElementDef {
  readonly processId: Expr;
  /** Default true (Camunda 8): all child variables come back when the child completes. */
  readonly propagateAllChildVariables: boolean;
  /** Default true (Camunda 8): the child sees all parent variables when no input mappings exist. */
  readonly propagateAllParentVariables: boolean;
  /** 'latest' (default), 'versionTag', or 'deployment' (the version deployed in the same document as the caller). */
  readonly bindingType: BindingType;
  readonly versionTag?: string;
}

/**
 * One flow node (or a boundary event) of the process.
 * `type` is the BPMN type name as moddle spells it, e.g. `bpmn:ServiceTask`.
 */
export interface ElementDef {
  readonly id: string;
  readonly type: string;
  readonly name?: string;
  /** 1-based line of the element's start tag in the deployed XML. */
  readonly line: number;
  /** Id of the enclosing container: the process id or a sub-process id. */
  readonly scope: string;
  /** Sequence flow ids in and out, derived from sourceRef/targetRef. */
  readonly incoming: readonly string[];
  readonly outgoing: readonly string[];
  readonly defaultFlow?: string;

  /** Containers (sub-process, transaction, event sub-process): direct child flow node ids. */
  readonly children?: readonly string[];
  /** Containers and processes: the none start event ids to activate when the scope starts. */
  readonly startEvents?: readonly string[];
  /** Containers and processes: event sub-process ids inside. */
  readonly eventSubprocesses?: readonly string[];
  /** Event sub-process: true. */
  readonly triggeredByEvent?: boolean;

  /** Events: the event definition (absent = none event). */
  readonly event?: EventDef;
  /** Boundary events: the activity id they are attached to. */
  readonly attachedTo?: string;
  /** Boundary events: cancelActivity (default true). Event sub-process start events: isInterrupting (default true). */
  readonly interrupting?: boolean;
  /** Activities: ids of boundary events attached to them. */
  readonly boundaries?: readonly string[];

  readonly job?: JobDef;
  readonly inputs?: readonly Mapping[];
  /** Undefined when the element has no output mappings (then all result variables propagate). */
  readonly outputs?: readonly Mapping[];
  readonly script?: { readonly expression: Expr; readonly resultVariable?: string };
  readonly userTask?: UserTaskDef;
  /** Business rule tasks without a job: the decision they evaluate. */
  readonly calledDecision?: CalledDecisionDef;
  readonly calledElement?: CalledElementDef;
  readonly multiInstance?: MultiInstanceDef;
  readonly loop?: StandardLoopDef;
  /** Activities with isForCompensation="true". */
  readonly isForCompensation?: boolean;
  /** Compensation boundary events: the handler activity id (via association). */
  readonly compensationHandler?: string;
  /** Complex gateway: activationCondition. */
  readonly activationCondition?: Expr;
  /** Ad-hoc sub-processes. */
  readonly adHoc?: AdHocDef;
  /** `zeebe:executionListeners` (the process root's too): jobs run in order before and after the element. */
  readonly listeners?: ExecutionListenersDef;
}

export interface FlowDef {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly condition?: Expr;
  readonly line: number;
}

/** One executable process of a deployment. */
export interface ProcessModel {
  readonly id: string;
  readonly name?: string;
  readonly versionTag?: string;
  /** Every flow node of the process, at any depth (sub-processes included), by id. */
  readonly elements: Readonly<Record<string, ElementDef>>;
  readonly flows: Readonly<Record<string, FlowDef>>;
  /** The process itself as a container: children, startEvents (none), eventSubprocesses. */
  readonly root: ElementDef;
  /** Embedded forms (`zeebe:userTaskForm`) by id: the form-js schema as JSON text. */
  readonly forms?: Readonly<Record<string, string>>;
  /**
   * The shortest timer cycle this model was compiled with ({@link CompileOptions}); the core applies
   * it to cycles given as expressions. Absent in models stored before it existed: the default then.
   */
  readonly minTimerCycleMs?: number;
}

/** Options of one compilation. */
export interface CompileOptions {
  /**
   * The shortest timer cycle accepted, in ms (default 1000): a cycle that would fire more often
   * (`R/PT0.1S`) is refused at deploy, and a cycle expression that evaluates to one raises an incident.
   */
  readonly minTimerCycleMs?: number;
}

/** One problem found while validating a deployment. */
export interface Problem {
  readonly elementId: string | null;
  readonly line: number | null;
  readonly message: string;
}

export interface CompileResult {
  readonly processes: readonly ProcessModel[];
  readonly problems: readonly Problem[];
  /**
   * What deploys but may fail when it runs (a FEEL call of a function that does not exist, as
   * Camunda 8 deploys it too), located like problems. Present whether or not there are problems.
   */
  readonly warnings: readonly Problem[];
}

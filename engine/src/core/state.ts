/**
 * The persistent state of one process instance: a tree of element instances (the tokens), the
 * variable scopes, join counters, compensation records and open incidents.
 *
 * It is plain JSON, stored as one row per instance; the core works on a copy and never does I/O.
 */

/** What an element instance waits for besides its job / user task: a timer or a subscription it owns. */
export interface Wait {
  readonly key: string;
  readonly kind: 'timer' | 'message' | 'signal' | 'conditional';
  /** The element the trigger activates: a boundary event, an event sub-process start, an event-gateway target, or the element itself. */
  readonly target: string;
  /** Timer cycles: what the cycle is and where it stands. */
  readonly cycle?: WaitCycle | LegacyWaitCycle;
  /** Conditional events: whether the condition held at the last evaluation (they fire on false -> true). */
  readonly held?: boolean;
}

/** A timer cycle's progress: its text, firings left after the scheduled one (-1 = unbounded), and that one's due time. */
export interface WaitCycle {
  readonly spec: string;
  readonly left: number;
  readonly dueAt: number;
}

/** A cycle as states stored before calendar-aware cycles kept it: the interval in ms, or the cron text. */
export interface LegacyWaitCycle {
  readonly left: number;
  readonly everyMs: number;
  readonly cron?: string;
}

/** Queue of compensation handlers a compensation throw event runs, newest completion first. */
export interface CompensationRun {
  readonly pending: CompensationRecord[];
  /** Key of the handler element instance running now. */
  current?: string;
}

/** A completed activity that has a compensation handler (or a completed scope holding such activities). */
export interface CompensationRecord {
  readonly elementId: string;
  readonly seq: number;
  /** Handler activity id, when the activity itself has a compensation boundary. */
  readonly handler?: string;
  /** Records of a completed sub-process's inner activities (compensated when it has no handler of its own). */
  readonly inner?: CompensationRecord[];
  /** Variables of the activity when it completed, visible to its handler. */
  readonly vars?: Record<string, unknown>;
}

/** The data of a user task that task listeners see (as job headers) and correct. */
export interface TaskData {
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  dueDate: string | null;
  followUpDate: string | null;
  priority: number;
}

/** A user task transition held by its listeners: which event, which listener runs, and what it would change. */
export interface TaskTransition {
  readonly event: 'creating' | 'assigning' | 'completing';
  index: number;
  /** The task's id (also before the task exists, while creating). */
  readonly taskId: string;
  /** The data as the transition would leave it, corrections of earlier listeners included. */
  data: TaskData;
  /** The data the transition started from (a restart after an incident begins from it again). */
  readonly initial?: TaskData;
  /** Creating: an assignee the process set, assigned after creation (running assigning listeners). */
  readonly assignAfter?: string;
  /** Completing: the variables the task is completed with. */
  readonly variables?: Record<string, unknown>;
}

export interface MultiInstanceState {
  readonly items: unknown[];
  next: number;
  completed: number;
  active: number;
}

export interface ElementInstance {
  readonly key: string;
  readonly elementId: string;
  /** Key of the enclosing scope's element instance; null for the process root. */
  readonly parent: string | null;
  /** 'active' holds a token; 'leaving' completed its work but waits (incident) to take its flows. */
  phase: 'active' | 'leaving';
  /** Multi-instance / loop: this is one iteration inside the body; its index (0-based). */
  iteration?: number;
  /** Multi-instance / loop body bookkeeping. */
  mi?: MultiInstanceState;
  /**
   * The element's open job: only its key. What the job is (type, retries, headers, lock, error)
   * lives in one place, the job row the effects write (storage `jobs`).
   */
  job?: { readonly key: string };
  /** The execution listener running now (its job is `job`): which event type, and its place in the list. */
  listener?: { readonly phase: 'start' | 'end'; readonly index: number };
  userTask?: string;
  /** User tasks with task listeners: the task's data, kept here (the task list row mirrors assignee and groups). */
  taskData?: TaskData;
  /** User tasks: the lifecycle transition waiting for its task listeners. */
  taskListener?: TaskTransition;
  /** User tasks with a linked form: the key of the form version resolved when the task activated. */
  form?: string;
  waits?: Wait[];
  /** Call activity: the child instance id. */
  child?: string;
  /** Trigger received before activation finished (event-gateway target, pre-fired catch): its variables. */
  pretriggered?: Record<string, unknown>;
  /**
   * The process root of an instance a message, timer, signal or conditional start event started:
   * that start event and the variables it brought; consumed when the root activates.
   */
  startAt?: { readonly elementId: string; readonly variables: Record<string, unknown> };
  /** Compensation throw events: handlers still to run. */
  compensation?: CompensationRun;
  /** Compensation handlers: key of the throw event that runs them, and what they compensate. */
  compensates?: { readonly thrower: string; readonly elementId: string };
  /** Scope interrupted by an interrupting event sub-process. */
  interrupted?: boolean;
  /** Transaction cancelled by a cancel end event: the cancel boundary to fire once compensation is done. */
  cancelBoundary?: string;
  /** Event sub-process instances: started by an interrupting start event. */
  interrupting?: boolean;
  /**
   * Ad-hoc sub-processes: the scope of one activation of an inner element (its elementId is the
   * sub-process's). Variables written inside stay here; it leaves no history of its own.
   */
  adHocInner?: boolean;
  /**
   * Ad-hoc sub-processes: the completion condition held; waiting for the inner flows still running.
   * On an inner instance: its output element was collected already.
   */
  adHocCompleting?: boolean;
  /** When it was activated (epoch ms): its completion reports it, for element durations and traces. */
  activatedAt?: number;
}

export interface IncidentState {
  readonly id: string;
  readonly elementKey: string;
  readonly elementId: string;
  readonly type: string;
  readonly message: string;
  readonly createdAt: number;
  /**
   * What a retry does: run the activation again, create the job again, take the outgoing flows again,
   * decide again how a completed element goes on, (`continue`) run the activations in `pending`, or
   * (`command`) nothing in the core: the runtime applies the refused command kept with the incident.
   */
  readonly retry: 'activate' | 'job' | 'leave' | 'complete' | 'continue' | 'command';
  readonly jobKey?: string;
  /**
   * BUDGET_EXCEEDED: keys of the element instances whose activation had not run when a budget
   * stopped the command, in the order they were queued; retrying the incident runs them.
   */
  readonly pending?: readonly string[];
}

export type InstanceStatus = 'active' | 'completed' | 'cancelled';

export interface InstanceState {
  readonly id: string;
  readonly processId: string;
  readonly version: number;
  readonly definitionKey: string;
  readonly businessKey: string | null;
  status: InstanceStatus;
  suspended: boolean;
  readonly startedAt: number;
  endedAt: number | null;
  /** Element instances by key; the process root has key "1". */
  elements: Record<string, ElementInstance>;
  /** Variables by scope (element instance key). */
  vars: Record<string, Record<string, unknown>>;
  /** Tokens waiting at joining gateways: `${scopeKey}/${gatewayId}` -> flow id -> count. */
  joins: Record<string, Record<string, number>>;
  /**
   * Complex gateways (by the same `${scopeKey}/${gatewayId}` key) that fired and swallow the tokens
   * still on their way until they reset. (States stored before kept this as a `$fired` count in `joins`.)
   */
  complexFired?: Record<string, true>;
  /** Compensable completed activities per scope key. */
  compensation: Record<string, CompensationRecord[]>;
  incidents: Record<string, IncidentState>;
  /** Triggers that reached a suspended instance, replayed on resume. */
  deferred: unknown[];
  /** Counter for keys local to this instance. */
  nextKey: number;
  /** Completion order counter for compensation. */
  seq: number;
  /** History entries written for this instance so far (the runtime keeps it, for the history limit). */
  historyCount?: number;
  /** Set when this instance was started by a call activity. */
  readonly parent?: { readonly instanceId: string; readonly elementKey: string };
  /** How many call activities deep this instance was started (absent: 0, started from outside). */
  readonly callDepth?: number;
}

export const ROOT_KEY = '1';

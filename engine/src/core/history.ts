/**
 * History events: what happened to a process instance, one typed union. The core records them (see
 * `Run.record`), the runtime appends them with a sequence number and a time (`HistoryEntry` in
 * ../runtime/api-types.ts), `GET /api/instances/:id/history` answers them, and the web app reads
 * them through the same types. Names are past tense (`element-activated`, Zeebe's `ELEMENT_ACTIVATED`).
 * Types only: nothing here runs.
 */
import type { EvaluatedDecision } from '../decisions/types.js';
import type { BudgetName } from './budgets.js';

/** The element instance an event concerns. */
export type ElementRef = {
  readonly elementId: string;
  readonly elementType: string;
  readonly elementKey: string;
};

/** Events about the instance as a whole that name no element (so that `elementId` reads on every event). */
export type NoElement = {
  readonly elementId?: undefined;
  readonly elementType?: undefined;
  readonly elementKey?: undefined;
};

/** The process itself, for instance-level events that name it. */
export type ProcessRef = {
  readonly elementId: string;
  readonly elementType: 'bpmn:Process';
  readonly elementKey?: undefined;
};

/** Who asked for an operator's change, and why (absent for the engine's own steps). */
export type AuditFields = {
  readonly reason?: string;
  readonly actor?: string;
  /** The batch operation that sent the command. */
  readonly batchId?: string;
};

/** The deployed decision version a business rule task called. */
export type DecisionFields = {
  readonly decisionId: string;
  readonly decisionKey: string;
  readonly decisionName: string | null;
  readonly version: number;
  readonly decisionRequirementsId: string;
  readonly decisionRequirementsKey: string;
  readonly resultVariable: string;
  readonly evaluations: readonly EvaluatedDecision[];
};

/** Every history event, by `type`. */
export type HistoryEvent =
  // the instance
  | (ProcessRef & { readonly type: 'process-started'; readonly businessKey: string | null; readonly version: number })
  | (ProcessRef & { readonly type: 'process-completed' })
  | (ProcessRef &
      AuditFields & {
        readonly type: 'process-cancelled';
        /** Cancelled because its calling instance ended the call activity. */
        readonly byParent?: true;
        /** Cancelled by a modification that terminated its last token. */
        readonly byModification?: true;
      })
  | (NoElement & AuditFields & { readonly type: 'process-suspended' })
  | (NoElement & AuditFields & { readonly type: 'process-resumed' })
  | (ProcessRef &
      AuditFields & {
        readonly type: 'process-migrated';
        readonly fromVersion: number;
        readonly toVersion: number;
        /** Source element id → target element id, where they differ (null: not carried over). */
        readonly mapping: Readonly<Record<string, string | null>>;
        readonly closed: readonly string[];
        readonly opened: readonly string[];
        readonly warnings?: readonly string[];
      })
  | (ProcessRef &
      AuditFields & {
        readonly type: 'instance-modified';
        readonly activated: readonly string[];
        readonly terminated: readonly string[];
      })
  | (NoElement & AuditFields & { readonly type: 'variables-updated'; readonly names: readonly string[] })
  /** A command kept while the instance was suspended that no longer applied when it resumed (its wait had closed). */
  | (NoElement & {
      readonly type: 'command-refused';
      readonly command: string;
      readonly code: string;
      readonly message: string;
    })
  // elements and flows
  | (ElementRef & { readonly type: 'element-activated' })
  /** `activatedAt`: when the element instance was activated (epoch ms), for durations and traces. */
  | (ElementRef & { readonly type: 'element-completed'; readonly activatedAt?: number })
  | (ElementRef & { readonly type: 'element-terminated'; readonly activatedAt?: number })
  /** A joining gateway whose waiting tokens a modification dropped: no element instance. */
  | {
      readonly type: 'element-terminated';
      readonly elementId: string;
      readonly elementType: string;
      readonly elementKey?: undefined;
    }
  | {
      readonly type: 'element-compensated';
      readonly elementId: string;
      readonly elementType: string;
      readonly elementKey?: undefined;
    }
  | {
      readonly type: 'sequence-flow-taken';
      readonly elementId: string;
      readonly elementType?: undefined;
      readonly elementKey?: undefined;
    }
  // jobs and user tasks
  | (ElementRef & { readonly type: 'job-completed'; readonly jobKey: string })
  | (ElementRef & {
      readonly type: 'job-failed';
      readonly jobKey: string;
      readonly retries: number;
      readonly errorMessage: string | null;
    })
  | (ElementRef & {
      readonly type: 'job-error-thrown';
      readonly jobKey: string;
      readonly errorCode: string;
      readonly errorMessage: string | null;
    })
  | (ElementRef & { readonly type: 'user-task-completed'; readonly taskId: string })
  // execution listeners (zeebe:executionListeners) and user task listeners (zeebe:taskListeners)
  | (ElementRef & {
      readonly type: 'listener-started';
      readonly eventType: 'start' | 'end';
      readonly index: number;
      readonly jobKey: string;
    })
  | (ElementRef & { readonly type: 'listener-completed'; readonly eventType: 'start' | 'end'; readonly index: number })
  | (ElementRef & {
      readonly type: 'task-listener-started';
      readonly eventType: string;
      readonly index: number;
      readonly jobKey: string;
    })
  | (ElementRef & {
      readonly type: 'task-listener-completed';
      readonly eventType: string;
      readonly index: number;
      readonly denied?: true;
      readonly deniedReason?: string | null;
      /** Names of the task's fields the listener corrected. */
      readonly corrections?: readonly string[];
    })
  | (ElementRef & {
      readonly type: 'user-task-transition-denied';
      readonly taskId: string;
      readonly eventType: string;
      readonly deniedReason: string | null;
    })
  // ad-hoc sub-processes
  | (ElementRef & AuditFields & { readonly type: 'ad-hoc-elements-activated'; readonly elements: readonly string[] })
  | {
      readonly type: 'user-task-claimed';
      readonly elementId: string;
      readonly elementType?: undefined;
      readonly elementKey?: undefined;
      readonly taskId: string;
      readonly assignee: string;
    }
  | {
      readonly type: 'user-task-unclaimed';
      readonly elementId: string;
      readonly elementType?: undefined;
      readonly elementKey?: undefined;
      readonly taskId: string;
    }
  // incidents
  | (ElementRef & {
      readonly type: 'incident-created';
      readonly incidentId: string;
      readonly incidentType: string;
      readonly message: string;
      /** The budget that ran out, for BUDGET_EXCEEDED. */
      readonly budget?: BudgetName;
      readonly limit?: number;
    })
  | (AuditFields & {
      readonly type: 'incident-resolved';
      readonly elementId: string;
      readonly elementType?: undefined;
      readonly elementKey?: undefined;
      readonly incidentId: string;
    })
  // decisions
  | (ElementRef & DecisionFields & { readonly type: 'decision-evaluated'; readonly result: unknown })
  | (ElementRef &
      DecisionFields & {
        readonly type: 'decision-evaluation-failed';
        readonly failedDecisionId: string;
        readonly failure: string;
      });

/** The name of a history event. */
export type HistoryType = HistoryEvent['type'];

/** The history event named `T`. */
export type HistoryEventOf<T extends HistoryType> = Extract<HistoryEvent, { readonly type: T }>;

type OmitEach<U, K extends PropertyKey> = U extends unknown ? Omit<U, K> : never;

/**
 * What `Run.record(type, ei, extra)` needs besides the type and the element instance it fills in:
 * the event's own fields; the element fields may be given instead of an element instance.
 */
export type HistoryExtra<T extends HistoryType> = OmitEach<HistoryEventOf<T>, 'type' | keyof ElementRef> & {
  readonly elementId?: string;
  readonly elementType?: string;
};

/**
 * Effects: instructions the core hands to the runtime, carried out in the same transaction as the
 * state change (jobs, timers, subscriptions, user tasks, incidents, other instances).
 */

type Vars = Record<string, unknown>;

export interface JobSpec {
  readonly key: string;
  readonly type: string;
  readonly elementKey: string;
  readonly elementId: string;
  readonly retries: number;
  readonly headers: Record<string, string>;
}

export type Effect =
  | { readonly type: 'CreateJob'; readonly job: JobSpec }
  /**
   * Puts a job back (new retries, optional backoff) or parks it ('failed') while an incident is open;
   * without `retries` the job keeps the retries it has (the job row is the only place that holds them).
   */
  | {
      readonly type: 'UpdateJob';
      readonly key: string;
      readonly retries?: number;
      readonly state: 'activatable' | 'failed';
      readonly dueAt?: number;
      readonly errorMessage?: string;
    }
  | { readonly type: 'RemoveJob'; readonly key: string }
  | {
      readonly type: 'ScheduleTimer';
      readonly key: string;
      readonly elementKey: string;
      readonly elementId: string;
      readonly dueAt: number;
    }
  | { readonly type: 'CancelTimer'; readonly key: string }
  | {
      readonly type: 'OpenSubscription';
      readonly key: string;
      readonly kind: 'message' | 'signal';
      readonly name: string;
      readonly correlationKey?: string;
      readonly elementKey: string;
      readonly elementId: string;
    }
  | { readonly type: 'CloseSubscription'; readonly key: string }
  | {
      readonly type: 'CreateUserTask';
      readonly id: string;
      readonly elementKey: string;
      readonly elementId: string;
      readonly name: string | null;
      readonly assignee: string | null;
      readonly candidateGroups: string[];
      readonly formKey: string | null;
    }
  | { readonly type: 'RemoveUserTask'; readonly id: string }
  /** A user task's assignee or candidate groups changed (through a task listener transition). */
  | {
      readonly type: 'UpdateUserTask';
      readonly id: string;
      readonly assignee: string | null;
      readonly candidateGroups: string[];
    }
  | {
      readonly type: 'CreateIncident';
      readonly id: string;
      readonly elementKey: string;
      readonly elementId: string;
      readonly incidentType: string;
      readonly message: string;
      readonly jobKey?: string;
    }
  | { readonly type: 'ResolveIncident'; readonly id: string }
  /** `versionTag`: bind to that version; `sameDeployment`: to the version deployed with the caller; else the latest. */
  | {
      readonly type: 'StartChildInstance';
      readonly childId: string;
      readonly elementKey: string;
      readonly processId: string;
      /** The child's call depth: the caller's plus one. */
      readonly callDepth: number;
      readonly versionTag?: string;
      readonly sameDeployment?: boolean;
      readonly variables: Vars;
    }
  | { readonly type: 'CancelChildInstance'; readonly childId: string }
  | {
      readonly type: 'NotifyParent';
      readonly parentId: string;
      readonly elementKey: string;
      readonly outcome: 'completed' | 'error' | 'escalation';
      readonly variables: Vars;
      readonly code?: string;
      readonly message?: string;
    }
  | { readonly type: 'BroadcastSignal'; readonly name: string; readonly variables: Vars }
  /** Migration: the instance now runs on another version of its process. */
  | { readonly type: 'ChangeDefinition'; readonly definitionKey: string; readonly version: number }
  /** Migration: a job, user task, timer, subscription or incident stays, now belonging to element `elementId`. */
  | {
      readonly type: 'MoveWork';
      readonly kind: 'job' | 'userTask' | 'timer' | 'subscription' | 'incident';
      readonly key: string;
      readonly elementId: string;
    }
  /** A message throw or end event without a job: the message goes to this engine's subscriptions. */
  | {
      readonly type: 'PublishMessage';
      readonly name: string;
      readonly correlationKey?: string;
      readonly variables: Vars;
    };

/** One history event the core emits (the union lives in ./history.ts); the runtime adds seq and time. */
export type { HistoryEvent } from './history.js';

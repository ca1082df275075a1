/** Commands: what someone asks of one process instance. Imperative names. */
import type { Modification } from './modify.js';

type Vars = Record<string, unknown>;

/**
 * What a task listener job's worker decides besides variables (Camunda 8.8 job result): deny the
 * transition, or correct the user task's data.
 */
export interface JobResult {
  readonly denied?: boolean;
  readonly deniedReason?: string;
  readonly corrections?: TaskCorrections;
}

/** Corrections of a user task's data by a task listener (absent fields stay as they are). */
export interface TaskCorrections {
  readonly assignee?: string | null;
  readonly candidateGroups?: readonly string[];
  readonly candidateUsers?: readonly string[];
  readonly dueDate?: string | null;
  readonly followUpDate?: string | null;
  readonly priority?: number;
}

export type Command =
  | { readonly type: 'StartInstance'; readonly variables?: Vars; readonly startElementId?: string }
  | { readonly type: 'CompleteJob'; readonly jobKey: string; readonly variables?: Vars; readonly result?: JobResult }
  /** Claims (assignee) or unclaims (null) a user task whose element has task listeners. */
  | {
      readonly type: 'AssignUserTask';
      readonly taskId: string;
      readonly assignee: string | null;
      /** Refuse when someone else holds the task (a claim), or replace them (an assignment). */
      readonly allowOverride?: boolean;
    }
  | {
      readonly type: 'FailJob';
      readonly jobKey: string;
      readonly retries: number;
      readonly errorMessage?: string;
      readonly retryBackoffMs?: number;
      /** Set as local variables of the job's element instance (Camunda's fail with variables). */
      readonly variables?: Vars;
    }
  | {
      readonly type: 'ThrowJobError';
      readonly jobKey: string;
      readonly errorCode: string;
      readonly errorMessage?: string;
      readonly variables?: Vars;
    }
  | { readonly type: 'FireTimer'; readonly timerKey: string }
  | {
      readonly type: 'CorrelateMessage';
      readonly subscriptionKey: string;
      readonly variables?: Vars;
      readonly name?: string;
    }
  | { readonly type: 'TriggerSignal'; readonly subscriptionKey: string; readonly variables?: Vars }
  | { readonly type: 'CompleteUserTask'; readonly taskId: string; readonly variables?: Vars }
  /** `byParent`: sent by the calling instance whose call activity ended; only then may a called instance be cancelled. */
  | {
      readonly type: 'CancelInstance';
      readonly reason?: string;
      readonly actor?: string;
      readonly byParent?: boolean;
      /** The batch operation that sent it, for the history. */
      readonly batchId?: string;
    }
  | { readonly type: 'SuspendInstance'; readonly reason?: string; readonly actor?: string }
  | { readonly type: 'ResumeInstance'; readonly reason?: string; readonly actor?: string }
  | { readonly type: 'SetVariables'; readonly variables: Vars; readonly reason?: string; readonly actor?: string }
  | {
      readonly type: 'RetryIncident';
      readonly incidentId: string;
      readonly retries?: number;
      readonly reason?: string;
      readonly actor?: string;
      readonly batchId?: string;
    }
  /** Activates and terminates element instances (see ./modify.ts). */
  | {
      readonly type: 'ModifyInstance';
      readonly modification: Modification;
      readonly reason?: string;
      readonly actor?: string;
      readonly batchId?: string;
    }
  /** Starts inner elements of an active ad-hoc sub-process (by its element id, or its element instance key). */
  | {
      readonly type: 'ActivateAdHocElements';
      readonly adHocElementId: string;
      readonly elementKey?: string;
      readonly elements: readonly { readonly elementId: string; readonly variables?: Vars }[];
      readonly reason?: string;
      readonly actor?: string;
    }
  | { readonly type: 'CompleteChild'; readonly elementKey: string; readonly variables: Vars }
  | {
      readonly type: 'RaiseIncident';
      readonly elementKey: string;
      readonly incidentType: string;
      readonly message: string;
      /**
       * What retrying it does: run the element's activation again (default), or nothing in the
       * core — the runtime then applies the command kept with the incident (one the instance refused).
       */
      readonly retry?: 'activate' | 'command';
    }
  | {
      readonly type: 'ThrowFromChild';
      readonly elementKey: string;
      readonly kind: 'error' | 'escalation';
      readonly code?: string;
      readonly message?: string;
      readonly variables?: Vars;
    };

/** Commands that a suspended instance keeps for later instead of acting on them. */
export const DEFERRED_WHILE_SUSPENDED: ReadonlySet<Command['type']> = new Set([
  'FireTimer',
  'CorrelateMessage',
  'TriggerSignal',
  'CompleteChild',
  'ThrowFromChild',
]);

import type { ElementDef } from '../../model/types.js';
import type { Run } from '../run.js';
import type { ElementInstance } from '../state.js';

/** Something that reached an element that waits: its job, user task, message, timer, signal or child. */
export interface Trigger {
  readonly kind: 'job' | 'userTask' | 'timer' | 'message' | 'signal' | 'conditional' | 'child';
  readonly variables: Record<string, unknown>;
  /** Event-based gateways: the catch event whose wait fired. */
  readonly target?: string;
}

/**
 * What one BPMN element kind does. The shared lifecycle (lifecycle.ts) creates the instance,
 * applies input mappings and arms boundary events before `activate`; the behavior either
 * completes the element at once or opens a wait and completes it in `trigger`.
 */
export interface ElementBehavior {
  /** Start the element's work. Call `complete` when done, or open a wait. */
  activate(run: Run, ei: ElementInstance, el: ElementDef): void;
  /** The element's own wait fired. */
  trigger?(run: Run, ei: ElementInstance, el: ElementDef, t: Trigger): void;
  /** Containers: the last token inside the scope is gone. Default: complete the container. */
  onScopeEmpty?(run: Run, ei: ElementInstance, el: ElementDef): void;
}

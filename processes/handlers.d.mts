// Types of processes/handlers.mjs for the TypeScript tests.
import type { JobHandler } from '../engine/src/runtime/engine-port.js';

/** An error that the engine throws as a BPMN error at the job's element, not as a failed job. */
export declare class BpmnError extends Error {
  constructor(errorCode: string, message?: string, variables?: Record<string, unknown>);
  readonly errorCode: string;
  readonly variables?: Record<string, unknown>;
}

declare const handlers: Record<string, JobHandler>;
export default handlers;

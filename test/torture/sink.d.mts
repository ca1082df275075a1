/** Types of sink.mjs, the idempotent side-effect sink of the crash torture. */
export interface Sink {
  /** Records the side effect of `job` (idempotent by job key) and counts the attempt. */
  record(job: { key: string; instanceId: string; elementId: string; type: string }, worker: string): void;
  /** Effects per (instance, element). */
  perElement(): { instance_id: string; element_id: string; effects: number; attempts: number }[];
  close(): void;
}

/** Opens (or creates) the sink at `path`. */
export function openSink(path: string): Sink;

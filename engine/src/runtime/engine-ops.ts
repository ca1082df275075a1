import type { Store } from '../storage/store.js';
import type { Processor } from './processor.js';

/** What the engine's operation modules (outside input, user tasks) need: nothing more. */
export interface EngineOps {
  readonly store: Store;
  readonly processor: Processor;
  readonly now: () => number;
  /** Runs `fn` in the next group commit, timed under `command`; resolves once it is durable. */
  readonly submit: <T>(command: string, fn: () => T) => Promise<T>;
}

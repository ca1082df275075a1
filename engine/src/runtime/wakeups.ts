/**
 * Wake-ups inside one engine process: long polls waiting for jobs of a type are woken when such
 * jobs are committed here, or when another node says it committed some (store notices).
 */
import { EventEmitter } from 'node:events';

/** A wait registered before looking for work, so that a wake-up between the look and the wait is not lost. */
export interface PendingWake {
  /** Resolves at the next wake-up for the types, or after `ms`. */
  within(ms: number): Promise<void>;
  cancel(): void;
}

export class Wakeups {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** Jobs of these types (none: of any type) may be there now. */
  jobs(types: readonly string[]): void {
    this.emitter.emit('jobs', types);
  }

  /** Wakes every waiter (shutdown). */
  all(): void {
    this.emitter.emit('jobs', []);
  }

  next(types: readonly string[]): PendingWake {
    let woken = false;
    let resolveWait: (() => void) | undefined;
    const listener = (t: readonly string[]) => {
      if (t.length && !t.some((x) => types.includes(x))) return;
      woken = true;
      resolveWait?.();
    };
    this.emitter.on('jobs', listener);
    const cancel = () => this.emitter.off('jobs', listener);
    return {
      cancel,
      within: (ms) =>
        new Promise<void>((resolve) => {
          if (woken || ms <= 0) {
            cancel();
            resolve();
            return;
          }
          const timer = setTimeout(done, ms);
          function done() {
            clearTimeout(timer);
            cancel();
            resolve();
          }
          resolveWait = done;
        }),
    };
  }
}

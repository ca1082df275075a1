/**
 * `Idempotency-Key` support: the first answer given for a key is replayed (same status and body)
 * to every later request with that key, so a retried request never starts a second instance.
 *
 * Answers are kept by the engine when it offers {@link EnginePort.rememberIdempotent} (and thus
 * survive restarts), else in a bounded in-memory map. Only successful answers are remembered: a
 * failed request changed nothing, so its retry may try again. Concurrent requests with the same key
 * wait for the first one instead of racing it.
 */
import type { EnginePort } from '../runtime/engine-port.js';

/** A remembered HTTP answer. */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

const MEMORY_LIMIT = 10_000;

/** Replays remembered answers per idempotency key. */
export class IdempotencyStore {
  private readonly memory = new Map<string, StoredAnswer>();
  private readonly inFlight = new Map<string, Promise<StoredAnswer>>();

  constructor(private readonly engine: EnginePort) {}

  /** The remembered answer for `key`, or the answer `produce` gives (remembered when it is a 2xx). */
  async run(key: string, produce: () => Promise<StoredAnswer>): Promise<StoredAnswer> {
    const pending = this.inFlight.get(key);
    if (pending) return pending.then(() => this.run(key, produce), () => this.run(key, produce));
    const known = this.lookup(key);
    if (known) return known;
    const attempt = produce().then((answer) => {
      if (answer.status >= 200 && answer.status < 300) this.remember(key, answer);
      return answer;
    });
    this.inFlight.set(key, attempt);
    try {
      return await attempt;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private lookup(key: string): StoredAnswer | undefined {
    if (this.engine.lookupIdempotent) return this.engine.lookupIdempotent(key);
    return this.memory.get(key);
  }

  private remember(key: string, answer: StoredAnswer): void {
    if (this.engine.rememberIdempotent) {
      this.engine.rememberIdempotent(key, answer.status, answer.body);
      return;
    }
    if (this.memory.size >= MEMORY_LIMIT) {
      const oldest = this.memory.keys().next().value;
      if (oldest !== undefined) this.memory.delete(oldest);
    }
    this.memory.set(key, answer);
  }
}

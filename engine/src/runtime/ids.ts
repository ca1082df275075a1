/**
 * Instance ids handed out synchronously (the core asks for child ids while it runs) from blocks the
 * store reserves between transactions, so that ids stay unique across engine nodes and rollbacks.
 */
import { ConflictError, type Store } from '../storage/port.js';

/** Thrown when a command needs more ids than the current block holds: it runs again after a refill. */
export class IdsExhaustedError extends ConflictError {
  constructor() {
    super('the block of instance ids ran out');
    this.name = 'IdsExhaustedError';
  }
}

/** Smallest block reserved at a time. */
const BLOCK = 1000;
/** Largest block a single command may ask for. */
const MAX_BLOCK = 1_000_000;

export class IdAllocator {
  private next = 0;
  private end = 0;
  private wanted = BLOCK / 4;

  constructor(
    private readonly store: Store,
    private readonly name: 'instance' | 'deployment',
  ) {}

  /** Makes sure a command can take the ids it usually needs; called before every transaction. */
  async refill(): Promise<void> {
    if (this.end - this.next >= this.wanted) return;
    const { first, count } = await this.store.reserveIds(this.name, Math.max(BLOCK, this.wanted * 2));
    this.next = first;
    this.end = first + count;
  }

  /** The next id; throws {@link IdsExhaustedError} (and asks for bigger blocks) when the block is used up. */
  take(): string {
    if (this.next >= this.end) {
      this.wanted = Math.min(MAX_BLOCK, this.wanted * 4);
      throw new IdsExhaustedError();
    }
    return String(this.next++);
  }
}

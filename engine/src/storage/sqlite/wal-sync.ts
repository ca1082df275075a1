/**
 * Group fsync of the WAL file, off the event loop.
 *
 * In the default durability mode the connection commits with `synchronous=OFF` (SQLite writes the
 * WAL frames but does not fsync), and the engine answers a batch only after this class fsynced the
 * WAL file on libuv's thread pool. One fsync covers every commit made before it started, so while
 * one fsync runs the next batches are built and committed: commits pipeline instead of each one
 * blocking the event loop for the disk. Acknowledged commits are as durable as with
 * `synchronous=FULL`; checkpoints run with `synchronous=FULL` (see SqliteStore.checkpoint), so the
 * database file is synced before the WAL is reused.
 */
import { closeSync, fsync, openSync } from 'node:fs';

export class WalSync {
  private fd: number | undefined;
  private running = false;
  private waiting: { resolve: () => void; reject: (e: unknown) => void }[] = [];

  constructor(private readonly walPath: string) {}

  /** Resolves once every commit made before the call is on disk. */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.running || this.waiting.length === 0) return;
    const batch = this.waiting.splice(0);
    this.running = true;
    this.fd ??= openSync(this.walPath, 'r+');
    fsync(this.fd, (err) => {
      this.running = false;
      for (const w of batch)
        if (err) w.reject(err);
        else w.resolve();
      this.kick();
    });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

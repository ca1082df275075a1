/**
 * Graceful shutdown of the HTTP layer: once {@link ShutdownGate.drain} is called, new requests are
 * answered `503 SHUTTING_DOWN` (with `Connection: close`), requests already running finish, and
 * long polls end early with what they have. {@link ShutdownGate.idle} resolves when no request is
 * in flight any more.
 *
 * @example
 * ```ts
 * const gate = new ShutdownGate();
 * const app = createApp(engine, { gate });
 * // on SIGTERM:
 * gate.drain(); server.close(); await gate.idle(10_000); await engine.close();
 * ```
 */
import type { RequestHandler } from 'express';
import { sendError } from './http-errors.js';

/** Tracks requests in flight and refuses new ones while the server drains. */
export class ShutdownGate {
  private inFlight = 0;
  private drainingSince: number | undefined;
  private readonly drainListeners = new Set<() => void>();
  private readonly idleListeners = new Set<() => void>();

  /** True once {@link drain} was called. */
  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  /** Requests being answered now. */
  get active(): number {
    return this.inFlight;
  }

  /** Stops taking new requests; wakes long polls so they answer now. */
  drain(): void {
    if (this.drainingSince !== undefined) return;
    this.drainingSince = Date.now();
    for (const listener of [...this.drainListeners]) listener();
    this.drainListeners.clear();
    this.checkIdle();
  }

  /** Calls `listener` once when draining starts (at once when it already has); returns an unsubscribe. */
  onDrain(listener: () => void): () => void {
    if (this.draining) {
      listener();
      return () => {};
    }
    this.drainListeners.add(listener);
    return () => this.drainListeners.delete(listener);
  }

  /** Resolves when no request is in flight, or after `timeoutMs` (false then). */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.idleListeners.delete(onIdle);
        resolve(ok);
      };
      const onIdle = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.idleListeners.add(onIdle);
    });
  }

  /** The first middleware of the app: counts requests and refuses them while draining. */
  middleware(): RequestHandler {
    return (_req, res, next) => {
      if (this.draining) {
        res.set('Connection', 'close');
        res.set('Retry-After', '5');
        sendError(res, 503, 'SHUTTING_DOWN', 'The server is shutting down; retry against the next instance.');
        return;
      }
      this.inFlight++;
      let counted = true;
      const release = () => {
        if (!counted) return;
        counted = false;
        this.inFlight--;
        this.checkIdle();
      };
      res.on('finish', release);
      res.on('close', release);
      next();
    };
  }

  /** Called after every request that ends while draining (to close the sockets that went idle). */
  onRequestEnd: (() => void) | undefined;

  private checkIdle(): void {
    if (this.draining) this.onRequestEnd?.();
    if (this.inFlight !== 0 || !this.draining) return;
    for (const listener of [...this.idleListeners]) listener();
  }
}

/**
 * Opens the storage adapter a database address names: `postgres://…` (or `postgresql://…`) opens
 * PostgreSQL (./postgres), anything else is a SQLite file path or `:memory:` (./sqlite).
 *
 * @example
 * ```ts
 * const store = await openStore('postgres://postgres@127.0.0.1:5432/baton');
 * const engine = await openEngine({ store });
 * ```
 */
import type { Logger } from 'pino';
import type { Store } from './port.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

export interface StoreOptions {
  /** SQLite durability mode (see SqliteOptions.synchronous). */
  readonly synchronous?: 'GROUP' | 'FULL' | 'NORMAL';
  /** PostgreSQL: most connections in the pool (default 8). */
  readonly poolSize?: number;
  /** PostgreSQL: the schema Baton's tables live in (default `public`). */
  readonly schema?: string;
  readonly logger?: Logger;
}

/** Whether `address` names a PostgreSQL database. */
export function isPostgresUrl(address: string): boolean {
  return /^postgres(ql)?:\/\//i.test(address);
}

export async function openStore(address: string, opts: StoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(address)) {
    const { openPostgresStore } = await import('./postgres/pg-store.js');
    return openPostgresStore({
      url: address,
      ...(opts.poolSize ? { poolSize: opts.poolSize } : {}),
      ...(opts.schema ? { schema: opts.schema } : {}),
      ...(opts.logger ? { logger: opts.logger } : {}),
    });
  }
  return openSqliteStore({
    path: address,
    ...(opts.synchronous ? { synchronous: opts.synchronous } : {}),
    ...(opts.logger
      ? { onYield: () => opts.logger!.error('a SQLite transaction yielded to the event loop: a bug') }
      : {}),
  });
}

/**
 * The PostgreSQL adapter of the storage port (node-postgres with a pool): any number of engine
 * nodes share one database. One transaction per batch of commands (group commit), an answer only
 * after COMMIT returned; writes never wait for another node's locks (`FOR UPDATE SKIP LOCKED`,
 * revision checks, `ON CONFLICT DO NOTHING`) but report a ConflictError that the runtime retries;
 * new work is announced to the other nodes with NOTIFY on the channel `baton` (./listener.ts).
 *
 * @example
 * ```ts
 * const store = await openPostgresStore({ url: 'postgres://postgres@127.0.0.1:5432/baton' });
 * ```
 */
import pg from 'pg';
import type { Logger } from 'pino';
import type { InstanceState } from '../../core/state.js';
import { ConflictError, type Notice, type Reads, type Store, type Tx } from '../port.js';
import type { DefinitionRow } from '../rows.js';
import { isConnectionError, mapError, unavailableOr } from './pg-errors.js';
import { NoticeListener } from './listener.js';
import { migratePostgres } from './migrate.js';
import { PgReads } from './pg-reads.js';
import { ResourceCaches } from './pg-resource-repos.js';
import { PgTx } from './pg-tx.js';
import { MIGRATIONS } from './schema.js';

export interface PostgresOptions {
  /** `postgres://user:password@host:port/database` */
  readonly url: string;
  /** Most connections in the pool (default 8). */
  readonly poolSize?: number;
  /** The schema Baton's tables live in; created when missing (default `public`). */
  readonly schema?: string;
  readonly logger?: Logger;
}

/** Decoded instance states kept in memory, with the revision they were read at. */
const STATE_CACHE_SIZE = 4000;

/** 64-bit integers (BIGINT, COUNT) as JavaScript numbers: Baton's ids and epoch milliseconds fit. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export async function openPostgresStore(opts: PostgresOptions): Promise<PostgresStore> {
  const store = new PostgresStore(opts);
  try {
    await store.open();
  } catch (err) {
    await store.close();
    throw unavailableOr(err);
  }
  return store;
}

/** A cached state and the revision it was stored with. */
export interface CachedState {
  readonly state: InstanceState;
  readonly revision: number;
}

/** What every transaction of the store shares: caches that commits keep right. */
export class PgCaches {
  readonly states = new Map<string, CachedState>();
  /** Definitions by key: deployed definitions never change. */
  readonly definitions = new Map<string, DefinitionRow>();
  /** Latest definition key per process id, valid while the deployment counter is `deploys`. */
  readonly latest = new Map<string, string>();
  /** Decisions and forms (./pg-resource-repos.ts). */
  readonly resources = new ResourceCaches();
  deploys = -1;

  putState(entry: CachedState): void {
    this.states.delete(entry.state.id);
    this.states.set(entry.state.id, entry);
    if (this.states.size > STATE_CACHE_SIZE) this.states.delete(this.states.keys().next().value!);
  }
}

export class PostgresStore implements Store {
  readonly info: Store['info'];
  readonly read: Reads;
  private readonly pool: pg.Pool;
  private readonly caches = new PgCaches();
  private readonly listener: NoticeListener;
  private readonly schema: string;

  constructor(private readonly opts: PostgresOptions) {
    const url = new URL(opts.url);
    this.schema = opts.schema ?? 'public';
    if (!/^[a-z_][a-z0-9_]*$/.test(this.schema))
      throw new Error(`Expected a schema name of lower-case letters, digits and _, but got ${this.schema}`);
    this.info = {
      kind: 'postgres',
      location: `${url.hostname}:${url.port || '5432'}${url.pathname}${this.schema === 'public' ? '' : `?schema=${this.schema}`}`,
      exclusive: false,
    };
    this.pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 8,
      types,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
      options: `-c search_path=${this.schema} -c statement_timeout=30000`,
    });
    this.pool.on('error', (err) => opts.logger?.warn({ err }, 'idle PostgreSQL connection lost'));
    this.read = new PgReads(this.pool, this.caches);
    this.listener = new NoticeListener(opts.url, this.schema, opts.logger);
  }

  async open(): Promise<void> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const lost = (err: Error) => (broken ??= err);
    client.on('error', lost);
    try {
      if (this.schema !== 'public') await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await migratePostgres(client, MIGRATIONS);
    } finally {
      client.removeListener('error', lost);
      client.release(broken);
    }
    await this.listener.start();
  }

  async reserveIds(name: 'instance' | 'deployment', count: number): Promise<{ first: number; count: number }> {
    try {
      const { rows } = await this.pool.query<{ value: number }>(
        'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = meta.value + EXCLUDED.value RETURNING value',
        [name, count],
      );
      return { first: rows[0]!.value - count + 1, count };
    } catch (err) {
      throw unavailableOr(err);
    }
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw unavailableOr(err);
    }
    const tx = new PgTx(client, this.caches);
    let broken: unknown;
    // the pool listens for errors of idle connections only: a connection lost while checked out
    // emits 'error' here (its query fails too, and is answered through that)
    const lost = (err: unknown) => (broken ??= err);
    client.on('error', lost);
    try {
      const begun = (await client.query(
        `BEGIN; SELECT value FROM meta WHERE key = 'deploys'`,
      )) as unknown as pg.QueryResult[];
      const deploys = Number(begun[1]?.rows[0]?.value ?? 0);
      if (deploys !== this.caches.deploys) {
        this.caches.latest.clear();
        this.caches.resources.deployed();
        this.caches.deploys = deploys;
      }
      const result = await fn(tx);
      await tx.flush();
      if (tx.broken) throw new ConflictError('a statement of the transaction failed; it is rolled back');
      const notices = tx.notices();
      if (notices.length) await client.query(`SELECT pg_notify('baton', n) FROM unnest($1::text[]) AS n`, [notices]);
      const done = await client.query('COMMIT');
      // PostgreSQL answers COMMIT of an aborted transaction with ROLLBACK, not an error
      if (done.command !== 'COMMIT')
        throw new ConflictError('PostgreSQL rolled the transaction back instead of committing it');
      tx.committed();
      return result;
    } catch (err) {
      if (isConnectionError(err)) broken ??= err;
      if (!broken) await client.query('ROLLBACK').catch((e: unknown) => (broken = e));
      tx.rolledBack();
      throw mapError(err);
    } finally {
      client.removeListener('error', lost);
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  durable(): Promise<void> {
    return Promise.resolve();
  }

  onNotice(listener: (notice: Notice) => void): void {
    this.listener.add(listener);
  }

  async close(): Promise<void> {
    await this.listener.stop();
    await this.pool.end().catch(() => {});
  }
}

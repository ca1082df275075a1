/**
 * The SQLite adapter of the storage port (better-sqlite3 12, WAL): one engine process per file
 * (./file-lock.ts), migrations at open (./migrate.ts), prepared statements made once, and a bounded
 * cache of decoded instance states that a rollback cleans.
 *
 * better-sqlite3 is synchronous: every repository call has finished when its promise exists, so a
 * transaction runs as one chain of microtasks and never waits for I/O; the store checks that no
 * transaction yields to the event loop (see `transaction`). Reads outside transactions use a
 * second, read-only connection (WAL), so they see committed data only, and the state cache holds
 * committed states only; `:memory:` has one connection, so its reads refuse to run inside a transaction.
 *
 * @example
 * ```ts
 * const store = openSqliteStore({ path: './data/baton.db' });
 * await store.transaction(async (tx) => tx.history.append('7', Date.now(), [{ type: 'note' }]));
 * ```
 */
import Database from 'better-sqlite3';
import type { InstanceState } from '../../core/state.js';
import type { Notice, Reads, Store, Tx } from '../port.js';
import { lockDatabaseFile, type FileLock } from './file-lock.js';
import { migrateSqlite } from './migrate.js';
import { guardedReads, SqliteReads } from './reads.js';
import { MIGRATIONS } from './schema.js';
import { SqliteStatements } from './statements.js';
import { SqliteTx } from './tx.js';
import { WalSync } from './wal-sync.js';

export interface SqliteOptions {
  /** The database file, or ':memory:'. */
  readonly path: string;
  /**
   * `FULL` (default): SQLite fsyncs the WAL inside every commit; survives a power loss. `GROUP`:
   * commits are fsynced in groups off the event loop before they are acknowledged (see
   * {@link WalSync}); survives power loss like `FULL`. `NORMAL`: survives a process crash, not a power loss.
   */
  readonly synchronous?: 'GROUP' | 'FULL' | 'NORMAL';
  /** Called once when a transaction yielded to the event loop (a bug: others could read its writes). */
  readonly onYield?: () => void;
}

/** Decoded instance states kept in memory (bounded: waiting instances live in the file). */
const STATE_CACHE_SIZE = 2000;

/** Commits between two checkpoints in GROUP mode. */
const CHECKPOINT_EVERY = 256;

/** Opens (creating and migrating) the database at `opts.path`; throws when another engine holds it. */
export function openSqliteStore(opts: SqliteOptions): SqliteStore {
  return new SqliteStore(opts);
}

/** A decoded state and the revision it was stored with. */
export interface CachedState {
  readonly state: InstanceState;
  readonly revision: number;
}

export class SqliteStore implements Store {
  readonly info: Store['info'];
  readonly read: Reads;
  private readonly db: Database.Database;
  private readonly lock: FileLock | undefined;
  private readonly wal: WalSync | undefined;
  private readonly st: SqliteStatements;
  private readonly reader: Database.Database;
  private readonly readSt: SqliteStatements;
  private commitsSinceCheckpoint = 0;
  private open = true;
  private inTx = false;
  private txDone: Promise<void> = Promise.resolve();
  private yieldReported = false;
  /** Recently used instance states, least recently used first. */
  private readonly states = new Map<string, CachedState>();

  constructor(private readonly opts: SqliteOptions) {
    const memory = opts.path === ':memory:';
    this.info = { kind: 'sqlite', location: opts.path, exclusive: true };
    this.lock = memory ? undefined : lockDatabaseFile(opts.path);
    let db: Database.Database | undefined;
    try {
      this.db = db = new Database(opts.path);
      if (!memory) this.db.pragma('journal_mode = WAL');
      const mode = opts.synchronous ?? 'FULL';
      if (mode === 'GROUP' && !memory) {
        this.db.pragma('synchronous = OFF');
        this.db.pragma('wal_autocheckpoint = 0');
        this.wal = new WalSync(`${opts.path}-wal`);
      } else {
        this.db.pragma(`synchronous = ${mode === 'GROUP' ? 'OFF' : mode}`);
      }
      this.db.pragma('foreign_keys = OFF');
      migrateSqlite(this.db, MIGRATIONS);
      this.st = new SqliteStatements(this.db);
      // reads of committed data on a connection of their own (WAL): never half of an open transaction
      this.reader = memory ? this.db : new Database(opts.path, { readonly: true });
      this.readSt = memory ? this.st : new SqliteStatements(this.reader);
    } catch (err) {
      db?.close();
      this.lock?.release();
      throw err;
    }
    const reads = new SqliteReads(this.reader, this.readSt, (id) => this.cached(id));
    // one connection in memory: a read during a transaction would see its uncommitted writes
    this.read = memory ? guardedReads(reads, () => this.inTx) : reads;
  }

  /** The connection, for tools that measure the file (benchmarks); the engine never uses it past the port. */
  get database(): Database.Database {
    return this.db;
  }

  /** Schema version of the open database. */
  get schemaVersion(): number {
    return (this.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v;
  }

  /** Waits for the open transaction, if any: ids are reserved in a commit of their own. */
  async reserveIds(name: 'instance' | 'deployment', count: number): Promise<{ first: number; count: number }> {
    while (this.inTx) await this.txDone;
    const last = Number((this.st.reserveIds.get(name, count) as { value: string }).value);
    return { first: last - count + 1, count };
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (!this.open) throw new Error('Expected an open store, but it is closed');
    if (this.inTx) throw new Error('Expected no transaction to be open on this store, but one is (they do not nest)');
    const tx = new SqliteTx(this.st, this.states, (s) => this.cache(s));
    let endTx!: () => void;
    this.txDone = new Promise<void>((r) => (endTx = r));
    let yielded = false;
    const probe = setImmediate(() => {
      yielded = true;
    });
    this.inTx = true;
    this.db.exec('BEGIN');
    try {
      const result = await fn(tx);
      this.db.exec('COMMIT');
      for (const entry of tx.written.values()) this.cache(entry);
      return result;
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const id of tx.written.keys()) this.states.delete(id);
      tx.rolledBack();
      throw err;
    } finally {
      this.inTx = false;
      endTx();
      clearImmediate(probe);
      if (yielded && !this.yieldReported) {
        this.yieldReported = true;
        this.opts.onYield?.();
      }
    }
  }

  private cached(id: string): InstanceState | undefined {
    const hit = this.states.get(id);
    if (hit) return hit.state;
    const row = this.readSt.loadState.get(id) as { state: string; revision: number } | undefined;
    if (!row) return undefined;
    const state = JSON.parse(row.state) as InstanceState;
    this.cache({ state, revision: row.revision });
    return state;
  }

  private cache(entry: CachedState): void {
    this.states.delete(entry.state.id);
    this.states.set(entry.state.id, entry);
    if (this.states.size > STATE_CACHE_SIZE) this.states.delete(this.states.keys().next().value!);
  }

  /**
   * Resolves when everything committed so far is durable (GROUP mode: a group fsync of the WAL;
   * other modes: at once, the commit itself was synced). Checkpoints now and then, with fsyncs.
   */
  durable(): Promise<void> {
    if (!this.wal) return Promise.resolve();
    if (++this.commitsSinceCheckpoint >= CHECKPOINT_EVERY) this.checkpoint();
    return this.wal.sync();
  }

  /** Copies the WAL into the database file with `synchronous=FULL`: the WAL and the file are synced before the WAL is reused. */
  checkpoint(): void {
    this.commitsSinceCheckpoint = 0;
    if (!this.wal) return;
    this.db.pragma('synchronous = FULL');
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } finally {
      this.db.pragma('synchronous = OFF');
    }
  }

  onNotice(_listener: (notice: Notice) => void): void {
    // one engine per file: nobody else commits work here
  }

  async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    if (this.wal) {
      this.checkpoint();
      this.wal.close();
    }
    if (this.reader !== this.db) this.reader.close();
    this.db.close();
    this.lock?.release();
  }
}

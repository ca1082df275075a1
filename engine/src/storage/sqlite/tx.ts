/**
 * The repositories of one SQLite transaction. Writes go straight to the connection (they cost
 * microseconds); decoded instance states pass through the store's cache, and the ids written here
 * are remembered so that a rollback can drop them from it.
 */
import type { HistoryEvent } from '../../core/effects.js';
import type { InstanceState } from '../../core/state.js';
import {
  ConflictError,
  type DecisionRepo,
  type DefinitionRepo,
  type FormRepo,
  type HistoryRepo,
  type IdempotencyRepo,
  type InboxRepo,
  type IncidentRepo,
  type InstanceRepo,
  type JobRepo,
  type LoadedInstance,
  type MessageRepo,
  type Notice,
  type SubscriptionRepo,
  type TimerRepo,
  type Tx,
  type UserTaskRepo,
} from '../port.js';
import type {
  DefinitionRow,
  InboxRow,
  IncidentRow,
  JobRow,
  MessageRow,
  SubscriptionRow,
  TimerRow,
  UserTaskRow,
} from '../rows.js';
import {
  defRow,
  historyColumns,
  inboxRow,
  incidentRow,
  jobRow,
  jobValues,
  json,
  messageRow,
  opt,
  statusColumn,
  subRow,
  taskRow,
  timerRow,
  type Row,
} from '../sql-mappers.js';
import { SqlOperationsRepo } from '../operations-sql.js';
import type { OperationsRepo } from '../operations-port.js';
import { sqliteRunner } from './operations.js';
import { sqliteDecisionRepo, sqliteFormRepo } from './resource-repos.js';
import type { CachedState } from './sqlite-store.js';
import type { SqliteStatements } from './statements.js';

/** Decoded definitions by key, shared by every transaction: deployed definitions never change. */
const definitionCache = new WeakMap<SqliteStatements, Map<string, DefinitionRow>>();

export class SqliteTx implements Tx {
  /** States written here (with their new revision): what `take` must see, and the cache gets on commit. */
  readonly written = new Map<string, CachedState>();
  /** Definitions this transaction put in the shared cache. */
  private readonly cachedDefinitions: string[] = [];
  writes = 0;
  /** SQLite keeps a transaction usable after a failed statement. */
  readonly broken = false;
  readonly definitions: DefinitionRepo;
  readonly decisions: DecisionRepo;
  readonly forms: FormRepo;
  readonly instances: InstanceRepo;
  readonly history: HistoryRepo;
  readonly jobs: JobRepo;
  readonly timers: TimerRepo;
  readonly subscriptions: SubscriptionRepo;
  readonly messages: MessageRepo;
  readonly userTasks: UserTaskRepo;
  readonly incidents: IncidentRepo;
  readonly idempotency: IdempotencyRepo;
  readonly inbox: InboxRepo;
  readonly operations: OperationsRepo;

  constructor(
    private readonly st: SqliteStatements,
    private readonly states: Map<string, CachedState>,
    private readonly cache: (entry: CachedState) => void,
  ) {
    const w = () => void this.writes++;
    let defs = definitionCache.get(st);
    if (!defs) definitionCache.set(st, (defs = new Map()));
    const defOf = (r: unknown): DefinitionRow | undefined => {
      if (!r) return undefined;
      const key = (r as Row).key as string;
      let d = defs.get(key);
      if (!d) {
        d = opt(st.defKey.get(key), defRow);
        if (d) {
          defs.set(key, d);
          // it may be this transaction's own, not yet committed: forgotten if it rolls back
          this.cachedDefinitions.push(key);
        }
      }
      return d;
    };
    this.definitions = {
      insertDeployment: async (id, now) => {
        w();
        st.insDep.run(id, now);
      },
      insertResource: async (r) => {
        w();
        st.insRes.run(r.deploymentId, r.name, r.kind, r.checksum, r.content);
      },
      insertDefinition: async (r) => {
        w();
        try {
          st.insDef.run(
            r.key,
            r.processId,
            r.version,
            r.name,
            r.versionTag,
            r.deploymentId,
            r.resourceName,
            r.checksum,
            json(r.model),
            r.deployedAt,
          );
        } catch (err) {
          if (
            (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' ||
            (err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
          )
            throw new ConflictError(`definition ${r.key} exists already`);
          throw err;
        }
      },
      ofDeployment: async (id) => (st.defsOfDep.all(id) as Row[]).map(defRow),
      latest: async (pid) => defOf(st.latestDef.get(pid)),
      byVersion: async (pid, v) => defOf(st.defVer.get(pid, v)),
      byTag: async (pid, tag) => defOf(st.defTag.get(pid, tag)),
      byKey: async (key) => defOf({ key }),
    };
    this.decisions = sqliteDecisionRepo(st.resources, w);
    this.forms = sqliteFormRepo(st.resources, w);
    this.instances = this.instanceRepo(w);
    this.history = {
      append: async (instanceId: string, now: number, events: readonly HistoryEvent[]) => {
        if (!events.length) return;
        w();
        for (let i = 0; i < events.length; i += 16) {
          const chunk = events.slice(i, i + 16);
          const args: unknown[] = [];
          for (const e of chunk) args.push(instanceId, now, ...historyColumns(e));
          st.historyInsert(chunk.length).run(...args);
        }
      },
    };
    this.jobs = this.jobRepo(w);
    this.timers = {
      upsert: async (r: TimerRow) => {
        w();
        st.upTimer.run(r.key, r.instanceId, r.elementKey, r.elementId, r.definitionKey, r.dueAt, r.repeat);
      },
      delete: async (key) => {
        w();
        st.delTimer.run(key);
      },
      take: async (key) => {
        const r = st.takeTimer.get(key) as Row | undefined;
        if (!r) return undefined;
        w();
        return timerRow(r);
      },
      deleteStartTimers: async (pid) => {
        w();
        st.delStartTimers.run(pid);
      },
    };
    this.subscriptions = {
      insert: async (r: SubscriptionRow, now: number) => {
        w();
        st.insSub.run(
          r.key,
          r.kind,
          r.name,
          r.correlationKey,
          r.instanceId,
          r.elementKey,
          r.elementId,
          r.definitionKey,
          r.processId,
          now,
        );
      },
      delete: async (key) => {
        w();
        st.delSub.run(key);
      },
      forMessage: async (name, ck) =>
        [...(st.msgSubs.all(name, ck) as Row[]), ...(st.msgStartSubs.all(name) as Row[])].map(subRow),
      forSignal: async (name) => (st.sigSubs.all(name) as Row[]).map(subRow),
      startEvents: async (kind) => (st.startSubs.all(kind) as Row[]).map(subRow),
      deleteStartEvents: async (pid) => {
        w();
        st.delStartSubs.run(pid);
      },
    };
    this.messages = {
      buffer: async (m: Omit<MessageRow, 'id'>, now: number) => {
        w();
        st.bufMsg.run(m.name, m.correlationKey, json(m.variables), m.expiresAt, m.messageId, json(m.processes), now);
      },
      takeBuffered: async (name, ck, processId, now) => {
        st.purgeMsgs.run(now);
        const r = st.findMsg.get(name, ck, now, processId) as Row | undefined;
        if (!r) return undefined;
        w();
        st.markMsg.run(processId, r.id);
        const m = messageRow(r);
        return { ...m, processes: [...m.processes, processId] };
      },
      rememberId: async (id, expiresAt, now) => {
        w();
        st.purgeIds.run(now);
        return st.insMsgId.run(id, expiresAt).changes === 1;
      },
      lock: async () => true,
    };
    this.userTasks = {
      insert: async (r: UserTaskRow) => {
        w();
        st.insTask.run(
          r.id,
          r.instanceId,
          r.elementKey,
          r.elementId,
          r.name,
          r.assignee,
          json(r.candidateGroups),
          r.formKey,
          r.createdAt,
        );
      },
      delete: async (id) => {
        w();
        st.delTask.run(id);
      },
      get: async (id) => opt(st.task.get(id), taskRow),
      setAssignee: async (id, assignee) => {
        w();
        st.setAssignee.run(assignee, id);
      },
    };
    this.incidents = {
      insert: async (r: IncidentRow) => {
        w();
        st.insInc.run(
          r.id,
          r.instanceId,
          r.elementKey,
          r.elementId,
          r.type,
          r.message,
          r.jobKey,
          r.createdAt,
          r.command === undefined ? null : json(r.command),
        );
      },
      delete: async (id) => {
        w();
        st.delInc.run(id);
      },
      get: async (id) => opt(st.inc.get(id), incidentRow),
    };
    this.idempotency = {
      get: async (key) => {
        const r = st.idem.get(key) as Row | undefined;
        return r ? { status: r.status as number, body: JSON.parse(r.body) } : undefined;
      },
      remember: async (key, status, body, now) => {
        w();
        if (st.insIdem.run(key, status, json(body), now).changes !== 1)
          throw new ConflictError(`an answer for idempotency key ${key} was stored meanwhile`);
      },
    };
    this.inbox = {
      add: async (item: Omit<InboxRow, 'seq'>) => {
        w();
        return (st.addInbox.get(item.target, item.kind, json(item.payload), item.createdAt) as Row).seq as number;
      },
      take: async (seqs) => this.takeInbox(seqs),
      takeOldest: async (before, limit) =>
        this.takeInbox((st.oldestInbox.all(before, limit) as Row[]).map((r) => r.seq as number)),
    };
    this.operations = new SqlOperationsRepo(sqliteRunner(st, w), 'sqlite', (ids) => {
      for (const id of ids) states.delete(id);
    });
  }

  /** Drops what this transaction put in the shared definition cache (it rolled back: it may not exist). */
  rolledBack(): void {
    const defs = definitionCache.get(this.st);
    for (const key of this.cachedDefinitions) defs?.delete(key);
  }

  notify(_notice: Notice): void {
    // one engine per file: nobody to tell
  }

  private takeInbox(seqs: readonly number[]): InboxRow[] {
    const out: InboxRow[] = [];
    for (const seq of [...seqs].sort((a, b) => a - b)) {
      const r = this.st.takeInbox.get(seq) as Row | undefined;
      if (r) {
        this.writes++;
        out.push(inboxRow(r));
      }
    }
    return out;
  }

  private instanceRepo(w: () => void): InstanceRepo {
    const st = this.st;
    const { written } = this;
    const decode = (id: string): CachedState | undefined => {
      const r = st.loadState.get(id) as Row | undefined;
      return r ? { state: JSON.parse(r.state) as InstanceState, revision: r.revision as number } : undefined;
    };
    return {
      prefetch: async () => {},
      take: async (id): Promise<LoadedInstance | undefined> => {
        const mine = written.get(id);
        if (mine) return mine;
        const hit = this.states.get(id);
        if (hit) {
          this.states.delete(id);
          return hit;
        }
        return decode(id);
      },
      peek: async (id) => {
        const mine = written.get(id) ?? this.states.get(id);
        if (mine) return mine.state;
        const loaded = decode(id);
        if (loaded) this.cache(loaded);
        return loaded?.state;
      },
      insert: async (s, encoded, startKey) => {
        w();
        try {
          st.insInst.run(
            s.id,
            s.processId,
            s.version,
            s.definitionKey,
            s.businessKey,
            statusColumn(s),
            s.startedAt,
            s.endedAt,
            s.parent?.instanceId ?? null,
            startKey,
            encoded,
          );
        } catch (err) {
          const code = (err as { code?: string }).code ?? '';
          if (code.startsWith('SQLITE_CONSTRAINT'))
            throw new ConflictError(`instance ${s.id} or its start key ${startKey ?? ''} exists already`, s.id);
          throw err;
        }
        written.set(s.id, { state: s, revision: 1 });
      },
      save: async (s, encoded, revision) => {
        w();
        if (st.saveInst.run(statusColumn(s), s.endedAt, encoded, s.id, revision).changes !== 1)
          throw new ConflictError(`instance ${s.id} changed since revision ${revision}`, s.id);
        written.set(s.id, { state: s, revision: revision + 1 });
      },
      activeByStartKey: async (k) => st.byStartKey.get(k) !== undefined,
    };
  }

  private jobRepo(w: () => void): JobRepo {
    const st = this.st;
    return {
      insert: async (r: JobRow) => {
        w();
        st.insJob.run(...jobValues(r));
      },
      update: async (key, u) => {
        w();
        st.updJob.run(u.retries ?? null, u.state, u.dueAt ?? null, u.errorMessage ?? null, key);
      },
      delete: async (key) => {
        w();
        st.delJob.run(key);
      },
      get: async (key) => opt(st.job.get(key), jobRow),
      claim: async (types, worker, now, lockUntil, limit) => {
        const rows = (st.runnable.all(json(types), now, now, limit) as Row[]).map(jobRow);
        if (rows.length) w();
        for (const r of rows) st.lockJob.run(worker, lockUntil, r.key);
        return rows.map((r) => ({ ...r, worker, lockUntil }));
      },
      extendLocks: async (worker, keys, lockUntil) => {
        if (!keys.length) return;
        w();
        st.extendLock.run(lockUntil, worker, json(keys));
      },
      releaseLocks: async (prefix, except) => {
        w();
        st.releaseLocks.run(prefix, except ?? '');
      },
    };
  }
}

/**
 * The inbox between instances. A command's transaction changes one instance; whatever it sets off
 * in another instance (a child to start or cancel, a parent to notify, a signal or message to
 * deliver) is written as an inbox item in that transaction, and applied here in a transaction of
 * its own — by the node that wrote it right after its commit, or by any node that finds it later
 * (the writer died). Items of one target apply in order; taking an item and applying it commit
 * together, so an item is applied exactly once.
 */
import type { Logger } from 'pino';
import type { Command } from '../core/commands.js';
import type { InboxRow, Tx } from '../storage/port.js';
import type { InboxRef } from './effects.js';
import type { GroupCommit, Work } from './group-commit.js';
import type { Processor } from './processor.js';

/** A command for an existing instance. */
export interface CommandItem {
  readonly cmd: Command;
  /** A message delivery: other instances of the same process to try, in order, when this one refuses it. */
  readonly alternatives?: readonly { readonly instanceId: string; readonly subscriptionKey: string }[];
}

/** A new instance: a called child, or a start event's instance. */
export interface StartItem {
  readonly definition:
    | { readonly processId: string; readonly versionTag?: string; readonly sameDeploymentAs?: string }
    | { readonly key: string };
  readonly init: {
    readonly id: string;
    readonly businessKey: string | null;
    readonly parent?: { readonly instanceId: string; readonly elementKey: string };
    /** How deep the child is nested in call activities (see core/budgets.ts). */
    readonly callDepth?: number;
    readonly variables: Record<string, unknown>;
    readonly startElementId?: string;
  };
  /** One active instance per process and correlation key (message start events). */
  readonly startKey?: string | null;
}

/** A signal or message thrown by an instance, to deliver to everyone waiting for it. */
export interface FanOutItem {
  readonly name: string;
  readonly correlationKey?: string;
  readonly variables: Record<string, unknown>;
  /**
   * The call depth of instances it starts: one more than the thrower's, so that instances starting
   * each other by signals or messages are held by the call depth budget like self-calling ones.
   */
  readonly callDepth?: number;
}

/** What applying an item did. */
export type ItemOutcome =
  | { readonly kind: 'correlated' | 'applied'; readonly instanceId: string }
  | { readonly kind: 'started'; readonly instanceId: string }
  | { readonly kind: 'refused' | 'gone' }
  /** Handed on to another inbox item (the next alternative of a message delivery). */
  | { readonly kind: 'forwarded'; readonly next: InboxRef };

/** Plans the deliveries of a signal or message (see ./messages.ts); writes their inbox items. */
export type FanOut = (w: Work, kind: 'signal' | 'message', item: FanOutItem) => Promise<InboxRef[]>;

export interface InboxDeps {
  readonly commits: GroupCommit;
  readonly processor: Processor;
  readonly now: () => number;
  readonly fanOut: FanOut;
  /** New items written while applying one (handed back to the engine's fast path). */
  readonly inboxAdded: (items: readonly InboxRef[]) => void;
  readonly logger?: Logger;
}

export class Inbox {
  constructor(private readonly deps: InboxDeps) {}

  /** Applies these items, each in the next batch, in seq order; resolves to what each did. */
  apply(items: readonly InboxRef[]): Promise<ItemOutcome[]> {
    const sorted = [...items].sort((a, b) => a.seq - b.seq);
    return Promise.all(
      sorted.map((ref) =>
        this.deps.commits.submit({
          ...(ref.target ? { targets: [ref.target] } : {}),
          run: async (w) => {
            const [row] = await w.tx.inbox.take([ref.seq]);
            return row ? this.applyRow(w, row) : ({ kind: 'gone' } as const);
          },
        }),
      ),
    );
  }

  /** Applies items, following forwarded deliveries, until each has a final outcome. */
  async applyAll(items: readonly InboxRef[]): Promise<ItemOutcome[]> {
    const out: ItemOutcome[] = [];
    let next = items;
    while (next.length) {
      const results = await this.apply(next);
      next = [];
      for (const r of results) {
        if (r.kind === 'forwarded') next = [...next, r.next];
        else out.push(r);
      }
    }
    return out;
  }

  /** Takes and applies up to `limit` items older than `ageMs` (their writer did not): resolves to how many. */
  async sweep(ageMs: number, limit = 100): Promise<number> {
    const taken = await this.deps.commits.submit({
      run: async (w) => {
        const rows = await w.tx.inbox.takeOldest(this.deps.now() - ageMs, limit);
        for (const row of rows) await this.applyRow(w, row);
        return rows.length;
      },
    });
    if (taken) this.deps.logger?.info({ items: taken }, 'inbox items of another writer applied');
    return taken;
  }

  private async applyRow(w: Work, row: InboxRow): Promise<ItemOutcome> {
    switch (row.kind) {
      case 'command':
        return this.applyCommand(w, row.target!, row.payload as CommandItem);
      case 'start':
        return this.applyStart(w, row.payload as StartItem);
      case 'signal':
      case 'message': {
        const refs = await this.deps.fanOut(w, row.kind, row.payload as FanOutItem);
        if (refs.length) w.after(() => this.deps.inboxAdded(refs));
        return { kind: 'applied', instanceId: '' };
      }
    }
  }

  private async applyCommand(w: Work, target: string, item: CommandItem): Promise<ItemOutcome> {
    const state = await this.deps.processor.command(w, target, item.cmd, 'continuation');
    if (state) return { kind: item.cmd.type === 'CorrelateMessage' ? 'correlated' : 'applied', instanceId: target };
    const [first, ...rest] = item.alternatives ?? [];
    if (!first || item.cmd.type !== 'CorrelateMessage') return { kind: 'refused' };
    const cmd: Command = { ...item.cmd, subscriptionKey: first.subscriptionKey };
    const seq = await w.tx.inbox.add({
      target: first.instanceId,
      kind: 'command',
      payload: { cmd, alternatives: rest } satisfies CommandItem,
      createdAt: this.deps.now(),
    });
    return { kind: 'forwarded', next: { seq, target: first.instanceId } };
  }

  private async applyStart(w: Work, item: StartItem): Promise<ItemOutcome> {
    const def = await resolveDefinition(w.tx, item.definition);
    const parent = item.init.parent;
    if (!def) {
      if (!parent) return { kind: 'refused' };
      const d = item.definition as { processId: string; versionTag?: string; sameDeploymentAs?: string };
      const cmd: Command = {
        type: 'RaiseIncident',
        elementKey: parent.elementKey,
        incidentType: 'CALLED_ELEMENT_NOT_FOUND',
        message: `Expected a deployed process ${d.processId}${d.versionTag ? ` with version tag ${d.versionTag}` : d.sameDeploymentAs ? ' in the same deployment as the caller' : ''} to call, but there is none`,
      };
      const seq = await w.tx.inbox.add({
        target: parent.instanceId,
        kind: 'command',
        payload: { cmd },
        createdAt: this.deps.now(),
      });
      w.after(() => this.deps.inboxAdded([{ seq, target: parent.instanceId }]));
      return { kind: 'refused' };
    }
    if (item.startKey && (await w.tx.instances.activeByStartKey(item.startKey))) return { kind: 'refused' };
    const state = await this.deps.processor.start(w, def, item.init, {
      startKey: item.startKey ?? null,
      origin: 'continuation',
    });
    return state ? { kind: 'started', instanceId: state.id } : { kind: 'refused' };
  }
}

async function resolveDefinition(tx: Tx, d: StartItem['definition']) {
  if ('key' in d) return tx.definitions.byKey(d.key);
  if (d.versionTag) return tx.definitions.byTag(d.processId, d.versionTag);
  if (d.sameDeploymentAs) {
    const caller = await tx.definitions.byKey(d.sameDeploymentAs);
    if (!caller) return undefined;
    return (await tx.definitions.ofDeployment(caller.deploymentId)).find((x) => x.processId === d.processId);
  }
  return tx.definitions.latest(d.processId);
}

/** What every `/v2` route group is built with. */
import type { InstanceState } from '../../core/state.js';
import type { EnginePort } from '../../runtime/engine-port.js';
import type { GuardedRouter } from '../guarded-router.js';
import type { ShutdownGate } from '../shutdown.js';
import type { Catalog, KeyedProcess } from './catalog.js';

export interface V2Context {
  router: GuardedRouter;
  engine: EnginePort;
  catalog: Catalog;
  gate?: ShutdownGate;
  /** Baton's version, reported as the broker's and gateway's. */
  version: string;
}

/**
 * Shapes rows that belong to instances (incidents, user tasks) with their instance's state and deployed
 * process, reading each instance once.
 */
export async function withInstances<R extends { readonly instanceId: string }, T>(
  { engine, catalog }: Pick<V2Context, 'engine' | 'catalog'>,
  rows: readonly R[],
  shape: (row: R, state: InstanceState | undefined, process: KeyedProcess | undefined) => T,
): Promise<T[]> {
  const states = new Map<string, InstanceState | undefined>();
  for (const r of rows)
    if (!states.has(r.instanceId)) states.set(r.instanceId, await engine.reads.instances.state(r.instanceId));
  return Promise.all(
    rows.map(async (r) => {
      const s = states.get(r.instanceId);
      return shape(r, s, s ? await catalog.process(s.processId, s.version) : undefined);
    }),
  );
}

/** What every `/v2` route group is built with. */
import type { EnginePort } from '../../runtime/engine-port.js';
import type { GuardedRouter } from '../guarded-router.js';
import type { ShutdownGate } from '../shutdown.js';
import type { Catalog } from './catalog.js';

export interface V2Context {
  router: GuardedRouter;
  engine: EnginePort;
  catalog: Catalog;
  gate?: ShutdownGate;
  /** Baton's version, reported as the broker's and gateway's. */
  version: string;
}

/**
 * Camunda 8's Orchestration Cluster REST API (`/v2`) on Baton's engine, so that Camunda's official
 * clients and job workers run unchanged (see docs/camunda-api.md for what is covered). Each file
 * of this folder serves one group of resources and only translates to {@link EnginePort} calls;
 * keys are decimal strings (./keys.ts, ./catalog.ts), searches follow ./search.ts, errors are
 * `application/problem+json` (./problem.ts). Every route is guarded like `/api`'s.
 */
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { EnginePort } from '../../runtime/engine-port.js';
import { GuardedRouter, type GuardedRouterOptions } from '../guarded-router.js';
import type { ShutdownGate } from '../shutdown.js';
import { BATON_VERSION } from '../version.js';
import { backpressure, maxInFlight } from './backpressure.js';
import { Catalog } from './catalog.js';
import type { V2Context } from './context.js';
import { decisionRoutes } from './decisions.js';
import { definitionRoutes } from './definitions.js';
import { deploymentRoutes } from './deployments.js';
import { incidentRoutes } from './incidents.js';
import { jobRoutes } from './jobs.js';
import { messageRoutes } from './messages.js';
import { problemHandler } from './problem.js';
import { processInstanceRoutes } from './process-instances.js';
import { topologyRoutes } from './topology.js';
import { userTaskRoutes } from './user-tasks.js';
import { variableRoutes } from './variables.js';

/** Mounts `/v2` on `app`, with its problem answers; call before the router mounted at `/`. */
export function mountV2(
  app: Express,
  engine: EnginePort,
  routing: GuardedRouterOptions,
  opts: { logger: Logger; gate?: ShutdownGate },
): void {
  const router = new GuardedRouter(routing);
  const ctx: V2Context = {
    router,
    engine,
    catalog: new Catalog(engine),
    version: BATON_VERSION,
    ...(opts.gate ? { gate: opts.gate } : {}),
  };
  topologyRoutes(ctx);
  deploymentRoutes(ctx);
  processInstanceRoutes(ctx);
  jobRoutes(ctx);
  messageRoutes(ctx);
  userTaskRoutes(ctx);
  incidentRoutes(ctx);
  variableRoutes(ctx);
  definitionRoutes(ctx);
  decisionRoutes(ctx);
  app.use('/v2', backpressure(maxInFlight()));
  router.mount(app, '/v2');
  app.use('/v2', problemHandler(opts.logger));
}

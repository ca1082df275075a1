/**
 * Read models for the operations console, beyond the public contract, under `/api/console`; all
 * need `viewer`. They come from the storage port's console reads (each adapter computes them in SQL).
 *
 * - `GET /api/console/definitions` → every definition version with instance counts per status and open incidents
 * - `GET /api/console/instances[?processId=&version=&status=&businessKey=&withIncidents=true&limit=&offset=]`
 *   → `{items, total}` (light rows: no variables)
 * - `GET /api/console/heatmap/:processId/:version` → per element `{passed, waiting, failed, openIncidents}` and flows taken
 * - `GET /api/console/dashboard[?stalledMs=300000]` → in flight, completed in the last hour, stalled instances,
 *   open incidents with their messages, the elements that fail most
 * - `GET /api/console/instances/:id/waits` → what the instance waits for: jobs (worker, retry), messages,
 *   signals, timers
 * - `GET /api/console/instances/:id/decisions` → every decision its business rule tasks evaluated: element,
 *   decision and version, result (or failure), and the audit (inputs, matched rules, outputs) of each
 *   decision of the requirements graph
 */
import type { EnginePort } from '../../runtime/engine-port.js';
import type { GuardedRouter } from '../guarded-router.js';
import { notFound } from '../http-errors.js';
import { invalidField, queryEnum, queryInt, queryLimit, queryString } from '../validate.js';

const STATUSES = ['active', 'completed', 'cancelled', 'suspended'] as const;
/** Default stall threshold of the dashboard: five minutes without a history entry. */
export const DEFAULT_STALLED_MS = 5 * 60_000;

/** The console routes for `engine`, registered under `/console` of the API router. */
export function consoleRoutes(router: GuardedRouter, engine: EnginePort): void {
  const queries = () => engine.console;

  router.get('/console/definitions', 'viewer', async (_req, res) => {
    res.json(await queries().definitions());
  });

  router.get('/console/instances', 'viewer', async (req, res) => {
    const withIncidents = queryString(req, 'withIncidents');
    if (withIncidents !== undefined && !['', 'true', 'false', '1', '0'].includes(withIncidents)) {
      throw invalidField('withIncidents', "must be 'true' or 'false'");
    }
    res.json(
      await queries().instances({
        processId: queryString(req, 'processId') || undefined,
        version: queryInt(req, 'version', 1),
        status: queryEnum(req, 'status', STATUSES),
        businessKey: queryString(req, 'businessKey') || undefined,
        withIncidents: withIncidents === 'true' || withIncidents === '1',
        limit: queryLimit(req, 1) ?? 20,
        offset: queryInt(req, 'offset', 0) ?? 0,
      }),
    );
  });

  router.get('/console/instances/:id/waits', 'viewer', async (req, res) => {
    const waits = await queries().waits(req.params.id, Date.now(), (type) => engine.handles(type));
    if (!waits) throw notFound('INSTANCE_NOT_FOUND', 'Process instance', req.params.id);
    res.json(waits);
  });

  router.get('/console/instances/:id/decisions', 'viewer', async (req, res) => {
    const evaluations = await engine.resources.decisionEvaluations(req.params.id);
    if (!evaluations) throw notFound('INSTANCE_NOT_FOUND', 'Process instance', req.params.id);
    res.json(evaluations);
  });

  router.get('/console/heatmap/:processId/:version', 'viewer', async (req, res) => {
    const { processId, version: rawVersion } = req.params;
    const version = /^\d{1,9}$/.test(rawVersion) ? Number(rawVersion) : NaN;
    if (!(version >= 1)) throw invalidField('version', `must be a positive integer, not '${rawVersion}'`);
    const heatmap = await queries().heatmap(processId, version);
    if (!heatmap) throw notFound('PROCESS_NOT_FOUND', 'Process version', `${processId} v${version}`);
    res.json(heatmap);
  });

  router.get('/console/dashboard', 'viewer', async (req, res) => {
    res.json(await queries().dashboard(Date.now(), queryInt(req, 'stalledMs', 0) ?? DEFAULT_STALLED_MS));
  });
}

/**
 * Routes for operating one instance (issue 15) and the audit log: its element instances (viewer),
 * a modification and a migration (operator), and `GET /api/audit` (viewer).
 *
 * - `GET /api/instances/:id/element-instances` → `[{key, elementId, parent, iteration?, phase, waitsFor}]`
 * - `POST /api/instances/:id/modification` `{activate?, terminate?, move?, reason?}` → the instance
 * - `POST /api/instances/:id/migration` `{targetVersion, mappingInstructions?, dryRun?, reason?}` → what it did
 * - `GET /api/audit?actor=&action=&targetType=&targetId=&from=&to=&limit=&offset=` → `{items, total}`, newest first
 */
import type { EnginePort } from '../../runtime/engine-port.js';
import type { GuardedRouter } from '../guarded-router.js';
import { notFound } from '../http-errors.js';
import { auditOf, field, invalidField, jsonBody, queryInt, queryLimit, queryString } from '../validate.js';
import { mappingOf, modificationOf } from '../validate-operations.js';

/** The operations routes of one instance and the audit log, under `/api`. */
export function operationRoutes(router: GuardedRouter, engine: EnginePort): void {
  const ops = () => engine.operations;

  router.get('/instances/:id/element-instances', 'viewer', async (req, res) => {
    const list = await ops().elementInstances(req.params.id);
    if (!list) throw notFound('INSTANCE_NOT_FOUND', 'Process instance', req.params.id);
    res.json(list);
  });

  router.post('/instances/:id/modification', { access: 'operator', body: 'json' }, async (req, res) => {
    const body = jsonBody(req);
    const modification = modificationOf(body);
    const reason = field(body, 'reason', 'string', { optional: true });
    res.json(await ops().modifyInstance(req.params.id, modification, auditOf(req, reason)));
  });

  router.post('/instances/:id/migration', { access: 'operator', body: 'json' }, async (req, res) => {
    const body = jsonBody(req);
    const targetVersion = field(body, 'targetVersion', 'integer', { min: 1 });
    const mappingInstructions = mappingOf(body);
    const dryRun = field(body, 'dryRun', 'boolean', { optional: true }) ?? false;
    const reason = field(body, 'reason', 'string', { optional: true });
    const answer = await ops().migrateInstance(
      req.params.id,
      { targetVersion, dryRun, ...(mappingInstructions ? { mappingInstructions } : {}) },
      auditOf(req, reason),
    );
    res.json(answer);
  });

  router.get('/audit', 'viewer', async (req, res) => {
    const from = queryTime(req, 'from');
    const to = queryTime(req, 'to');
    const text = (name: string) => queryString(req, name) || undefined;
    res.json(
      await ops().listAudit({
        actor: text('actor'),
        action: text('action'),
        targetType: text('targetType'),
        targetId: text('targetId'),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        limit: queryLimit(req, 1) ?? 50,
        offset: queryInt(req, 'offset', 0) ?? 0,
      }),
    );
  });
}

/** A time query parameter: an ISO 8601 date-time with an offset, or epoch milliseconds. */
function queryTime(req: Parameters<typeof queryString>[0], name: string): number | undefined {
  const raw = queryString(req, name);
  if (raw === undefined || raw === '') return undefined;
  const ms = /^\d{1,15}$/.test(raw) ? Number(raw) : /(Z|[+-]\d\d:\d\d)$/i.test(raw) ? Date.parse(raw) : NaN;
  if (!Number.isFinite(ms))
    throw invalidField(
      name,
      `must be an ISO date-time with an offset (2026-01-31T10:00:00Z) or epoch ms, not '${raw}'`,
    );
  return ms;
}

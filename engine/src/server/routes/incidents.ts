/** Routes for incidents: list and retry. */
import type { EnginePort } from '../../runtime/engine-port.js';
import type { GuardedRouter } from '../guarded-router.js';
import { auditOf, field, jsonBody, queryString } from '../validate.js';

/** Incident routes under `/api`: the list needs `viewer`, a retry `operator`. */
export function incidentRoutes(router: GuardedRouter, engine: EnginePort): void {
  router.get('/incidents', 'viewer', async (req, res) => {
    res.json(await engine.listIncidents({ instanceId: queryString(req, 'instanceId') || undefined }));
  });

  router.post('/incidents/:id/retry', { access: 'operator', body: 'json' }, async (req, res) => {
    const body = jsonBody(req);
    const retries = field(body, 'retries', 'integer', { optional: true, min: 0 });
    const reason = field(body, 'reason', 'string', { optional: true });
    await engine.retryIncident(req.params.id, { retries }, auditOf(req, reason));
    res.json({ id: req.params.id, resolved: true });
  });
}

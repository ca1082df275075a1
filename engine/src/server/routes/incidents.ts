/** Routes for incidents: list and retry. */
import { Router } from 'express';
import type { EnginePort } from '../../runtime/engine-port.js';
import { auditOf, field, jsonBody, queryString } from '../validate.js';

/** Incident routes, mounted under `/api` after the JSON body parser. */
export function incidentRoutes(engine: EnginePort): Router {
  const router = Router();

  router.get('/incidents', async (req, res) => {
    res.json(await engine.listIncidents({ instanceId: queryString(req, 'instanceId') || undefined }));
  });

  router.post('/incidents/:id/retry', async (req, res) => {
    const body = jsonBody(req);
    const retries = field(body, 'retries', 'integer', { optional: true, min: 0 });
    const reason = field(body, 'reason', 'string', { optional: true });
    await engine.retryIncident(req.params.id, { retries }, auditOf(req, reason));
    res.json({ id: req.params.id, resolved: true });
  });

  return router;
}

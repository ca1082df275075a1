/** Routes for deployments and process definitions: `POST /deployments`, `GET /processes[/:id/xml]`. */
import { EngineError } from '../../runtime/api-types.js';
import type { EnginePort } from '../../runtime/engine-port.js';
import type { GuardedRouter } from '../guarded-router.js';
import { notFound } from '../http-errors.js';
import { auditOf, queryInt, queryString } from '../validate.js';

/**
 * Deployment routes. `POST /deployments` (modeler) reads its body as text whatever the content type
 * (XML types, `application/octet-stream` or none); a new deployment is recorded in the audit log, with
 * the reason of `?reason=` or an `X-Baton-Reason` header. The reads need `viewer`.
 */
export function deploymentRoutes(router: GuardedRouter, engine: EnginePort): void {
  router.post('/deployments', { access: 'modeler', body: 'text' }, async (req, res) => {
    const xml: unknown = req.body;
    if (typeof xml !== 'string' || xml.trim() === '') {
      throw new EngineError(400, 'INVALID_BPMN', 'The request body is empty; expected one BPMN XML document.', [
        { elementId: null, line: null, message: 'empty document' },
      ]);
    }
    const reason = queryString(req, 'reason') ?? req.get('x-baton-reason') ?? undefined;
    const { created, deployment } = await engine.deploy(xml, auditOf(req, reason));
    res.status(created ? 201 : 200).json(deployment);
  });

  router.get('/processes', 'viewer', async (_req, res) => {
    res.json(await engine.listProcesses());
  });

  router.get('/processes/:processId/xml', 'viewer', async (req, res) => {
    const { processId } = req.params;
    const version = queryInt(req, 'version', 1);
    const xml = await engine.getProcessXml(processId, version);
    if (xml === undefined && version !== undefined) {
      throw new EngineError(404, 'PROCESS_NOT_FOUND', `Process '${processId}' has no version ${version}.`, [
        { processId, version },
      ]);
    }
    if (xml === undefined) throw notFound('PROCESS_NOT_FOUND', 'Process', processId);
    res.type('application/xml').send(xml);
  });
}

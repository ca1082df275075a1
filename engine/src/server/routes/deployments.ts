/** Routes for deployments and process definitions: `POST /deployments`, `GET /processes[/:id/xml]`. */
import { EngineError } from '../../runtime/api-types.js';
import type { EnginePort } from '../../runtime/engine-port.js';
import { deploymentResources } from '../deployment-body.js';
import type { GuardedRouter } from '../guarded-router.js';
import { notFound } from '../http-errors.js';
import { auditOf, queryInt, queryString } from '../validate.js';

/**
 * Deployment routes. `POST /deployments` (modeler) takes one XML document (BPMN or DMN), a
 * multipart body of files or a JSON list of resources (../deployment-body.ts); `201` when something
 * new was deployed, `200` when every resource was deployed unchanged before. A new deployment is
 * recorded in the audit log, with the reason of `?reason=` or an `X-Baton-Reason` header. The reads
 * need `viewer`.
 */
export function deploymentRoutes(router: GuardedRouter, engine: EnginePort): void {
  router.post('/deployments', { access: 'modeler', body: 'raw' }, async (req, res) => {
    const body: unknown = req.body;
    const resources = await deploymentResources(req.headers, Buffer.isBuffer(body) ? body : undefined);
    const reason = queryString(req, 'reason') ?? req.get('x-baton-reason') ?? undefined;
    const { created, deployment } = await engine.deploy(resources, auditOf(req, reason));
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

/**
 * Open incidents: `POST /v2/incidents/search`, `POST /v2/process-instances/{key}/incidents/search`,
 * `GET /v2/incidents/{key}`, `POST …/resolution`.
 */
import type { IncidentRow } from '../../storage/port.js';
import { auditOf } from '../validate.js';
import { withInstances, type V2Context } from './context.js';
import { decodeIdKey, decodeInstanceKey, notFoundKey } from './keys.js';
import { search } from './search.js';
import { incident, type IncidentResult } from './shapes.js';

const FIELDS = [
  'incidentKey',
  'processDefinitionKey',
  'processDefinitionId',
  'processInstanceKey',
  'errorType',
  'errorMessage',
  'elementId',
  'elementInstanceKey',
  'creationTime',
  'state',
  'jobKey',
  'tenantId',
] as const;

export function incidentRoutes({ router, engine, catalog }: V2Context): void {
  const describe = (rows: IncidentRow[]): Promise<IncidentResult[]> =>
    withInstances({ engine, catalog }, rows, incident);

  router.post('/incidents/search', { access: 'viewer', body: 'json' }, async (req, res) => {
    res.json(search(await describe(await engine.reads.work.incidents()), req.body, { fields: FIELDS }));
  });

  router.post('/process-instances/:key/incidents/search', { access: 'viewer', body: 'json' }, async (req, res) => {
    const id = decodeInstanceKey(req.params.key);
    if (!(await engine.reads.instances.row(id))) throw notFoundKey('Process instance', req.params.key);
    res.json(search(await describe(await engine.reads.work.incidents(id)), req.body, { fields: FIELDS }));
  });

  router.get('/incidents/:key', 'viewer', async (req, res) => {
    const row = await engine.reads.work.incident(decodeIdKey(req.params.key, 'Incident'));
    if (!row) throw notFoundKey('Incident', req.params.key);
    res.json((await describe([row]))[0]);
  });

  router.post('/incidents/:key/resolution', { access: 'operator', body: 'json' }, async (req, res) => {
    const id = decodeIdKey(req.params.key, 'Incident');
    if (!(await engine.reads.work.incident(id))) throw notFoundKey('Incident', req.params.key);
    await engine.retryIncident(id, {}, auditOf(req, undefined));
    res.status(204).end();
  });
}

/**
 * `POST /v2/deployments`: a multipart body with one or more files in the field `resources` (BPMN,
 * DMN, Camunda Forms) and an optional `tenantId`, deployed all or nothing by the same runtime as
 * Baton's own `POST /api/deployments`. Answers Camunda's deployment: `deploymentKey`, `tenantId` and
 * one entry per process definition, decision requirements graph, decision and form.
 */
import { EngineError } from '../../runtime/api-types.js';
import { deploymentResources } from '../deployment-body.js';
import { auditOf } from '../validate.js';
import type { V2Context } from './context.js';
import { checkTenant, DEFAULT_TENANT } from './search.js';

type Entry = Record<'processDefinition' | 'decisionDefinition' | 'decisionRequirements' | 'form' | 'resource', unknown>;
const EMPTY: Entry = {
  processDefinition: null,
  decisionDefinition: null,
  decisionRequirements: null,
  form: null,
  resource: null,
};

export function deploymentRoutes({ router, engine, catalog }: V2Context): void {
  router.post('/deployments', { access: 'modeler', body: 'raw' }, async (req, res) => {
    const body: unknown = req.body;
    if (!(req.get('content-type') ?? '').toLowerCase().startsWith('multipart/'))
      throw new EngineError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'Expected a multipart/form-data body with files in "resources".',
      );
    const fields = { names: ['tenantId'], values: {} as Record<string, string> };
    const resources = await deploymentResources(req.headers, Buffer.isBuffer(body) ? body : undefined, fields);
    checkTenant(fields.values.tenantId);
    const { deployment } = await engine.deploy(resources, auditOf(req, undefined));
    if (!/^[0-9]+$/.test(deployment.id))
      throw new EngineError(500, 'INTERNAL', `Deployment id ${deployment.id} is not decimal`);
    const all = await catalog.fresh();
    const deployments: Entry[] = [];
    for (const p of deployment.processes) {
      const found = all.processes.find((k) => k.row.processId === p.processId && k.row.version === p.version);
      deployments.push({
        ...EMPTY,
        processDefinition: {
          processDefinitionId: p.processId,
          processDefinitionVersion: p.version,
          resourceName: p.resourceName,
          tenantId: DEFAULT_TENANT,
          processDefinitionKey: found?.key,
        },
      });
    }
    for (const g of deployment.decisionRequirements) {
      const found = all.requirements.find((k) => k.row.key === g.key);
      deployments.push({
        ...EMPTY,
        decisionRequirements: {
          decisionRequirementsId: g.decisionRequirementsId,
          decisionRequirementsName: g.name ?? g.decisionRequirementsId,
          version: g.version,
          resourceName: g.resourceName,
          tenantId: DEFAULT_TENANT,
          decisionRequirementsKey: found?.key,
        },
      });
    }
    for (const d of deployment.decisions) {
      const found = all.decisions.find((k) => k.row.key === d.key);
      deployments.push({
        ...EMPTY,
        decisionDefinition: {
          decisionDefinitionId: d.decisionId,
          version: d.version,
          name: d.name ?? d.decisionId,
          tenantId: DEFAULT_TENANT,
          decisionRequirementsId: d.decisionRequirementsId,
          decisionDefinitionKey: found?.key,
          decisionRequirementsKey: found?.requirementsKey,
        },
      });
    }
    for (const f of deployment.forms) {
      const found = all.forms.find((k) => k.row.key === f.key);
      deployments.push({
        ...EMPTY,
        form: {
          formId: f.formId,
          version: f.version,
          resourceName: f.resourceName,
          tenantId: DEFAULT_TENANT,
          formKey: found?.key,
        },
      });
    }
    res.json({ deploymentKey: deployment.id, tenantId: DEFAULT_TENANT, deployments });
  });
}

/**
 * Process definitions: `POST /v2/process-definitions/search` (also `isLatestVersion`),
 * `GET /v2/process-definitions/{key}` and `…/xml`; decision definitions: search, get and `…/xml`.
 */
import type { V2Context } from './context.js';
import { notFoundKey } from './keys.js';
import { DEFAULT_TENANT, search } from './search.js';
import { processDefinition } from './shapes.js';
import type { KeyedDecision } from './catalog.js';

const PROCESS_FIELDS = [
  'processDefinitionKey',
  'name',
  'resourceName',
  'version',
  'versionTag',
  'processDefinitionId',
  'tenantId',
  'hasStartForm',
  'state',
] as const;

const DECISION_FIELDS = [
  'decisionDefinitionId',
  'decisionDefinitionKey',
  'decisionRequirementsId',
  'decisionRequirementsKey',
  'decisionRequirementsName',
  'decisionRequirementsVersion',
  'name',
  'tenantId',
  'version',
] as const;

function decisionDefinition(d: KeyedDecision) {
  return {
    decisionDefinitionId: d.row.decisionId,
    decisionDefinitionKey: d.key,
    decisionRequirementsId: d.row.decisionRequirementsId,
    decisionRequirementsKey: d.requirementsKey,
    decisionRequirementsName: d.requirements?.name ?? d.row.decisionRequirementsId,
    decisionRequirementsVersion: d.requirements?.version ?? d.row.version,
    name: d.row.name ?? d.row.decisionId,
    tenantId: DEFAULT_TENANT,
    version: d.row.version,
  };
}

export function definitionRoutes({ router, engine, catalog }: V2Context): void {
  router.post('/process-definitions/search', { access: 'viewer', body: 'json' }, async (req, res) => {
    const { processes } = await catalog.fresh();
    const latest = new Set(processes.filter((p) => p.latest).map((p) => p.key));
    const items = processes.map(processDefinition);
    res.json(
      search(items, req.body, {
        fields: PROCESS_FIELDS,
        custom: { isLatestVersion: (item, c) => latest.has(item.processDefinitionKey) === (c === true) },
      }),
    );
  });

  router.get('/process-definitions/:key', 'viewer', async (req, res) => {
    res.json(processDefinition(await catalog.processByKey(req.params.key)));
  });

  router.get('/process-definitions/:key/xml', 'viewer', async (req, res) => {
    const def = await catalog.processByKey(req.params.key);
    const xml = await engine.getProcessXml(def.row.processId, def.row.version);
    if (xml === undefined) throw notFoundKey('Process definition', req.params.key);
    res.type('text/xml').send(xml);
  });

  const decision = async (key: string) => {
    const found = (await catalog.fresh()).decisions.find((d) => d.key === key);
    if (!found) throw notFoundKey('Decision definition', key);
    return found;
  };

  router.post('/decision-definitions/search', { access: 'viewer', body: 'json' }, async (req, res) => {
    const { decisions } = await catalog.fresh();
    res.json(search(decisions.map(decisionDefinition), req.body, { fields: DECISION_FIELDS }));
  });

  router.get('/decision-definitions/:key', 'viewer', async (req, res) => {
    res.json(decisionDefinition(await decision(req.params.key)));
  });

  router.get('/decision-definitions/:key/xml', 'viewer', async (req, res) => {
    const d = await decision(req.params.key);
    res.type('text/xml').send(await engine.resources.decisionXml(d.row.decisionId, d.row.version));
  });
}

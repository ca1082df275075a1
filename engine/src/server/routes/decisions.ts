/**
 * Routes for deployed decisions and forms (beyond the contract):
 * - `GET /api/decisions` → every version of every decision `[{decisionId, version, name, versionTag,
 *   decisionRequirementsId, key, deployedAt}]`
 * - `GET /api/decisions/:decisionId/xml[?version=N]` → the DMN XML it was deployed in (latest by default)
 * - `POST /api/decisions/:decisionId/evaluate` `{variables, version?}` → `{decisionId, version, key,
 *   result, evaluations}`; a failed evaluation is `400 DECISION_EVALUATION_FAILED`
 * - `GET /api/forms` → every version of every form `[{formId, version, versionTag, key, deployedAt}]`
 * - `GET /api/forms/:formId[?version=N]` → the form's schema (JSON, as deployed)
 * - `GET /api/user-tasks/:id/form` → `{schema, formId, version, key, embedded, variables}`
 * Reads need `viewer`, an evaluation `operator`.
 */
import type { EnginePort } from '../../runtime/engine-port.js';
import type { GuardedRouter } from '../guarded-router.js';
import { field, jsonBody, queryInt, variablesField } from '../validate.js';

/** The decision and form routes for `engine`, under the API router. */
export function decisionRoutes(router: GuardedRouter, engine: EnginePort): void {
  router.get('/decisions', 'viewer', async (_req, res) => {
    res.json(await engine.resources.listDecisions());
  });

  router.get('/decisions/:decisionId/xml', 'viewer', async (req, res) => {
    const xml = await engine.resources.decisionXml(req.params.decisionId, queryInt(req, 'version', 1));
    res.type('application/xml').send(xml);
  });

  router.post('/decisions/:decisionId/evaluate', { access: 'operator', body: 'json' }, async (req, res) => {
    const body = jsonBody(req);
    const variables = variablesField(body);
    const version = field(body, 'version', 'integer', { optional: true, min: 1 });
    res.json(
      await engine.resources.evaluateDecision(req.params.decisionId, {
        ...(variables ? { variables } : {}),
        ...(version !== undefined ? { version } : {}),
      }),
    );
  });

  router.get('/forms', 'viewer', async (_req, res) => {
    res.json(await engine.resources.listForms());
  });

  router.get('/forms/:formId', 'viewer', async (req, res) => {
    const schema = await engine.resources.formSchema(req.params.formId, queryInt(req, 'version', 1));
    res.type('application/json').send(schema);
  });

  router.get('/user-tasks/:id/form', 'viewer', async (req, res) => {
    res.json(await engine.resources.userTaskForm(req.params.id));
  });
}

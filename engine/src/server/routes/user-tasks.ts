/** Routes for user tasks: list open tasks, claim, unclaim, complete. */
import type { EnginePort } from '../../runtime/engine-port.js';
import type { GuardedRouter } from '../guarded-router.js';
import { field, invalidField, jsonBody, queryInt, queryLimit, queryString, variablesField } from '../validate.js';

/** User-task routes under `/api`: the list needs `viewer`, claim / unclaim / complete `operator`. */
export function userTaskRoutes(router: GuardedRouter, engine: EnginePort): void {
  const spec = { access: 'operator', body: 'json' } as const;

  router.get('/user-tasks', 'viewer', async (req, res) => {
    res.json(
      await engine.listUserTasks({
        instanceId: queryString(req, 'instanceId') || undefined,
        assignee: queryString(req, 'assignee') || undefined,
        candidateGroup: queryString(req, 'candidateGroup') || undefined,
        limit: queryLimit(req, 1) ?? 1000,
        offset: queryInt(req, 'offset', 0) ?? 0,
      }),
    );
  });

  router.post('/user-tasks/:id/claim', spec, async (req, res) => {
    const assignee = field(jsonBody(req), 'assignee', 'string');
    if (assignee === '') throw invalidField('assignee', 'must not be empty');
    res.json(await engine.claimUserTask(req.params.id, assignee));
  });

  router.post('/user-tasks/:id/unclaim', spec, async (req, res) => {
    res.json(await engine.unclaimUserTask(req.params.id));
  });

  router.post('/user-tasks/:id/complete', spec, async (req, res) => {
    const variables = variablesField(jsonBody(req));
    await engine.completeUserTask(req.params.id, variables);
    res.json({ id: req.params.id, completed: true });
  });
}

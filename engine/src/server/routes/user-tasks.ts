/** Routes for user tasks: list open tasks, claim, unclaim, complete. */
import { Router } from 'express';
import type { EnginePort } from '../../runtime/engine-port.js';
import { field, invalidField, jsonBody, queryInt, queryString, variablesField } from '../validate.js';

/** User-task routes, mounted under `/api` after the JSON body parser. */
export function userTaskRoutes(engine: EnginePort): Router {
  const router = Router();

  router.get('/user-tasks', (req, res) => {
    res.json(
      engine.listUserTasks({
        instanceId: queryString(req, 'instanceId') || undefined,
        assignee: queryString(req, 'assignee') || undefined,
        candidateGroup: queryString(req, 'candidateGroup') || undefined,
        limit: queryInt(req, 'limit', 1) ?? 1000,
        offset: queryInt(req, 'offset', 0) ?? 0,
      }),
    );
  });

  router.post('/user-tasks/:id/claim', async (req, res) => {
    const assignee = field(jsonBody(req), 'assignee', 'string');
    if (assignee === '') throw invalidField('assignee', 'must not be empty');
    res.json(await engine.claimUserTask(req.params.id, assignee));
  });

  router.post('/user-tasks/:id/unclaim', async (req, res) => {
    res.json(await engine.unclaimUserTask(req.params.id));
  });

  router.post('/user-tasks/:id/complete', async (req, res) => {
    const variables = variablesField(jsonBody(req));
    await engine.completeUserTask(req.params.id, variables);
    res.json({ id: req.params.id, completed: true });
  });

  return router;
}

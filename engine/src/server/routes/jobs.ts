/** Routes for external job workers: activate (with long poll), complete, fail, throw a BPMN error. */
import { Router } from 'express';
import type { EnginePort } from '../../runtime/engine-port.js';
import { field, invalidField, jsonBody } from '../validate.js';

/** Longest long poll the server holds a request open for (ms). */
const MAX_WAIT_MS = 60_000;

/** Job routes, mounted under `/api` after the JSON body parser. */
export function jobRoutes(engine: EnginePort): Router {
  const router = Router();

  router.post('/jobs/activate', async (req, res) => {
    const body = jsonBody(req);
    const type = field(body, 'type', 'string');
    if (type === '') throw invalidField('type', 'must not be empty');
    const waitMs = field(body, 'waitMs', 'integer', { optional: true, min: 0 });
    if (waitMs !== undefined && waitMs > MAX_WAIT_MS) throw invalidField('waitMs', `must be at most ${MAX_WAIT_MS}`);
    const jobs = await engine.activateJobs({
      type,
      worker: field(body, 'worker', 'string', { optional: true }),
      maxJobs: field(body, 'maxJobs', 'integer', { optional: true, min: 1 }),
      lockMs: field(body, 'lockMs', 'integer', { optional: true, min: 1 }),
      waitMs,
    });
    res.json({ jobs });
  });

  router.post('/jobs/:key/complete', async (req, res) => {
    const variables = field(jsonBody(req), 'variables', 'object', { optional: true });
    await engine.completeJob(req.params.key, variables);
    res.json({ key: req.params.key, completed: true });
  });

  router.post('/jobs/:key/fail', async (req, res) => {
    const body = jsonBody(req);
    await engine.failJob(req.params.key, {
      errorMessage: field(body, 'errorMessage', 'string', { optional: true }),
      retries: field(body, 'retries', 'integer', { optional: true, min: 0 }),
      retryBackoffMs: field(body, 'retryBackoffMs', 'integer', { optional: true, min: 0 }),
    });
    res.json({ key: req.params.key, failed: true });
  });

  router.post('/jobs/:key/error', async (req, res) => {
    const body = jsonBody(req);
    const errorCode = field(body, 'errorCode', 'string');
    if (errorCode === '') throw invalidField('errorCode', 'must not be empty');
    await engine.throwJobError(req.params.key, {
      errorCode,
      errorMessage: field(body, 'errorMessage', 'string', { optional: true }),
      variables: field(body, 'variables', 'object', { optional: true }),
    });
    res.json({ key: req.params.key, errorThrown: true });
  });

  return router;
}

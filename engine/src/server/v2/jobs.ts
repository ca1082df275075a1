/**
 * Jobs for Camunda's workers: `POST /v2/jobs/activation` holds the request until a job is there
 * (long polling: `requestTimeout` ms, 0 or absent the server default of {@link DEFAULT_POLL_MS}, a
 * negative one answers at once), then `/completion`, `/failure` (retries, `retryBackOff`),
 * `/error` (a BPMN error with variables), and `PATCH` (retries, timeout).
 */
import { EngineError } from '../../runtime/api-types.js';
import { longPoll, MAX_WAIT_MS } from '../routes/jobs.js';
import { field, invalidField, jsonBody, variablesField } from '../validate.js';
import type { V2Context } from './context.js';
import { decodeIdKey } from './keys.js';
import { checkTenant } from './search.js';
import { activatedJob } from './shapes.js';

/** How long an activation waits for a job when the request does not say (Camunda's gateway default). */
export const DEFAULT_POLL_MS = 10_000;
/** Most jobs one activation hands out. */
const MAX_JOBS = 1000;

export function jobRoutes({ router, engine, catalog, gate }: V2Context): void {
  const spec = { access: 'worker', body: 'json' } as const;

  router.post('/jobs/activation', spec, async (req, res) => {
    const body = jsonBody(req);
    const type = field(body, 'type', 'string');
    if (type === '') throw invalidField('type', 'must not be empty');
    const tenants = field(body, 'tenantIds', 'array', { optional: true }) ?? [];
    tenants.forEach((t, i) => checkTenant(t, `tenantIds[${i}]`));
    const worker = field(body, 'worker', 'string', { optional: true }) || 'default';
    const requested = field(body, 'requestTimeout', 'integer', { optional: true }) ?? 0;
    const waitMs = requested < 0 ? 0 : Math.min(requested === 0 ? DEFAULT_POLL_MS : requested, MAX_WAIT_MS);
    const timeout = field(body, 'timeout', 'integer', { optional: true, min: 1 });
    const maxJobs = field(body, 'maxJobsToActivate', 'integer', { optional: true, min: 1 }) ?? 32;
    const fetch = field(body, 'fetchVariable', 'array', { optional: true });
    let gone = false;
    res.on('close', () => (gone = true));
    const stop = () => gone || (gate?.draining ?? false);
    const request = { type, worker, maxJobs: Math.min(maxJobs, MAX_JOBS), ...(timeout ? { lockMs: timeout } : {}) };
    const jobs = await longPoll(engine, request, waitMs, stop);
    const answer = await Promise.all(jobs.map((j) => activatedJob(j, catalog, worker)));
    if (fetch && fetch.length > 0) {
      for (const a of answer)
        a.variables = Object.fromEntries(Object.entries(a.variables).filter(([k]) => fetch.includes(k)));
    }
    res.json({ jobs: answer });
  });

  router.post('/jobs/:key/completion', spec, async (req, res) => {
    const body = jsonBody(req);
    const variables = variablesField(body);
    if (body.result !== undefined && body.result !== null)
      throw new EngineError(
        400,
        'NOT_SUPPORTED',
        'Job results (task listeners, ad-hoc sub-processes) are not supported by Baton yet.',
      );
    await engine.completeJob(decodeIdKey(req.params.key, 'Job'), variables);
    res.status(204).end();
  });

  router.post('/jobs/:key/failure', spec, async (req, res) => {
    const body = jsonBody(req);
    const variables = variablesField(body);
    const key = decodeIdKey(req.params.key, 'Job');
    const retries = field(body, 'retries', 'integer', { optional: true, min: 0 }) ?? 0;
    const backoff = field(body, 'retryBackOff', 'integer', { optional: true, min: 0 });
    const errorMessage = field(body, 'errorMessage', 'string', { optional: true });
    await engine.failJob(key, {
      retries,
      ...(errorMessage !== undefined ? { errorMessage } : {}),
      ...(backoff ? { retryBackoffMs: backoff } : {}),
      ...(variables && Object.keys(variables).length ? { variables } : {}),
    });
    res.status(204).end();
  });

  router.post('/jobs/:key/error', spec, async (req, res) => {
    const body = jsonBody(req);
    const errorCode = field(body, 'errorCode', 'string');
    if (errorCode === '') throw invalidField('errorCode', 'must not be empty');
    const errorMessage = field(body, 'errorMessage', 'string', { optional: true });
    await engine.throwJobError(decodeIdKey(req.params.key, 'Job'), {
      errorCode,
      ...(errorMessage !== undefined ? { errorMessage } : {}),
      variables: variablesField(body),
    });
    res.status(204).end();
  });

  router.patch('/jobs/:key', spec, async (req, res) => {
    const body = jsonBody(req);
    const changeset = field(body, 'changeset', 'object');
    const retries = field(changeset, 'retries', 'integer', { optional: true, min: 0 });
    const timeout = field(changeset, 'timeout', 'integer', { optional: true, min: 0 });
    await engine.updateJob(decodeIdKey(req.params.key, 'Job'), {
      ...(retries !== undefined ? { retries } : {}),
      ...(timeout !== undefined ? { timeoutMs: timeout } : {}),
    });
    res.status(204).end();
  });
}

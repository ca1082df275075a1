/** Routes for external job workers: activate (with long poll), complete, fail, throw a BPMN error. */
import type { JobView } from '../../runtime/api-types.js';
import type { EnginePort } from '../../runtime/engine-port.js';
import type { GuardedRouter } from '../guarded-router.js';
import type { ShutdownGate } from '../shutdown.js';
import { field, invalidField, jsonBody, MAX_LIST_LIMIT, variablesField } from '../validate.js';
import type { JobResult, TaskCorrections } from '../../core/commands.js';

/** Longest long poll the server holds a request open for (ms). */
export const MAX_WAIT_MS = 60_000;
/**
 * A long poll asks the engine in slices of this length, so that it ends soon after the server
 * starts draining or the client goes away (and no job is locked for a caller that is gone).
 */
const POLL_SLICE_MS = 250;

type ActivateRequest = Parameters<EnginePort['activateJobs']>[0];

/** Job routes under `/api`, all for `worker`; `gate` ends long polls on shutdown. */
export function jobRoutes(router: GuardedRouter, engine: EnginePort, gate?: ShutdownGate): void {
  const spec = { access: 'worker', body: 'json' } as const;

  router.post('/jobs/activate', spec, async (req, res) => {
    const body = jsonBody(req);
    const type = field(body, 'type', 'string');
    if (type === '') throw invalidField('type', 'must not be empty');
    const waitMs = field(body, 'waitMs', 'integer', { optional: true, min: 0 });
    if (waitMs !== undefined && waitMs > MAX_WAIT_MS) throw invalidField('waitMs', `must be at most ${MAX_WAIT_MS}`);
    const request: ActivateRequest = {
      type,
      worker: field(body, 'worker', 'string', { optional: true }),
      maxJobs: field(body, 'maxJobs', 'integer', { optional: true, min: 1, max: MAX_LIST_LIMIT }),
      lockMs: field(body, 'lockMs', 'integer', { optional: true, min: 1 }),
    };
    let gone = false;
    res.on('close', () => {
      gone = true;
    });
    const stop = () => gone || (gate?.draining ?? false);
    const jobs = await longPoll(engine, request, waitMs ?? 0, stop);
    res.json({ jobs });
  });

  router.post('/jobs/:key/complete', spec, async (req, res) => {
    const body = jsonBody(req);
    const variables = variablesField(body);
    const result = jobResultField(body);
    await engine.completeJob(req.params.key, variables, field(body, 'worker', 'string', { optional: true }), result);
    res.json({ key: req.params.key, completed: true });
  });

  router.post('/jobs/:key/fail', spec, async (req, res) => {
    const body = jsonBody(req);
    await engine.failJob(req.params.key, {
      errorMessage: field(body, 'errorMessage', 'string', { optional: true }),
      retries: field(body, 'retries', 'integer', { optional: true, min: 0 }),
      retryBackoffMs: field(body, 'retryBackoffMs', 'integer', { optional: true, min: 0 }),
      worker: field(body, 'worker', 'string', { optional: true }),
    });
    res.json({ key: req.params.key, failed: true });
  });

  router.post('/jobs/:key/error', spec, async (req, res) => {
    const body = jsonBody(req);
    const errorCode = field(body, 'errorCode', 'string');
    if (errorCode === '') throw invalidField('errorCode', 'must not be empty');
    await engine.throwJobError(req.params.key, {
      errorCode,
      errorMessage: field(body, 'errorMessage', 'string', { optional: true }),
      variables: variablesField(body),
      worker: field(body, 'worker', 'string', { optional: true }),
    });
    res.json({ key: req.params.key, errorThrown: true });
  });
}

/** Activates jobs, asking again in slices until some are found, `waitMs` passed or `stop()` says so. */
export async function longPoll(
  engine: EnginePort,
  req: ActivateRequest,
  waitMs: number,
  stop: () => boolean,
): Promise<JobView[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const slice = Math.max(0, Math.min(POLL_SLICE_MS, deadline - Date.now()));
    const jobs = await engine.activateJobs({ ...req, waitMs: slice });
    if (jobs.length > 0 || Date.now() >= deadline || stop()) return jobs;
  }
}

/**
 * The optional `result` of a job completion (Camunda 8.8's job result for task listeners):
 * `{"denied", "deniedReason", "corrections": {"assignee", "candidateGroups", "candidateUsers",
 * "dueDate", "followUpDate", "priority"}}`; `type: "userTask"` may be given, as Camunda's API names it.
 */
function jobResultField(body: Record<string, unknown>): JobResult | undefined {
  const raw = field(body, 'result', 'object', { optional: true }) as Record<string, unknown> | undefined;
  if (!raw) return undefined;
  const type = field(raw, 'type', 'string', { optional: true });
  if (type !== undefined && type !== 'userTask')
    throw invalidField('result.type', 'must be "userTask" (the only job result Baton takes)');
  const denied = field(raw, 'denied', 'boolean', { optional: true });
  const deniedReason = field(raw, 'deniedReason', 'string', { optional: true });
  const c = field(raw, 'corrections', 'object', { optional: true }) as Record<string, unknown> | undefined;
  let corrections: TaskCorrections | undefined;
  if (c) {
    const strings = (name: string) => {
      const list = field(c, name, 'array', { optional: true });
      if (list && !list.every((x) => typeof x === 'string'))
        throw invalidField(`result.corrections.${name}`, 'must be a list of strings');
      return list as string[] | undefined;
    };
    // as on Camunda 8: null (or absent) keeps the value, "" clears it
    const text = (name: string) => field(c, name, 'string', { optional: true });
    const entries = {
      assignee: text('assignee'),
      candidateGroups: strings('candidateGroups'),
      candidateUsers: strings('candidateUsers'),
      dueDate: text('dueDate'),
      followUpDate: text('followUpDate'),
      priority: field(c, 'priority', 'integer', { optional: true, min: 0, max: 100 }),
    };
    corrections = Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as TaskCorrections;
  }
  return {
    ...(denied !== undefined ? { denied } : {}),
    ...(deniedReason !== undefined ? { deniedReason } : {}),
    ...(corrections ? { corrections } : {}),
  };
}

/**
 * Routes for process instances: start (with `Idempotency-Key`: the engine keeps the first answer in
 * the start's own transaction and replays it), list, read, history, operator actions.
 */
import type { Request } from 'express';
import type { Audit, InstanceStatus, InstanceView } from '../../runtime/api-types.js';
import type { EnginePort } from '../../runtime/engine-port.js';
import type { GuardedRouter } from '../guarded-router.js';
import { notFound } from '../http-errors.js';
import {
  auditOf,
  field,
  invalidField,
  jsonBody,
  queryEnum,
  queryInt,
  queryLimit,
  queryString,
  variablesBody,
  variablesField,
} from '../validate.js';

const STATUSES: readonly InstanceStatus[] = ['active', 'completed', 'cancelled', 'suspended'];

type OperatorAction = (id: string, audit?: Audit) => Promise<InstanceView>;

/** Instance routes under `/api`: reads need `viewer`, starts and operator actions `operator`. */
export function instanceRoutes(router: GuardedRouter, engine: EnginePort): void {
  router.post('/processes/:processId/instances', { access: 'operator', body: 'json' }, async (req, res) => {
    const { processId } = req.params;
    const body = jsonBody(req);
    const variables = variablesField(body);
    const businessKey = field(body, 'businessKey', 'string', { optional: true });
    const version = field(body, 'version', 'integer', { optional: true, min: 1 });
    const key = req.get('idempotency-key');
    const idempotencyKey = key ? `start-instance:${processId}:${key}` : undefined;
    res.status(201).json(await engine.startInstance({ processId, version, variables, businessKey, idempotencyKey }));
  });

  router.get('/instances', 'viewer', async (req, res) => {
    res.json(
      await engine.listInstances({
        processId: queryString(req, 'processId') || undefined,
        status: queryEnum(req, 'status', STATUSES),
        businessKey: queryString(req, 'businessKey') || undefined,
        limit: queryLimit(req, 0),
        offset: queryInt(req, 'offset', 0),
      }),
    );
  });

  router.get('/instances/:id', 'viewer', async (req, res) => {
    const instance = await engine.getInstance(req.params.id);
    if (!instance) throw notFound('INSTANCE_NOT_FOUND', 'Process instance', req.params.id);
    res.json(instance);
  });

  router.get('/instances/:id/history', 'viewer', async (req, res) => {
    const history = await engine.getHistory(req.params.id);
    if (!history) throw notFound('INSTANCE_NOT_FOUND', 'Process instance', req.params.id);
    res.json(history);
  });

  const operator = (action: string, run: OperatorAction) => {
    router.post(`/instances/:id/${action}`, { access: 'operator', body: 'json' }, async (req, res) => {
      const reason = field(jsonBody(req), 'reason', 'string', { optional: true });
      res.json(await run(req.params.id as string, auditOf(req, reason)));
    });
  };
  router.post('/instances/:id/ad-hoc-activities', { access: 'operator', body: 'json' }, async (req, res) => {
    const body = jsonBody(req);
    const adHocElementId = field(body, 'adHocElementId', 'string');
    const elementKey = field(body, 'elementKey', 'string', { optional: true });
    const list = field(body, 'elements', 'array');
    const reason = field(body, 'reason', 'string', { optional: true });
    if (list.length === 0) throw invalidField('elements', 'must name at least one element');
    const elements = list.map((item, i) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item))
        throw invalidField(`elements[${i}]`, 'must be an object with an elementId');
      const entry = item as Record<string, unknown>;
      const elementId = field(entry, 'elementId', 'string');
      const variables = variablesField(entry);
      return { elementId, ...(variables ? { variables } : {}) };
    });
    const request = { adHocElementId, ...(elementKey ? { elementKey } : {}), elements };
    res.json(await engine.activateAdHocElements(req.params.id as string, request, auditOf(req, reason)));
  });

  operator('cancel', (id, audit) => engine.cancelInstance(id, audit));
  operator('suspend', (id, audit) => engine.suspendInstance(id, audit));
  operator('resume', (id, audit) => engine.resumeInstance(id, audit));

  router.patch('/instances/:id/variables', { access: 'operator', body: 'json' }, async (req, res) => {
    const variables = variablesBody(req);
    res.json(await engine.setVariables(req.params.id, variables, auditOf(req, reasonOf(req))));
  });
}

/** The reason of a variable edit, whose body is the variables: `?reason=` or an `X-Baton-Reason` header. */
function reasonOf(req: Request): string | undefined {
  return queryString(req, 'reason') ?? req.get('x-baton-reason') ?? undefined;
}

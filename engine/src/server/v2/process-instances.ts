/**
 * Process instances: `POST /v2/process-instances` (by `processDefinitionId` and optional version,
 * or by `processDefinitionKey`; `awaitCompletion` waits up to `requestTimeout` and answers the
 * variables named in `fetchVariables`, or all), `GET /v2/process-instances/{key}`,
 * `POST /v2/process-instances/search`, `POST /v2/process-instances/{key}/cancellation`.
 */
import type { InstanceState } from '../../core/state.js';
import { EngineError } from '../../runtime/api-types.js';
import type { EnginePort } from '../../runtime/engine-port.js';
import { auditOf, field, jsonBody, variablesField } from '../validate.js';
import type { Catalog } from './catalog.js';
import type { V2Context } from './context.js';
import { decodeInstanceKey, instanceKey, notFoundKey } from './keys.js';
import { checkTenant, DEFAULT_TENANT, matcher, search } from './search.js';
import { processInstance, type ProcessInstanceResult } from './shapes.js';

/** How long `awaitCompletion` waits when the request names no `requestTimeout` (ms). */
export const DEFAULT_AWAIT_MS = 10_000;
/** Longest `awaitCompletion` wait (ms). */
const MAX_AWAIT_MS = 300_000;

const FIELDS = [
  'processInstanceKey',
  'processDefinitionId',
  'processDefinitionName',
  'processDefinitionVersion',
  'processDefinitionVersionTag',
  'processDefinitionKey',
  'parentProcessInstanceKey',
  'parentElementInstanceKey',
  'startDate',
  'endDate',
  'state',
  'hasIncident',
  'tenantId',
  'businessId',
] as const;

export function processInstanceRoutes({ router, engine, catalog }: V2Context): void {
  router.post('/process-instances', { access: 'operator', body: 'json' }, async (req, res) => {
    const body = jsonBody(req);
    checkTenant(body.tenantId);
    const variables = variablesField(body);
    const start = field(body, 'startInstructions', 'array', { optional: true });
    if (start && start.length > 0)
      throw new EngineError(400, 'NOT_SUPPORTED', 'startInstructions are not supported by Baton yet.');
    let processId: string;
    let version: number | undefined;
    const defKey = field(body, 'processDefinitionKey', 'string', { optional: true });
    if (defKey !== undefined) {
      const def = await catalog.processByKey(defKey);
      processId = def.row.processId;
      version = def.row.version;
    } else {
      processId = field(body, 'processDefinitionId', 'string');
      const v = field(body, 'processDefinitionVersion', 'integer', { optional: true });
      version = v === undefined || v === -1 ? undefined : v;
    }
    const businessKey = field(body, 'businessId', 'string', { optional: true });
    const started = await engine.startInstance({ processId, variables, ...(version ? { version } : {}), businessKey });
    const awaitCompletion = field(body, 'awaitCompletion', 'boolean', { optional: true }) ?? false;
    let result: Record<string, unknown> = {};
    if (awaitCompletion) {
      const timeout = field(body, 'requestTimeout', 'integer', { optional: true, min: 0 }) || DEFAULT_AWAIT_MS;
      const fetch = field(body, 'fetchVariables', 'array', { optional: true });
      result = pick(await awaitEnd(engine, started.id, Math.min(timeout, MAX_AWAIT_MS)), fetch);
    }
    res.json({
      processDefinitionId: started.processId,
      processDefinitionVersion: started.version,
      tenantId: DEFAULT_TENANT,
      variables: result,
      processDefinitionKey: await catalog.processKey(started.processId, started.version),
      processInstanceKey: instanceKey(started.id),
      tags: [],
      businessId: started.businessKey,
    });
  });

  router.get('/process-instances/:key', 'viewer', async (req, res) => {
    const id = decodeInstanceKey(req.params.key);
    const state = await engine.reads.instances.state(id);
    if (!state) throw notFoundKey('Process instance', req.params.key);
    res.json(await describe(catalog, state, await rootOf(engine, state)));
  });

  router.post('/process-instances/search', { access: 'viewer', body: 'json' }, async (req, res) => {
    const states = await allInstances(engine);
    const byId = new Map(states.map((s) => [s.id, s]));
    const items = await Promise.all(states.map((s) => describe(catalog, s, rootIn(byId, s))));
    const vars = new Map(states.map((s) => [instanceKey(s.id), s.vars['1'] ?? {}]));
    res.json(
      search(items, jsonBody(req), {
        fields: FIELDS,
        custom: { variables: (item, condition) => variablesMatch(vars.get(item.processInstanceKey) ?? {}, condition) },
      }),
    );
  });

  router.post('/process-instances/:key/cancellation', { access: 'operator', body: 'json' }, async (req, res) => {
    const id = decodeInstanceKey(req.params.key);
    if (!(await engine.reads.instances.row(id))) throw notFoundKey('Process instance', req.params.key);
    await engine.cancelInstance(id, auditOf(req, undefined));
    res.status(204).end();
  });
}

async function describe(catalog: Catalog, s: InstanceState, root: string | null): Promise<ProcessInstanceResult> {
  return processInstance(s, await catalog.process(s.processId, s.version), root);
}

/** Every instance, read page by page. */
export async function allInstances(engine: EnginePort): Promise<InstanceState[]> {
  const out: InstanceState[] = [];
  for (let offset = 0; ; offset += 1000) {
    const { rows, total } = await engine.reads.instances.list({ limit: 1000, offset });
    out.push(...rows);
    if (rows.length < 1000 || out.length >= total) return out;
  }
}

/** The key of the instance at the top of `s`'s call hierarchy. */
async function rootOf(engine: EnginePort, s: InstanceState): Promise<string> {
  let at = s;
  for (let depth = 0; at.parent && depth < 100; depth++) {
    const parent = await engine.reads.instances.state(at.parent.instanceId);
    if (!parent) break;
    at = parent;
  }
  return instanceKey(at.id);
}

function rootIn(byId: Map<string, InstanceState>, s: InstanceState): string {
  let at = s;
  for (let depth = 0; at.parent && depth < 100; depth++) at = byId.get(at.parent.instanceId) ?? at;
  return instanceKey(at.id);
}

/** Camunda's `variables` filter: `[{name, value}]`, each value a JSON text (or an operator object on it). */
function variablesMatch(vars: Record<string, unknown>, condition: unknown): boolean {
  if (!Array.isArray(condition))
    throw new EngineError(400, 'INVALID_REQUEST', "Field 'filter.variables' must be an array of {name, value}.");
  return condition.every((c: { name?: unknown; value?: unknown }) => {
    if (typeof c?.name !== 'string')
      throw new EngineError(400, 'INVALID_REQUEST', "Field 'filter.variables[].name' is required.");
    if (!(c.name in vars)) return false;
    return matcher('filter.variables[].value', c.value)(JSON.stringify(vars[c.name]));
  });
}

/** Waits until instance `id` ended; its root variables then. `504` when it had not ended in `ms`. */
async function awaitEnd(engine: EnginePort, id: string, ms: number): Promise<Record<string, unknown>> {
  const deadline = Date.now() + ms;
  for (let pause = 2; ; pause = Math.min(pause * 2, 100)) {
    const s = await engine.reads.instances.state(id);
    if (s && s.status !== 'active') return s.vars['1'] ?? {};
    if (Date.now() >= deadline)
      throw new EngineError(
        504,
        'DEADLINE_EXCEEDED',
        `Process instance ${instanceKey(id)} had not completed within ${ms} ms.`,
      );
    await new Promise((r) => setTimeout(r, Math.min(pause, Math.max(1, deadline - Date.now()))));
  }
}

function pick(vars: Record<string, unknown>, names: unknown[] | undefined): Record<string, unknown> {
  if (!names || names.length === 0) return vars;
  return Object.fromEntries(
    names.filter((n): n is string => typeof n === 'string' && n in vars).map((n) => [n, vars[n]]),
  );
}

/**
 * Variables: `POST /v2/variables/search` (every variable of every scope of every instance, its value
 * as JSON text), `GET /v2/variables/{key}`, and `PUT /v2/element-instances/{key}/variables` for the
 * process instance scope. A variable's key is made of its instance, its scope and its place among
 * the scope's variables (./keys.ts).
 */
import type { InstanceState } from '../../core/state.js';
import { EngineError } from '../../runtime/api-types.js';
import { auditOf, field, jsonBody } from '../validate.js';
import type { V2Context } from './context.js';
import { decodeKey, instanceKey, notFoundKey, pairKey, scopedKey, splitKey } from './keys.js';
import { allInstances } from './process-instances.js';
import { DEFAULT_TENANT, search } from './search.js';

const FIELDS = ['name', 'value', 'tenantId', 'variableKey', 'scopeKey', 'processInstanceKey', 'isTruncated'] as const;

/** Every variable of every scope of instance `s`, in Camunda's shape. */
export function variablesOf(s: InstanceState) {
  const out = [];
  for (const [scope, vars] of Object.entries(s.vars)) {
    const names = Object.keys(vars);
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      out.push({
        name,
        value: JSON.stringify(vars[name] ?? null),
        isTruncated: false,
        tenantId: DEFAULT_TENANT,
        variableKey: pairKey(s.id, `${scope.length}${scope}${i}`),
        scopeKey: scopedKey(s.id, scope),
        processInstanceKey: instanceKey(s.id),
        rootProcessInstanceKey: null,
      });
    }
  }
  return out;
}

export function variableRoutes({ router, engine }: V2Context): void {
  router.post('/variables/search', { access: 'viewer', body: 'json' }, async (req, res) => {
    const body = jsonBody(req);
    const filter = (body.filter ?? {}) as Record<string, unknown>;
    // the common search, one instance's variables, reads that instance only
    const only = typeof filter.processInstanceKey === 'string' ? splitKey(filter.processInstanceKey) : undefined;
    let states: InstanceState[];
    if (only && only.tail === undefined) {
      const s = await engine.reads.instances.state(only.head);
      states = s ? [s] : [];
    } else states = await allInstances(engine);
    res.json(search(states.flatMap(variablesOf), body, { fields: FIELDS }));
  });

  router.get('/variables/:key', 'viewer', async (req, res) => {
    const pair = splitKey(req.params.key);
    const s = pair?.tail ? await engine.reads.instances.state(pair.head) : undefined;
    const found = s ? variablesOf(s).find((v) => v.variableKey === req.params.key) : undefined;
    if (!found) throw notFoundKey('Variable', req.params.key);
    const { isTruncated: _, ...variable } = found;
    res.json(variable);
  });

  router.put('/element-instances/:key/variables', { access: 'operator', body: 'json' }, async (req, res) => {
    const body = jsonBody(req);
    const variables = field(body, 'variables', 'object');
    const { instanceId, local } = decodeKey(req.params.key, 'Element instance');
    const s = await engine.reads.instances.state(instanceId);
    if (!s || !(local in s.elements || local === '1')) throw notFoundKey('Element instance', req.params.key);
    if (local !== '1')
      throw new EngineError(
        400,
        'NOT_SUPPORTED',
        'Baton sets variables on the process instance scope only (use the process instance key).',
      );
    await engine.setVariables(instanceId, variables, auditOf(req, undefined));
    res.status(204).end();
  });
}

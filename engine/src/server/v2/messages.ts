/**
 * `POST /v2/messages/publication` (buffered for `timeToLive` ms, deduplicated by `messageId`),
 * `POST /v2/messages/correlation` (`404` when no subscription or start event took it) and
 * `POST /v2/signals/broadcast`. Baton keeps no record of a publication or broadcast that could be
 * read back, so their `messageKey` / `signalKey` only tell one answer from another.
 */
import { EngineError } from '../../runtime/api-types.js';
import { field, invalidField, jsonBody, variablesField } from '../validate.js';
import type { V2Context } from './context.js';
import { eventKey, instanceKey } from './keys.js';
import { checkTenant, DEFAULT_TENANT } from './search.js';

export function messageRoutes({ router, engine }: V2Context): void {
  const spec = { access: 'operator', body: 'json' } as const;

  router.post('/messages/publication', spec, async (req, res) => {
    const body = jsonBody(req);
    checkTenant(body.tenantId);
    const name = field(body, 'name', 'string');
    if (name === '') throw invalidField('name', 'must not be empty');
    const ttl = field(body, 'timeToLive', 'integer', { optional: true, min: 0 }) ?? 0;
    const messageId = field(body, 'messageId', 'string', { optional: true });
    await engine.publishMessage({
      name,
      correlationKey: field(body, 'correlationKey', 'string', { optional: true }) ?? '',
      variables: variablesField(body) ?? {},
      ...(ttl > 0 ? { timeToLive: `PT${(ttl / 1000).toFixed(3)}S` } : {}),
      ...(messageId ? { messageId } : {}),
    });
    res.json({ tenantId: DEFAULT_TENANT, messageKey: eventKey() });
  });

  router.post('/messages/correlation', spec, async (req, res) => {
    const body = jsonBody(req);
    checkTenant(body.tenantId);
    const name = field(body, 'name', 'string');
    if (name === '') throw invalidField('name', 'must not be empty');
    const correlationKey = field(body, 'correlationKey', 'string', { optional: true }) ?? '';
    const { correlated, started } = await engine.publishMessage({
      name,
      correlationKey,
      variables: variablesField(body) ?? {},
    });
    const target = correlated[0] ?? started[0];
    if (target === undefined)
      throw new EngineError(
        404,
        'NOT_FOUND',
        `Expected a subscription or start event for message '${name}' with correlation key '${correlationKey}', but none took it.`,
      );
    res.json({ tenantId: DEFAULT_TENANT, messageKey: eventKey(), processInstanceKey: instanceKey(target) });
  });

  router.post('/signals/broadcast', spec, async (req, res) => {
    const body = jsonBody(req);
    checkTenant(body.tenantId);
    const signalName = field(body, 'signalName', 'string');
    if (signalName === '') throw invalidField('signalName', 'must not be empty');
    await engine.broadcastSignal({ name: signalName, variables: variablesField(body) ?? {} });
    res.json({ tenantId: DEFAULT_TENANT, signalKey: eventKey() });
  });
}

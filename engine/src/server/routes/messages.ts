/** Routes for outside events: `POST /messages`, `POST /signals` and `POST /conditions/evaluate` (conditional start events). */
import type { EnginePort } from '../../runtime/engine-port.js';
import type { GuardedRouter } from '../guarded-router.js';
import { field, invalidField, jsonBody, variablesField } from '../validate.js';

/** Message, signal and condition routes under `/api`, all for `operator`. */
export function messageRoutes(router: GuardedRouter, engine: EnginePort): void {
  const spec = { access: 'operator', body: 'json' } as const;

  router.post('/messages', spec, async (req, res) => {
    const body = jsonBody(req);
    const name = field(body, 'name', 'string');
    if (name === '') throw invalidField('name', 'must not be empty');
    res.json(
      await engine.publishMessage({
        name,
        correlationKey: correlationKeyOf(body),
        variables: variablesField(body),
        timeToLive: field(body, 'timeToLive', 'string', { optional: true }),
        messageId: field(body, 'messageId', 'string', { optional: true }),
      }),
    );
  });

  router.post('/signals', spec, async (req, res) => {
    const body = jsonBody(req);
    const name = field(body, 'name', 'string');
    if (name === '') throw invalidField('name', 'must not be empty');
    const variables = variablesField(body);
    res.json(await engine.broadcastSignal({ name, variables }));
  });

  router.post('/conditions/evaluate', spec, async (req, res) => {
    const body = jsonBody(req);
    const variables = variablesField(body);
    const processId = field(body, 'processId', 'string', { optional: true });
    res.json(await engine.evaluateConditions({ variables, processId }));
  });
}

/** Correlation keys are strings; a number (an order number, say) is accepted and compared as its text. */
function correlationKeyOf(body: Record<string, unknown>): string | undefined {
  const value = body.correlationKey;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return field(body, 'correlationKey', 'string', { optional: true });
}

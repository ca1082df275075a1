/**
 * Routes for batch operations (issue 15): start one on the instances a filter selects (operator),
 * follow its progress and its result per instance (viewer), cancel it (operator).
 *
 * - `POST /api/batch-operations` `{type: cancel|retry|migrate|modify, filter, retries?, migration?, modification?, reason?}` → `201` the operation
 * - `GET /api/batch-operations[?limit=&offset=]` → `{items, total}`, newest first
 * - `GET /api/batch-operations/:id` → the operation with its counts per item state
 * - `GET /api/batch-operations/:id/items[?state=&limit=&offset=]` → the result per instance
 * - `POST /api/batch-operations/:id/cancel` `{reason?}` → the operation; pending items will not run
 */
import type { BatchItemState, BatchKind } from '../../storage/operations-port.js';
import type { EnginePort } from '../../runtime/engine-port.js';
import type { BatchRequest } from '../../runtime/operations-types.js';
import type { GuardedRouter } from '../guarded-router.js';
import { notFound } from '../http-errors.js';
import { auditOf, field, invalidField, jsonBody, queryEnum, queryInt, queryLimit } from '../validate.js';
import { batchFilterOf, mappingOf, modificationOf } from '../validate-operations.js';

const KINDS: readonly BatchKind[] = ['cancel', 'retry', 'migrate', 'modify'];
const ITEM_STATES: readonly BatchItemState[] = ['pending', 'done', 'failed', 'skipped'];

/** The batch operation routes under `/api`. */
export function batchRoutes(router: GuardedRouter, engine: EnginePort): void {
  const ops = () => engine.operations;

  router.post('/batch-operations', { access: 'operator', body: 'json' }, async (req, res) => {
    const body = jsonBody(req);
    const type = field(body, 'type', 'string') as BatchKind;
    if (!KINDS.includes(type)) throw invalidField('type', `must be one of ${KINDS.join(', ')}`);
    const request: BatchRequest = { type, filter: batchFilterOf(body) };
    const retries = field(body, 'retries', 'integer', { optional: true, min: 1 });
    if (retries !== undefined) request.retries = retries;
    const migration = field(body, 'migration', 'object', { optional: true });
    if (migration) {
      const mappingInstructions = mappingOf(migration, 'migration.');
      request.migration = {
        targetVersion: field(migration, 'targetVersion', 'integer', { min: 1 }),
        ...(mappingInstructions ? { mappingInstructions } : {}),
      };
    }
    const modification = field(body, 'modification', 'object', { optional: true });
    if (modification) request.modification = modificationOf(modification, 'modification.');
    const reason = field(body, 'reason', 'string', { optional: true });
    res.status(201).json(await ops().createBatch(request, auditOf(req, reason)));
  });

  router.get('/batch-operations', 'viewer', async (req, res) => {
    res.json(await ops().listBatches(queryLimit(req, 1) ?? 50, queryInt(req, 'offset', 0) ?? 0));
  });

  router.get('/batch-operations/:id', 'viewer', async (req, res) => {
    const batch = await ops().getBatch(req.params.id);
    if (!batch) throw notFound('BATCH_NOT_FOUND', 'Batch operation', req.params.id);
    res.json(batch);
  });

  router.get('/batch-operations/:id/items', 'viewer', async (req, res) => {
    const state = queryEnum(req, 'state', ITEM_STATES);
    const items = await ops().batchItems(
      req.params.id,
      state,
      queryLimit(req, 1) ?? 100,
      queryInt(req, 'offset', 0) ?? 0,
    );
    if (!items) throw notFound('BATCH_NOT_FOUND', 'Batch operation', req.params.id);
    res.json(items);
  });

  router.post('/batch-operations/:id/cancel', { access: 'operator', body: 'json' }, async (req, res) => {
    const reason = field(jsonBody(req), 'reason', 'string', { optional: true });
    res.json(await ops().cancelBatch(req.params.id, auditOf(req, reason)));
  });
}

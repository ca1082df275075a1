/**
 * What the OpenAPI document of `/api` (./openapi.ts) says about each route beyond what the routers
 * themselves tell (method, path, path parameters, role): a summary, the query parameters and the
 * JSON request body. Bodies list the fields the route's validators (./validate.ts `field`) read;
 * test/server/openapi.test.ts sends each field with the wrong type and each required field left out
 * and expects the validator to name it, so this table and the validators cannot drift apart.
 */

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it). */
export type Schema = Record<string, unknown>;

export interface OperationInfo {
  summary: string;
  /** Query parameters and their schemas. */
  query?: Record<string, Schema>;
  /** A JSON body: its fields and which are required. */
  body?: { properties: Record<string, Schema>; required?: string[] };
  /** A body that is not JSON (media type → schema). */
  rawBody?: Record<string, Schema>;
}

const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const obj: Schema = { type: 'object' };
const arr: Schema = { type: 'array', items: { type: 'object' } };
const vars: Schema = { type: 'object', description: 'variables by name' };
const reason = { reason: str };
const page = { limit: { type: 'integer', minimum: 1 }, offset: { type: 'integer', minimum: 0 } };
const status: Schema = { type: 'string', enum: ['active', 'completed', 'cancelled', 'suspended'] };

/** Every `/api` route, keyed `METHOD /path` as the routers register it (under `/api`). */
export const OPERATIONS: Record<string, OperationInfo> = {
  'GET /health': { summary: 'Liveness, this node and its database' },
  'GET /openapi.json': { summary: 'This OpenAPI document' },
  'POST /deployments': {
    summary: 'Deploy BPMN, DMN and form resources (one XML document, multipart files or JSON)',
    query: { reason: str },
    rawBody: {
      'application/xml': str,
      'multipart/form-data': obj,
      'application/json': {
        type: 'object',
        properties: { resources: { type: 'array', items: { type: 'object' } } },
        required: ['resources'],
      },
    },
  },
  'GET /processes': { summary: 'Every version of every deployed process' },
  'GET /processes/:processId/xml': { summary: "A process's BPMN XML", query: { version: int } },
  'GET /decisions': { summary: 'Every version of every deployed decision' },
  'GET /decisions/:decisionId/xml': { summary: "A decision's DMN XML", query: { version: int } },
  'POST /decisions/:decisionId/evaluate': {
    summary: 'Evaluate a decision standalone',
    body: { properties: { variables: vars, version: int } },
  },
  'GET /forms': { summary: 'Every version of every deployed form' },
  'GET /forms/:formId': { summary: "A form's schema", query: { version: int } },
  'GET /user-tasks/:id/form': { summary: "A user task's form with the variables to prefill it" },
  'POST /processes/:processId/instances': {
    summary: 'Start an instance (header Idempotency-Key makes retries safe)',
    body: { properties: { variables: vars, businessKey: str, version: int } },
  },
  'GET /instances': {
    summary: 'List instances',
    query: { processId: str, status, businessKey: str, ...page },
  },
  'GET /instances/:id': { summary: 'One instance with its variables, active elements and incidents' },
  'GET /instances/:id/history': { summary: 'What happened in an instance, in order' },
  'POST /instances/:id/cancel': { summary: 'Cancel an instance', body: { properties: reason } },
  'POST /instances/:id/suspend': { summary: 'Suspend an instance', body: { properties: reason } },
  'POST /instances/:id/resume': { summary: 'Resume a suspended instance', body: { properties: reason } },
  'PATCH /instances/:id/variables': {
    summary: 'Merge variables into the root scope (the body is the variables)',
    query: { reason: str },
    rawBody: { 'application/json': vars },
  },
  'POST /messages': {
    summary: 'Publish a message',
    body: {
      properties: {
        name: str,
        correlationKey: { type: ['string', 'number'], description: 'a number is taken as its decimal text' },
        variables: vars,
        timeToLive: str,
        messageId: str,
      },
      required: ['name'],
    },
  },
  'POST /signals': {
    summary: 'Broadcast a signal',
    body: { properties: { name: str, variables: vars }, required: ['name'] },
  },
  'POST /conditions/evaluate': {
    summary: 'Start instances whose conditional start events hold',
    body: { properties: { variables: vars, processId: str } },
  },
  'GET /user-tasks': {
    summary: 'Open user tasks',
    query: { instanceId: str, assignee: str, candidateGroup: str, ...page },
  },
  'POST /user-tasks/:id/claim': {
    summary: 'Claim a user task',
    body: { properties: { assignee: str }, required: ['assignee'] },
  },
  'POST /user-tasks/:id/unclaim': { summary: 'Unclaim a user task' },
  'POST /user-tasks/:id/complete': { summary: 'Complete a user task', body: { properties: { variables: vars } } },
  'POST /jobs/activate': {
    summary: 'Activate jobs of a type (long poll with waitMs)',
    body: {
      properties: { type: str, worker: str, maxJobs: int, lockMs: int, waitMs: int },
      required: ['type'],
    },
  },
  'POST /jobs/:key/complete': { summary: 'Complete a job', body: { properties: { variables: vars, worker: str } } },
  'POST /jobs/:key/fail': {
    summary: 'Fail a job',
    body: { properties: { errorMessage: str, retries: int, retryBackoffMs: int, worker: str } },
  },
  'POST /jobs/:key/error': {
    summary: 'Throw a BPMN error from a job',
    body: {
      properties: { errorCode: str, errorMessage: str, variables: vars, worker: str },
      required: ['errorCode'],
    },
  },
  'GET /incidents': { summary: 'Open incidents', query: { instanceId: str } },
  'POST /incidents/:id/retry': {
    summary: 'Resolve an incident and retry',
    body: { properties: { retries: int, ...reason } },
  },
  'GET /console/definitions': { summary: 'Definitions with instance counts' },
  'GET /console/instances': {
    summary: 'The instance list of the console',
    query: { processId: str, version: int, status, businessKey: str, withIncidents: str, ...page },
  },
  'GET /console/instances/:id/waits': { summary: 'What an instance waits for' },
  'GET /console/instances/:id/decisions': { summary: 'Decisions evaluated in an instance' },
  'GET /console/heatmap/:processId/:version': { summary: 'Per-element counts of one version' },
  'GET /console/dashboard': { summary: 'In-flight, stalled and failing figures' },
  'GET /instances/:id/element-instances': { summary: "An instance's element instances" },
  'POST /instances/:id/modification': {
    summary: 'Modify an instance (activate, terminate, move, set variables)',
    body: { properties: { activate: arr, terminate: arr, move: arr, ...reason } },
  },
  'POST /instances/:id/ad-hoc-activities': {
    summary: 'Start inner elements of an active ad-hoc sub-process',
    body: {
      properties: { adHocElementId: str, elementKey: str, elements: arr, ...reason },
      required: ['adHocElementId', 'elements'],
    },
  },
  'POST /test/clock': {
    summary: 'Read, advance or set the test clock (only with `baton serve --test-clock`)',
    body: { properties: { advance: str, set: str } },
  },
  'POST /instances/:id/migration': {
    summary: 'Migrate an instance to another version',
    body: {
      properties: { targetVersion: int, mappingInstructions: arr, dryRun: bool, ...reason },
      required: ['targetVersion'],
    },
  },
  'GET /audit': { summary: 'The audit log of operator actions', query: { from: str, to: str, ...page } },
  'POST /batch-operations': {
    summary: 'Start a batch operation',
    body: {
      properties: {
        type: { type: 'string', enum: ['cancel', 'retry', 'migrate', 'modify'] },
        filter: obj,
        retries: int,
        migration: obj,
        modification: obj,
        ...reason,
      },
      required: ['type', 'filter'],
    },
  },
  'GET /batch-operations': { summary: 'Batch operations', query: page },
  'GET /batch-operations/:id': { summary: 'One batch operation' },
  'GET /batch-operations/:id/items': { summary: 'The items of a batch operation', query: { state: str, ...page } },
  'POST /batch-operations/:id/cancel': { summary: 'Cancel a batch operation', body: { properties: reason } },
};

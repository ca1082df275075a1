/**
 * The OpenAPI 3.1 document of Baton's own API, served at `GET /api/openapi.json`. Its paths,
 * methods, path parameters and required roles are read from the routers of the running app
 * (./route-table.ts), so no route can be missing or described with another role; summaries, query
 * parameters and request bodies come from ./openapi-operations.ts, which a test holds against the
 * validators. A route without an entry there is described as undocumented (and the test fails).
 */
import type { Express } from 'express';
import { OPERATIONS, type OperationInfo, type Schema } from './openapi-operations.js';
import { listRoutes } from './route-table.js';

const ERROR: Schema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'array' } },
    },
  },
};

/** The document for `app`'s routes under `/api`, titled with Baton's `version`. */
export function openApiDocument(app: Express, version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of listRoutes(app)) {
    if (!route.path.startsWith('/api/')) continue;
    const local = route.path.slice('/api'.length);
    const info = OPERATIONS[`${route.method} ${local}`];
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const parameters = [
      ...[...route.path.matchAll(/:(\w+)/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      })),
      ...Object.entries(info?.query ?? {}).map(([name, schema]) => ({ name, in: 'query', required: false, schema })),
    ];
    (paths[path] ??= {})[route.method.toLowerCase()] = {
      operationId: `${route.method.toLowerCase()}${local.replace(/[^A-Za-z0-9]+(\w)?/g, (_m, c?: string) => (c ?? '').toUpperCase())}`,
      summary: info?.summary ?? 'Undocumented',
      'x-baton-role': route.access,
      ...(route.access === 'public' ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...requestBody(info),
      responses: {
        '2XX': { description: 'Success' },
        '4XX': { description: 'Refused', content: { 'application/json': { schema: ERROR } } },
        '5XX': {
          description: 'Failure of the engine or its database',
          content: { 'application/json': { schema: ERROR } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Baton REST API', version, description: "Baton's own API; see docs and shared/contract/API.md." },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}

function requestBody(info: OperationInfo | undefined): Record<string, unknown> {
  if (info?.rawBody) {
    const content = Object.fromEntries(Object.entries(info.rawBody).map(([type, schema]) => [type, { schema }]));
    return { requestBody: { required: true, content } };
  }
  if (!info?.body) return {};
  const schema = {
    type: 'object',
    properties: info.body.properties,
    ...(info.body.required ? { required: info.body.required } : {}),
  };
  return { requestBody: { required: Boolean(info.body.required), content: { 'application/json': { schema } } } };
}

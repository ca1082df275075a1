/**
 * `GET /api/openapi.json` (issue 13, "What to build" 5): a valid OpenAPI 3.1 document whose
 * operations are exactly the routes of `/api` with their roles, and whose request bodies agree with
 * the validators of the routes: each described field sent with the wrong type, and each required
 * field left out, is refused with `400` naming that field.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS, type Schema } from '../../engine/src/server/openapi-operations.js';
import { listRoutes } from '../../engine/src/server/route-table.js';
import { startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
let doc: any;
beforeAll(async () => {
  t = await startTestServer();
  const answer = await t.call('GET', '/api/openapi.json');
  expect(answer.status).toBe(200);
  doc = answer.body;
});
afterAll(async () => {
  await t.close();
});

const GOOD: Record<string, unknown> = { string: 'x', integer: 1, boolean: true, object: {}, array: [] };
const BAD: Record<string, unknown> = { string: 5, integer: 'x', boolean: 'x', object: 'x', array: 'x' };
/** A value the validator takes for `schema`: its first allowed value, or one of its type. */
const good = (schema: Schema) => (Array.isArray(schema.enum) ? schema.enum[0] : GOOD[schema.type as string]);

describe('/api/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes exactly the routes of /api, with the role each needs', () => {
    const routes = listRoutes(t.server.app).filter((r) => r.path.startsWith('/api/'));
    const described = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => `${method.toUpperCase()} ${path} ${op['x-baton-role']}`),
    );
    expect(described.sort()).toEqual(
      routes.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')} ${r.access}`).sort(),
    );
    const local = routes.map((r) => `${r.method} ${r.path.slice('/api'.length)}`).sort();
    expect(Object.keys(OPERATIONS).sort()).toEqual(local);
  });

  it('has request bodies that the validators of the routes agree with', async () => {
    for (const [key, info] of Object.entries(OPERATIONS)) {
      if (!info.body) continue;
      const [method, path] = key.split(' ') as [string, string];
      const url = `/api${path.replace(/:(\w+)/g, 'no-such-$1')}`;
      const props = info.body.properties;
      const required = info.body.required ?? [];
      const base = Object.fromEntries(required.map((name) => [name, good(props[name] as Schema)]));
      const refused = async (body: Record<string, unknown>, field: string) => {
        const answer = await t.call(method, url, { json: body });
        const what = `${key} ${JSON.stringify(body)} → ${answer.status} ${answer.text.slice(0, 200)}`;
        expect(answer.status, what).toBe(400);
        expect(answer.body.error.details?.[0]?.field ?? answer.body.error.message, what).toContain(field);
      };
      for (const name of required) {
        const { [name]: _left, ...rest } = base;
        await refused(rest, name);
      }
      for (const [name, schema] of Object.entries(props)) {
        const type = (schema as Schema).type as string;
        if (type in BAD) await refused({ ...base, [name]: BAD[type] }, name);
      }
    }
  });
});

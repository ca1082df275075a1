/**
 * Deny by default (issue 9, "What to build" 1): the routes the server really has — read from its
 * express routers — match a declared table of roles, every route × method × role is answered as
 * that table says over real HTTP, docs/security.md lists the same table, a route without an access
 * rule stops an app from being built, and a new router (a future `/v2`) is guarded by construction.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAuthConfig, ROLES } from '../../engine/src/server/auth.js';
import { errorHandler } from '../../engine/src/server/http-errors.js';
import { GuardedRouter, type Access } from '../../engine/src/server/guarded-router.js';
import {
  assertEveryRouteGuarded,
  listRoutes,
  routeTableMarkdown,
  UnguardedRouteError,
} from '../../engine/src/server/route-table.js';
import { createLogger } from '../../engine/src/runtime/logger.js';
import { rawRequest } from './helpers.js';
import { AUTH_FILE, startAuthServer, TOKENS, type AuthServer, type Caller } from './tokens.js';

/** Who may call what: the declared table the routes of the server must match exactly. */
const DECLARED: Record<string, Access> = {
  'GET /api/health': 'public',
  'POST /api/deployments': 'modeler',
  'GET /api/processes': 'viewer',
  'GET /api/processes/:processId/xml': 'viewer',
  'GET /api/decisions': 'viewer',
  'GET /api/decisions/:decisionId/xml': 'viewer',
  'POST /api/decisions/:decisionId/evaluate': 'operator',
  'GET /api/forms': 'viewer',
  'GET /api/forms/:formId': 'viewer',
  'GET /api/user-tasks/:id/form': 'viewer',
  'POST /api/processes/:processId/instances': 'operator',
  'GET /api/instances': 'viewer',
  'GET /api/instances/:id': 'viewer',
  'GET /api/instances/:id/history': 'viewer',
  'POST /api/instances/:id/ad-hoc-activities': 'operator',
  'POST /api/instances/:id/cancel': 'operator',
  'POST /api/instances/:id/suspend': 'operator',
  'POST /api/instances/:id/resume': 'operator',
  'PATCH /api/instances/:id/variables': 'operator',
  'POST /api/messages': 'operator',
  'POST /api/signals': 'operator',
  'POST /api/conditions/evaluate': 'operator',
  'GET /api/user-tasks': 'viewer',
  'POST /api/user-tasks/:id/claim': 'operator',
  'POST /api/user-tasks/:id/unclaim': 'operator',
  'POST /api/user-tasks/:id/complete': 'operator',
  'POST /api/jobs/activate': 'worker',
  'POST /api/jobs/:key/complete': 'worker',
  'POST /api/jobs/:key/fail': 'worker',
  'POST /api/jobs/:key/error': 'worker',
  'GET /api/incidents': 'viewer',
  'POST /api/incidents/:id/retry': 'operator',
  'GET /api/console/definitions': 'viewer',
  'GET /api/console/instances': 'viewer',
  'GET /api/console/instances/:id/waits': 'viewer',
  'GET /api/console/instances/:id/decisions': 'viewer',
  'GET /api/console/heatmap/:processId/:version': 'viewer',
  'GET /api/console/dashboard': 'viewer',
  'GET /api/instances/:id/element-instances': 'viewer',
  'POST /api/instances/:id/modification': 'operator',
  'POST /api/instances/:id/migration': 'operator',
  'GET /api/audit': 'viewer',
  'POST /api/batch-operations': 'operator',
  'GET /api/batch-operations': 'viewer',
  'GET /api/batch-operations/:id': 'viewer',
  'GET /api/batch-operations/:id/items': 'viewer',
  'POST /api/batch-operations/:id/cancel': 'operator',
  'POST /api/test/clock': 'operator',
  'GET /api/openapi.json': 'viewer',
  'GET /v2/topology': 'viewer',
  'GET /v2/license': 'viewer',
  'GET /v2/status': 'public',
  'POST /v2/deployments': 'modeler',
  'POST /v2/process-instances': 'operator',
  'GET /v2/process-instances/:key': 'viewer',
  'POST /v2/process-instances/search': 'viewer',
  'POST /v2/process-instances/:key/cancellation': 'operator',
  'POST /v2/jobs/activation': 'worker',
  'POST /v2/jobs/:key/completion': 'worker',
  'POST /v2/jobs/:key/failure': 'worker',
  'POST /v2/jobs/:key/error': 'worker',
  'PATCH /v2/jobs/:key': 'worker',
  'POST /v2/messages/publication': 'operator',
  'POST /v2/messages/correlation': 'operator',
  'POST /v2/signals/broadcast': 'operator',
  'POST /v2/user-tasks/search': 'viewer',
  'POST /v2/user-tasks/:key/variables/search': 'viewer',
  'GET /v2/user-tasks/:key/form': 'viewer',
  'GET /v2/user-tasks/:key': 'viewer',
  'POST /v2/user-tasks/:key/assignment': 'operator',
  'DELETE /v2/user-tasks/:key/assignee': 'operator',
  'POST /v2/user-tasks/:key/completion': 'operator',
  'POST /v2/incidents/search': 'viewer',
  'POST /v2/process-instances/:key/incidents/search': 'viewer',
  'GET /v2/incidents/:key': 'viewer',
  'POST /v2/incidents/:key/resolution': 'operator',
  'POST /v2/variables/search': 'viewer',
  'GET /v2/variables/:key': 'viewer',
  'PUT /v2/element-instances/:key/variables': 'operator',
  'POST /v2/process-definitions/search': 'viewer',
  'GET /v2/process-definitions/:key': 'viewer',
  'GET /v2/process-definitions/:key/xml': 'viewer',
  'POST /v2/decision-definitions/search': 'viewer',
  'GET /v2/decision-definitions/:key': 'viewer',
  'GET /v2/decision-definitions/:key/xml': 'viewer',
  'POST /v2/decision-definitions/evaluation': 'operator',
  'POST /oauth/token': 'public',
  'GET /metrics': 'viewer',
  'GET /': 'public',
};

/** The error code and details of an answer: Baton's `{error}` under `/api`, problem+json under `/v2`. */
function errorOf(path: string, body: any): { code: string; details: unknown } {
  if (path.startsWith('/v2/')) return { code: body.code, details: body.details };
  return { code: body.error.code, details: body.error.details };
}

/** Values for path parameters: ids that exist nowhere, so an allowed call changes nothing. */
const PARAMS: Record<string, string> = {
  id: 'no-such-id',
  processId: 'no_such_process',
  decisionId: 'no_such_decision',
  formId: 'no_such_form',
  version: '1',
  key: '999999',
};

describe('the roles of the registered routes', () => {
  let t: AuthServer;
  beforeAll(async () => {
    t = await startAuthServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('are exactly the declared table, read from the express routers', () => {
    const routes = listRoutes(t.server.app);
    expect(Object.fromEntries(routes.map((r) => [`${r.method} ${r.path}`, r.access]))).toEqual(DECLARED);
    expect(routes).toHaveLength(Object.keys(DECLARED).length);
  });

  it('are the table of docs/security.md', () => {
    const doc = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
    const table = /<!-- route-table:begin -->\n([\s\S]*?)\n<!-- route-table:end -->/.exec(doc)?.[1];
    const expected = routeTableMarkdown(listRoutes(t.server.app));
    expect(table, `docs/security.md must hold, between its route-table markers:\n${expected}`).toBe(expected);
  });

  it('are enforced for every route × method × role over HTTP', async () => {
    const callers: Caller[] = [...ROLES, null];
    for (const route of listRoutes(t.server.app)) {
      const path = route.path.replace(/:(\w+)/g, (_m, name: string) => PARAMS[name] ?? 'x');
      const methods = route.method === 'GET' ? ['GET', 'HEAD'] : [route.method];
      for (const method of methods) {
        for (const who of callers) {
          // when the caller sends it (an empty JSON object as the body of a write)
          const body = method === 'GET' || method === 'HEAD' ? undefined : '{}';
          const answer = await t.as(who, method, path, { body, headers: { 'content-type': 'application/json' } });
          // then it is let through exactly when the declared access allows it
          const what = `${who ?? 'no token'}: ${method} ${path} → ${answer.status} ${answer.text.slice(0, 120)}`;
          const allowed = route.access === 'public' || route.access === who;
          if (allowed) expect([401, 403], what).not.toContain(answer.status);
          else if (who === null) expect(answer.status, what).toBe(401);
          else expect(answer.status, what).toBe(403);
          if (!allowed && method !== 'HEAD')
            expect(errorOf(path, answer.body).code, what).toMatch(/^(UNAUTHENTICATED|FORBIDDEN)$/);
          if (who !== null && !allowed && method !== 'HEAD')
            expect(errorOf(path, answer.body).details, what).toEqual([{ requiredRole: route.access }]);
          expect(answer.status, what).toBeLessThan(500);
        }
      }
    }
  });

  it('let a token with every role through everywhere', async () => {
    for (const route of listRoutes(t.server.app)) {
      const path = route.path.replace(/:(\w+)/g, (_m, name: string) => PARAMS[name] ?? 'x');
      const body = route.method === 'GET' ? undefined : '{}';
      const answer = await t.as('all', route.method, path, { body, headers: { 'content-type': 'application/json' } });
      expect([401, 403], `${route.method} ${path}`).not.toContain(answer.status);
    }
  });
});

describe('a router added later (such as /v2)', () => {
  const handler = (_req: unknown, res: express.Response) => {
    res.json({ ok: true });
  };
  const limits = { bodyLimit: '1mb', requestTimeoutMs: 5_000 };

  it('cannot be built with a route that has no access check', () => {
    // given an app with a guarded router and, beside it, a plain express route
    const app = express();
    const v2 = new GuardedRouter(limits);
    v2.get('/topology', 'viewer', handler);
    v2.mount(app, '/v2');
    const plain = express.Router();
    plain.post('/process-instances', handler);
    app.use('/v2', plain);
    // then the check refuses it, naming the route
    expect(() => assertEveryRouteGuarded(app)).toThrow(UnguardedRouteError);
    expect(() => assertEveryRouteGuarded(app)).toThrow(/POST \/v2\/process-instances/);
    expect(listRoutes(app)).toEqual([
      { method: 'GET', path: '/v2/topology', access: 'viewer' },
      { method: 'POST', path: '/v2/process-instances', access: undefined },
    ]);
  });

  it('cannot register a route without a known access level, nor after it was mounted', () => {
    const router = new GuardedRouter(limits);
    expect(() => router.get('/x', 'admin' as Access, handler)).toThrow(/Expected GET \/x to declare one of/);
    expect(() => router.post('/x', {} as { access: Access }, handler)).toThrow(TypeError);
    router.mount(express(), '/v2');
    expect(() => router.get('/y', 'viewer', handler)).toThrow(/before the router was mounted/);
  });

  describe('served over HTTP', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      // given a new router built the only way routes are built, with access control on
      const app = express();
      const v2 = new GuardedRouter({ ...limits, auth: parseAuthConfig(AUTH_FILE) });
      v2.post('/process-instances', { access: 'operator', body: 'json' }, handler);
      v2.get('/process-instances/:key', 'viewer', handler);
      v2.mount(app, '/v2');
      app.use(errorHandler(createLogger({ level: 'silent' })));
      assertEveryRouteGuarded(app);
      server = createServer(app);
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((done) => server.close(done));
    });

    it('enforces its roles in every spelling and refuses what it does not know', async () => {
      const as = (who: Caller, method: string, path: string) =>
        rawRequest(url, method, path, {
          body: method === 'GET' ? undefined : '{}',
          headers: { 'content-type': 'application/json', ...(who ? { authorization: `Bearer ${TOKENS[who]}` } : {}) },
        });
      for (const path of ['/v2/process-instances', '/V2/Process-Instances/', '/v2/PROCESS-INSTANCES']) {
        expect((await as('viewer', 'POST', path)).status, path).toBe(403);
        expect((await as(null, 'POST', path)).status, path).toBe(401);
        expect((await as('operator', 'POST', path)).status, path).toBe(200);
      }
      expect((await as('viewer', 'GET', '/v2/Process-Instances/7')).status).toBe(200);
      expect((await as('operator', 'GET', '/v2/process-instances/7')).status).toBe(403);
      expect((await as('operator', 'DELETE', '/v2/process-instances/7')).status).toBe(404);
      expect((await as('operator', 'POST', '/v2//process-instances')).status).toBe(404);
      expect((await as(null, 'POST', '/v2/unknown')).status).toBe(401);
    });
  });
});

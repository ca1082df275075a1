/**
 * Signing in as Camunda's clients do (issue 13, "What to build" 3): with access control on, the 9.x
 * client works with `CAMUNDA_AUTH_STRATEGY=BASIC` (a client id and secret of the auth file) and
 * with `OAUTH` against Baton's client-credentials endpoint; wrong credentials are refused; roles
 * apply to `/v2` as to `/api`. With access control off, any Authorization header is accepted.
 */
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../engine/src/main.js';
import { createLogger } from '../../engine/src/runtime/logger.js';
import { parseAuthConfig, ROLES } from '../../engine/src/server/auth.js';
import { request, startTestServer } from './helpers.js';

const SECRET = 'orders-secret-0123456789';
const AUTH = {
  tokens: { 'viewer-token-0123456789ab': { name: 'vic', roles: ['viewer'] } },
  clients: {
    'orders-app': { secret: SECRET, roles: [...ROLES] },
    'reader-app': { secret: 'reader-secret-0123456789', roles: ['viewer'] },
  },
};

let server: RunningServer;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-v2-auth-'));
  server = await startServer({
    port: 0,
    dbPath: join(dir, 'baton.db'),
    auth: parseAuthConfig(AUTH),
    staticDir: join(dir, 'static'),
    logger: createLogger({ level: process.env.BATON_LOG_LEVEL ?? 'silent' }),
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('/v2 with access control on', () => {
  it('serves the 9.x client signed in with Basic credentials', async () => {
    const camunda = createCamundaClient({
      config: {
        CAMUNDA_REST_ADDRESS: server.url,
        CAMUNDA_AUTH_STRATEGY: 'BASIC',
        CAMUNDA_BASIC_AUTH_USERNAME: 'orders-app',
        CAMUNDA_BASIC_AUTH_PASSWORD: SECRET,
        CAMUNDA_SDK_VALIDATION: 'res:strict',
        CAMUNDA_SDK_LOG_LEVEL: 'silent',
      } as never,
    });
    expect((await camunda.getTopology()).brokers).toHaveLength(1);
  });

  it('serves the 9.x client signed in through the OAuth client-credentials endpoint', async () => {
    const camunda = createCamundaClient({
      config: {
        CAMUNDA_REST_ADDRESS: server.url,
        CAMUNDA_AUTH_STRATEGY: 'OAUTH',
        CAMUNDA_OAUTH_URL: `${server.url}/oauth/token`,
        CAMUNDA_CLIENT_ID: 'orders-app',
        CAMUNDA_CLIENT_SECRET: SECRET,
        CAMUNDA_TOKEN_AUDIENCE: 'zeebe-api',
        CAMUNDA_SDK_VALIDATION: 'res:strict',
        CAMUNDA_SDK_LOG_LEVEL: 'silent',
      } as never,
    });
    expect((await camunda.getTopology()).brokers).toHaveLength(1);
  });

  it('hands out tokens only for known clients and only for the client credentials grant', async () => {
    const form = (body: Record<string, string>) => ({
      raw: new URLSearchParams(body).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    const wrong = await request(
      server.url,
      'POST',
      '/oauth/token',
      form({ grant_type: 'client_credentials', client_id: 'orders-app', client_secret: 'nope-nope-nope-nope' }),
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
    const grant = await request(
      server.url,
      'POST',
      '/oauth/token',
      form({ grant_type: 'password', client_id: 'orders-app', client_secret: SECRET }),
    );
    expect(grant.status).toBe(400);
    expect(grant.body.error).toBe('unsupported_grant_type');
    // a reader's token carries the reader's roles only
    const reader = await request(
      server.url,
      'POST',
      '/oauth/token',
      form({ grant_type: 'client_credentials', client_id: 'reader-app', client_secret: 'reader-secret-0123456789' }),
    );
    expect(reader.status).toBe(200);
    expect(reader.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const auth = { authorization: `Bearer ${reader.body.access_token}` };
    expect((await request(server.url, 'GET', '/v2/topology', { headers: auth })).status).toBe(200);
    const refused = await request(server.url, 'POST', '/v2/process-instances', {
      json: { processDefinitionId: 'x' },
      headers: auth,
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({
      title: 'FORBIDDEN',
      status: 403,
      code: 'FORBIDDEN',
      instance: '/v2/process-instances',
    });
    // and a token that was tampered with is not accepted
    const forged = `${reader.body.access_token.slice(0, -2)}AA`;
    expect(
      (await request(server.url, 'GET', '/v2/topology', { headers: { authorization: `Bearer ${forged}` } })).status,
    ).toBe(401);
  });

  it('refuses wrong Basic credentials and no credentials, on /v2 and /api alike', async () => {
    for (const path of ['/v2/topology', '/api/processes']) {
      expect(
        (
          await request(server.url, 'GET', path, {
            headers: { authorization: basic('orders-app', 'wrong-secret-0123456') },
          })
        ).status,
      ).toBe(401);
      expect((await request(server.url, 'GET', path)).status).toBe(401);
      expect(
        (
          await request(server.url, 'GET', path, {
            headers: { authorization: basic('reader-app', 'reader-secret-0123456789') },
          })
        ).status,
      ).toBe(200);
    }
  });
});

describe('/v2 with access control off', () => {
  it('accepts any Authorization header, as the clients send them', async () => {
    const t = await startTestServer();
    try {
      for (const authorization of ['', 'Basic ZGVtbzpkZW1v', 'Bearer whatever'])
        expect((await t.call('GET', '/v2/topology', { headers: { authorization } })).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

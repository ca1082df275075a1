/**
 * Tokens for the access-control tests: one token per role, one with every role, and a real server
 * (real engine, SQLite file in a temp folder) started with them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../../engine/src/main.js';
import { createLogger } from '../../engine/src/runtime/logger.js';
import { parseAuthConfig, ROLES, type Role } from '../../engine/src/server/auth.js';
import { rawRequest, type Answer, type RawOptions } from './helpers.js';

/** A token per role, plus `all` (every role). */
export const TOKENS = {
  modeler: 'modeler-token-0123456789',
  operator: 'operator-token-0123456789',
  worker: 'worker-token-0123456789ab',
  viewer: 'viewer-token-0123456789ab',
  all: 'all-roles-token-0123456789',
} as const satisfies Record<Role | 'all', string>;

/** Who sends a request: a role's token, the all-roles token, or nobody (no Authorization header). */
export type Caller = keyof typeof TOKENS | null;

/** The content of the auth file the servers of these tests use. */
export const AUTH_FILE = {
  tokens: {
    [TOKENS.modeler]: { name: 'mona', roles: ['modeler'] },
    [TOKENS.operator]: { name: 'olga', roles: ['operator'] },
    [TOKENS.worker]: { name: 'billing-worker', roles: ['worker'] },
    [TOKENS.viewer]: { name: 'vic', roles: ['viewer'] },
    [TOKENS.all]: { name: 'root', roles: [...ROLES] },
  },
};

/** A server with access control on, and a raw request helper that sends a caller's token. */
export interface AuthServer {
  server: RunningServer;
  url: string;
  as(who: Caller, method: string, path: string, opts?: RawOptions): Promise<Answer>;
  close(): Promise<void>;
}

/** Starts a server with {@link AUTH_FILE} on a free port and a fresh SQLite file. */
export async function startAuthServer(opts: Partial<ServerOptions> = {}): Promise<AuthServer> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-authz-test-'));
  const server = await startServer({
    port: 0,
    dbPath: join(dir, 'baton.db'),
    auth: parseAuthConfig(AUTH_FILE),
    staticDir: join(dir, 'static'),
    logger: createLogger({ level: process.env.BATON_LOG_LEVEL ?? 'silent' }),
    ...opts,
  });
  return {
    server,
    url: server.url,
    as: (who, method, path, o = {}) =>
      rawRequest(server.url, method, path, {
        ...o,
        headers: { ...o.headers, ...(who ? { authorization: `Bearer ${TOKENS[who]}` } : {}) },
      }),
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

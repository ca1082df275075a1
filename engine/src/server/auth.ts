/**
 * Access control of the HTTP API: bearer tokens mapped to roles, read from a JSON file given with
 * `baton serve --auth FILE` (or `BATON_AUTH_FILE`). Without such a file the API is open and relies on
 * listening on a loopback address only. See docs/security.md.
 *
 * The file:
 * ```json
 * {
 *   "tokens": { "<token of 16+ characters>": { "name": "alice", "roles": ["modeler", "viewer"] } },
 *   "clients": { "orders-app": { "secret": "<16+ characters>", "roles": ["operator", "worker"] } }
 * }
 * ```
 * A client (either section may be left out, not both) signs in as Camunda's clients do: with Basic
 * credentials (`client id:secret`), or with a bearer token from the OAuth 2.0 client-credentials
 * endpoint `POST /oauth/token` (./oauth.ts).
 *
 * Roles (none implies another; give a person every role they need): `viewer` reads, `modeler`
 * deploys, `operator` starts and operates instances and sends outside input, `worker` fetches and
 * settles jobs. Which role a route needs is declared where the route is registered (see
 * ./guarded-router.ts), never derived from the path here; docs/security.md lists every route.
 *
 * A missing or unknown token → `401 UNAUTHENTICATED` (with a `WWW-Authenticate: Bearer` header); a
 * known token without the route's role → `403 FORBIDDEN`. The token's `name` is the actor written
 * to the history of operator actions.
 *
 * @example
 * ```ts
 * const auth = loadAuthFile('./auth.json');
 * const app = createApp(engine, { auth });
 * ```
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Request, Response } from 'express';
import { EngineError } from '../runtime/api-types.js';
import { issuedPrincipal } from './oauth-tokens.js';

/** The roles a token can hold. */
export const ROLES = ['modeler', 'operator', 'worker', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who a token belongs to. */
export interface Principal {
  name: string;
  roles: ReadonlySet<Role>;
}

/** The shortest token accepted in an auth file: shorter ones are guessable. */
export const MIN_TOKEN_LENGTH = 16;

/** A client of the auth file: signs in with its id and secret (Basic, or the OAuth token endpoint). */
export interface Client {
  id: string;
  secret: string;
  principal: Principal;
}

/** Tokens and clients and their principals, ready for constant-time lookup. */
export class AuthConfig {
  private readonly entries: { digest: Buffer; principal: Principal }[];
  private readonly clientEntries: { digest: Buffer; client: Client }[];

  constructor(tokens: ReadonlyMap<string, Principal>, clients: readonly Client[] = []) {
    this.entries = [...tokens].map(([token, principal]) => ({ digest: digestOf(token), principal }));
    this.clientEntries = clients.map((client) => ({ digest: digestOf(`${client.id}\0${client.secret}`), client }));
  }

  /** The client with this id and secret, or undefined; compared like {@link principalOf}. */
  clientOf(id: string, secret: string): Client | undefined {
    const digest = digestOf(`${id}\0${secret}`);
    let found: Client | undefined;
    for (const entry of this.clientEntries) {
      if (timingSafeEqual(entry.digest, digest) && !found) found = entry.client;
    }
    return found;
  }

  /** The client with this id (to check a token issued to it), or undefined. */
  clientById(id: string): Client | undefined {
    return this.clientEntries.find((e) => e.client.id === id)?.client;
  }

  /** Number of configured tokens. */
  get size(): number {
    return this.entries.length;
  }

  /** Number of configured clients. */
  get clients(): number {
    return this.clientEntries.length;
  }

  /**
   * The principal of `token`, or undefined. Every configured token is compared, each in constant
   * time over a SHA-256 digest (equal lengths), so timing tells nothing about which bytes matched.
   */
  principalOf(token: string): Principal | undefined {
    const digest = digestOf(token);
    let found: Principal | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, digest) && !found) found = entry.principal;
    }
    return found;
  }
}

function digestOf(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Thrown when an auth file cannot be read or does not have the documented shape. */
export class AuthFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'AuthFileError';
  }
}

/** Reads and checks an auth file (see the module documentation for its format). */
export function loadAuthFile(file: string): AuthConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AuthFileError(file, `cannot read it (${(err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AuthFileError(file, `is not valid JSON (${(err as Error).message})`);
  }
  return parseAuthConfig(json, file);
}

/** Checks the parsed content of an auth file; `file` names it in error messages. */
export function parseAuthConfig(json: unknown, file = 'auth file'): AuthConfig {
  const tokens = isObject(json) ? (json.tokens ?? (json.clients !== undefined ? {} : undefined)) : undefined;
  if (!isObject(tokens))
    throw new AuthFileError(file, 'expected {"tokens": {"<token>": {"name", "roles"}}} and/or {"clients": {…}}');
  const map = new Map<string, Principal>();
  for (const [token, entry] of Object.entries(tokens)) {
    const where = `token '${token.slice(0, 4)}…'`;
    if (token.length < MIN_TOKEN_LENGTH)
      throw new AuthFileError(file, `${where} is shorter than ${MIN_TOKEN_LENGTH} characters`);
    if (!isObject(entry)) throw new AuthFileError(file, `${where}: expected an object {"name", "roles"}`);
    const { name, roles } = entry;
    if (typeof name !== 'string' || name.trim() === '')
      throw new AuthFileError(file, `${where}: "name" must be a non-empty string`);
    if (!Array.isArray(roles) || roles.length === 0)
      throw new AuthFileError(file, `${where}: "roles" must be a non-empty array`);
    for (const role of roles) {
      if (!(ROLES as readonly unknown[]).includes(role)) {
        throw new AuthFileError(file, `${where}: unknown role ${JSON.stringify(role)} (known: ${ROLES.join(', ')})`);
      }
    }
    map.set(token, { name, roles: new Set(roles as Role[]) });
  }
  const clients = parseClients((json as Record<string, unknown>).clients, file);
  if (map.size === 0 && clients.length === 0) throw new AuthFileError(file, 'defines no token and no client');
  return new AuthConfig(map, clients);
}

function parseClients(json: unknown, file: string): Client[] {
  if (json === undefined) return [];
  if (!isObject(json)) throw new AuthFileError(file, 'expected "clients" to be {"<client id>": {"secret", "roles"}}');
  return Object.entries(json).map(([id, entry]) => {
    const where = `client '${id}'`;
    if (!isObject(entry)) throw new AuthFileError(file, `${where}: expected an object {"secret", "roles"}`);
    const { secret, roles, name } = entry;
    if (id.includes(':') || id.trim() === '')
      throw new AuthFileError(file, `${where}: the id must be non-empty and hold no ':'`);
    if (typeof secret !== 'string' || secret.length < MIN_TOKEN_LENGTH)
      throw new AuthFileError(file, `${where}: "secret" must be a string of ${MIN_TOKEN_LENGTH}+ characters`);
    if (name !== undefined && (typeof name !== 'string' || name.trim() === ''))
      throw new AuthFileError(file, `${where}: "name" must be a non-empty string`);
    if (!Array.isArray(roles) || roles.length === 0)
      throw new AuthFileError(file, `${where}: "roles" must be a non-empty array`);
    for (const role of roles) {
      if (!(ROLES as readonly unknown[]).includes(role))
        throw new AuthFileError(file, `${where}: unknown role ${JSON.stringify(role)} (known: ${ROLES.join(', ')})`);
    }
    const principal: Principal = { name: typeof name === 'string' ? name : id, roles: new Set(roles as Role[]) };
    return { id, secret, principal };
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What {@link authenticate} leaves in `res.locals.auth` for the routes. */
export interface AuthLocals {
  principal: Principal;
}

/** The bearer token of `req`, or undefined when it sends none. */
function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  if (!header) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

/** The id and secret of Basic credentials `req` carries, or undefined. */
export function basicCredentials(req: Request): { id: string; secret: string } | undefined {
  const match = /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i.exec(req.get('authorization') ?? '');
  if (!match) return undefined;
  const text = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : { id: text.slice(0, colon), secret: text.slice(colon + 1) };
}

/**
 * The principal of the bearer token (configured, or issued by ./oauth.ts) or Basic credentials
 * `req` carries, also left in `res.locals.auth`; throws `401 UNAUTHENTICATED` (and sets
 * `WWW-Authenticate`) when there are none or they are not known.
 */
export function authenticate(config: AuthConfig, req: Request, res: Response): Principal {
  const token = bearerToken(req);
  const basic = token === undefined ? basicCredentials(req) : undefined;
  const principal =
    token !== undefined
      ? (config.principalOf(token) ?? issuedPrincipal(config, token))
      : basic
        ? config.clientOf(basic.id, basic.secret)?.principal
        : undefined;
  if (!principal) {
    res.set('WWW-Authenticate', 'Bearer realm="baton"');
    throw new EngineError(
      401,
      'UNAUTHENTICATED',
      token !== undefined
        ? 'The bearer token is not known.'
        : basic
          ? 'The client id and secret are not known.'
          : 'This server needs a bearer token: send "Authorization: Bearer <token>" (or Basic credentials of a client).',
    );
  }
  const locals: AuthLocals = { principal };
  res.locals.auth = locals;
  return principal;
}

/** The principal {@link authenticate} found for this request, when access control is on. */
export function principalOf(req: Request): Principal | undefined {
  return (req.res?.locals.auth as AuthLocals | undefined)?.principal;
}

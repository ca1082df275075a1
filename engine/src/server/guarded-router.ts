/**
 * Routes that cannot exist without an access rule. Every route is registered with its method, path,
 * the role it needs (or `public`) and how it reads its body; the access check is the first handler
 * of the route itself, so the role is decided by the route express actually matched, after its own
 * normalisation (case, trailing slash), never by a parallel path table. It runs before any body is
 * read. A request that no route of the router handles is refused: `401` without a valid token, else
 * `404 NOT_FOUND` — also for HEAD on a route without GET, OPTIONS and unknown methods — and its body
 * is never read. Every router of the HTTP layer (`/api`, `/metrics`, a future `/v2`) is built with
 * this class; ./route-table.ts lists the routes of an app and refuses one that is not guarded.
 *
 * @example
 * ```ts
 * const api = new GuardedRouter({ auth, bodyLimit: '1mb', requestTimeoutMs: 30_000 });
 * api.get('/instances', 'viewer', (req, res) => res.json(engine.listInstances({})));
 * api.post('/deployments', { access: 'modeler', body: 'text' }, async (req, res) => { … });
 * api.mount(app, '/api');
 * ```
 */
import { Router, type Express, type Request, type RequestHandler, type Response } from 'express';
import { EngineError } from '../runtime/api-types.js';
import { authenticate, ROLES, type AuthConfig, type Role } from './auth.js';
import { bodyReader, type BodyKind, type BodyLimits } from './body.js';
import { notFoundRoute } from './http-errors.js';

/** Who may call a route: holders of one role, or anyone (`public`: only the health check and the web app). */
export type Access = Role | 'public';

/** Every {@link Access} there is. */
export const ACCESS_LEVELS: readonly Access[] = [...ROLES, 'public'];

/** How a route with a body is declared: its access and how its body is read. */
export interface RouteSpec {
  access: Access;
  /** Read the body as JSON or text; without it the body is never read. */
  body?: BodyKind;
}

/** A request to a route: its path parameters are plain strings (routes use named `:param` segments only). */
export type RouteRequest = Request<Record<string, string>>;

/** A route's own handler; it runs after the access check and the body reader. Errors it throws become answers. */
export type RouteHandler = (req: RouteRequest, res: Response) => void | Promise<void>;

/** Options of {@link GuardedRouter}. */
export interface GuardedRouterOptions extends BodyLimits {
  /** Tokens and roles; without them every route is open (a server on a loopback address). */
  auth?: AuthConfig;
}

/** Where the access check keeps the access level it enforces, for ./route-table.ts. */
export const GUARD_ACCESS = Symbol('baton.guardAccess');

/** The access check of a route, tagged with the access it enforces. */
export type Guard = RequestHandler & { [GUARD_ACCESS]: Access };

/** The methods a route can be registered for; HEAD is answered by the GET route. */
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** An express router whose routes all carry an access check; see the module documentation. */
export class GuardedRouter {
  private readonly router = Router();
  private mounted = false;

  constructor(private readonly opts: GuardedRouterOptions) {}

  /** A read: `GET` (and `HEAD`) of `path`, allowed to `access`. */
  get(path: string, access: Access, handler: RouteHandler): void {
    this.add('get', path, { access }, handler);
  }

  /** `POST path`; `spec.body` says how the body is read (after the access check). */
  post(path: string, spec: RouteSpec, handler: RouteHandler): void {
    this.add('post', path, spec, handler);
  }

  /** `PUT path`, like {@link post}. */
  put(path: string, spec: RouteSpec, handler: RouteHandler): void {
    this.add('put', path, spec, handler);
  }

  /** `PATCH path`, like {@link post}. */
  patch(path: string, spec: RouteSpec, handler: RouteHandler): void {
    this.add('patch', path, spec, handler);
  }

  /** `DELETE path`, like {@link post}. */
  delete(path: string, spec: RouteSpec, handler: RouteHandler): void {
    this.add('delete', path, spec, handler);
  }

  /**
   * A middleware answering files to anyone (the web app's static files), in registration order
   * among the routes. It must only answer `GET`/`HEAD` of files that exist and pass on the rest.
   */
  publicFiles(middleware: RequestHandler): void {
    this.checkOpen('a public file handler');
    this.router.use(middleware);
  }

  /**
   * Mounts the router on `app` at `path`, closed by the refusal of every request no route handled
   * (so mount the router at `/` last); no route can be added afterwards (it would sit behind that
   * refusal).
   */
  mount(app: Express, path: string): void {
    this.checkOpen('the mount');
    this.mounted = true;
    this.router.use(refuseUnrouted(this.opts.auth));
    app.use(path, this.router);
  }

  private add(method: Method, path: string, spec: RouteSpec, handler: RouteHandler): void {
    const where = `${method.toUpperCase()} ${path}`;
    this.checkOpen(where);
    if (!ACCESS_LEVELS.includes(spec?.access)) {
      throw new TypeError(
        `Expected ${where} to declare one of ${ACCESS_LEVELS.join(', ')}, but it declared ${String(spec?.access)}`,
      );
    }
    const chain: RequestHandler[] = [guard(spec.access, this.opts.auth)];
    chain.push(spec.body ? bodyReader(spec.body, this.opts) : closeIfBodyPending);
    this.router.route(path)[method](...chain, handler as RequestHandler);
  }

  private checkOpen(what: string): void {
    if (this.mounted) throw new Error(`Expected ${what} before the router was mounted, but it was already mounted`);
  }
}

/** A route that reads no body answers with `Connection: close` when one is still arriving, so it is not waited for. */
const closeIfBodyPending: RequestHandler = (req, res, next) => {
  if (!req.complete) res.set('Connection', 'close');
  next();
};

/** The access check of a route: authenticates (401) and checks the role (403) when access control is on. */
export function guard(access: Access, auth: AuthConfig | undefined): Guard {
  const check: RequestHandler = (req, res, next) => {
    if (access === 'public' || !auth) {
      next();
      return;
    }
    const principal = authenticate(auth, req, res);
    if (!principal.roles.has(access)) {
      const held = [...principal.roles].join(', ');
      throw new EngineError(
        403,
        'FORBIDDEN',
        `Expected a token with the role '${access}' for ${req.method} ${req.baseUrl}${req.path}, but ${principal.name} has ${held}.`,
        [{ requiredRole: access }],
      );
    }
    next();
  };
  return Object.assign(check, { [GUARD_ACCESS]: access });
}

/**
 * The end of every guarded router: a request no route handled is refused without reading its body,
 * `401` without a valid token (so nobody learns which paths exist), else `404 NOT_FOUND`.
 */
export function refuseUnrouted(auth: AuthConfig | undefined): RequestHandler {
  return (req, res, next) => {
    if (auth) authenticate(auth, req, res);
    notFoundRoute(req, res, next);
  };
}

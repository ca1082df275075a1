/**
 * The routes an express app really has, read from its routers (not from a list kept beside them),
 * with the access each one enforces. {@link assertEveryRouteGuarded} refuses an app with a route
 * that has no access check (deny by default: `createApp` calls it, so such a server never starts);
 * tests compare {@link listRoutes} with a declared table and docs/security.md with
 * {@link routeTableMarkdown}.
 */
import type { Express } from 'express';
import { GUARD_ACCESS, type Access } from './guarded-router.js';

/** One method of one route, with the access its first handler enforces (undefined: no access check). */
export interface RouteEntry {
  method: string;
  path: string;
  access: Access | undefined;
}

/** Thrown when an app has routes without an access check: the server must not start like that. */
export class UnguardedRouteError extends Error {
  constructor(readonly routes: readonly RouteEntry[]) {
    super(
      `Expected every route to be registered with an access rule (see server/guarded-router.ts), but ${routes
        .map((r) => `${r.method} ${r.path}`)
        .join(', ')} ${routes.length === 1 ? 'has' : 'have'} none`,
    );
    this.name = 'UnguardedRouteError';
  }
}

/** The parts of express's (router 2.x) layers and routes that are read here. */
interface LayerLike {
  route?: { path: unknown; stack: { method?: string; handle: unknown }[] };
  handle: unknown;
  rawPath?: unknown;
}

/** Every route of `app`, depth first in registration order. */
export function listRoutes(app: Express): RouteEntry[] {
  const out: RouteEntry[] = [];
  walk(app.router.stack as LayerLike[], '', out);
  return out;
}

function walk(stack: readonly LayerLike[], prefix: string, out: RouteEntry[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const first = new Map<string, unknown>();
      for (const step of layer.route.stack) {
        const method = step.method ?? '*';
        if (!first.has(method)) first.set(method, step.handle);
      }
      for (const [method, handle] of first) {
        out.push({
          method: method.toUpperCase(),
          path: join(prefix, String(layer.route.path)),
          access: accessOf(handle),
        });
      }
    } else if (isRouter(layer.handle)) {
      walk(layer.handle.stack, join(prefix, typeof layer.rawPath === 'string' ? layer.rawPath : '?'), out);
    }
  }
}

function isRouter(handle: unknown): handle is { stack: LayerLike[] } {
  return typeof handle === 'function' && Array.isArray((handle as { stack?: unknown }).stack);
}

function accessOf(handle: unknown): Access | undefined {
  return typeof handle === 'function' ? (handle as { [GUARD_ACCESS]?: Access })[GUARD_ACCESS] : undefined;
}

function join(prefix: string, path: string): string {
  const joined = `${prefix.replace(/\/$/, '')}${path === '/' ? '' : path}`;
  return joined === '' ? '/' : joined;
}

/** Throws {@link UnguardedRouteError} when a route of `app` has no access check. */
export function assertEveryRouteGuarded(app: Express): void {
  const unguarded = listRoutes(app).filter((r) => r.access === undefined);
  if (unguarded.length > 0) throw new UnguardedRouteError(unguarded);
}

/** The routes as the Markdown table of docs/security.md: method, path, who may call it. */
export function routeTableMarkdown(routes: readonly RouteEntry[]): string {
  const rows = routes.map((r) => `| \`${r.method}\` | \`${r.path}\` | ${r.access ?? '**none**'} |`);
  return ['| method | path | access |', '| --- | --- | --- |', ...rows].join('\n');
}

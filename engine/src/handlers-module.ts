/**
 * Loading a `--handlers FILE` module: a JS or TS module whose default export maps job types to
 * in-process handler functions, e.g. `export default { 'reserve-stock': async (job) => ({ reserved: true }) }`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JobHandler } from './runtime/engine-port.js';

/** Imports `file` (relative to the working directory) and checks its default export. */
export async function loadHandlers(file: string): Promise<Record<string, JobHandler>> {
  // the built package runs as JavaScript: a TypeScript handler module needs tsx then (sources run under it already)
  if (/\.[cm]?tsx?$/.test(file) && !import.meta.url.endsWith('.ts')) (await import('tsx/esm/api')).register();
  const mod = (await import(pathToFileURL(resolve(file)).href)) as { default?: unknown };
  const handlers = mod.default;
  if (typeof handlers !== 'object' || handlers === null || Array.isArray(handlers)) {
    throw new Error(`${file}: the default export must be an object mapping job types to functions`);
  }
  for (const [type, handler] of Object.entries(handlers)) {
    if (typeof handler !== 'function') throw new Error(`${file}: the handler for job type '${type}' is not a function`);
  }
  return handlers as Record<string, JobHandler>;
}

/**
 * docs/camunda-api.md stays true: its table of Camunda's `/v2` endpoints marks as supported or
 * partial exactly the `/v2` routes the server mounts (read from its express routers), and lists
 * every endpoint the installed 9.x client knows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRoutes } from '../../engine/src/server/route-table.js';
import { startTestServer, type TestServer } from './helpers.js';

const ROW = /^\| `(GET|POST|PUT|PATCH|DELETE)` \| `(\/v2\/[^`]*)` \| (supported|partial|not yet) \|/;

/** `GET /v2/jobs/:p` for both `/v2/jobs/{jobKey}` and `/v2/jobs/:key`. */
const normal = (method: string, path: string) => `${method} ${path.replace(/\{\w+\}|:\w+/g, ':p')}`;

function documented(): Map<string, string> {
  const doc = readFileSync(new URL('../../docs/camunda-api.md', import.meta.url), 'utf8');
  const table = /<!-- v2-endpoints:begin -->\n([\s\S]*?)\n<!-- v2-endpoints:end -->/.exec(doc)?.[1] ?? '';
  const rows = new Map<string, string>();
  for (const line of table.split('\n')) {
    const m = ROW.exec(line);
    if (m) rows.set(normal(m[1]!, m[2]!), m[3]!);
  }
  return rows;
}

/** The endpoints the installed 9.x client calls, read from its bundle. */
function clientEndpoints(): string[] {
  const entry = createRequire(import.meta.url).resolve('@camunda8/orchestration-cluster-api');
  const dist = dirname(entry);
  const out = new Set<string>();
  for (const file of readdirSync(dist).filter((f) => /^chunk-.*\.js$/.test(f))) {
    const text = readFileSync(join(dist, file), 'utf8');
    for (const m of text.matchAll(/\.(get|post|put|patch|delete)\(\{[^]*?url: "([^"]+)"/g))
      out.add(normal(m[1]!.toUpperCase(), `/v2${m[2]}`));
  }
  return [...out];
}

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

describe('docs/camunda-api.md', () => {
  it('marks exactly the mounted /v2 routes as supported or partial', () => {
    const mounted = listRoutes(t.server.app)
      .filter((r) => r.path.startsWith('/v2/'))
      .map((r) => normal(r.method, r.path))
      .sort();
    const covered = [...documented()].filter(([, status]) => status !== 'not yet').map(([k]) => k);
    expect(covered.sort()).toEqual(mounted);
  });

  it('lists every endpoint of the installed client', () => {
    const endpoints = clientEndpoints();
    expect(endpoints.length).toBeGreaterThan(100);
    const rows = documented();
    expect(endpoints.filter((e) => !rows.has(e))).toEqual([]);
  });
});

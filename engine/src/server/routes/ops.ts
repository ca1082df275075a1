/** Operational routes: health, Prometheus metrics, and the web modeler's static files at `/`. */
import { existsSync } from 'node:fs';
import express from 'express';
import type { EnginePort } from '../../runtime/engine-port.js';
import type { Metrics } from '../../runtime/metrics.js';
import type { GuardedRouter } from '../guarded-router.js';

/**
 * `GET /api/health` → `{"status": "ok", "node", "database": {kind, location}}`, open to anyone: which
 * engine node answered and which database it works on; registered on the API router.
 */
export function healthRoutes(router: GuardedRouter, engine: Pick<EnginePort, 'health'>): void {
  router.get('/health', 'public', async (_req, res) => {
    res.json({ status: 'ok', ...(await engine.health()) });
  });
}

/** `GET /metrics` in the Prometheus text format, for `viewer` (no route, so 404, when the app has no metrics). */
export function metricsRoutes(router: GuardedRouter, metrics: Metrics | undefined): void {
  if (!metrics) return;
  router.get('/metrics', 'viewer', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

/** Shown at `/` while the modeler has not been built into the static folder. */
export const PLACEHOLDER_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Baton</title>
<link rel="icon" href="data:,">
<style>body{font-family:system-ui,sans-serif;margin:3rem auto;max-width:40rem;color:#222}code{background:#f3f3f3;padding:0 .3em}</style>
</head>
<body>
<h1>Baton — modeler coming soon</h1>
<p>The BPMN engine is running. Its REST API is under <code>/api</code>
(try <a href="/api/health"><code>/api/health</code></a> or <a href="/api/processes"><code>/api/processes</code></a>);
metrics are at <a href="/metrics"><code>/metrics</code></a>.</p>
<p>Build the web modeler with <code>npm run build</code> to replace this page.</p>
</body>
</html>
`;

/**
 * Serves `staticDir` at `/` to anyone (the web app asks for a token itself); `GET /` falls back to
 * {@link PLACEHOLDER_PAGE} when it has no index page.
 */
export function staticRoutes(router: GuardedRouter, staticDir: string): void {
  router.publicFiles(express.static(staticDir, { index: ['index.html'] }));
  router.get('/', 'public', (_req, res) => {
    if (existsSync(`${staticDir}/index.html`)) {
      res.sendFile('index.html', { root: staticDir });
      return;
    }
    res.type('html').send(PLACEHOLDER_PAGE);
  });
}

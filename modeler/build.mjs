// Builds the web app served at `/` into modeler/dist with esbuild (offline, about two seconds):
//   index.html + console.js/.css  — console, tasklist and dashboard (bpmn-js NavigatedViewer only)
//   modeler.html + modeler.js/.css — bpmn-js Modeler with the Zeebe properties panel
// Two bundles so the console does not load the ~1 MB properties panel.
// `node modeler/build.mjs --watch` rebuilds on change.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const watch = process.argv.includes('--watch');

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
for (const page of ['index.html', 'modeler.html']) copyFileSync(join(here, page), join(dist, page));

/** @type {import('esbuild').BuildOptions} */
const options = {
  absWorkingDir: here,
  entryPoints: { console: 'src/console/main.ts', modeler: 'src/modeler/main.ts' },
  bundle: true,
  // ES modules with splitting: heavy parts loaded on demand (the form-js viewer) become chunks of their own.
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  target: 'es2020',
  minify: !watch,
  sourcemap: true,
  outdir: dist,
  entryNames: '[name]',
  assetNames: 'assets/[name]-[hash]',
  // The bpmn font CSS references .eot/.svg/.woff even in its embedded variant.
  loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file' },
  logLevel: 'warning',
  legalComments: 'none',
};

const started = Date.now();
if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  process.stdout.write('modeler: watching for changes\n');
} else {
  await esbuild.build(options);
  process.stdout.write(`modeler: built modeler/dist in ${Date.now() - started} ms\n`);
}

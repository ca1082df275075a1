// Builds the web app served at `/` into modeler/dist with esbuild (offline, about two seconds):
//   index.html + console.js/.css  — console, tasklist and dashboard (bpmn-js NavigatedViewer only)
//   modeler.html + modeler.js/.css — bpmn-js Modeler with the Zeebe properties panel and linting
//   decision.html + decision.js/.css — dmn-js (DRD, decision tables, literal expressions)
//   form.html + form.js/.css — the form-js editor
// One bundle per page so that no page loads another's editor; shared code lands in chunks, and
// the form-js viewer the tasklist needs is loaded on demand.
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
for (const page of ['index.html', 'modeler.html', 'decision.html', 'form.html'])
  copyFileSync(join(here, page), join(dist, page));

/**
 * One preact for form-js: the form-js editor pins an older preact of its own (nested in its
 * node_modules), while the form-js viewer it renders with, and the properties panel, use the
 * top-level one; hooks of two copies break each other ("reading 'context'"). Every preact import
 * resolves to the top-level copy.
 * @type {import('esbuild').Plugin}
 */
const onePreact = {
  name: 'one-preact',
  setup(build) {
    build.onResolve({ filter: /^preact(\/.*)?$/ }, async (args) => {
      if (!args.importer.includes('form-js-editor')) return undefined;
      return build.resolve(args.path, { kind: args.kind, resolveDir: here });
    });
  },
};

/**
 * @camunda/linting reads `configs` from `await import('bpmnlint-plugin-camunda-compat')`, a
 * CommonJS package: in an ES module bundle that import yields only `default`, so it gets a
 * module with the named exports instead (src/modeler/camunda-compat.mjs).
 * @type {import('esbuild').Plugin}
 */
const camundaCompat = {
  name: 'camunda-compat-named-exports',
  setup(build) {
    build.onResolve({ filter: /^bpmnlint-plugin-camunda-compat$/ }, (args) =>
      args.importer.includes('@camunda/linting') ? { path: join(here, 'src/modeler/camunda-compat.mjs') } : undefined,
    );
  },
};

/** @type {import('esbuild').BuildOptions} */
const options = {
  absWorkingDir: here,
  entryPoints: {
    console: 'src/console/main.ts',
    modeler: 'src/modeler/main.ts',
    decision: 'src/editors/decision-main.ts',
    form: 'src/editors/form-main.ts',
  },
  bundle: true,
  // ES modules with splitting: heavy parts loaded on demand (the form-js viewer) become chunks of their own.
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  target: 'es2020',
  minify: !watch && !process.env.BATON_NO_MINIFY,
  sourcemap: true,
  outdir: dist,
  entryNames: '[name]',
  assetNames: 'assets/[name]-[hash]',
  // The bpmn font CSS references .eot/.svg/.woff even in its embedded variant.
  loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file' },
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [onePreact, camundaCompat],
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

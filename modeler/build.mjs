// Builds the web app served at `/` into modeler/dist. For now a static page; the bpmn-js modeler
// and console bundles (esbuild) join here.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
mkdirSync(dist, { recursive: true });
copyFileSync(join(here, 'index.html'), join(dist, 'index.html'));

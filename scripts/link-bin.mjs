// Links this package's own `baton` binary into node_modules/.bin, so that `node_modules/.bin/baton`
// and npm scripts can call it (npm links the bins of dependencies only, not of the root package).
import { chmodSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, 'node_modules', '.bin');
const target = join(root, 'bin', 'baton.mjs');
mkdirSync(binDir, { recursive: true });
const link = join(binDir, 'baton');
rmSync(link, { force: true });
symlinkSync(relative(binDir, target), link);
chmodSync(target, 0o755);

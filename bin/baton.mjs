#!/usr/bin/env node
// The `baton` command (see engine/src/cli.ts). In a checkout of the repository it runs the
// TypeScript sources through tsx; the installed package runs the built JavaScript (engine/dist).
import { existsSync } from 'node:fs';

const source = new URL('../engine/src/cli.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../engine/dist/cli.js');
}

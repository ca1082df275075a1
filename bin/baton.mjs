#!/usr/bin/env node
// The `baton` command: runs the TypeScript sources directly through tsx (see engine/src/cli.ts).
import { register } from 'tsx/esm/api';

register();
await import('../engine/src/cli.ts');

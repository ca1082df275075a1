/** Baton's version, from the repository's package.json. */
import { readFileSync } from 'node:fs';

export const BATON_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * The layer fence of eslint.config.js fires: code in the pure layers (core, model, decisions, feel)
 * that imports I/O or another layer, or reads the clock, randomness or the process, is a lint error;
 * the same code in the runtime is not. `npm test` runs ESLint over the whole tree (test/run-all.mjs);
 * this proves the rules it runs would catch a violation.
 */
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd });

/** The fence's findings (line and rule) ESLint reports for `code` as if it were the file at `path`. */
async function lint(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${cwd}${path}` });
  expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  return result!.messages.filter((m) => m.ruleId?.startsWith('no-restricted-')).map((m) => `${m.line}: ${m.ruleId}`);
}

const VIOLATIONS = [
  "import { readFileSync } from 'node:fs';",
  "import { join } from 'path';",
  "import Database from 'better-sqlite3';",
  "import pg from 'pg';",
  "import express from 'express';",
  "import type { Store } from '../storage/port.js';",
  "import { Engine } from '../runtime/engine.js';",
  "import { createApp } from '../../server/app.js';",
  'export const a = Date.now();',
  'export const b = new Date();',
  'export const c = Math.random();',
  'export const d = performance.now();',
  'export const e = process.env.HOME;',
  'export const f = crypto.randomUUID();',
  'export const g = Date();',
  'export const h = Temporal.Now.instant();',
].join('\n');

const EXPECTED = [
  '1: no-restricted-imports',
  '2: no-restricted-imports',
  '3: no-restricted-imports',
  '4: no-restricted-imports',
  '5: no-restricted-imports',
  '6: no-restricted-imports',
  '7: no-restricted-imports',
  '8: no-restricted-imports',
  '9: no-restricted-properties',
  '10: no-restricted-syntax',
  '11: no-restricted-properties',
  '12: no-restricted-globals',
  '13: no-restricted-globals',
  '14: no-restricted-globals',
  '15: no-restricted-syntax',
  '16: no-restricted-properties',
];

describe('the layer fence (eslint.config.js)', () => {
  it.each(['core/x.ts', 'core/elements/x.ts', 'model/x.ts', 'decisions/x.ts', 'feel/builtins/x.ts'])(
    'refuses I/O, other layers, the clock, randomness and the process in engine/src/%s',
    async (file) => {
      // given a file of a pure layer with one violation a line
      // when it is linted
      const found = await lint(`engine/src/${file}`, VIOLATIONS);
      // then every line is reported, by the rule that fences it
      expect(found).toEqual(EXPECTED);
    },
  );

  it('lets the runtime do I/O and read the clock', async () => {
    // given the same imports and calls in the runtime
    const code = [
      "import { readFileSync } from 'node:fs';",
      "import type { Store } from '../storage/port.js';",
      'export const a = [readFileSync, Date.now(), Math.random(), process.env.HOME];',
      'export type S = Store;',
    ].join('\n');
    // when it is linted, then nothing is reported
    expect(await lint('engine/src/runtime/x.ts', code)).toEqual([]);
  });

  it('lets the pure layers import each other and their libraries', async () => {
    const code = [
      "import type { ProcessModel } from '../model/types.js';",
      "import { evaluate } from 'feelin';",
      "import { Temporal } from 'temporal-polyfill';",
      'export const a = [evaluate, Temporal.Duration.from("PT1S"), new Date(0)];',
      'export type M = ProcessModel;',
    ].join('\n');
    expect(await lint('engine/src/core/x.ts', code)).toEqual([]);
  });
});

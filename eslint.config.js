// ESLint (flat config) with typescript-eslint, run by `npm test` (test/run-all.mjs) and `npm run lint`.
// Besides the recommended rules it fences the layers (docs/STYLE rule 3): the pure parts — core, model,
// decisions, feel — import nothing from the runtime, storage or server, no Node I/O module and no
// database or HTTP library, and read no clock, randomness or process state. Formatting is Prettier's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Where the pure layers live (the purity test in test/lint.test.ts proves the fence fires). */
export const PURE_LAYERS = [
  'engine/src/core/**/*.ts',
  'engine/src/model/**/*.ts',
  'engine/src/decisions/**/*.ts',
  'engine/src/feel/**/*.ts',
];

const NODE_IO = ['fs', 'fs/promises', 'path', 'os', 'child_process', 'http', 'https', 'net', 'tls', 'dgram'];
const IO_LIBRARIES = ['better-sqlite3', 'pg', 'express', 'pino', 'prom-client', 'busboy', 'playwright-core'];

/** The import fence of the pure layers. */
export const pureImports = {
  paths: [...NODE_IO, ...IO_LIBRARIES].map((name) => ({
    name,
    message: 'The pure layers do no I/O: time, ids and data come in as arguments.',
  })),
  patterns: [
    { group: ['node:*'], message: 'The pure layers import no Node built-in module.' },
    {
      group: ['**/runtime', '**/runtime/**', '**/storage', '**/storage/**', '**/server', '**/server/**'],
      message: 'The pure layers import nothing from the runtime, storage or server.',
    },
  ],
};

const CLOCK = 'The pure layers read no clock: `now` comes in through the context.';
const RANDOM = 'The pure layers use no randomness of their own: it comes in through the context.';

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'modeler/dist/**', 'engine/dist/**', 'data/**', '**/*.d.mts', 'test/fixtures/**/*.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {
        // Node and the browser (the modeler): only what the code uses, so that typos stay errors
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        queueMicrotask: 'readonly',
        structuredClone: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        globalThis: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // tests and benchmarks read JSON answers off the wire and check them with expect(): `any` is what they are
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: PURE_LAYERS,
    rules: {
      'no-restricted-imports': ['error', pureImports],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'The pure layers read no process state (environment, exit, time).' },
        { name: 'performance', message: CLOCK },
        { name: 'crypto', message: RANDOM },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: CLOCK },
        { object: 'Math', property: 'random', message: RANDOM },
        { object: 'Temporal', property: 'Now', message: CLOCK },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: CLOCK },
        { selector: "CallExpression[callee.name='Date']", message: CLOCK },
      ],
    },
  },
);

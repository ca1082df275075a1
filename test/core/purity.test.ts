import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../engine/src/', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

// STYLE rule 3: no I/O, no clock, no randomness in these; time and ids come in through ctx.
const PURE = ['core', 'model', 'decisions', 'feel'];

describe('the pure core', () => {
  it.each(PURE)('%s/ imports no Node built-in, database or HTTP module, and reads no clock', (dir) => {
    const offences: string[] = [];
    for (const file of files(join(root, dir))) {
      const text = readFileSync(file, 'utf8');
      for (const [pattern, what] of [
        [/from\s+['"](node:[^'"]+|fs|path|os|child_process|http|net|better-sqlite3|express|pino)['"]/, 'an I/O module'],
        [
          /\bDate\.now\(|new Date\(\)|Math\.random\b|performance\.now\(|Temporal\.Now\b|crypto\./,
          'the clock or randomness',
        ],
        [/\bprocess\.(env|exit|hrtime)/, 'the process'],
      ] as const) {
        const m = pattern.exec(text);
        if (m) offences.push(`${file.slice(root.length)} uses ${what}: ${m[0]}`);
      }
    }
    expect(offences).toEqual([]);
  });
});

/**
 * The log-level policy (docs/observability.md, "Logs"): at info an instance writes its own life
 * (started, completed), never a line per element, whatever its size; at debug every element event
 * has a line, and every line about an instance carries its correlation ids.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../engine/src/runtime/engine.js';
import { createLogger } from '../../engine/src/runtime/logger.js';
import { bpmn, chain, end, job, start } from '../semantics/helpers.js';
import { waitFor } from '../server/helpers.js';

const TASKS = Array.from({ length: 10 }, (_, i) => `T${i}`);
const XML = bpmn(
  'log_p',
  [start(), ...TASKS.map((t) => job(t, 'log.work')), end(), chain('Start', ...TASKS, 'End')].join('\n'),
);

/** Runs five instances of a ten-step process at `level`; resolves to the JSON lines logged. */
async function run(dir: string, level: string): Promise<{ lines: Record<string, unknown>[]; ids: string[] }> {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const engine: Engine = await openEngine({
    dbPath: join(dir, `${level}.db`),
    logger: createLogger({ level, destination: sink }),
  });
  try {
    engine.handle('log.work', () => ({}));
    engine.start();
    await engine.deploy(XML);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await engine.startInstance({ processId: 'log_p' })).id);
    for (const id of ids)
      await waitFor(`${id} completed`, async () => (await engine.getInstance(id))?.status === 'completed');
    return { lines, ids };
  } finally {
    await engine.close();
  }
}

describe('log-level policy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-logs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes no line per element at info: two per instance, each with its ids', async () => {
    const { lines, ids } = await run(dir, 'info');
    const about = lines.filter((l) => l['instanceId'] !== undefined);
    expect(about.map((l) => l['msg']).sort()).toEqual([
      ...Array(5).fill('process-completed'),
      ...Array(5).fill('process-started'),
    ]);
    expect(new Set(about.map((l) => l['instanceId']))).toEqual(new Set(ids));
    expect(about.every((l) => l['processId'] === 'log_p')).toBe(true);
    expect(lines.filter((l) => l['elementId'] !== undefined)).toEqual([]);
  });

  it('writes each element event at debug, with instance, element and job ids', async () => {
    const { lines } = await run(dir, 'debug');
    const completed = lines.filter((l) => l['msg'] === 'job-completed');
    expect(completed).toHaveLength(50);
    for (const l of completed) {
      expect(l).toMatchObject({ level: 20, processId: 'log_p', elementId: expect.stringMatching(/^T\d$/) });
      expect(l['instanceId']).toEqual(expect.any(String));
      expect(l['jobKey']).toEqual(expect.any(String));
    }
    expect(lines.filter((l) => l['msg'] === 'element-completed')).toHaveLength(5 * (TASKS.length + 2));
  });
});

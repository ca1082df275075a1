/**
 * Helpers for the end-to-end tests of the example processes: a test engine of the kit
 * (engine/src/testing: in memory, on a test clock, the handlers of processes/handlers.mjs as job
 * doubles), and, for the semantics tests, a real engine on a temp SQLite file with small pollers
 * over its public facade.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEngine, type Engine } from '../../engine/src/runtime/engine.js';
import type { HistoryEntry, InstanceView, JobView } from '../../engine/src/runtime/api-types.js';
import type { JobHandler } from '../../engine/src/runtime/engine-port.js';
import { createTestEngine, type TestEngine as KitEngine } from '../../engine/src/testing/index.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PROCESSES = join(ROOT, 'processes');

/** The text of processes/NAME. */
export function example(name: string): string {
  return readFileSync(join(PROCESSES, name), 'utf8');
}

/** The default export of processes/handlers.mjs. */
export async function exampleHandlers(): Promise<Record<string, JobHandler>> {
  return (await import('../../processes/handlers.mjs')).default as Record<string, JobHandler>;
}

/**
 * A test engine of the kit on 2030-01-01 with the files of processes/ deployed together and
 * `handlers` answering their job types in-process.
 */
export async function exampleEngine(files: string[], handlers: Record<string, JobHandler> = {}): Promise<KitEngine> {
  const t = await createTestEngine({ startAt: '2030-01-01T00:00:00Z' });
  for (const [type, handler] of Object.entries(handlers)) t.jobs.onType(type, (job) => handler(job));
  await t.deploy(files.map((name) => ({ name, content: example(name) })));
  return t;
}

/** A started engine on a fresh SQLite file; `close()` also removes the file. */
export interface TestEngine {
  engine: Engine;
  close(): Promise<void>;
}

/**
 * Opens an engine and serves `handlers` as a job worker over the engine's public job API
 * (activate, then complete / throw a BPMN error / fail). A handler that throws an error carrying
 * an `errorCode` (processes/handlers.mjs `BpmnError`) ends its job with that BPMN error. The
 * in-process path (`engine.handle`) is exercised by test/processes/cli-run.test.ts. `opts.now`
 * gives the engine a clock the test moves (the engine's injectable clock).
 */
export async function startEngine(
  handlers: Record<string, JobHandler> = {},
  opts: { now?: () => number } = {},
): Promise<TestEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-e2e-'));
  const engine = await openEngine({ dbPath: join(dir, 'baton.db'), ...opts });
  engine.start();
  let stopped = false;
  const loops = Object.entries(handlers).map(async ([type, handler]) => {
    while (!stopped) {
      const jobs = await engine.activateJobs({ type, worker: 'examples', maxJobs: 32, lockMs: 30_000, waitMs: 100 });
      for (const job of jobs) await work(engine, job, handler);
    }
  });
  return {
    engine,
    async close() {
      stopped = true;
      await Promise.allSettled(loops);
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function work(engine: Engine, job: JobView, handler: JobHandler): Promise<void> {
  let result: Record<string, unknown> | void;
  try {
    result = await handler(job);
  } catch (err) {
    const e = err as { errorCode?: unknown; message?: string; variables?: Record<string, unknown> };
    if (typeof e?.errorCode === 'string') {
      await engine.throwJobError(job.key, {
        errorCode: e.errorCode,
        ...(e.message ? { errorMessage: e.message } : {}),
        ...(e.variables ? { variables: e.variables } : {}),
      });
    } else {
      await engine.failJob(job.key, { errorMessage: e?.message ?? String(err), retries: job.retries - 1 });
    }
    return;
  }
  await engine.completeJob(job.key, result ?? undefined);
}

/** Polls `probe` every 20 ms until it returns something truthy; fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The instance, which must exist. */
export async function instance(engine: Engine, id: string): Promise<InstanceView> {
  const view = await engine.getInstance(id);
  if (!view) throw new Error(`Expected instance ${id} to exist, but it does not`);
  return view;
}

/** Waits until the instance has the status. */
export function waitStatus(
  engine: Engine,
  id: string,
  status: InstanceView['status'],
  timeoutMs = 5_000,
): Promise<InstanceView> {
  return waitFor(
    `instance ${id} ${status}`,
    async () => {
      const view = await instance(engine, id);
      return view.status === status ? view : undefined;
    },
    timeoutMs,
  );
}

/** Waits until `elementId` holds a token. */
export function waitActive(engine: Engine, id: string, elementId: string, timeoutMs = 5_000): Promise<InstanceView> {
  return waitFor(
    `${elementId} active in ${id}`,
    async () => {
      const view = await instance(engine, id);
      return view.activeElements.includes(elementId) ? view : undefined;
    },
    timeoutMs,
  );
}

/** Waits for the open user task of `elementId` and completes it with `variables`. */
export async function completeUserTask(
  engine: Engine,
  instanceId: string,
  elementId: string,
  variables?: Record<string, unknown>,
) {
  const task = await waitFor(`user task ${elementId}`, async () =>
    (await engine.listUserTasks({ instanceId })).find((t) => t.elementId === elementId),
  );
  await engine.completeUserTask(task.id, variables);
  return task;
}

/** The history of the instance. */
export async function history(engine: Engine, id: string): Promise<HistoryEntry[]> {
  return (await engine.getHistory(id)) ?? [];
}

/** Element ids of the history entries of `type`, in history order. */
export async function idsOf(engine: Engine, id: string, type: string): Promise<string[]> {
  return (await history(engine, id)).filter((h) => h.type === type).map((h) => h.elementId as string);
}

/** How often `elementId` completed. */
export async function completions(engine: Engine, id: string, elementId: string): Promise<number> {
  return (await idsOf(engine, id, 'element-completed')).filter((e) => e === elementId).length;
}

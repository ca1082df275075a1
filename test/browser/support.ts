/**
 * Shared pieces of the browser specs: a `test` whose every page fails the test on console errors
 * and uncaught page errors, fixture files, API helpers for setting up data, and screenshots for docs.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';

const here = fileURLToPath(new URL('.', import.meta.url));
/** The repository root. */
export const ROOT = join(here, '..', '..');

/** Absolute path of a file under test/browser/fixtures/. */
export function fixturePath(name: string): string {
  return join(here, 'fixtures', name);
}

/** Absolute path of the order fulfilment example the analyst journey imports. */
export const EXAMPLE = join(ROOT, 'processes', 'order-fulfilment.bpmn');

/**
 * The order handling fixture (reserve stock, approve, ship, with compensation) under another
 * process id, so specs do not share counts; its "Ship order" job type becomes `ship-<processId>`
 * (no handler: the spec plays the worker).
 */
export function orderXml(processId: string): string {
  return readFileSync(fixturePath('order-handling.bpmn'), 'utf8')
    .replaceAll('"order-handling"', `"${processId}"`)
    .replace('type="ship-parcel"', `type="ship-${processId}"`);
}

interface Fixtures {
  /** Patterns of console errors a test expects (e.g. the 400 of a refused deployment). */
  allowConsoleErrors: RegExp[];
}

/** `test` with a guard: any console error or page error not allowed by `allowConsoleErrors` fails the test. */
export const test = base.extend<Fixtures>({
  allowConsoleErrors: [[], { option: true }],
  page: async ({ page, allowConsoleErrors }, use) => {
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = `${msg.text()} (${msg.location().url})`;
      if (!allowConsoleErrors.some((re) => re.test(text))) errors.push(text);
    });
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    await use(page);
    expect(errors, 'console errors on the page').toEqual([]);
  },
});
export { expect };

/** Deploys BPMN XML through the API; returns the version. */
export async function deploy(request: APIRequestContext, xml: string): Promise<number> {
  const res = await request.post('/api/deployments', { data: xml, headers: { 'content-type': 'application/xml' } });
  expect(res.status(), await res.text()).toBeLessThan(300);
  return (await res.json()).processes[0].version;
}

/** Starts an instance through the API; returns its id. */
export async function startInstance(
  request: APIRequestContext,
  processId: string,
  body: Record<string, unknown> = {},
): Promise<string> {
  const res = await request.post(`/api/processes/${processId}/instances`, { data: body });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).id;
}

/** Polls the API until `probe` returns something truthy. */
export async function until<T>(
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The open user task of an instance (waits for it). */
export async function userTaskOf(
  request: APIRequestContext,
  instanceId: string,
): Promise<{ id: string; elementId: string }> {
  return until(
    async () => (await (await request.get(`/api/user-tasks?instanceId=${instanceId}`)).json())[0],
    `a user task of ${instanceId}`,
  );
}

/**
 * Activates the next job of `type` as an outside worker (waits for one) and checks it belongs to
 * `instanceId`: specs drive one instance at a time per job type.
 */
export async function activateJob(
  request: APIRequestContext,
  type: string,
  instanceId: string,
): Promise<{ key: string }> {
  const job = await until(async () => {
    const res = await request.post('/api/jobs/activate', {
      data: { type, worker: 'browser-test', maxJobs: 1, lockMs: 60_000 },
    });
    return ((await res.json()).jobs as { key: string; instanceId: string }[])[0];
  }, `a ${type} job`);
  expect(job.instanceId).toBe(instanceId);
  return job;
}

/**
 * Saves a 1280x800 screenshot of the page (or of one part of it, `part`): to
 * docs/screenshots/NAME.png when `BATON_SCREENSHOTS=1` (`node test/browser/run.mjs --screenshots`),
 * otherwise to the temp folder so a plain test run leaves the working tree alone.
 */
export async function screenshot(page: Page, name: string, part?: Locator): Promise<void> {
  await page.evaluate(() => {
    document.getElementById('toasts')?.remove();
    window.scrollTo(0, 0);
  });
  const dir =
    process.env.BATON_SCREENSHOTS === '1'
      ? join(ROOT, 'docs', 'screenshots')
      : join(tmpdir(), 'baton-browser-screenshots');
  const path = join(dir, `${name}.png`);
  await (part ? part.screenshot({ path }) : page.screenshot({ path }));
}

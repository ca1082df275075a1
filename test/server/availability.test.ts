/**
 * Availability under the attacks of issue 9 (hole 3): each model is deployed to a real `baton serve`
 * (its own process, default budgets) and started over HTTP while a probe asks `GET /api/health` every
 * 50 ms. Every probe must be answered within 500 ms, and the instance must end up with a
 * BUDGET_EXCEEDED incident instead of running on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  endlessLoop,
  fanOut,
  inclusiveLoop,
  nestedMultiInstance,
  selfCall,
  selfCallAfterTimer,
  throwLoop,
} from '../fixtures/attacks.js';
import { request, waitFor, type Answer } from './helpers.js';

const BIN = fileURLToPath(new URL('../../bin/baton.mjs', import.meta.url));
const PROBE_EVERY_MS = 50;
const PROBE_LIMIT_MS = 500;

/**
 * Starts `baton serve` on a free port with the default budgets; resolves once it listens. The WAL is
 * synced off the event loop (GROUP), so that what the probe measures is the engine's own work, not
 * the disk's fsync latency on a busy machine.
 */
function serve(dbPath: string): Promise<{ child: ChildProcess; url: string }> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    BATON_LOG_LEVEL: 'warn',
    BATON_SYNCHRONOUS: 'GROUP',
  };
  for (const k of Object.keys(env)) if (k.startsWith('BATON_MAX_')) delete env[k];
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', dbPath], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`baton serve exited ${code}: ${stderr}`)));
  });
}

/** Asks GET /api/health every 50 ms until stopped; records how long each answer took (or that it failed). */
function probe(url: string): { stop(): Promise<number[]> } {
  const took: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      const status = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5_000) }).then(
        (r) => r.status,
        () => 0,
      );
      took.push(status === 200 ? performance.now() - t0 : Infinity);
      await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return took;
    },
  };
}

describe('availability under the attacks of issue 9', () => {
  let dir: string;
  let server: { child: ChildProcess; url: string };
  const call = (method: string, path: string, json?: unknown): Promise<Answer> =>
    request(server.url, method, path, json === undefined ? {} : { json });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-availability-'));
    server = await serve(join(dir, 'baton.db'));
  });
  afterAll(() => {
    server?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  /** Deploys and starts `xml` under the probe; returns the probe's timings and the BUDGET_EXCEEDED incidents. */
  async function attack(xml: string, processId: string) {
    const deployed = await request(server.url, 'POST', '/api/deployments', {
      raw: xml,
      contentType: 'application/xml',
    });
    expect(deployed.status).toBe(201);
    const p = probe(server.url);
    await new Promise((r) => setTimeout(r, 2 * PROBE_EVERY_MS));
    const started = await call('POST', `/api/processes/${processId}/instances`, {});
    expect(started.status).toBe(201);
    const incidents = await waitFor(
      `a BUDGET_EXCEEDED incident of ${processId}`,
      async () => {
        const all = (await call('GET', '/api/incidents')).body as { items?: unknown[] } | unknown[];
        const items = (Array.isArray(all) ? all : (all.items ?? [])) as { type: string; instanceId: string }[];
        // only this attack's: an earlier attack's chain may still be being cancelled (through the inbox)
        const budget = items.filter((i) => i.type === 'BUDGET_EXCEEDED');
        const ours: typeof budget = [];
        for (const i of budget)
          if ((await call('GET', `/api/instances/${i.instanceId}`)).body?.processId === processId) ours.push(i);
        return ours.length ? ours : undefined;
      },
      20_000,
    );
    await new Promise((r) => setTimeout(r, 4 * PROBE_EVERY_MS));
    const took = await p.stop();
    return { started: started.body as { id: string; status: string }, incidents, took };
  }

  /** Cancels every active instance and waits until no incident is left (called instances end a moment after their root). */
  async function clearIncidents(): Promise<void> {
    await waitFor(
      'no instance or incident left',
      async () => {
        const all = (await call('GET', '/api/instances?status=active&limit=1000')).body as { items: { id: string }[] };
        for (const i of all.items) await call('POST', `/api/instances/${i.id}/cancel`, {});
        const incidents = (await call('GET', '/api/incidents')).body as unknown[];
        return all.items.length === 0 && incidents.length === 0;
      },
      20_000,
    );
  }

  it.each([
    ['a call activity calling its own process, without a wait state', () => selfCall('atk_self'), 'atk_self'],
    [
      'a call activity calling its own process after a timer',
      () => selfCallAfterTimer('atk_timer', 'PT0.05S'),
      'atk_timer',
    ],
    ['a parallel fan-out of 100 x 100 x 100 paths', () => fanOut('atk_fan'), 'atk_fan'],
    ['nested parallel multi-instances of 100 x 100 x 100', () => nestedMultiInstance('atk_mi'), 'atk_mi'],
    ['an inclusive gateway looping to itself', () => inclusiveLoop('atk_incl'), 'atk_incl'],
    ['an exclusive gateway looping without a wait state', () => endlessLoop('atk_loop'), 'atk_loop'],
    ['a signal throw that starts its own process again', () => throwLoop('signal', 'atk_signal'), 'atk_signal'],
    ['a message throw that starts its own process again', () => throwLoop('message', 'atk_message'), 'atk_message'],
  ])('%s: health answers within 500 ms and the instance ends with BUDGET_EXCEEDED', async (_name, model, pid) => {
    // given a running server and a probe on /api/health
    // when the attack model is deployed and started
    const { started, incidents, took } = await attack(model(), pid);
    // then every probe was answered, each within 500 ms
    expect(took.length).toBeGreaterThan(3);
    expect(Math.max(...took)).toBeLessThan(PROBE_LIMIT_MS);
    // and the instance (or the last one it called or started) stopped with the incident, still active
    expect(started.id).toBeDefined();
    expect(incidents.length).toBeGreaterThanOrEqual(1);
    for (const inc of incidents) {
      const inst = (await call('GET', `/api/instances/${inc.instanceId}`)).body as { status: string };
      expect(inst.status).toBe('active');
    }
    await clearIncidents();
  });

  it('retrying a stopped fan-out continues it, one budget at a time, and health still answers', async () => {
    // given a fan-out stopped by a budget
    const { incidents } = await attack(fanOut('atk_fan_retry'), 'atk_fan_retry');
    const instanceId = incidents[0]!.instanceId;
    const p = probe(server.url);
    // when its incident is retried a few times
    const answers: number[] = [];
    for (let n = 0; n < 4; n++) {
      const open = ((await call('GET', `/api/instances/${instanceId}`)).body as { incidents: { id: string }[] })
        .incidents;
      if (!open.length) break;
      answers.push((await call('POST', `/api/incidents/${open[0]!.id}/retry`, {})).status);
    }
    const took = await p.stop();
    // then each retry answers (200 while it goes on, 409 once the tokens or history limit holds it)
    expect(answers.length).toBeGreaterThan(0);
    for (const s of answers) expect([200, 204, 409]).toContain(s);
    expect(Math.max(...took)).toBeLessThan(PROBE_LIMIT_MS);
    // and the instance is still there, active, with its incident
    const inst = (await call('GET', `/api/instances/${instanceId}`)).body as { status: string; incidents: unknown[] };
    expect(inst.status).toBe('active');
    expect(inst.incidents).toHaveLength(1);
    await clearIncidents();
  });
});

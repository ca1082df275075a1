/** Small helpers of the benchmark: percentiles, garbage collection, memory, formatting, the machine. */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
export const median = (v: readonly number[]) => percentile(v, 50);

setFlagsFromString('--expose-gc');
const gcFn = (globalThis as { gc?: () => void }).gc ?? (runInNewContext('gc') as () => void);

/** Heap used after a full collection (twice, and after the event loop drained a little). */
export async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gcFn();
    await new Promise((r) => setTimeout(r, 20));
  }
  return process.memoryUsage().heapUsed;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `fn(i)` for i < n, keeping at most `concurrency` promises in flight. */
export async function pool(n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < n) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, lane));
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

export function machine(): Record<string, string> {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpu)?.[1] ?? 'unknown';
  const cores = (cpu.match(/^processor\s*:/gm) ?? []).length;
  const mem = /MemTotal:\s*(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
  const ver = (p: string) =>
    (
      JSON.parse(readFileSync(new URL(`../node_modules/${p}/package.json`, import.meta.url), 'utf8')) as {
        version: string;
      }
    ).version;
  return {
    cpus: `${cores} × ${model}`,
    memory: mem ? `${Math.round(Number(mem) / 1024)} MiB` : 'unknown',
    node: process.version,
    'better-sqlite3': ver('better-sqlite3'),
    'bpmn-engine': ver('bpmn-engine'),
  };
}

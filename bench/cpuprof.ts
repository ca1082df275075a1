/**
 * Summarises V8 .cpuprofile files (from `node --cpu-prof`): self time by function and by area,
 * and inclusive time of the engine's main steps. Usage:
 *   node --import tsx bench/cpuprof.ts <file.cpuprofile> [top=25]
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const AREAS: [string, RegExp][] = [
  ['sqlite (better-sqlite3 native)', /better-sqlite3/],
  ['FEEL (feelin, lezer)', /feelin|lezer/],
  [
    'HTTP (express, undici, node:http)',
    /express|body-parser|router|undici|node:_http|node:net|raw-body|iconv|content-type|finalhandler|on-finished/,
  ],
  ['pino / prom-client', /pino|prom-client/],
  ['engine core', /engine\/src\/core/],
  ['engine runtime', /engine\/src\/runtime/],
  ['engine storage (JS side)', /engine\/src\/storage/],
  ['engine model', /engine\/src\/model/],
  ['bpmn-engine (peer)', /bpmn-engine|bpmn-elements|smqp|bpmn-moddle|moddle|saxen/],
  ['bench harness', /\/bench\//],
  ['tsx loader', /tsx\/dist|esbuild/],
];

function area(n: Node): string {
  const { url, functionName } = n.callFrame;
  if (!url) {
    if (['(garbage collector)', '(idle)', '(program)', '(root)'].includes(functionName)) return functionName;
    return `native: ${functionName || '(anonymous)'}`;
  }
  for (const [name, re] of AREAS) if (re.test(url)) return name;
  if (url.startsWith('node:')) return `node: ${url.slice(5)}`;
  return 'other';
}

export function summarize(file: string, top = 25): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()]
    .filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)')
    .reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const fnSelf = new Map<string, number>();
  const areaSelf = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    const f = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|engine|bench)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
    add(fnSelf, f, t);
    add(areaSelf, area(n), t);
  }
  // inclusive time per function name (counted once per stack, so recursion does not double count)
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map<string, number>();
  for (const [id, t] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur)!.callFrame;
      const k = `${cf.functionName || '(anonymous)'} ${cf.url.replace(/^.*\/(node_modules|engine|bench)\//, '$1/')}`;
      if (!seen.has(k)) {
        seen.add(k);
        add(incl, k, t);
      }
    }
  }
  const pct = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)}%`;
  const ms = (t: number) => `${(t / 1000).toFixed(0).padStart(7)} ms`;
  const out = [
    `${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (percentages of busy)`,
    '',
    'By area (self time):',
  ];
  for (const [k, t] of [...areaSelf]
    .filter(([k]) => k !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 18))
    out.push(`${pct(t)} ${ms(t)}  ${k}`);
  out.push('', `Top ${top} functions (self time):`);
  for (const [k, t] of [...fnSelf]
    .filter(([k]) => !k.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top))
    out.push(`${pct(t)} ${ms(t)}  ${k}`);
  out.push('', 'Inclusive time of engine functions:');
  for (const [k, t] of [...incl]
    .filter(([k]) => /engine\/src/.test(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top))
    out.push(`${pct(t)} ${ms(t)}  ${k}`);
  return out.join('\n');
}

if (process.argv[1]?.endsWith('cpuprof.ts')) {
  const [file, top] = process.argv.slice(2);
  if (!file) throw new Error('Expected a .cpuprofile path');
  console.log(summarize(file, top ? Number(top) : 25));
}

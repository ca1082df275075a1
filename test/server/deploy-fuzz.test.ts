/**
 * Property-based deployment fuzzing (issue 5, item 3): valid BPMN documents (processes/ and the
 * conformance cases) are mutated at random (attributes and lines deleted, duplicated or swapped,
 * ids and references changed, characters injected, unknown elements added, the text truncated)
 * and deployed over HTTP. The server must answer 200/201 or 400 INVALID_BPMN, never 5xx, never
 * hang; an instance of every deployed process must start or be refused with a 4xx; and the server
 * is healthy afterwards. Fixed seed, bounded time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = [join(ROOT, 'processes'), join(ROOT, '../shared/conformance/cases')];
/** Fixed for `npm test`; set BATON_FUZZ_SEED / BATON_FUZZ_RUNS to explore further. */
const SEED = Number(process.env.BATON_FUZZ_SEED ?? 20_260_105);
const RUNS = Number(process.env.BATON_FUZZ_RUNS ?? 800);
const TIME_LIMIT_MS = Number(process.env.BATON_FUZZ_TIME_MS ?? 20_000);
const REQUEST_TIMEOUT_MS = 5_000;

function corpus(): string[] {
  const docs: string[] = [];
  for (const dir of SOURCES) {
    let names: string[];
    try {
      names = readdirSync(dir)
        .filter((n) => n.endsWith('.bpmn'))
        .sort();
    } catch {
      continue;
    }
    for (const name of names) docs.push(readFileSync(join(dir, name), 'utf8'));
  }
  return docs;
}

/** One edit of a document; `a` and `b` are random picks scaled to whatever the edit indexes. */
type Mutation = { kind: MutationKind; a: number; b: number; text: string };
const KINDS = [
  'delete-attribute',
  'duplicate-attribute',
  'swap-attribute-values',
  'set-attribute-value',
  'delete-line',
  'duplicate-line',
  'swap-lines',
  'truncate',
  'inject',
  'add-unknown-element',
  'rename-id',
  'replace-text',
] as const;
type MutationKind = (typeof KINDS)[number];

const ATTRIBUTE = /\s([\w:.-]+)="([^"]*)"/g;
const INJECTIONS = [
  '<',
  '>',
  '&',
  '"',
  "'",
  ']]>',
  '<![CDATA[',
  '\u0000',
  '\uFFFF',
  '\uD800',
  '😀',
  '<!--',
  '&#0;',
  '&amp',
  '=',
  '${x}',
  '<!DOCTYPE x>',
  '<?xml version="1.0"?>',
  '</bpmn:process>',
  '<bpmn:process id="P2" isExecutable="true">',
  'xmlns:bpmn="urn:other"',
];
const VALUES = [
  '',
  ' ',
  '=',
  '=a +',
  '=a.b.c > "x"',
  '=count(5)',
  'PT-1S',
  'R-1/PT1S',
  'R99999999/PT0S',
  '* * * * * * *',
  'P1000000Y',
  '0',
  '-1',
  '999999999999999999999',
  'x'.repeat(5_000),
  'Start',
  'End',
  'bpmn:Definitions',
  'true',
  'false',
  '\u202e',
  '=for x in [1..1000000] return x',
];
const UNKNOWN = [
  '<bpmn:foo id="Foo_1" />',
  '<zeebe:bar x="1" />',
  '<unknown xmlns="urn:x"><deep/></unknown>',
  '<bpmn:complexGateway id="Cg_1" />',
  '<bpmn:task id="Start" />',
  '<bpmn:sequenceFlow id="Loop_1" sourceRef="End" targetRef="Start" />',
  '<bpmn:transaction id="Tx_1" />',
  '<bpmn:boundaryEvent id="B_1" attachedToRef="nowhere"><bpmn:timerEventDefinition /></bpmn:boundaryEvent>',
];

function pick<T>(list: readonly T[], n: number): T {
  return list[Math.abs(n) % list.length]!;
}

function mutate(doc: string, m: Mutation): string {
  const attrs = [...doc.matchAll(ATTRIBUTE)];
  const lines = doc.split('\n');
  const at = Math.abs(m.a) % Math.max(1, doc.length);
  switch (m.kind) {
    case 'delete-attribute': {
      if (!attrs.length) return doc;
      const x = pick(attrs, m.a);
      return doc.slice(0, x.index) + doc.slice(x.index + x[0].length);
    }
    case 'duplicate-attribute': {
      if (!attrs.length) return doc;
      const x = pick(attrs, m.a);
      return doc.slice(0, x.index + x[0].length) + x[0] + doc.slice(x.index + x[0].length);
    }
    case 'swap-attribute-values': {
      if (attrs.length < 2) return doc;
      const x = pick(attrs, m.a);
      const y = pick(attrs, m.b);
      return doc.replace(x[0], ` ${x[1]}="${y[2]}"`);
    }
    case 'set-attribute-value': {
      if (!attrs.length) return doc;
      const x = pick(attrs, m.a);
      const value = m.text || pick(VALUES, m.b);
      return doc.slice(0, x.index) + ` ${x[1]}="${value.replace(/"/g, '&quot;')}"` + doc.slice(x.index + x[0].length);
    }
    case 'delete-line':
      lines.splice(Math.abs(m.a) % lines.length, 1);
      return lines.join('\n');
    case 'duplicate-line': {
      const i = Math.abs(m.a) % lines.length;
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 'swap-lines': {
      const i = Math.abs(m.a) % lines.length;
      const j = Math.abs(m.b) % lines.length;
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
    case 'truncate':
      return doc.slice(0, at);
    case 'inject':
      return doc.slice(0, at) + (m.text || pick(INJECTIONS, m.b)) + doc.slice(at);
    case 'add-unknown-element': {
      const closes = [...doc.matchAll(/<\/bpmn:(process|subProcess)>/g)];
      if (!closes.length) return doc;
      const x = pick(closes, m.a);
      return doc.slice(0, x.index) + pick(UNKNOWN, m.b) + doc.slice(x.index);
    }
    case 'rename-id': {
      const ids = attrs.filter((x) => x[1] === 'id');
      if (!ids.length) return doc;
      const id = pick(ids, m.a)[2];
      if (!id) return doc;
      // rename only the definition (dangling references) or every occurrence (a consistent rename)
      return m.b % 2 === 0
        ? doc.replace(`id="${id}"`, `id="${id}_x"`)
        : doc.split(`"${id}"`).join(`"${pick(VALUES, m.b).replace(/"/g, '')}"`);
    }
    case 'replace-text': {
      const texts = [...doc.matchAll(/>([^<>]+)</g)].filter((x) => x[1]!.trim() !== '');
      if (!texts.length) return doc;
      const x = pick(texts, m.a);
      const replacement = (m.text || pick(VALUES, m.b)).replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'));
      return doc.slice(0, x.index! + 1) + replacement + doc.slice(x.index! + 1 + x[1]!.length);
    }
  }
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom(...KINDS),
  a: fc.nat(),
  b: fc.nat(),
  text: fc.oneof(
    { weight: 4, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) },
  ),
});

describe('deploying mutated BPMN documents (fast-check)', () => {
  let t: TestServer;
  const docs = corpus();
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('has a corpus to mutate', () => {
    expect(docs.length).toBeGreaterThan(10);
  });

  it(
    'answers only 200/201 or 400, never 5xx, never hangs, and stays healthy',
    async () => {
      const seen = new Map<number, number>();
      const post = async (path: string, body: string, contentType: string) => {
        const res = await fetch(t.url + path, {
          method: 'POST',
          headers: { 'content-type': contentType },
          body,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        return { status: res.status, text: await res.text() };
      };
      await fc.assert(
        fc.asyncProperty(
          fc.nat(),
          fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
          async (docIndex, mutations) => {
            const xml = mutations.reduce(mutate, pick(docs, docIndex));
            const answer = await post('/api/deployments', xml, 'application/xml');
            seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1);
            if (![200, 201, 400].includes(answer.status)) {
              throw new Error(`deploy answered ${answer.status}: ${answer.text.slice(0, 500)}`);
            }
            const body = JSON.parse(answer.text) as {
              error?: { code: string };
              processes?: { processId: string; version: number }[];
            };
            if (answer.status === 400) {
              expect(body.error?.code).toBe('INVALID_BPMN');
              return;
            }
            // a deployed mutant must also start (or refuse with a 4xx) without harming the server
            for (const p of body.processes ?? []) {
              const started = await post(
                `/api/processes/${encodeURIComponent(p.processId)}/instances`,
                JSON.stringify({ version: p.version }),
                'application/json',
              );
              if (started.status >= 500)
                throw new Error(`starting ${p.processId} answered ${started.status}: ${started.text.slice(0, 500)}`);
            }
          },
        ),
        { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, endOnFailure: true },
      );
      if (process.env.BATON_FUZZ_SEED) console.log('fuzz answers by status', Object.fromEntries(seen));
      const health = await fetch(`${t.url}/api/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', database: { kind: 'sqlite' } });
      // the mutations must have produced both outcomes, or the test proves little
      expect(seen.get(400) ?? 0).toBeGreaterThan(0);
      expect((seen.get(201) ?? 0) + (seen.get(200) ?? 0)).toBeGreaterThan(0);
    },
    TIME_LIMIT_MS + 40_000,
  );
});

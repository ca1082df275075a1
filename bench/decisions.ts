/**
 * Workload (j), decisions: a 20-rule, 3-input decision table (comparisons, intervals, lists, `not`)
 * evaluated standalone — by the pure evaluator and through the engine's API (committed reads of the
 * deployed decision, then the evaluation) — and called by a business rule task, against the same
 * process with a plain task in its place: the difference is what a decision adds to an instance.
 */
import { performance } from 'node:perf_hooks';
import { evaluateDecision } from '../engine/src/decisions/evaluate.js';
import { compileDmn } from '../engine/src/model/dmn/compile.js';
import { open, type Measure } from './baton.js';
import { pool } from './stats.js';

const TIERS = ['"gold"', '"silver"', '"bronze"', '"gold","silver"', 'not("bronze")'];
const TOTALS = ['< 100', '[100..500)', '[500..1000)', '>= 1000'];
const REGIONS = ['"EU"', '"US"', '-', '"EU","UK"'];

/** A DMN document with one 20-rule table `discount`: rule i combines a tier, a total and a region test. */
export function twentyRules(hitPolicy: string): string {
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const cell = (kind: string, id: string, text: string) => `<${kind} id="${id}"><text>${esc(text)}</text></${kind}>`;
  const rules = Array.from({ length: 20 }, (_, i) => {
    const ins = [TIERS[i % 5]!, TOTALS[Math.floor(i / 5)]!, REGIONS[i % 4]!];
    return `<rule id="R${i + 1}">${ins.map((t, c) => cell('inputEntry', `I${i + 1}_${c}`, t)).join('')}${cell('outputEntry', `O${i + 1}`, String(i + 1))}</rule>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="Bench" name="Bench" namespace="http://baton.bench">
<decision id="discount" name="Discount"><decisionTable id="T" hitPolicy="${hitPolicy}">
<input id="In1"><inputExpression id="E1" typeRef="string"><text>customer.tier</text></inputExpression></input>
<input id="In2"><inputExpression id="E2" typeRef="number"><text>order.total</text></inputExpression></input>
<input id="In3"><inputExpression id="E3" typeRef="string"><text>order.region</text></inputExpression></input>
<output id="Out" name="discount" typeRef="number" />
${rules}
</decisionTable></decision></definitions>`;
}

/** Inputs cycling through the tiers, totals and regions of the table. */
export const ORDERS = Array.from({ length: 64 }, (_, i) => ({
  customer: { tier: ['gold', 'silver', 'bronze'][i % 3] },
  order: { total: (i * 37) % 1500, region: ['EU', 'US', 'UK', 'APAC'][i % 4] },
}));

/** Start → `task` → end, as process `id`. */
function process(id: string, task: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Defs_${id}" targetNamespace="http://baton.bench">
<bpmn:process id="${id}" isExecutable="true">
<bpmn:startEvent id="Start" />
<bpmn:sequenceFlow id="F0" sourceRef="Start" targetRef="Task" />
${task}
<bpmn:sequenceFlow id="F1" sourceRef="Task" targetRef="End" />
<bpmn:endEvent id="End" />
</bpmn:process>
</bpmn:definitions>`;
}

const WITH_DECISION = process(
  'bench_h',
  '<bpmn:businessRuleTask id="Task"><bpmn:extensionElements><zeebe:calledDecision decisionId="discount" resultVariable="discount" /></bpmn:extensionElements></bpmn:businessRuleTask>',
);
const WITHOUT = process('bench_h0', '<bpmn:task id="Task" />');

/** Runs `fn` for about `ms` milliseconds, after a quarter of that to warm up; calls per second. */
function perSecond(ms: number, fn: (i: number) => void): number {
  let n = 0;
  for (const warm = performance.now(); performance.now() - warm < ms / 4;) fn(n++);
  const start = performance.now();
  n = 0;
  while (performance.now() - start < ms) for (let k = 0; k < 50; k++) fn(n++);
  return n / ((performance.now() - start) / 1000);
}

/**
 * Evaluations per second of the FIRST table (pure and through the API), and instances per second
 * of the process with and without the business rule task (`n` each, `concurrency` in flight,
 * alternated twice, the best of each).
 */
export async function batonDecisions(n: number, concurrency: number, evalMs: number): Promise<Measure> {
  const { graph } = await compileDmn(twentyRules('FIRST'));
  const pureRate = perSecond(evalMs, (i) => {
    if (!evaluateDecision(graph!, 'discount', ORDERS[i % ORDERS.length]!).ok) throw new Error('evaluation failed');
  });
  const b = await open();
  await b.engine.deploy([
    { name: 'discount.dmn', content: twentyRules('FIRST') },
    { name: 'bench_h.bpmn', content: WITH_DECISION },
    { name: 'bench_h0.bpmn', content: WITHOUT },
  ]);
  let calls = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < evalMs)
    await b.engine.resources.evaluateDecision('discount', { variables: ORDERS[calls++ % ORDERS.length]! });
  const apiRate = calls / ((performance.now() - t0) / 1000);
  const rate = async (processId: string) => {
    const run = (count: number) =>
      pool(count, concurrency, async (i) => {
        await b.engine.startInstance({ processId, variables: ORDERS[i % ORDERS.length]! });
      });
    await run(Math.max(10, Math.round(n / 10)));
    const start = performance.now();
    await run(n);
    return n / ((performance.now() - start) / 1000);
  };
  // alternated, best of two each: the machine's other load hits both alike
  let base = 0;
  let withDecision = 0;
  for (let round = 0; round < 2; round++) {
    base = Math.max(base, await rate('bench_h0'));
    withDecision = Math.max(withDecision, await rate('bench_h'));
  }
  const completed = b
    .db!.prepare(`SELECT COUNT(*) AS n FROM instances WHERE process_id = 'bench_h' AND status = 'completed'`)
    .get() as { n: number };
  await b.engine.close();
  return {
    pureRate,
    apiRate,
    baseRate: base,
    rate: withDecision,
    costUs: (1 / withDecision - 1 / base) * 1e6,
    completed: completed.n,
  };
}

/**
 * `node --import tsx bench/dmn.ts [--seconds N]`: a micro-benchmark of the pure DMN evaluator.
 * A 20-rule, 3-input decision table (comparisons, intervals, lists, `not`) under FIRST (stops at
 * the match) and COLLECT (tests every rule), a 4-decision requirements graph, and the compile
 * time of both documents. Prints evaluations per second (median of rounds); nothing is asserted.
 */
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { evaluateDecision } from '../engine/src/decisions/evaluate.js';
import { compileDmn } from '../engine/src/model/dmn/compile.js';
import type { DecisionGraph } from '../engine/src/model/dmn/types.js';
import { ORDERS, twentyRules } from './decisions.js';

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf('--seconds') + 1] || 1);

async function compile(xml: string): Promise<{ graph: DecisionGraph; ms: number }> {
  const t = performance.now();
  const { graph, problems } = await compileDmn(xml);
  if (!graph) throw new Error(JSON.stringify(problems));
  return { graph, ms: performance.now() - t };
}

/** Evaluations per second: median of five rounds of `seconds / 5` each. */
function rate(graph: DecisionGraph, id: string, inputs: readonly Record<string, unknown>[]): number {
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    let n = 0;
    const end = performance.now() + (seconds * 1000) / 5;
    const start = performance.now();
    while (performance.now() < end) {
      for (let k = 0; k < 100; k++) {
        const answer = evaluateDecision(graph, id, inputs[n % inputs.length]!);
        if (!answer.ok) throw new Error(answer.message);
        n++;
      }
    }
    rounds.push(n / ((performance.now() - start) / 1000));
  }
  return rounds.sort((a, b) => a - b)[2]!;
}

const loans = Array.from({ length: 64 }, (_, i) => ({
  applicant: { creditScore: 550 + ((i * 13) % 300), monthlyDebts: 200 + ((i * 97) % 2000), monthlyIncome: 4000 },
  loan: { amount: 50_000 + ((i * 7919) % 400_000) },
}));

const rows: string[] = [];
for (const hitPolicy of ['FIRST', 'COLLECT']) {
  const { graph, ms } = await compile(twentyRules(hitPolicy));
  rows.push(
    `| 20-rule table, ${hitPolicy} | ${Math.round(rate(graph, 'discount', ORDERS)).toLocaleString('en')} | ${ms.toFixed(1)} |`,
  );
}
const loan = await compile(
  readFileSync(new URL('../test/fixtures/dmn/loan-underwriting.dmn', import.meta.url), 'utf8'),
);
rows.push(
  `| loan DRD (4 decisions) | ${Math.round(rate(loan.graph, 'loanOffer', loans)).toLocaleString('en')} | ${loan.ms.toFixed(1)} |`,
);
console.log(`Node ${process.version}, ${seconds} s per case\n`);
console.log('| case | evaluations/s | compile ms (first) |\n| --- | ---: | ---: |');
console.log(rows.join('\n'));

/**
 * Hit policies: the matched rules' outputs -> the table's result, shaped as Camunda 8 shapes it.
 * One output gives its value, several give a context by output name; the multi-hit policies
 * (COLLECT, RULE ORDER, OUTPUT ORDER) give a list of those; COLLECT with an aggregation gives
 * one number.
 */
import type { OutputDef, RuleDef, TableDef } from '../model/dmn/types.js';
import { describe, feelTypeOf, sameValue } from './values.js';

/** One matched rule with its output values (FEEL values, in output order). */
export interface Hit {
  readonly rule: RuleDef;
  readonly values: readonly unknown[];
}

/** A table's result, or why the hit policy was violated. */
export type HitResult =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** The value of one rule's outputs: the bare value for one output, a context for several. */
export function shape(outputs: readonly OutputDef[], values: readonly unknown[]): unknown {
  if (outputs.length === 1) return values[0] ?? null;
  return Object.fromEntries(outputs.map((o, i) => [o.name ?? o.id, values[i] ?? null]));
}

/** Applies the table's hit policy to its hits (at least one; no match is handled by the caller). */
export function applyHitPolicy(table: TableDef, decisionId: string, hits: readonly Hit[]): HitResult {
  const one = (hit: Hit): HitResult => ({ ok: true, value: shape(table.outputs, hit.values) });
  const list = (ordered: readonly Hit[]): HitResult => ({
    ok: true,
    value: ordered.map((h) => shape(table.outputs, h.values)),
  });
  switch (table.hitPolicy) {
    case 'FIRST':
      return one(hits[0]!);
    case 'UNIQUE':
      return hits.length === 1
        ? one(hits[0]!)
        : fail(
            `Expected at most one rule of decision ${decisionId} to match (hit policy UNIQUE), but ${rules(hits)} matched`,
          );
    case 'ANY': {
      const differing = hits.find((h) => !h.values.every((v, i) => sameValue(v, hits[0]!.values[i])));
      return differing
        ? fail(
            `Expected the matching rules of decision ${decisionId} to agree on their outputs (hit policy ANY), but ${rules([hits[0]!])} gives ${describe(shape(table.outputs, hits[0]!.values))} and ${rules([differing])} gives ${describe(shape(table.outputs, differing.values))}`,
          )
        : one(hits[0]!);
    }
    case 'PRIORITY':
      return one(byPriority(table.outputs, hits)[0]!);
    case 'OUTPUT ORDER':
      return list(byPriority(table.outputs, hits));
    case 'RULE ORDER':
      return list(hits);
    case 'COLLECT':
      return table.aggregation ? aggregate(table.aggregation, decisionId, hits) : list(hits);
  }
}

function fail(message: string): HitResult {
  return { ok: false, message };
}

/** "rules 2 (Rule_b) and 5 (Rule_e)"; past five rules, "… and 12 more". */
function rules(hits: readonly Hit[]): string {
  const named = hits.slice(0, 5).map((h) => `${h.rule.index} (${h.rule.id})`);
  const last = hits.length > 5 ? `${hits.length - 5} more` : named.pop()!;
  return named.length === 0 ? `rule ${last}` : `rules ${named.join(', ')} and ${last}`;
}

/**
 * Sorts hits by their outputs' rank in the outputs' `outputValues` (the first output that lists
 * values decides first); a value not in its list ranks after every listed one. Stable: equal
 * ranks keep table order.
 */
function byPriority(outputs: readonly OutputDef[], hits: readonly Hit[]): Hit[] {
  const rank = (hit: Hit): number[] =>
    outputs.map((o, i) => {
      if (!o.priorities) return 0;
      const at = o.priorities.indexOf(hit.values[i] as never);
      return at === -1 ? o.priorities.length : at;
    });
  const ranked = hits.map((hit) => ({ hit, rank: rank(hit) }));
  ranked.sort((a, b) => {
    for (let i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return a.rank[i]! - b.rank[i]!;
    return 0;
  });
  return ranked.map((r) => r.hit);
}

/** COLLECT with SUM, MIN or MAX over the single output's numbers, or COUNT of the matched rules. */
function aggregate(
  aggregation: NonNullable<TableDef['aggregation']>,
  decisionId: string,
  hits: readonly Hit[],
): HitResult {
  if (aggregation === 'COUNT') return { ok: true, value: hits.length };
  const numbers: number[] = [];
  for (const hit of hits) {
    const v = hit.values[0];
    if (typeof v !== 'number') {
      return fail(
        `Expected every matched output of decision ${decisionId} to be a number for COLLECT ${aggregation}, but ${rules([hit])} gives a ${feelTypeOf(v)}: ${describe(v)}`,
      );
    }
    numbers.push(v);
  }
  const fold = {
    SUM: (a: number, b: number) => a + b,
    MIN: (a: number, b: number) => Math.min(a, b),
    MAX: (a: number, b: number) => Math.max(a, b),
  }[aggregation];
  const value = aggregation === 'SUM' ? numbers.reduce(fold, 0) : numbers.reduce(fold);
  return { ok: true, value };
}

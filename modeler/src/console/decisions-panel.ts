/**
 * The instance page's "Decisions" panel: every decision a business rule task evaluated
 * (`GET /api/console/instances/:id/decisions`), each decision of its requirements graph as its
 * table — input values over the columns, every rule with the matched ones highlighted, the output —
 * read from the deployed DMN (`GET /api/decisions/:id/xml?version=N`).
 */
import '../styles/decisions.css';
import { api } from '../shared/api';
import { h, mount } from '../shared/dom';
import type { DecisionEvaluationEntry } from '../../../engine/src/runtime/api-types';
import type { EvaluatedDecision } from '../../../engine/src/decisions/types';

const enc = encodeURIComponent;
const DMN_TYPES = new Set(['decision-evaluated', 'decision-evaluation-failed']);

/** Whether any of these history entry types is a decision evaluation (so the panel is worth loading). */
export function hasDecisions(types: readonly string[]): boolean {
  return types.some((t) => DMN_TYPES.has(t));
}

/** The decision evaluations of instance `id`. */
export function loadDecisions(id: string): Promise<DecisionEvaluationEntry[]> {
  return api<DecisionEvaluationEntry[]>(`/api/console/instances/${enc(id)}/decisions`);
}

/** The DMN documents already read, by decision id and version. */
const documents = new Map<string, Promise<Document>>();

function dmnOf(decisionId: string, version: number): Promise<Document> {
  const key = `${decisionId}@${version}`;
  let doc = documents.get(key);
  if (!doc) {
    doc = api<string>(`/api/decisions/${enc(decisionId)}/xml`, { query: { version } }).then((xml) =>
      new DOMParser().parseFromString(xml, 'application/xml'),
    );
    documents.set(key, doc);
  }
  return doc;
}

/** Renders `entries` into `el` (hidden when there are none); redraws only when they changed. */
export async function decisionsPanel(
  el: HTMLElement,
  entries: DecisionEvaluationEntry[],
  nameOf: (elementId: string) => string,
): Promise<void> {
  el.hidden = entries.length === 0;
  const shown = entries.map((e) => e.seq).join(',');
  if (el.dataset.shown === shown) return;
  el.dataset.shown = shown;
  const items = await Promise.all(entries.map((e) => evaluation(e, nameOf)));
  mount(el, h('h2', {}, 'Decisions'), items);
}

async function evaluation(entry: DecisionEvaluationEntry, nameOf: (elementId: string) => string): Promise<HTMLElement> {
  const doc = await dmnOf(entry.decisionId, entry.version).catch(() => undefined);
  return h(
    'article',
    { class: 'decision-evaluation', 'data-decision': entry.decisionId, 'data-seq': entry.seq },
    h(
      'h3',
      {},
      entry.elementId ? `${nameOf(entry.elementId)} → ` : '',
      entry.decisionName ?? entry.decisionId,
      h('span', { class: 'muted' }, ` v${entry.version}`),
    ),
    entry.failure
      ? h('p', { class: 'bad decision-failure' }, entry.failure)
      : h(
          'p',
          { class: 'decision-result' },
          h('code', {}, entry.resultVariable),
          ' = ',
          h('code', {}, JSON.stringify(entry.result)),
        ),
    entry.evaluations.map((d) => decisionTable(d, doc)),
  );
}

/** One evaluated decision: its whole table with the matched rules marked, or a literal expression. */
function decisionTable(d: EvaluatedDecision, doc: Document | undefined): HTMLElement {
  const title = h(
    'h4',
    {},
    d.decisionName ?? d.decisionId,
    d.hitPolicy ? h('span', { class: 'muted' }, ` · ${d.hitPolicy}`) : null,
  );
  const outcome = d.failure
    ? h('p', { class: 'bad' }, d.failure)
    : h('p', { class: 'muted' }, 'Result ', h('code', {}, JSON.stringify(d.result)));
  if (d.kind !== 'table')
    return h('div', { class: 'decision', 'data-decision-id': d.decisionId }, title, literalText(doc, d), outcome);
  const table = findDecision(doc, d.decisionId)?.getElementsByTagNameNS('*', 'decisionTable')[0];
  const outputs = table ? children(table, 'output') : [];
  const rules = table ? children(table, 'rule') : [];
  const matched = new Set(d.matchedRules.map((r) => r.ruleIndex));
  const head = h(
    'tr',
    {},
    h('th', {}, '#'),
    d.inputs.map((input) =>
      h(
        'th',
        { class: 'decision-input' },
        input.label ?? input.expression,
        h('div', { class: 'input-value' }, '= ', h('code', {}, JSON.stringify(input.value) ?? 'null')),
      ),
    ),
    outputs.map((o) => h('th', { class: 'decision-output' }, o.getAttribute('label') || o.getAttribute('name') || '')),
  );
  const body = rules.length
    ? rules.map((rule, i) =>
        h(
          'tr',
          { class: matched.has(i + 1) ? 'matched' : '', 'data-rule': i + 1 },
          h('td', { class: 'num' }, String(i + 1)),
          children(rule, 'inputEntry').map((e) => h('td', { class: 'mono' }, textOf(e) || '-')),
          children(rule, 'outputEntry').map((e) => h('td', { class: 'mono' }, textOf(e))),
        ),
      )
    : // the DMN could not be read: list the matched rules from the audit alone
      d.matchedRules.map((r) =>
        h(
          'tr',
          { class: 'matched', 'data-rule': r.ruleIndex },
          h('td', { class: 'num' }, String(r.ruleIndex)),
          d.inputs.map(() => h('td', {})),
          r.outputs.map((o) => h('td', { class: 'mono' }, JSON.stringify(o.value))),
        ),
      );
  return h(
    'div',
    { class: 'decision', 'data-decision-id': d.decisionId },
    title,
    h('div', { class: 'table-scroll' }, h('table', { class: 'table decision-table' }, h('thead', {}, head), body)),
    d.matchedRules.length ? null : h('p', { class: 'muted' }, 'No rule matched.'),
    outcome,
  );
}

function literalText(doc: Document | undefined, d: EvaluatedDecision): HTMLElement | null {
  const literal = findDecision(doc, d.decisionId)?.getElementsByTagNameNS('*', 'literalExpression')[0];
  return literal ? h('pre', { class: 'mono literal-expression' }, textOf(literal)) : null;
}

function findDecision(doc: Document | undefined, id: string): Element | undefined {
  return doc ? [...doc.getElementsByTagNameNS('*', 'decision')].find((e) => e.getAttribute('id') === id) : undefined;
}

function children(el: Element, name: string): Element[] {
  return [...el.children].filter((c) => c.localName === name);
}

function textOf(el: Element): string {
  return (children(el, 'text')[0]?.textContent ?? '').trim();
}

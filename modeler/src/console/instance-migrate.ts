/**
 * Migration of one instance from the console (issue 15): the operator picks a version of the same
 * process, reviews the mapping of every active element (a dry run: what each becomes, what cannot
 * migrate and why, the catch events closed and opened), may change it, and migrates with a reason.
 */
import { api, errorText } from '../shared/api';
import { getActor, setActor } from '../shared/actor';
import { openDialog } from '../shared/dialog';
import { h, mount, toast } from '../shared/dom';
import type { DefinitionSummary, Instance } from '../shared/types';
import { processXml } from './diagram';

const enc = encodeURIComponent;

/** `POST /api/instances/:id/migration` with `dryRun`. */
interface MigrationView {
  ok: boolean;
  mapping: { elementKey: string; sourceElementId: string; targetElementId: string | null }[];
  closed: string[];
  opened: string[];
  problems: { message: string; elementId?: string }[];
  warnings: string[];
}

/** The flow nodes of a version, read from its XML: id → label. */
async function elementsOf(processId: string, version: number): Promise<[string, string][]> {
  const doc = new DOMParser().parseFromString(await processXml(processId, version), 'application/xml');
  const out: [string, string][] = [];
  for (const el of Array.from(doc.getElementsByTagName('*'))) {
    const id = el.getAttribute('id');
    if (!id || !/(task|event|gateway|subprocess|transaction|callactivity)$/i.test(el.localName)) continue;
    const name = el.getAttribute('name');
    out.push([id, name ? `${name} (${id})` : id]);
  }
  return out;
}

/** Opens the migration dialog of `instance`. */
export async function migrateDialog(instance: Instance, refresh: () => Promise<void>): Promise<void> {
  const versions = (await api<DefinitionSummary[]>('/api/console/definitions'))
    .filter((d) => d.processId === instance.processId && d.version !== instance.version)
    .map((d) => d.version);
  if (!versions.length) {
    toast(`No other version of ${instance.processId} is deployed: deploy the fixed one first`, 'error');
    return;
  }
  const version = h(
    'select',
    { id: 'migrate-version' },
    versions.map((v) => h('option', { value: v }, `v${v}`)),
  );
  const review = h('div', { id: 'migrate-review', class: 'migrate-review' });
  const reason = h('textarea', { id: 'reason-input', rows: 2, placeholder: 'Why? (kept in the history)' });
  const actor = h('input', { id: 'reason-actor', type: 'text', value: getActor() });
  /** What each active element becomes without an instruction (the first dry run of a version), and the operator's choices. */
  let defaults = new Map<string, string>();
  let choices = new Map<string, string>();
  let last: MigrationView | undefined;
  const instructions = () =>
    [...choices]
      .filter(([source, target]) => target !== defaults.get(source))
      .map(([source, target]) => ({ sourceElementId: source, targetElementId: target || null }));
  const check = async () => {
    const targetVersion = Number(version.value);
    mount(review, h('p', { class: 'muted' }, 'Checking…'));
    try {
      const [dry, elements] = await Promise.all([
        api<MigrationView>(`/api/instances/${enc(instance.id)}/migration`, {
          json: { targetVersion, dryRun: true, mappingInstructions: instructions() },
        }),
        elementsOf(instance.processId, targetVersion),
      ]);
      if (!defaults.size) defaults = new Map(dry.mapping.map((m) => [m.sourceElementId, m.targetElementId ?? '']));
      last = dry;
      renderReview(
        review,
        dry,
        elements,
        (source) => choices.get(source) ?? defaults.get(source) ?? '',
        (source, target) => {
          choices.set(source, target);
          void check();
        },
      );
    } catch (err) {
      last = undefined;
      mount(review, h('p', { class: 'bad' }, errorText(err)));
    }
  };
  version.addEventListener('change', () => {
    defaults = new Map();
    choices = new Map();
    void check();
  });
  void check();
  const answer = await openDialog({
    title: `Migrate instance ${instance.id} (v${instance.version})`,
    confirmLabel: 'Migrate',
    body: [
      h('label', {}, 'Target version', version),
      review,
      h('label', {}, 'Reason', reason),
      h('label', {}, 'Your name', actor),
    ],
    focus: version,
    collect: () => {
      if (!last?.ok || !reason.value.trim() || !actor.value.trim()) return undefined;
      setActor(actor.value.trim());
      return { targetVersion: Number(version.value), reason: reason.value.trim(), mappingInstructions: instructions() };
    },
  });
  if (!answer) return;
  try {
    await api(`/api/instances/${enc(instance.id)}/migration`, { json: answer });
    toast(`Migrated to v${answer.targetVersion}`);
  } catch (err) {
    toast(errorText(err), 'error');
  }
  await refresh();
}

/** The mapping table (one select per active element), the problems and the catch events closed and opened. */
function renderReview(
  el: HTMLElement,
  dry: MigrationView,
  elements: [string, string][],
  current: (source: string) => string,
  choose: (source: string, target: string) => void,
): void {
  const sources = [...new Set(dry.mapping.map((m) => m.sourceElementId))];
  const rows = sources.map((source) => {
    const sel = h(
      'select',
      { 'data-source': source, onchange: () => choose(source, sel.value) },
      h('option', { value: '' }, '— not mapped —'),
      elements.map(([id, label]) => h('option', { value: id, selected: id === current(source) }, label)),
    );
    const problems = dry.problems.filter((p) => p.elementId === source);
    return h(
      'tr',
      { 'data-source': source },
      h('td', { class: 'mono' }, source),
      h('td', {}, sel),
      h('td', { class: problems.length ? 'bad' : 'ok' }, problems.length ? '✗' : '✓'),
    );
  });
  mount(
    el,
    h(
      'table',
      { class: 'table compact', id: 'migrate-mapping' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Active element'), h('th', {}, 'Becomes'), h('th', {}, ''))),
      h('tbody', {}, rows),
    ),
    dry.ok
      ? h('p', { id: 'migrate-ok' }, 'Every active element can migrate.')
      : h(
          'ul',
          { class: 'bad', id: 'migrate-problems' },
          dry.problems.map((p) => h('li', {}, p.message)),
        ),
    dry.warnings.length
      ? h(
          'ul',
          { class: 'muted' },
          dry.warnings.map((w) => h('li', {}, w)),
        )
      : null,
    h(
      'p',
      { class: 'muted', id: 'migrate-events' },
      `Catch events closed: ${dry.closed.join(', ') || '—'} · opened: ${dry.opened.join(', ') || '—'}`,
    ),
  );
}

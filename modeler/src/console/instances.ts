/**
 * `#/instances`: the instance list with filters (process, version, status, business key, with
 * incidents) and paging. The filters live in the hash query, so a filtered list can be linked.
 */
import { api } from '../shared/api';
import { badge, formatTime, h, mount } from '../shared/dom';
import type { DefinitionSummary, InstanceSummary } from '../shared/types';
import { batchDialog } from './batch-dialog';
import { poll, type Page } from './page';

const PAGE_SIZE = 20;
const STATUSES = ['active', 'suspended', 'completed', 'cancelled'];

export const instancesPage: Page = async (view, _params, query) => {
  const defs = await api<DefinitionSummary[]>('/api/console/definitions');
  const processIds = [...new Set(defs.map((d) => d.processId))];
  const processId = query.get('processId') ?? '';
  const page = Math.max(1, Number(query.get('page')) || 1);

  const processSelect = h(
    'select',
    { name: 'processId', id: 'filter-process' },
    h('option', { value: '' }, 'All processes'),
    processIds.map((p) => h('option', { value: p, selected: p === processId }, p)),
  );
  const versionSelect = h('select', { name: 'version', id: 'filter-version' });
  const fillVersions = () =>
    mount(
      versionSelect,
      h('option', { value: '' }, 'All versions'),
      defs
        .filter((d) => d.processId === processSelect.value)
        .map((d) =>
          h('option', { value: d.version, selected: String(d.version) === query.get('version') }, `v${d.version}`),
        ),
    );
  fillVersions();
  processSelect.addEventListener('change', () => {
    query.delete('version');
    fillVersions();
  });
  const status = h(
    'select',
    { name: 'status', id: 'filter-status' },
    h('option', { value: '' }, 'Any status'),
    STATUSES.map((s) => h('option', { value: s, selected: s === query.get('status') }, s)),
  );
  const businessKey = h('input', {
    name: 'businessKey',
    id: 'filter-business-key',
    value: query.get('businessKey') ?? '',
    placeholder: 'Business key',
  });
  const incidents = h('input', {
    type: 'checkbox',
    name: 'incidents',
    id: 'filter-incidents',
    checked: query.get('incidents') === '1',
  });

  const apply = (e: Event) => {
    e.preventDefault();
    const q = new URLSearchParams();
    if (processSelect.value) q.set('processId', processSelect.value);
    if (processSelect.value && versionSelect.value) q.set('version', versionSelect.value);
    if (status.value) q.set('status', status.value);
    if (businessKey.value.trim()) q.set('businessKey', businessKey.value.trim());
    if (incidents.checked) q.set('incidents', '1');
    location.hash = `#/instances?${q}`;
  };
  const results = h('section', { class: 'card', id: 'instance-results' });
  mount(
    view,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Instances'),
      h(
        'button',
        { type: 'button', class: 'secondary', id: 'batch-open', onclick: () => void batchDialog(query, defs) },
        'Batch operation…',
      ),
    ),
    h(
      'form',
      { class: 'card filters', id: 'instance-filters', onsubmit: apply },
      h('label', {}, 'Process', processSelect),
      h('label', {}, 'Version', versionSelect),
      h('label', {}, 'Status', status),
      h('label', {}, 'Business key', businessKey),
      h('label', { class: 'inline' }, incidents, 'With incidents'),
      h('button', { type: 'submit', class: 'primary' }, 'Filter'),
      h('a', { href: '#/instances', class: 'button secondary' }, 'Reset'),
    ),
    results,
  );

  const load = async () => {
    const answer = await api<{ items: InstanceSummary[]; total: number }>('/api/console/instances', {
      query: {
        processId: query.get('processId') ?? undefined,
        version: query.get('version') ?? undefined,
        status: query.get('status') ?? undefined,
        businessKey: query.get('businessKey') ?? undefined,
        withIncidents: query.get('incidents') === '1' ? 'true' : undefined,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      },
    });
    mount(
      results,
      answer.items.length ? table(answer.items) : h('p', { class: 'muted' }, 'No instances match these filters.'),
      pager(query, page, answer.total),
    );
  };
  await load();
  return poll(4000, load);
};

function table(items: InstanceSummary[]): HTMLElement {
  return h(
    'table',
    { class: 'table', id: 'instances' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Instance', 'Process', 'Business key', 'Status', 'Incidents', 'Started', 'Ended'].map((t) => h('th', {}, t)),
      ),
    ),
    h(
      'tbody',
      {},
      items.map((i) =>
        h(
          'tr',
          { 'data-instance': i.id },
          h('td', {}, h('a', { href: `#/instances/${encodeURIComponent(i.id)}`, class: 'mono strong' }, i.id)),
          h('td', {}, i.processId, h('span', { class: 'muted' }, ` v${i.version}`)),
          h('td', {}, i.businessKey ?? h('span', { class: 'muted' }, '—')),
          h('td', {}, badge(i.status)),
          h(
            'td',
            {},
            i.openIncidents ? badge('incident', `${i.openIncidents} open`) : h('span', { class: 'muted' }, '—'),
          ),
          h('td', { class: 'muted' }, formatTime(i.startedAt)),
          h('td', { class: 'muted' }, formatTime(i.endedAt)),
        ),
      ),
    ),
  );
}

function pager(query: URLSearchParams, page: number, total: number): HTMLElement {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const link = (p: number, label: string, enabled: boolean) => {
    const q = new URLSearchParams(query);
    q.set('page', String(p));
    return enabled
      ? h('a', { class: 'button small', href: `#/instances?${q}`, 'data-page': label }, label)
      : h('span', { class: 'button small disabled' }, label);
  };
  return h(
    'div',
    { class: 'pager' },
    link(page - 1, '‹ Previous', page > 1),
    h(
      'span',
      { class: 'muted', id: 'page-info' },
      `Page ${page} of ${pages} · ${total} instance${total === 1 ? '' : 's'}`,
    ),
    link(page + 1, 'Next ›', page < pages),
  );
}

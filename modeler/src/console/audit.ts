/**
 * `#/audit`: the audit log of operator actions (deploy, cancel, suspend, resume, variable edits,
 * incident retries, modifications, migrations, batch operations), newest first, with filters in the
 * hash query and paging.
 */
import { api } from '../shared/api';
import { formatTime, h, mount } from '../shared/dom';
import { poll, type Page } from './page';

const PAGE = 50;
const ACTIONS = [
  'deploy',
  'cancel',
  'suspend',
  'resume',
  'set-variables',
  'retry-incident',
  'modify',
  'migrate',
  'batch-create',
  'batch-cancel',
];

interface Entry {
  seq: number;
  time: string;
  actor: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

/** A link to what an entry acted on. */
function target(e: Entry): HTMLElement | string {
  if (!e.targetId) return e.targetType;
  const href =
    e.targetType === 'instance'
      ? `#/instances/${encodeURIComponent(e.targetId)}`
      : e.targetType === 'batch'
        ? `#/operations/${encodeURIComponent(e.targetId)}`
        : e.targetType === 'incident' && typeof e.details.instanceId === 'string'
          ? `#/instances/${encodeURIComponent(e.details.instanceId)}`
          : undefined;
  const label = `${e.targetType} ${e.targetType === 'batch' ? e.targetId.slice(0, 8) : e.targetId}`;
  return href ? h('a', { href, class: 'mono' }, label) : h('span', { class: 'mono' }, label);
}

export const auditPage: Page = async (view, _params, query) => {
  const page = Math.max(1, Number(query.get('page')) || 1);
  const actor = h('input', { id: 'audit-actor', value: query.get('actor') ?? '', placeholder: 'Actor' });
  const action = h(
    'select',
    { id: 'audit-action' },
    h('option', { value: '' }, 'Any action'),
    ACTIONS.map((a) => h('option', { value: a, selected: a === query.get('action') }, a)),
  );
  const targetId = h('input', {
    id: 'audit-target',
    value: query.get('targetId') ?? '',
    placeholder: 'Target id (instance, batch, …)',
  });
  const results = h('section', { class: 'card', id: 'audit-results' });
  const apply = (e: Event) => {
    e.preventDefault();
    const q = new URLSearchParams();
    if (actor.value.trim()) q.set('actor', actor.value.trim());
    if (action.value) q.set('action', action.value);
    if (targetId.value.trim()) q.set('targetId', targetId.value.trim());
    location.hash = `#/audit?${q}`;
  };
  mount(
    view,
    h('div', { class: 'page-head' }, h('h1', {}, 'Audit log')),
    h(
      'form',
      { class: 'card filters', id: 'audit-filters', onsubmit: apply },
      h('label', {}, 'Actor', actor),
      h('label', {}, 'Action', action),
      h('label', {}, 'Target', targetId),
      h('button', { type: 'submit', class: 'primary' }, 'Filter'),
      h('a', { href: '#/audit', class: 'button secondary' }, 'Reset'),
    ),
    results,
  );
  const load = async () => {
    const answer = await api<{ items: Entry[]; total: number }>('/api/audit', {
      query: {
        actor: query.get('actor') ?? undefined,
        action: query.get('action') ?? undefined,
        targetId: query.get('targetId') ?? undefined,
        limit: PAGE,
        offset: (page - 1) * PAGE,
      },
    });
    const pageLink = (p: number, label: string) => {
      const q = new URLSearchParams(query);
      q.set('page', String(p));
      return h('a', { class: 'button small', href: `#/audit?${q}` }, label);
    };
    mount(
      results,
      answer.items.length
        ? h(
            'table',
            { class: 'table', id: 'audit-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['When', 'Who', 'Action', 'Target', 'Reason'].map((t) => h('th', {}, t)),
              ),
            ),
            h(
              'tbody',
              {},
              answer.items.map((e) =>
                h(
                  'tr',
                  { 'data-seq': e.seq, 'data-action': e.action },
                  h('td', { class: 'muted' }, formatTime(e.time)),
                  h('td', {}, e.actor ?? '—'),
                  h('td', {}, e.action),
                  h('td', {}, target(e)),
                  h('td', {}, e.reason ?? ''),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'No operator action matches.'),
      h(
        'div',
        { class: 'pager' },
        page > 1 ? pageLink(page - 1, '‹ Newer') : null,
        h('span', { class: 'muted', id: 'audit-count' }, `${answer.total} action(s)`),
        page * PAGE < answer.total ? pageLink(page + 1, 'Older ›') : null,
      ),
    );
  };
  await load();
  return poll(5000, load);
};

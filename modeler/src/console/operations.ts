/**
 * `#/operations`: the batch operations with their progress, and `#/operations/:id`: one operation
 * with its filter, counts per result, the result per instance (filtered by state, paged) and a
 * Cancel button while it runs. Both refresh themselves while something runs.
 */
import { api, errorText } from '../shared/api';
import { askReason } from '../shared/dialog';
import { badge, formatTime, h, mount, toast } from '../shared/dom';
import { poll, type Page } from './page';

const enc = encodeURIComponent;
const PAGE = 50;

interface Batch {
  id: string;
  type: string;
  state: string;
  filter: Record<string, unknown>;
  params: Record<string, unknown>;
  actor: string | null;
  reason: string | null;
  total: number;
  counts: { pending: number; done: number; failed: number; skipped: number };
  createdAt: string;
  endedAt: string | null;
}

interface Item {
  instanceId: string;
  state: string;
  message: string | null;
  attempts: number;
  updatedAt: string | null;
}

/** A bar of the finished share of an operation. */
function progress(b: Batch): HTMLElement {
  const finished = b.counts.done + b.counts.failed + b.counts.skipped;
  const pct = b.total ? Math.round((finished / b.total) * 100) : 100;
  return h(
    'div',
    { class: 'progress', title: `${finished} of ${b.total}`, 'data-finished': finished, 'data-total': b.total },
    h('div', { class: 'progress-bar', style: `width: ${pct}%` }),
    h('span', { class: 'progress-text' }, `${finished} / ${b.total}`),
  );
}

export const operationsPage: Page = async (view) => {
  const list = h('section', { class: 'card', id: 'operations' });
  mount(view, h('div', { class: 'page-head' }, h('h1', {}, 'Batch operations')), list);
  const load = async () => {
    const { items } = await api<{ items: Batch[]; total: number }>('/api/batch-operations', { query: { limit: 100 } });
    mount(
      list,
      items.length
        ? h(
            'table',
            { class: 'table', id: 'operations-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Operation', 'State', 'Progress', 'Failed', 'By', 'Reason', 'Started'].map((t) => h('th', {}, t)),
              ),
            ),
            h(
              'tbody',
              {},
              items.map((b) =>
                h(
                  'tr',
                  { 'data-batch': b.id },
                  h(
                    'td',
                    {},
                    h('a', { href: `#/operations/${enc(b.id)}`, class: 'strong' }, b.type),
                    h('span', { class: 'muted mono' }, ` ${b.id.slice(0, 8)}`),
                  ),
                  h('td', {}, badge(b.state)),
                  h('td', {}, progress(b)),
                  h('td', {}, b.counts.failed ? h('span', { class: 'bad' }, String(b.counts.failed)) : '0'),
                  h('td', {}, b.actor ?? '—'),
                  h('td', { class: 'muted' }, b.reason ?? ''),
                  h('td', { class: 'muted' }, formatTime(b.createdAt)),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'No batch operation yet: start one from the filtered instance list.'),
    );
  };
  await load();
  return poll(2000, load);
};

export const operationPage: Page = async (view, { id }, query) => {
  const head = h('div', { class: 'page-head', id: 'operation-head' });
  const items = h('section', { class: 'card', id: 'operation-items' });
  mount(view, head, items);
  const state = query.get('state') ?? '';
  const page = Math.max(1, Number(query.get('page')) || 1);
  const load = async () => {
    const b = await api<Batch>(`/api/batch-operations/${enc(id)}`);
    const list = await api<Item[]>(`/api/batch-operations/${enc(id)}/items`, {
      query: { state: state || undefined, limit: PAGE, offset: (page - 1) * PAGE },
    });
    const cancel = async () => {
      const answer = await askReason(`Cancel batch operation ${b.id.slice(0, 8)}`, 'Cancel operation', true);
      if (!answer) return;
      try {
        await api(`/api/batch-operations/${enc(id)}/cancel`, { json: { reason: answer.reason } });
        toast('Cancelled: pending instances will not be changed');
      } catch (err) {
        toast(errorText(err), 'error');
      }
      await load();
    };
    mount(
      head,
      h(
        'div',
        {},
        h('h1', {}, `Batch operation: ${b.type} `, badge(b.state)),
        h(
          'div',
          { class: 'meta' },
          `by ${b.actor ?? '—'} · ${b.reason ?? ''} · started ${formatTime(b.createdAt)}${b.endedAt ? ` · ended ${formatTime(b.endedAt)}` : ''}`,
        ),
      ),
      h(
        'div',
        { class: 'actions-bar' },
        b.state === 'running'
          ? h(
              'button',
              { type: 'button', class: 'danger', id: 'operation-cancel', onclick: () => void cancel() },
              'Cancel',
            )
          : null,
        h('a', { class: 'button secondary', href: '#/operations' }, 'All operations'),
      ),
    );
    const link = (s: string, label: string) =>
      h(
        'a',
        { href: `#/operations/${enc(id)}?state=${s}`, class: s === state ? 'strong' : '', 'data-state': s },
        label,
      );
    mount(
      items,
      progress(b),
      h(
        'p',
        { id: 'operation-counts' },
        link('', `all ${b.total}`),
        ' · ',
        link('done', `${b.counts.done} done`),
        ' · ',
        link('failed', `${b.counts.failed} failed`),
        ' · ',
        link('skipped', `${b.counts.skipped} skipped`),
        ' · ',
        link('pending', `${b.counts.pending} ${b.state === 'cancelled' ? 'not run' : 'pending'}`),
      ),
      h(
        'p',
        { class: 'muted mono' },
        `filter ${JSON.stringify(b.filter)}${Object.keys(b.params).length ? ` · ${JSON.stringify(b.params)}` : ''}`,
      ),
      h(
        'table',
        { class: 'table compact', id: 'operation-item-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Instance', 'Result', 'Message', 'Attempts', 'When'].map((t) => h('th', {}, t)),
          ),
        ),
        h(
          'tbody',
          {},
          list.map((i) =>
            h(
              'tr',
              { 'data-instance': i.instanceId, 'data-state': i.state },
              h('td', {}, h('a', { href: `#/instances/${enc(i.instanceId)}`, class: 'mono' }, i.instanceId)),
              h('td', {}, i.state),
              h('td', { class: 'muted' }, i.message ?? ''),
              h('td', { class: 'num' }, String(i.attempts)),
              h('td', { class: 'muted' }, formatTime(i.updatedAt)),
            ),
          ),
        ),
      ),
      h(
        'div',
        { class: 'pager' },
        page > 1
          ? h(
              'a',
              { class: 'button small', href: `#/operations/${enc(id)}?state=${state}&page=${page - 1}` },
              '‹ Previous',
            )
          : null,
        list.length === PAGE
          ? h('a', { class: 'button small', href: `#/operations/${enc(id)}?state=${state}&page=${page + 1}` }, 'Next ›')
          : null,
      ),
    );
  };
  await load();
  return poll(1500, load);
};

/**
 * `#/dashboard`: in flight, completed in the last hour, stalled instances (no progress for longer
 * than a threshold the operator sets, kept in localStorage), open incidents with their reasons, and
 * the elements that fail most.
 */
import { api } from '../shared/api';
import { formatAge, formatTime, h, mount } from '../shared/dom';
import type { Dashboard } from '../shared/types';
import { poll, type Page } from './page';

const THRESHOLD_KEY = 'baton.dashboard.stalledMinutes';
const enc = encodeURIComponent;

function storedMinutes(): number {
  const n = Number(localStorage.getItem(THRESHOLD_KEY));
  return n > 0 ? n : 5;
}

export const dashboardPage: Page = async (view) => {
  const minutes = h('input', {
    type: 'number',
    id: 'stalled-minutes',
    min: 0.01,
    step: 'any',
    value: String(storedMinutes()),
    class: 'small-input',
  });
  const body = h('div', { id: 'dashboard-body' });
  const load = async () => {
    const threshold = Math.max(0.01, Number(minutes.value) || 5);
    const data = await api<Dashboard>('/api/console/dashboard', {
      query: { stalledMs: Math.round(threshold * 60_000) },
    });
    render(body, data, threshold);
  };
  minutes.addEventListener('change', () => {
    localStorage.setItem(THRESHOLD_KEY, minutes.value);
    void load();
  });
  mount(
    view,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Dashboard'),
      h('label', { class: 'inline' }, 'Stalled after', minutes, 'minutes without progress'),
    ),
    body,
  );
  await load();
  return poll(5000, load);
};

/** "5 min", or "30 s" below a minute. */
function span(minutes: number): string {
  return minutes < 1 ? `${Math.round(minutes * 60)} s` : `${minutes} min`;
}

function render(el: HTMLElement, d: Dashboard, minutes: number): void {
  const now = Date.parse(d.now);
  const card = (id: string, label: string, value: number, kind: string, href?: string) =>
    h(
      'a',
      { class: `stat stat-${kind}`, id, href: href ?? '#/dashboard' },
      h('div', { class: 'stat-value' }, String(value)),
      h('div', { class: 'stat-label' }, label),
    );
  mount(
    el,
    h(
      'div',
      { class: 'stats' },
      card(
        'stat-in-flight',
        `in flight${d.suspended ? ` (${d.suspended} suspended)` : ''}`,
        d.inFlight,
        'neutral',
        '#/instances?status=active',
      ),
      card('stat-completed', 'completed in the last hour', d.completedLastHour, 'ok', '#/instances?status=completed'),
      card('stat-stalled', `stalled > ${span(minutes)}`, d.stalled.total, d.stalled.total ? 'warn' : 'neutral'),
      card(
        'stat-incidents',
        'open incidents',
        d.incidents.length,
        d.incidents.length ? 'bad' : 'neutral',
        '#/instances?incidents=1',
      ),
    ),
    h(
      'div',
      { class: 'two-col' },
      h(
        'section',
        { class: 'card', id: 'open-incidents' },
        h('h2', {}, 'Failed: open incidents'),
        d.incidents.length
          ? h(
              'table',
              { class: 'table' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['Instance', 'Element', 'Reason', 'Since'].map((t) => h('th', {}, t)),
                ),
              ),
              h(
                'tbody',
                {},
                d.incidents.map((i) =>
                  h(
                    'tr',
                    { 'data-incident': i.id },
                    h(
                      'td',
                      { class: 'nowrap' },
                      h('a', { href: `#/instances/${enc(i.instanceId)}`, class: 'mono' }, i.instanceId),
                      h('div', { class: 'muted' }, `${i.processId} v${i.version}`),
                    ),
                    h(
                      'td',
                      { 'data-element-id': i.elementId },
                      i.elementName ?? i.elementId,
                      i.elementName ? h('div', { class: 'muted mono' }, i.elementId) : null,
                    ),
                    h('td', { class: 'reason' }, i.message, h('div', { class: 'muted' }, i.type)),
                    h('td', { class: 'muted nowrap', title: formatTime(i.createdAt) }, formatAge(i.createdAt, now)),
                  ),
                ),
              ),
            )
          : h('p', { class: 'muted' }, 'No open incidents.'),
      ),
      h(
        'section',
        { class: 'card', id: 'failing-elements' },
        h('h2', {}, 'Elements that fail most'),
        d.failingElements.length
          ? h(
              'table',
              { class: 'table' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['Element', 'Process', 'Incidents', 'Job failures', 'Open'].map((t) => h('th', {}, t)),
                ),
              ),
              h(
                'tbody',
                {},
                d.failingElements.map((f) =>
                  h(
                    'tr',
                    { 'data-element-id': f.elementId },
                    h(
                      'td',
                      {},
                      f.elementName ?? f.elementId,
                      f.elementName ? h('div', { class: 'muted mono' }, f.elementId) : null,
                    ),
                    h('td', {}, h('a', { href: `#/processes/${enc(f.processId)}` }, f.processId)),
                    h('td', { class: 'num' }, String(f.incidents)),
                    h('td', { class: 'num' }, String(f.jobFailures)),
                    h('td', { class: 'num' }, String(f.openIncidents)),
                  ),
                ),
              ),
            )
          : h('p', { class: 'muted' }, 'Nothing has failed yet.'),
      ),
    ),
    h(
      'section',
      { class: 'card', id: 'stalled' },
      h('h2', {}, `Stalled: no progress for more than ${span(minutes)}`),
      d.stalled.items.length
        ? h(
            'table',
            { class: 'table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Instance', 'Process', 'Business key', 'Waiting at', 'Last progress'].map((t) => h('th', {}, t)),
              ),
            ),
            h(
              'tbody',
              {},
              d.stalled.items.map((s) =>
                h(
                  'tr',
                  { 'data-instance': s.id },
                  h('td', {}, h('a', { href: `#/instances/${enc(s.id)}`, class: 'mono' }, s.id)),
                  h('td', {}, `${s.processId} v${s.version}`),
                  h('td', {}, s.businessKey ?? '—'),
                  h('td', { class: 'mono' }, s.activeElements.join(', ') || '—'),
                  h('td', { class: 'muted', title: formatTime(s.lastActivityAt) }, formatAge(s.lastActivityAt, now)),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'Every running instance made progress recently.'),
    ),
  );
}

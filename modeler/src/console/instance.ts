/**
 * `#/instances/:id`: one instance. The diagram shows where it stands (active elements with token
 * counts, completed elements and taken flows, incidents); beside it the operator actions, incidents,
 * variables and the history timeline. It refreshes itself while the instance runs.
 */
import { api, ApiError, errorText } from '../shared/api';
import { askReason } from '../shared/dialog';
import { badge, formatTime, h, mount, toast } from '../shared/dom';
import type { HistoryEntry, Instance } from '../shared/types';
import type { DecisionEvaluationEntry } from '../../../engine/src/runtime/api-types';
import { decisionsPanel, hasDecisions, loadDecisions } from './decisions-panel';
import { DiagramView, legend } from './diagram';
import { historyTimeline, variablesPanel } from './instance-panels';
import { migrateDialog } from './instance-migrate';
import { modifyAt } from './instance-modify';
import { poll, type Page } from './page';
import { loadWaits, waitsPanel, type Waits } from './waits';

const enc = encodeURIComponent;

/** The instance, its history, and (while it runs) what it waits for. */
interface Snapshot {
  instance: Instance;
  entries: HistoryEntry[];
  waits: Waits | undefined;
  /** The decisions its business rule tasks evaluated (asked for only when the history has some). */
  decisions: DecisionEvaluationEntry[];
}

async function load(id: string): Promise<Snapshot> {
  const [instance, entries] = await Promise.all([
    api<Instance>(`/api/instances/${enc(id)}`),
    api<HistoryEntry[]>(`/api/instances/${enc(id)}/history`),
  ]);
  const running = instance.status === 'active' || instance.status === 'suspended';
  const [waits, decisions] = await Promise.all([
    running ? loadWaits(id) : undefined,
    hasDecisions(entries.map((e) => e.type)) ? loadDecisions(id) : [],
  ]);
  return { instance, entries, waits, decisions };
}

export const instancePage: Page = async (view, { id }) => {
  let first: Snapshot;
  try {
    first = await load(id);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      notFound(view, id);
      return;
    }
    throw err;
  }
  const header = h('div', { class: 'page-head', id: 'instance-head' });
  const canvas = h('div', { class: 'diagram', id: 'instance-diagram' });
  const waiting = h('section', { class: 'card waiting', id: 'waiting', hidden: true });
  const incidents = h('section', { class: 'card', id: 'incidents' });
  const variables = h('section', { class: 'card', id: 'variables' });
  const history = h('section', { class: 'card', id: 'history' });
  const decisions = h('section', { class: 'card decisions', id: 'decisions', hidden: true });
  const diagram = new DiagramView(canvas);
  const hint = h(
    'p',
    { class: 'muted', id: 'modify-hint' },
    'Click an element to cancel, move or start a token there.',
  );
  let current = first.instance;
  diagram.onElementClick((elementId) => {
    const running = current.status === 'active' || current.status === 'suspended';
    if (!running || !diagram.has(elementId) || diagram.isConnection(elementId) || elementId === current.processId)
      return;
    void modifyAt(current, elementId, diagram, refresh);
  });
  mount(
    view,
    header,
    h(
      'section',
      { class: 'card diagram-card' },
      canvas,
      legend([
        ['sw-active', 'active (token count)'],
        ['sw-done', 'completed'],
        ['sw-flow', 'flow taken'],
        ['sw-incident', 'incident'],
      ]),
      hint,
    ),
    decisions,
    h('div', { class: 'two-col' }, h('div', { class: 'stack' }, waiting, incidents, variables), history),
  );

  const render = async ({ instance, entries, waits, decisions: evaluated }: Snapshot) => {
    current = instance;
    hint.hidden = instance.status !== 'active' && instance.status !== 'suspended';
    await diagram.show(instance.processId, instance.version);
    paintDiagram(diagram, instance, entries);
    renderHeader(header, instance, refresh);
    if (waits) waitsPanel(waiting, waits, (elementId) => diagram.nameOf(elementId), instance.status === 'suspended');
    else waiting.hidden = true;
    renderIncidents(incidents, instance, diagram, refresh);
    if (!variables.classList.contains('editing')) variablesPanel(variables, instance, refresh);
    historyTimeline(history, entries, (elementId) => diagram.nameOf(elementId));
    await decisionsPanel(decisions, evaluated, (elementId) => diagram.nameOf(elementId));
    view.dataset.status = instance.status;
  };
  const refresh = async () => {
    let snapshot: Snapshot;
    try {
      snapshot = await load(id);
    } catch (err) {
      mount(header, h('h1', {}, `Instance ${id}`), h('p', { class: 'bad' }, errorText(err)));
      return;
    }
    await render(snapshot);
  };
  await render(first);
  const stop = poll(1500, refresh);
  return () => {
    stop();
    diagram.destroy();
  };
};

/** The page of an instance that does not exist. */
function notFound(view: HTMLElement, id: string): void {
  mount(
    view,
    h(
      'section',
      { class: 'card not-found', id: 'instance-not-found' },
      h('h1', {}, 'Instance not found'),
      h('p', {}, 'There is no process instance ', h('code', {}, id), ' on this server.'),
      h(
        'p',
        {},
        h('a', { href: '#/instances' }, 'Search the instances'),
        ' or ',
        h('a', { href: '#/processes' }, 'start one from a process'),
        '.',
      ),
    ),
  );
}

/** Markers and overlays for the instance's position and path. */
function paintDiagram(diagram: DiagramView, instance: Instance, entries: HistoryEntry[]): void {
  diagram.clear();
  const tokens = instance.tokens ?? Object.fromEntries(instance.activeElements.map((e) => [e, 1]));
  for (const e of entries) {
    if (!e.elementId) continue;
    if (e.type === 'element-completed') diagram.mark(e.elementId, 'baton-done');
    else if (e.type === 'sequence-flow-taken') diagram.mark(e.elementId, 'baton-taken');
    else if (e.type === 'element-terminated') diagram.mark(e.elementId, 'baton-terminated');
  }
  for (const [elementId, count] of Object.entries(tokens)) {
    diagram.mark(elementId, 'baton-active');
    diagram.overlay(
      elementId,
      'token',
      { bottom: 12, right: 12 },
      h(
        'div',
        {
          class: 'token-badge',
          'data-element-id': elementId,
          title: `${count} token(s) at ${diagram.nameOf(elementId)}`,
        },
        String(count),
      ),
    );
  }
  for (const incident of instance.incidents) {
    diagram.mark(incident.elementId, 'baton-incident');
    diagram.overlay(
      incident.elementId,
      'incident',
      { top: -12, left: -12 },
      h('div', { class: 'incident-badge', 'data-element-id': incident.elementId, title: incident.message }, '!'),
    );
  }
}

function renderHeader(el: HTMLElement, instance: Instance, refresh: () => Promise<void>): void {
  const running = instance.status === 'active' || instance.status === 'suspended';
  const action = (name: 'cancel' | 'suspend' | 'resume', label: string, danger = false) =>
    h(
      'button',
      {
        type: 'button',
        class: danger ? 'danger' : 'secondary',
        id: `action-${name}`,
        onclick: async () => {
          const answer = await askReason(`${label} instance ${instance.id}`, label, danger);
          if (!answer) return;
          try {
            await api(`/api/instances/${enc(instance.id)}/${name}`, { json: { reason: answer.reason } });
            toast(`${label}: done`);
          } catch (err) {
            toast(errorText(err), 'error');
          }
          await refresh();
        },
      },
      label,
    );
  mount(
    el,
    h(
      'div',
      {},
      h(
        'h1',
        {},
        `Instance ${instance.id} `,
        badge(instance.status),
        instance.incidents.length ? [' ', badge('incident', `${instance.incidents.length} incident(s)`)] : null,
      ),
      h(
        'div',
        { class: 'meta' },
        h('a', { href: `#/processes/${enc(instance.processId)}` }, instance.processId),
        ` v${instance.version}`,
        h('span', {}, ' · business key ', h('strong', {}, instance.businessKey ?? '—')),
        h('span', {}, ` · started ${formatTime(instance.startedAt)}`),
        instance.endedAt ? h('span', {}, ` · ended ${formatTime(instance.endedAt)}`) : null,
        instance.parentInstanceId
          ? h(
              'span',
              {},
              ' · called by ',
              h('a', { href: `#/instances/${enc(instance.parentInstanceId)}` }, instance.parentInstanceId),
            )
          : null,
      ),
    ),
    h(
      'div',
      { class: 'actions-bar' },
      instance.status === 'active' ? action('suspend', 'Suspend') : null,
      instance.status === 'suspended' ? action('resume', 'Resume') : null,
      running
        ? h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              id: 'action-migrate',
              onclick: () => void migrateDialog(instance, refresh),
            },
            'Migrate…',
          )
        : null,
      running ? action('cancel', 'Cancel', true) : null,
      h(
        'a',
        { class: 'button secondary', href: `#/heatmap/${enc(instance.processId)}/${instance.version}` },
        'Heatmap',
      ),
    ),
  );
}

function renderIncidents(
  el: HTMLElement,
  instance: Instance,
  diagram: DiagramView,
  refresh: () => Promise<void>,
): void {
  if (!instance.incidents.length) {
    mount(el, h('h2', {}, 'Incidents'), h('p', { class: 'muted' }, 'No open incidents.'));
    return;
  }
  mount(
    el,
    h('h2', {}, 'Incidents'),
    h(
      'ul',
      { class: 'incident-list' },
      instance.incidents.map((incident) =>
        h(
          'li',
          { 'data-incident': incident.id },
          h(
            'div',
            {},
            h('strong', {}, diagram.nameOf(incident.elementId)),
            h('span', { class: 'muted' }, ` · ${incident.type} · ${formatTime(incident.createdAt)}`),
          ),
          h('div', { class: 'incident-message' }, incident.message),
          h(
            'button',
            {
              type: 'button',
              class: 'primary small',
              'data-retry': incident.id,
              onclick: async () => {
                const answer = await askReason(`Retry ${diagram.nameOf(incident.elementId)}`, 'Retry');
                if (!answer) return;
                try {
                  await api(`/api/incidents/${enc(incident.id)}/retry`, {
                    json: { retries: 1, reason: answer.reason },
                  });
                  toast('Incident resolved; the element runs again');
                } catch (err) {
                  toast(errorText(err), 'error');
                }
                await refresh();
              },
            },
            'Retry',
          ),
        ),
      ),
    ),
  );
}

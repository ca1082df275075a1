/**
 * Processes: every deployed definition with its versions and instance counts (`#/processes`), and
 * one process (`#/processes/:processId`) with its diagram and the start form.
 */
import { api, errorText } from '../shared/api';
import { formatTime, h, mount, toast } from '../shared/dom';
import type { DefinitionSummary, Instance } from '../shared/types';
import { DiagramView } from './diagram';
import { parseJsonObject } from './json-input';
import { messageForm, signalForm } from './outside-input';
import type { Page } from './page';
import { startForm, type StartForm } from './start-form';

const enc = encodeURIComponent;

/** `#/processes`: the definitions table plus the message and signal forms. */
export const processesPage: Page = async (view) => {
  const defs = await api<DefinitionSummary[]>('/api/console/definitions');
  mount(
    view,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Processes'),
      h('a', { class: 'button primary', href: '/modeler.html' }, 'Model a new process'),
    ),
    defs.length ? definitionsTable(defs) : emptyState(),
    h('div', { class: 'two-col' }, messageForm(), signalForm()),
  );
};

function emptyState(): HTMLElement {
  return h(
    'section',
    { class: 'card empty' },
    h('h2', {}, 'No process deployed yet'),
    h(
      'p',
      {},
      'Draw one in the ',
      h('a', { href: '/modeler.html' }, 'modeler'),
      ' (or open a .bpmn file there) and press Deploy.',
    ),
  );
}

/** One row per version, grouped under its process; counts link to the filtered instance list. */
export function definitionsTable(defs: DefinitionSummary[]): HTMLElement {
  const count = (d: DefinitionSummary, status: string, n: number) =>
    n
      ? h('a', { href: `#/instances?processId=${enc(d.processId)}&version=${d.version}&status=${status}` }, String(n))
      : h('span', { class: 'muted' }, '0');
  const rows = defs.map((d, i) => {
    const first = i === 0 || defs[i - 1]!.processId !== d.processId;
    return h(
      'tr',
      { class: first ? 'group-start' : '', 'data-process': d.processId, 'data-version': d.version },
      h(
        'td',
        {},
        first ? h('a', { href: `#/processes/${enc(d.processId)}`, class: 'strong' }, d.name ?? d.processId) : null,
        first && d.name ? h('div', { class: 'muted mono' }, d.processId) : null,
      ),
      h('td', {}, `v${d.version}`),
      h('td', { class: 'muted' }, formatTime(d.deployedAt)),
      h('td', { class: 'num' }, count(d, 'active', d.counts.active)),
      h('td', { class: 'num' }, count(d, 'suspended', d.counts.suspended)),
      h(
        'td',
        { class: 'num' },
        d.openIncidents
          ? h(
              'a',
              { class: 'bad', href: `#/instances?processId=${enc(d.processId)}&version=${d.version}&incidents=1` },
              String(d.openIncidents),
            )
          : h('span', { class: 'muted' }, '0'),
      ),
      h('td', { class: 'num' }, count(d, 'completed', d.counts.completed)),
      h('td', { class: 'num' }, count(d, 'cancelled', d.counts.cancelled)),
      h(
        'td',
        { class: 'actions' },
        h('a', { href: `#/processes/${enc(d.processId)}?version=${d.version}` }, 'Start'),
        h('a', { href: `#/heatmap/${enc(d.processId)}/${d.version}` }, 'Heatmap'),
        h('a', { href: `/modeler.html#/edit/${enc(d.processId)}/${d.version}` }, 'Edit'),
      ),
    );
  });
  return h(
    'section',
    { class: 'card' },
    h(
      'table',
      { class: 'table', id: 'definitions' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Process', 'Version', 'Deployed', 'Active', 'Suspended', 'Incidents', 'Completed', 'Cancelled', ''].map(
            (t) => h('th', {}, t),
          ),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

/** `#/processes/:processId[?version=N]`: versions, diagram and the start form. */
export const processPage: Page = async (view, { processId }, query) => {
  const defs = (await api<DefinitionSummary[]>('/api/console/definitions')).filter((d) => d.processId === processId);
  if (!defs.length) {
    mount(
      view,
      h(
        'section',
        { class: 'card' },
        h('h1', {}, 'Unknown process'),
        h('p', {}, `No process '${processId}' is deployed.`),
      ),
    );
    return;
  }
  const chosen = Number(query.get('version')) || defs[0]!.version;
  const canvas = h('div', { class: 'diagram diagram-small', id: 'process-diagram' });
  const diagram = new DiagramView(canvas);
  const version = h(
    'select',
    { name: 'version', id: 'start-version' },
    defs.map((d) =>
      h(
        'option',
        { value: d.version, selected: d.version === chosen },
        `v${d.version}${d === defs[0] ? ' (latest)' : ''}`,
      ),
    ),
  );
  const businessKey = h('input', { name: 'businessKey', id: 'start-business-key', placeholder: 'order-42' });
  const variables = h('textarea', {
    name: 'variables',
    id: 'start-variables',
    rows: 6,
    placeholder: '{"orderId": "order-42", "amount": 120}',
  });
  // The start event's Camunda Form, when it names one, above the JSON variables.
  const formHost = h('div', { id: 'start-form-host' });
  const variablesLabel = h('span', {}, 'Variables (JSON object)');
  let form: StartForm | undefined;
  const showForm = async (v: number) => {
    form?.destroy();
    form = await startForm(processId, v);
    mount(formHost, form?.element);
    variablesLabel.textContent = form ? 'More variables (JSON object)' : 'Variables (JSON object)';
  };
  version.addEventListener('change', () => {
    void diagram.show(processId, Number(version.value));
    void showForm(Number(version.value));
  });
  const start = async (e: Event) => {
    e.preventDefault();
    const fromForm = form ? form.submit() : {};
    if (!fromForm) {
      toast('Some fields are not valid: see the messages in the form.', 'error');
      return;
    }
    try {
      const instance = await api<Instance>(`/api/processes/${enc(processId)}/instances`, {
        json: {
          version: Number(version.value),
          businessKey: businessKey.value.trim() || undefined,
          variables: { ...fromForm, ...parseJsonObject(variables.value) },
        },
      });
      toast(`Started instance ${instance.id}`);
      location.hash = `#/instances/${enc(instance.id)}`;
    } catch (err) {
      toast(errorText(err), 'error');
    }
  };
  mount(
    view,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, defs[0]!.name ?? processId, ' ', h('span', { class: 'muted mono' }, processId)),
      h('a', { class: 'button', href: `#/instances?processId=${enc(processId)}` }, 'Instances'),
      h(
        'a',
        { class: 'button', href: `/modeler.html#/edit/${enc(processId)}/${defs[0]!.version}` },
        'Edit latest in modeler',
      ),
    ),
    h(
      'div',
      { class: 'split' },
      h('section', { class: 'card grow' }, canvas),
      h(
        'form',
        { class: 'card form-stack', id: 'start-form', onsubmit: start },
        h('h2', {}, 'Start an instance'),
        h('label', {}, 'Version', version),
        h('label', {}, 'Business key', businessKey),
        formHost,
        h('label', {}, variablesLabel, variables),
        h('button', { type: 'submit', class: 'primary', id: 'start-instance' }, 'Start instance'),
      ),
    ),
    definitionsTable(defs),
  );
  await Promise.all([diagram.show(processId, chosen), showForm(chosen)]);
  return () => {
    diagram.destroy();
    form?.destroy();
  };
};

/**
 * The modeler page (`/modeler.html`): bpmn-js Modeler with the Zeebe (Camunda 8) properties panel.
 * New diagram, open a file (picker or drop), download, open a deployed version
 * (`#/edit/:processId/:version`), and Deploy, whose refusals are drawn on the diagram. Replacing a
 * diagram with unsaved changes asks first, and Undo in the status line brings it back.
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import '@camunda/linting/assets/linting.css';
import '../styles/app.css';
import '../styles/modeler.css';
import Modeler from 'bpmn-js/lib/Modeler';
import type Canvas from 'diagram-js/lib/core/Canvas';
import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  ZeebePropertiesProviderModule,
} from 'bpmn-js-properties-panel';
import ZeebeBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
import LintingModule from '@camunda/linting/modeler';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { api, apiCall, ApiError, errorText } from '../shared/api';
import { h, mount } from '../shared/dom';
import { editorTabs } from '../shared/editor-tabs';
import { renderShell } from '../shared/shell';
import type { Deployment, ProcessVersion } from '../shared/types';
import { DeployErrors, type DeployProblem } from './deploy-errors';
import { offerDeployedIds } from './deployed-ids';
import { DiagramDocument, type Draft } from './document';
import { Companions, COMPANION } from './companions';
import { acceptDrops, download, filesPicker, type TextFile } from './files';
import { lintAsYouDraw } from './lint';
import { newDiagramXml } from './new-diagram';

const modeler = new Modeler({
  container: '#canvas',
  propertiesPanel: { parent: '#properties' },
  additionalModules: [
    BpmnPropertiesPanelModule,
    BpmnPropertiesProviderModule,
    ZeebePropertiesProviderModule,
    ZeebeBehaviorsModule,
    LintingModule,
  ],
  moddleExtensions: { zeebe },
});
const errors = new DeployErrors(modeler, document.getElementById('problems')!);
const doc = new DiagramDocument(modeler, fitWithRoom);
const status = h('span', { id: 'status', class: 'status', role: 'status' });
const versions = h('select', { id: 'deployed-select', 'aria-label': 'Open a deployed version' });
const refreshDeployedIds = offerDeployedIds(document.getElementById('properties')!);
const lintSummary = lintAsYouDraw(modeler);
const companions = new Companions();

/**
 * Opens `xml` as `name` in place of the current diagram (asking first when that has unsaved
 * changes); says how it went in the status line, `opened` replacing the default "Opened NAME.".
 * Resolves true when the diagram was opened.
 */
async function open(
  xml: string,
  name: string,
  opts: { ask?: boolean; unsaved?: boolean; opened?: string } = {},
): Promise<boolean> {
  const outcome = await doc.replace(xml, name, opts);
  if (outcome.kind === 'refused') {
    say(`Could not open ${name}: ${outcome.message}`, 'error');
    return false;
  }
  if (outcome.kind === 'kept') {
    say(`Kept ${doc.name}; ${name} was not opened.`);
    return false;
  }
  errors.clear();
  companions.set([]); // another diagram: the decisions and forms of the last one stay behind
  const text =
    opts.opened ?? (outcome.warnings ? `Opened ${name} with ${outcome.warnings} warning(s).` : `Opened ${name}.`);
  say(text, 'info', ...(outcome.previous ? [document.createTextNode(' '), undoButton(outcome.previous)] : []));
  return true;
}

/** "Undo": reopens the diagram a replace discarded, with its unsaved changes. */
function undoButton(previous: Draft): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      id: 'undo-replace',
      class: 'link',
      onclick: () => void open(previous.xml, previous.name, { unsaved: previous.unsaved }),
    },
    `Undo (reopen ${previous.name})`,
  );
}

/** Fits the diagram, leaving room on the left for the palette and a margin around it. */
function fitWithRoom(): void {
  const canvas = modeler.get<Canvas>('canvas');
  canvas.zoom('fit-viewport');
  const box = canvas.viewbox();
  canvas.viewbox({
    x: box.x - box.width * 0.1,
    y: box.y - box.height * 0.06,
    width: box.width * 1.12,
    height: box.height * 1.12,
  });
}

/** Writes the status line. */
function say(text: string, kind: 'ok' | 'error' | 'info' = 'info', ...extra: Node[]): void {
  status.className = `status status-${kind}`;
  mount(status, text, ...extra);
}

/** The id of the (first) process of the diagram. */
function processIdOf(): string | undefined {
  const definitions = modeler.getDefinitions() as unknown as
    { rootElements?: { $type: string; id: string }[] } | undefined;
  return definitions?.rootElements?.find((e) => e.$type === 'bpmn:Process')?.id;
}

async function deploy(): Promise<void> {
  errors.clear();
  const { xml } = await modeler.saveXML({ format: true });
  const others = companions.resources();
  say('Deploying…');
  try {
    // the diagram alone as XML (the contract's form), or with its decisions and forms as one deployment
    const { status: code, body } = others.length
      ? await apiCall<Deployment>('/api/deployments', {
          json: {
            resources: [{ name: doc.name.endsWith('.bpmn') ? doc.name : 'diagram.bpmn', content: xml! }, ...others],
          },
        })
      : await apiCall<Deployment>('/api/deployments', { body: xml!, contentType: 'application/xml' });
    const links = body.processes.map((p) =>
      h(
        'span',
        {},
        ' ',
        h(
          'a',
          { href: `/#/processes/${encodeURIComponent(p.processId)}`, 'data-start-link': p.processId },
          `Start ${p.processId}`,
        ),
        ' · ',
        h('a', { href: `/#/instances?processId=${encodeURIComponent(p.processId)}&version=${p.version}` }, 'instances'),
      ),
    );
    const what = [
      ...body.processes.map((p) => `${p.processId} version ${p.version}`),
      ...(body.decisions ?? []).map((d) => `decision ${d.decisionId} version ${d.version}`),
      ...(body.forms ?? []).map((f) => `form ${f.formId} version ${f.version}`),
    ].join(', ');
    const warned = body.warnings ?? [];
    const note = warned.length ? ` ${warned.length} warning(s): see below the diagram.` : '';
    say(code === 201 ? `Deployed ${what}.${note}` : `Unchanged: already deployed as ${what}.${note}`, 'ok', ...links);
    if (warned.length)
      errors.show(`Deployed with ${warned.length} warning(s) (ignored, as on Camunda 8)`, warned, 'warning');
    doc.markSaved();
    await Promise.all([loadVersions(), refreshDeployedIds()]);
  } catch (err) {
    if (err instanceof ApiError && err.details.length) {
      errors.show(`Deployment refused: ${err.details.length} problem(s)`, err.details as DeployProblem[]);
      say(`Deployment refused (${err.code}); see the problems below the diagram.`, 'error');
    } else say(`Deployment failed: ${errorText(err)}`, 'error');
  }
}

/**
 * Files chosen in *Open…*: a diagram opens (with the decisions and forms chosen with it kept to
 * deploy together); decisions and forms alone join the open diagram's.
 */
async function openFiles(files: TextFile[]): Promise<void> {
  const diagrams = files.filter((f) => !COMPANION.test(f.name));
  const others = files.filter((f) => COMPANION.test(f.name));
  if (diagrams.length > 1) {
    say(`Choose one diagram at a time (with its .dmn and .form files), not ${diagrams.length}.`, 'error');
    return;
  }
  if (diagrams[0]) {
    if (await open(diagrams[0].text, diagrams[0].name)) companions.set(others);
    return;
  }
  companions.set(others);
  say(`${others.map((f) => f.name).join(', ')} will deploy together with ${doc.name}.`);
}

async function loadVersions(): Promise<void> {
  try {
    const list = await api<ProcessVersion[]>('/api/processes');
    list.sort((a, b) => a.processId.localeCompare(b.processId) || b.version - a.version);
    mount(
      versions,
      h('option', { value: '' }, list.length ? 'Open a deployed version…' : 'Nothing deployed yet'),
      list.map((p) =>
        h(
          'option',
          { value: `${p.processId}/${p.version}` },
          `${p.name ?? p.processId} (${p.processId}) v${p.version}`,
        ),
      ),
    );
  } catch (err) {
    say(`Could not list deployed processes: ${errorText(err)}`, 'error');
  }
}

/** `#/edit/:processId/:version` opens that deployed version (asking first when the diagram has unsaved changes). */
async function route(): Promise<boolean> {
  const m = /^#\/edit\/([^/]+)\/(\d+)$/.exec(location.hash);
  if (!m) return false;
  const processId = decodeURIComponent(m[1]!);
  let xml: string;
  try {
    xml = await api<string>(`/api/processes/${encodeURIComponent(processId)}/xml`, { query: { version: m[2] } });
  } catch (err) {
    say(`Could not open ${processId} v${m[2]}: ${errorText(err)}`, 'error');
    return true;
  }
  const opened = `Editing ${processId} version ${m[2]}; deploying makes the next version.`;
  if (!(await open(xml, `${processId}.bpmn`, { opened }))) {
    history.replaceState(null, '', location.pathname + location.search);
    versions.value = '';
  }
  return true;
}

function toolbar(): HTMLElement {
  const picker = filesPicker((files) => void openFiles(files), '.bpmn,.xml,.dmn,.form,application/xml,text/xml');
  versions.addEventListener('change', () => {
    if (versions.value) location.hash = `#/edit/${versions.value.split('/').map(encodeURIComponent).join('/')}`;
  });
  return h(
    'div',
    { class: 'toolbar' },
    editorTabs('process'),
    h(
      'button',
      {
        type: 'button',
        id: 'new-diagram',
        class: 'secondary',
        onclick: async () => {
          if (await open(newDiagramXml(), 'diagram.bpmn')) history.replaceState(null, '', location.pathname);
        },
      },
      'New',
    ),
    h('button', { type: 'button', id: 'open-button', class: 'secondary', onclick: () => picker.click() }, 'Open…'),
    picker,
    h(
      'button',
      {
        type: 'button',
        id: 'download',
        class: 'secondary',
        onclick: async () => {
          const { xml } = await modeler.saveXML({ format: true });
          download(doc.name.endsWith('.bpmn') ? doc.name : `${processIdOf() ?? 'diagram'}.bpmn`, xml!);
          doc.markSaved();
        },
      },
      'Download',
    ),
    versions,
    h('span', { class: 'spacer' }),
    status,
    companions.element,
    lintSummary,
    h('button', { type: 'button', id: 'deploy', class: 'primary', onclick: () => void deploy() }, 'Deploy'),
  );
}

async function start(): Promise<void> {
  renderShell()('modeler');
  document.getElementById('toolbar')!.replaceWith(toolbar());
  acceptDrops(document.getElementById('canvas')!, (xml, name) => void open(xml, name));
  window.addEventListener('hashchange', () => void route());
  void loadVersions();
  void refreshDeployedIds();
  // the draft first, so that opening a deployed version (the route) asks before it discards changes
  const draft = DiagramDocument.restoreDraft();
  const restored = !!draft && (await open(draft.xml, draft.name, { ask: false, unsaved: draft.unsaved }));
  if (!restored) await open(newDiagramXml(), 'diagram.bpmn', { ask: false });
  if (await route()) return;
  say(
    restored
      ? `Restored your last diagram (${draft.name}${draft.unsaved ? ', with unsaved changes' : ''}). Drop a .bpmn file here or use Open… to load another.`
      : 'New diagram. Drop a .bpmn file here or use Open… to load one.',
  );
}

void start();

/** For the browser tests and the console: the modeler instance. */
(window as unknown as { batonModeler: Modeler }).batonModeler = modeler;

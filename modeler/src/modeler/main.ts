/**
 * The modeler page (`/modeler.html`): bpmn-js Modeler with the Zeebe (Camunda 8) properties panel.
 * New diagram, open a file (picker or drop), download, open a deployed version
 * (`#/edit/:processId/:version`), and Deploy, whose refusals are drawn on the diagram.
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
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
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { api, apiCall, ApiError, errorText } from '../shared/api';
import { h, mount } from '../shared/dom';
import { renderShell } from '../shared/shell';
import type { Deployment, ProcessVersion } from '../shared/types';
import { DeployErrors, type DeployProblem } from './deploy-errors';
import { acceptDrops, download, filePicker } from './files';
import { newDiagramXml } from './new-diagram';

const DRAFT_KEY = 'baton.modeler.draft';

const modeler = new Modeler({
  container: '#canvas',
  propertiesPanel: { parent: '#properties' },
  additionalModules: [
    BpmnPropertiesPanelModule,
    BpmnPropertiesProviderModule,
    ZeebePropertiesProviderModule,
    ZeebeBehaviorsModule,
  ],
  moddleExtensions: { zeebe },
});
const errors = new DeployErrors(modeler, document.getElementById('problems')!);
const status = h('span', { id: 'status', class: 'status', role: 'status' });
const versions = h('select', { id: 'deployed-select', 'aria-label': 'Open a deployed version' });
let fileName = 'diagram.bpmn';

/** Imports `xml` into the modeler; problems reading it are shown in the status line. */
async function open(xml: string, name: string): Promise<boolean> {
  errors.clear();
  try {
    const { warnings } = await modeler.importXML(xml);
    fileName = name;
    fitWithRoom();
    say(warnings.length ? `Opened ${name} with ${warnings.length} warning(s)` : `Opened ${name}`);
    saveDraft();
    return true;
  } catch (err) {
    say(`Could not open ${name}: ${errorText(err)}`, 'error');
    return false;
  }
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
  say('Deploying…');
  try {
    const { status: code, body } = await apiCall<Deployment>('/api/deployments', {
      body: xml!,
      contentType: 'application/xml',
    });
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
    const what = body.processes.map((p) => `${p.processId} version ${p.version}`).join(', ');
    say(code === 201 ? `Deployed ${what}.` : `Unchanged: already deployed as ${what}.`, 'ok', ...links);
    await loadVersions();
  } catch (err) {
    if (err instanceof ApiError && err.details.length) {
      errors.show(`Deployment refused: ${err.details.length} problem(s)`, err.details as DeployProblem[]);
      say(`Deployment refused (${err.code}); see the problems below the diagram.`, 'error');
    } else say(`Deployment failed: ${errorText(err)}`, 'error');
  }
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

/** `#/edit/:processId/:version` opens that deployed version. */
async function route(): Promise<boolean> {
  const m = /^#\/edit\/([^/]+)\/(\d+)$/.exec(location.hash);
  if (!m) return false;
  const processId = decodeURIComponent(m[1]!);
  try {
    const xml = await api<string>(`/api/processes/${encodeURIComponent(processId)}/xml`, { query: { version: m[2] } });
    await open(xml, `${processId}.bpmn`);
    say(`Editing ${processId} version ${m[2]}; deploying makes the next version.`);
  } catch (err) {
    say(`Could not open ${processId} v${m[2]}: ${errorText(err)}`, 'error');
  }
  return true;
}

function saveDraft(): void {
  void modeler.saveXML().then(({ xml }) => {
    try {
      localStorage.setItem(DRAFT_KEY, JSON.stringify({ xml, name: fileName }));
    } catch {
      /* storage full or off */
    }
  });
}

function restoreDraft(): { xml: string; name: string } | undefined {
  try {
    const raw = localStorage.getItem(DRAFT_KEY);
    return raw ? (JSON.parse(raw) as { xml: string; name: string }) : undefined;
  } catch {
    return undefined;
  }
}

function toolbar(): HTMLElement {
  const picker = filePicker((xml, name) => void open(xml, name));
  versions.addEventListener('change', () => {
    if (versions.value) location.hash = `#/edit/${versions.value.split('/').map(encodeURIComponent).join('/')}`;
  });
  return h(
    'div',
    { class: 'toolbar' },
    h(
      'button',
      {
        type: 'button',
        id: 'new-diagram',
        class: 'secondary',
        onclick: () => {
          location.hash = '';
          void open(newDiagramXml(), 'diagram.bpmn');
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
          download(fileName.endsWith('.bpmn') ? fileName : `${processIdOf() ?? 'diagram'}.bpmn`, xml!);
        },
      },
      'Download',
    ),
    versions,
    h('span', { class: 'spacer' }),
    status,
    h('button', { type: 'button', id: 'deploy', class: 'primary', onclick: () => void deploy() }, 'Deploy'),
  );
}

async function start(): Promise<void> {
  renderShell()('modeler');
  document.getElementById('toolbar')!.replaceWith(toolbar());
  acceptDrops(document.getElementById('canvas')!, (xml, name) => void open(xml, name));
  modeler.on('commandStack.changed', saveDraft);
  window.addEventListener('hashchange', () => void route());
  void loadVersions();
  if (await route()) return;
  const draft = restoreDraft();
  if (!draft || !(await open(draft.xml, draft.name))) await open(newDiagramXml(), 'diagram.bpmn');
  say(
    draft
      ? `Restored your last diagram (${draft.name}). Drop a .bpmn file here or use Open… to load another.`
      : 'New diagram. Drop a .bpmn file here or use Open… to load one.',
  );
}

void start();

/** For the browser tests and the console: the modeler instance. */
(window as unknown as { batonModeler: Modeler }).batonModeler = modeler;

/**
 * The console page (`/`): processes, instances, the instance page, heatmaps, the tasklist and the
 * dashboard, as hash routes. It bundles only the bpmn-js NavigatedViewer, so it loads fast.
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '../styles/app.css';
import '../styles/console.css';
import { errorText } from '../shared/api';
import { clearErrorToasts, h, mount } from '../shared/dom';
import { renderShell, type NavId } from '../shared/shell';
import { dashboardPage } from './dashboard';
import { heatmapPage } from './heatmap';
import { instancePage } from './instance';
import { instancesPage } from './instances';
import { processPage, processesPage } from './processes';
import type { Page } from './page';
import { tasksPage } from './tasks';
import { auditPage } from './audit';
import { operationPage, operationsPage } from './operations';

interface Route {
  pattern: RegExp;
  nav: NavId;
  page: Page;
  names: string[];
}

const ROUTES: Route[] = [
  { pattern: /^\/processes$/, nav: 'processes', page: processesPage, names: [] },
  { pattern: /^\/processes\/([^/]+)$/, nav: 'processes', page: processPage, names: ['processId'] },
  { pattern: /^\/instances$/, nav: 'instances', page: instancesPage, names: [] },
  { pattern: /^\/instances\/([^/]+)$/, nav: 'instances', page: instancePage, names: ['id'] },
  { pattern: /^\/heatmap\/([^/]+)\/(\d+)$/, nav: 'processes', page: heatmapPage, names: ['processId', 'version'] },
  { pattern: /^\/tasks$/, nav: 'tasks', page: tasksPage, names: [] },
  { pattern: /^\/dashboard$/, nav: 'dashboard', page: dashboardPage, names: [] },
  { pattern: /^\/operations$/, nav: 'operations', page: operationsPage, names: [] },
  { pattern: /^\/operations\/([^/]+)$/, nav: 'operations', page: operationPage, names: ['id'] },
  { pattern: /^\/audit$/, nav: 'audit', page: auditPage, names: [] },
];

const view = document.getElementById('view')!;
const markNav = renderShell();
let cleanup: (() => void) | void;
let navigation = 0;

async function route(): Promise<void> {
  const [path = '', search = ''] = location.hash.replace(/^#/, '').split('?');
  if (!path || path === '/') {
    location.replace('#/processes');
    return;
  }
  if (cleanup) cleanup();
  cleanup = undefined;
  clearErrorToasts();
  const current = ++navigation;
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    markNav(r.nav);
    const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
    // Each visit renders into a fresh element, so a slow page left behind cannot draw over the next one.
    const page = h('div', { class: 'view-page' });
    view.replaceChildren(page);
    try {
      const done = await r.page(page, params, new URLSearchParams(search));
      if (current === navigation) cleanup = done;
      else if (done) done();
    } catch (err) {
      mount(
        page,
        h(
          'section',
          { class: 'card' },
          h('h1', {}, 'Could not load this page'),
          h('p', { class: 'bad' }, errorText(err)),
          h('button', { type: 'button', onclick: () => void route() }, 'Try again'),
        ),
      );
    }
    return;
  }
  markNav(null);
  mount(
    view,
    h(
      'section',
      { class: 'card' },
      h('h1', {}, 'Not found'),
      h('p', {}, 'No page at ', h('code', {}, path), '. ', h('a', { href: '#/processes' }, 'Go to the processes.')),
    ),
  );
}

window.addEventListener('hashchange', () => void route());
void route();

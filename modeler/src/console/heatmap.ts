/**
 * `#/heatmap/:processId/:version`: for each element of one definition version, how many instances
 * passed it, wait there now and failed there, as overlays; busier elements get a warmer fill and
 * flows taken more often a thicker line.
 */
import { api } from '../shared/api';
import { h, mount } from '../shared/dom';
import type { DefinitionSummary, Heatmap } from '../shared/types';
import { DiagramView, legend } from './diagram';
import { poll, type Page } from './page';

const enc = encodeURIComponent;

export const heatmapPage: Page = async (view, params) => {
  const processId = params.processId!;
  const version = Number(params.version);
  const defs = (await api<DefinitionSummary[]>('/api/console/definitions')).filter((d) => d.processId === processId);
  const canvas = h('div', { class: 'diagram diagram-tall', id: 'heatmap-diagram' });
  const diagram = new DiagramView(canvas);
  const summary = h('p', { class: 'muted', id: 'heatmap-summary' });
  const versions = h(
    'div',
    { class: 'version-tabs' },
    defs.map((d) =>
      h(
        'a',
        {
          class: `button small${d.version === version ? ' active' : ''}`,
          href: `#/heatmap/${enc(processId)}/${d.version}`,
        },
        `v${d.version}`,
      ),
    ),
  );
  mount(
    view,
    h(
      'div',
      { class: 'page-head' },
      h('div', {}, h('h1', {}, `Heatmap · ${defs[0]?.name ?? processId} v${version}`), summary),
      versions,
    ),
    h(
      'section',
      { class: 'card diagram-card' },
      canvas,
      legend([
        ['sw-passed', 'instances passed'],
        ['sw-waiting', 'waiting now'],
        ['sw-failed', 'failed there (incidents)'],
      ]),
    ),
  );
  await diagram.show(processId, version);
  const load = async () => {
    const heat = await api<Heatmap>(`/api/console/heatmap/${enc(processId)}/${version}`);
    paint(diagram, heat);
    const waiting = Object.values(heat.elements).reduce((n, e) => n + e.waiting, 0);
    summary.textContent = `${heat.instances} instance(s) of this version · ${waiting} token(s) waiting now`;
  };
  await load();
  const stop = poll(3000, load);
  return () => {
    stop();
    diagram.destroy();
  };
};

function paint(diagram: DiagramView, heat: Heatmap): void {
  diagram.clear();
  const max = Math.max(1, ...Object.values(heat.elements).map((e) => e.passed + e.waiting));
  for (const [id, cell] of Object.entries(heat.elements)) {
    const level = Math.ceil(((cell.passed + cell.waiting) / max) * 4);
    if (level > 0) diagram.mark(id, `heat-${level}`);
    if (cell.failed || cell.openIncidents) diagram.mark(id, 'heat-failed');
    const pills = [
      h('span', { class: 'pill pill-passed', title: `${cell.passed} instance(s) passed` }, `✓ ${cell.passed}`),
      cell.waiting
        ? h('span', { class: 'pill pill-waiting', title: `${cell.waiting} waiting now` }, `● ${cell.waiting}`)
        : null,
      cell.failed
        ? h(
            'span',
            {
              class: 'pill pill-failed',
              title: `${cell.failed} instance(s) failed here; ${cell.openIncidents} incident(s) open`,
            },
            `✗ ${cell.failed}`,
          )
        : null,
    ];
    diagram.overlay(
      id,
      'heat',
      { top: -24, left: -2 },
      h(
        'div',
        {
          class: 'heat',
          'data-element-id': id,
          'data-passed': cell.passed,
          'data-waiting': cell.waiting,
          'data-failed': cell.failed,
        },
        pills,
      ),
    );
  }
  const maxFlow = Math.max(1, ...Object.values(heat.flows));
  for (const [id, n] of Object.entries(heat.flows)) diagram.mark(id, `heat-flow-${Math.ceil((n / maxFlow) * 3)}`);
}

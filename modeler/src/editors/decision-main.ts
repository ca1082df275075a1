/**
 * The decision editor (`/decision.html`): dmn-js — the decision requirements diagram, decision
 * tables and literal expressions — in the frame shared with the form editor (resource-page.ts).
 * A bar above the editor switches between the diagram and each decision; a deploy problem opens
 * the decision it names.
 */
import 'dmn-js/dist/assets/diagram-js.css';
import 'dmn-js/dist/assets/dmn-js-shared.css';
import 'dmn-js/dist/assets/dmn-js-drd.css';
import 'dmn-js/dist/assets/dmn-js-decision-table.css';
import 'dmn-js/dist/assets/dmn-js-decision-table-controls.css';
import 'dmn-js/dist/assets/dmn-js-literal-expression.css';
import 'dmn-js/dist/assets/dmn-js-boxed-expression.css';
import 'dmn-js/dist/assets/dmn-js-boxed-expression-controls.css';
import 'dmn-js/dist/assets/dmn-font/css/dmn-embedded.css';
import '../styles/app.css';
import '../styles/modeler.css';
import DmnModeler, { type DmnView } from 'dmn-js/lib/Modeler';
import { h, mount } from '../shared/dom';
import { blankDmn } from './blank-dmn';
import { resourcePage, type ResourceProblem } from './resource-page';

const modeler = new DmnModeler({ container: '#canvas' });
const viewsBar = document.getElementById('dmn-views')!;
const listeners: (() => void)[] = [];
const hooked = new WeakSet<object>();

modeler.on('views.changed', () => {
  renderViews();
  // every view has its own editor: listen to the edits of each once
  const viewer = modeler.getActiveViewer();
  if (viewer && !hooked.has(viewer)) {
    hooked.add(viewer);
    viewer.on('elements.changed', () => listeners.forEach((l) => l()));
  }
});

/** The tab bar: the requirements diagram and every decision. */
function renderViews(): void {
  const active = modeler.getActiveView();
  mount(
    viewsBar,
    modeler.getViews().map((view) =>
      h(
        'button',
        {
          type: 'button',
          class: view === active ? 'active' : '',
          'data-view': view.type,
          'data-element-id': view.element.id,
          onclick: () => void modeler.open(view),
        },
        view.type === 'drd' ? 'Diagram' : (view.element.name ?? view.element.id),
        view.type === 'drd' ? null : h('span', { class: 'muted' }, ` · ${KIND[view.type] ?? view.type}`),
      ),
    ),
  );
}

const KIND: Record<string, string> = {
  decisionTable: 'table',
  literalExpression: 'literal expression',
  boxedExpression: 'knowledge model',
};

/** Opens the decision a problem names (or holds the element it names). */
function reveal(problem: ResourceProblem): void {
  const id = problem.elementId;
  if (!id) return;
  const view =
    modeler.getViews().find((v) => v.type !== 'drd' && v.element.id === id) ??
    modeler.getViews().find((v) => v.type !== 'drd' && contains(v.element, id, 0));
  if (view) void modeler.open(view);
}

/** Whether a moddle element holds an element with `id` (searched a few levels deep). */
function contains(element: unknown, id: string, depth: number): boolean {
  if (!element || typeof element !== 'object' || depth > 6) return false;
  if ((element as { id?: unknown }).id === id) return true;
  return Object.entries(element).some(
    ([key, value]) =>
      !key.startsWith('$') && (Array.isArray(value) ? value : [value]).some((v) => contains(v, id, depth + 1)),
  );
}

/** Opens the first decision rather than the diagram, when there is one decision only. */
async function openPreferred(): Promise<void> {
  const decisions = modeler.getViews().filter((v: DmnView) => v.type !== 'drd');
  if (decisions.length === 1) await modeler.open(decisions[0]!);
}

void resourcePage({
  kind: 'decision',
  extension: '.dmn',
  accept: '.dmn,.xml,application/xml,text/xml',
  blank: blankDmn,
  async open(text) {
    await modeler.importXML(text);
    await openPreferred();
  },
  async save() {
    return (await modeler.saveXML({ format: true })).xml;
  },
  id: () => modeler.getDefinitions()?.id,
  onChange: (listener) => listeners.push(listener),
  reveal,
  describe: (d) => d.decisions.map((x) => `decision ${x.decisionId} version ${x.version}`).join(', ') || 'no decision',
});

/** For the browser tests: the dmn-js modeler. */
(window as unknown as { batonDmnModeler: DmnModeler }).batonDmnModeler = modeler;

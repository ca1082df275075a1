/**
 * Shows the problems of a refused deployment (`400 INVALID_BPMN`, `details: [{elementId, line,
 * message}]`) on the diagram: a red outline and a "!" badge on every element named, and the messages
 * in the problems panel under the canvas (a click selects and centres the element). Once an element
 * is changed (or deleted) its outline and badge go, and its messages are marked as changed since:
 * only the next deployment can tell whether the change fixed them.
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type { ElementLike } from 'diagram-js/lib/model/Types';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import type Selection from 'diagram-js/lib/features/selection/Selection';
import { h, mount } from '../shared/dom';

/** One problem of a refused deployment. */
export interface DeployProblem {
  elementId: string | null;
  line: number | null;
  message: string;
}

const MARKER = 'deploy-error';
const WARNING_MARKER = 'deploy-warning';
const OVERLAY = 'deploy-error';

/** Keeps the markers, overlays and panel of the last refused deployment. */
export class DeployErrors {
  /** The marked elements (objects, so that a changed id still finds them) and their rows in the panel. */
  private marked = new Map<ElementLike, HTMLElement[]>();

  constructor(
    private readonly modeler: Modeler,
    private readonly panel: HTMLElement,
  ) {
    modeler.on('elements.changed', (e: { elements: ElementLike[] }) => this.changed(e.elements));
  }

  /** Removes the markers, overlays and messages. */
  clear(): void {
    const canvas = this.modeler.get<Canvas>('canvas');
    const registry = this.modeler.get<ElementRegistry>('elementRegistry');
    for (const element of this.marked.keys())
      if (registry.get(element.id) === element) {
        canvas.removeMarker(element.id, MARKER);
        canvas.removeMarker(element.id, WARNING_MARKER);
      }
    this.modeler.get<Overlays>('overlays').remove({ type: OVERLAY });
    this.marked.clear();
    this.panel.hidden = true;
    this.panel.replaceChildren();
  }

  /** Unmarks the changed elements among the marked ones and flags their messages as changed since. */
  private changed(elements: ElementLike[]): void {
    const canvas = this.modeler.get<Canvas>('canvas');
    const registry = this.modeler.get<ElementRegistry>('elementRegistry');
    const overlays = this.modeler.get<Overlays>('overlays');
    for (const element of elements) {
      const rows = this.marked.get(element);
      if (!rows) continue;
      this.marked.delete(element);
      if (registry.get(element.id) === element) {
        canvas.removeMarker(element.id, MARKER);
        canvas.removeMarker(element.id, WARNING_MARKER);
        overlays.remove({ element: element.id, type: OVERLAY });
      }
      for (const row of rows) {
        row.classList.add('problem-changed');
        row.append(h('span', { class: 'muted changed-note' }, ' (changed since; deploy again to check)'));
      }
    }
  }

  /**
   * Marks each named element and lists every message: the problems of a refused deployment, or
   * (`tone` 'warning') what a successful one ignored, as Camunda 8 would.
   */
  show(summary: string, problems: DeployProblem[], tone: 'error' | 'warning' = 'error'): void {
    this.clear();
    this.panel.classList.toggle('deploy-warnings', tone === 'warning');
    const canvas = this.modeler.get<Canvas>('canvas');
    const registry = this.modeler.get<ElementRegistry>('elementRegistry');
    const overlays = this.modeler.get<Overlays>('overlays');
    const byElement = new Map<string, string[]>();
    for (const p of problems) {
      if (p.elementId && registry.get(p.elementId))
        byElement.set(p.elementId, [...(byElement.get(p.elementId) ?? []), p.message]);
    }
    const rows = problems.map((p) =>
      h(
        'li',
        { class: 'problem', 'data-element-id': p.elementId ?? '' },
        p.elementId
          ? h('button', { type: 'button', class: 'link', onclick: () => this.focus(p.elementId!) }, p.elementId)
          : h('span', { class: 'muted' }, 'document'),
        p.line ? h('span', { class: 'muted' }, ` line ${p.line}`) : null,
        ': ',
        p.message,
      ),
    );
    for (const [id, messages] of byElement) {
      const element = registry.get(id)!;
      canvas.addMarker(id, tone === 'warning' ? WARNING_MARKER : MARKER);
      this.marked.set(
        element,
        rows.filter((row) => row.dataset.elementId === id),
      );
      if ((element as { waypoints?: unknown }).waypoints) continue; // connections get the outline only
      overlays.add(id, OVERLAY, {
        position: { top: -10, right: 10 },
        html: h(
          'div',
          {
            class: tone === 'warning' ? 'deploy-error-badge deploy-warning-badge' : 'deploy-error-badge',
            title: messages.join('\n'),
            'data-element-id': id,
          },
          '!',
        ),
      });
    }
    mount(
      this.panel,
      h(
        'div',
        { class: 'problems-head' },
        h('strong', {}, summary),
        h('button', { type: 'button', class: 'secondary small', onclick: () => this.clear() }, 'Dismiss'),
      ),
      h('ul', {}, rows),
    );
    this.panel.hidden = false;
  }

  private focus(id: string): void {
    const element = this.modeler.get<ElementRegistry>('elementRegistry').get(id);
    if (!element) return;
    this.modeler.get<Selection>('selection').select(element);
    this.modeler.get<Canvas>('canvas').scrollToElement(element);
  }
}

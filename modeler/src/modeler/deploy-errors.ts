/**
 * Shows the problems of a refused deployment (`400 INVALID_BPMN`, `details: [{elementId, line,
 * message}]`) on the diagram: a red outline and a "!" badge on every element named, and the messages
 * in the problems panel under the canvas (a click selects and centres the element).
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
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
const OVERLAY = 'deploy-error';

/** Keeps the markers, overlays and panel of the last refused deployment. */
export class DeployErrors {
  private marked: string[] = [];

  constructor(
    private readonly modeler: Modeler,
    private readonly panel: HTMLElement,
  ) {}

  /** Removes the markers, overlays and messages. */
  clear(): void {
    const canvas = this.modeler.get<Canvas>('canvas');
    const registry = this.modeler.get<ElementRegistry>('elementRegistry');
    for (const id of this.marked) if (registry.get(id)) canvas.removeMarker(id, MARKER);
    this.modeler.get<Overlays>('overlays').remove({ type: OVERLAY });
    this.marked = [];
    this.panel.hidden = true;
    this.panel.replaceChildren();
  }

  /** Marks each named element and lists every message. */
  show(summary: string, problems: DeployProblem[]): void {
    this.clear();
    const canvas = this.modeler.get<Canvas>('canvas');
    const registry = this.modeler.get<ElementRegistry>('elementRegistry');
    const overlays = this.modeler.get<Overlays>('overlays');
    const byElement = new Map<string, string[]>();
    for (const p of problems) {
      if (p.elementId && registry.get(p.elementId))
        byElement.set(p.elementId, [...(byElement.get(p.elementId) ?? []), p.message]);
    }
    for (const [id, messages] of byElement) {
      canvas.addMarker(id, MARKER);
      this.marked.push(id);
      const element = registry.get(id)!;
      if (element.waypoints) continue; // connections get the outline only
      overlays.add(id, OVERLAY, {
        position: { top: -10, right: 10 },
        html: h('div', { class: 'deploy-error-badge', title: messages.join('\n'), 'data-element-id': id }, '!'),
      });
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

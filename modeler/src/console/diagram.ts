/**
 * A read-only diagram (bpmn-js NavigatedViewer) for the console: imports a deployed version's XML
 * once (cached per process version) and lets pages put markers (CSS classes on elements and flows)
 * and overlays (HTML badges) on it.
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { api } from '../shared/api';
import { h } from '../shared/dom';

const xmlCache = new Map<string, Promise<string>>();

/** The XML of a deployed version (fetched once per page load). */
export function processXml(processId: string, version: number): Promise<string> {
  const key = `${processId}/${version}`;
  let xml = xmlCache.get(key);
  if (!xml) {
    xml = api<string>(`/api/processes/${encodeURIComponent(processId)}/xml`, { query: { version } });
    xml.catch(() => xmlCache.delete(key));
    xmlCache.set(key, xml);
  }
  return xml;
}

/** Where an overlay sits relative to its element. */
export type OverlayPosition = { top?: number; bottom?: number; left?: number; right?: number };

/** A NavigatedViewer in a container, with marker and overlay bookkeeping. */
export class DiagramView {
  private readonly viewer: NavigatedViewer;
  private loaded: string | undefined;
  private markers: [string, string][] = [];

  constructor(readonly container: HTMLElement) {
    this.viewer = new NavigatedViewer({ container, moddleExtensions: { zeebe } });
  }

  /** Shows `processId` version `version` (no re-import when it is already shown). */
  async show(processId: string, version: number): Promise<void> {
    const key = `${processId}/${version}`;
    if (this.loaded === key) return;
    this.notice.remove();
    try {
      await this.viewer.importXML(await processXml(processId, version));
    } catch (err) {
      // a model deployed without a layout (BPMN DI, e.g. written by code) runs; there is just no picture
      if (!/no diagram to display/i.test((err as Error).message)) throw err;
      this.notice.textContent = `${processId} version ${version} has no diagram layout (BPMN DI), so there is nothing to draw. The rest of the page works as usual; open it in the modeler to lay it out.`;
      this.container.append(this.notice);
      this.loaded = key;
      this.markers = [];
      return;
    }
    this.loaded = key;
    this.markers = [];
    this.fit();
  }

  /** Says why there is no picture, for a model without a layout. */
  private readonly notice = h('p', { class: 'diagram-notice muted', id: 'diagram-notice' });

  /** Zooms to fit the whole diagram into the container, with a small margin. */
  fit(): void {
    const canvas = this.viewer.get<Canvas>('canvas');
    // 'auto' centres the diagram; diagram-js accepts it although its typings only list a Point.
    canvas.zoom('fit-viewport', 'auto' as unknown as undefined);
    const box = canvas.viewbox();
    canvas.viewbox({
      x: box.x - box.width * 0.03,
      y: box.y - box.height * 0.05,
      width: box.width * 1.06,
      height: box.height * 1.1,
    });
  }

  /** True when the diagram has an element (shape or flow) with this id. */
  has(id: string): boolean {
    return !!this.viewer.get<ElementRegistry>('elementRegistry').get(id);
  }

  /** The element's name in the diagram, or its id. */
  nameOf(id: string): string {
    const element = this.viewer.get<ElementRegistry>('elementRegistry').get(id) as
      { businessObject?: { name?: string } } | undefined;
    return element?.businessObject?.name?.trim() || id;
  }

  /** True for sequence flows and other connections. */
  isConnection(id: string): boolean {
    const element = this.viewer.get<ElementRegistry>('elementRegistry').get(id) as { waypoints?: unknown } | undefined;
    return !!element?.waypoints;
  }

  /** The BPMN type of an element of the diagram (`bpmn:ServiceTask`), or undefined. */
  typeOf(id: string): string | undefined {
    return (this.viewer.get<ElementRegistry>('elementRegistry').get(id) as { type?: string } | undefined)?.type;
  }

  /** The flow nodes of the diagram (no flows, labels or the process itself), in diagram order. */
  flowNodes(): { id: string; name: string; type: string }[] {
    const all = this.viewer.get<ElementRegistry>('elementRegistry').getAll() as unknown as {
      id: string;
      type: string;
      waypoints?: unknown;
      businessObject?: { name?: string };
    }[];
    return all
      .filter((e) => !e.waypoints && e.type !== 'label' && e.type !== 'bpmn:Process' && e.type !== 'bpmn:Collaboration')
      .map((e) => ({ id: e.id, name: e.businessObject?.name?.trim() || e.id, type: e.type }));
  }

  /** Removes every marker and overlay this view added. */
  clear(): void {
    const canvas = this.viewer.get<Canvas>('canvas');
    for (const [id, cls] of this.markers) canvas.removeMarker(id, cls);
    this.markers = [];
    this.viewer.get<Overlays>('overlays').clear();
  }

  /** Adds CSS class `cls` to the element's graphics (ignored for ids not in the diagram). */
  mark(id: string, cls: string): void {
    if (!this.has(id)) return;
    this.viewer.get<Canvas>('canvas').addMarker(id, cls);
    this.markers.push([id, cls]);
  }

  /** Puts `html` over the element at `position`. */
  overlay(id: string, type: string, position: OverlayPosition, html: HTMLElement): void {
    if (!this.has(id)) return;
    this.viewer.get<Overlays>('overlays').add(id, type, { position, html });
  }

  /** Calls `onClick(id)` when an element of the diagram is clicked. */
  onElementClick(onClick: (id: string) => void): void {
    this.viewer.on('element.click', (e: { element: { id: string } }) => onClick(e.element.id));
  }

  destroy(): void {
    this.viewer.destroy();
  }
}

/** A small legend explaining marker colours: entries of [css class, label]. */
export function legend(entries: [string, string][]): HTMLElement {
  return h(
    'div',
    { class: 'legend' },
    entries.map(([cls, label]) => h('span', { class: 'legend-item' }, h('i', { class: `swatch ${cls}` }), label)),
  );
}

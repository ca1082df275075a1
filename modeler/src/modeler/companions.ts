/**
 * Decisions and forms that deploy together with the diagram: opening a `.bpmn` file with its
 * `.dmn` and `.form` files (several chosen at once in *Open…*) keeps those beside the diagram, shown
 * in the toolbar, and *Deploy* sends all of them as one deployment (`{"resources": [...]}`), so a
 * business rule task and its decision, or a user task and its form, go live together.
 */
import { h, mount } from '../shared/dom';
import type { TextFile } from './files';

/** The kinds of file that travel with a diagram. */
export const COMPANION = /\.(dmn|form)$/i;

/** The companion files of the open diagram, and their line in the toolbar. */
export class Companions {
  private files: TextFile[] = [];
  readonly element = h('span', { id: 'companions', class: 'companions', hidden: true });

  /** Replaces the companions (an empty list drops them). */
  set(files: TextFile[]): void {
    this.files = files;
    this.render();
  }

  /** The resources to deploy besides the diagram. */
  resources(): { name: string; content: string }[] {
    return this.files.map((f) => ({ name: f.name, content: f.text }));
  }

  private render(): void {
    this.element.hidden = this.files.length === 0;
    mount(
      this.element,
      'with ',
      this.files.map((f, i) => [i ? ', ' : '', h('code', { 'data-companion': f.name }, f.name)]),
      ' ',
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          id: 'drop-companions',
          title: 'Deploy the diagram alone',
          onclick: () => this.set([]),
        },
        '×',
      ),
    );
  }
}

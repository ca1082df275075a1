/**
 * The switch between the three editors of the modeler — Process (BPMN, `/modeler.html`), Decision
 * (DMN, `/decision.html`) and Form (Camunda Forms, `/form.html`) — each a page and a bundle of its
 * own, so that one editor's code is loaded only where it is used.
 */
import { h } from './dom';

const EDITORS = [
  { id: 'process', label: 'Process', href: '/modeler.html' },
  { id: 'decision', label: 'Decision', href: '/decision.html' },
  { id: 'form', label: 'Form', href: '/form.html' },
] as const;

/** One of the editors. */
export type EditorKind = (typeof EDITORS)[number]['id'];

/** The tabs, `current` marked. */
export function editorTabs(current: EditorKind): HTMLElement {
  return h(
    'nav',
    { class: 'editor-tabs', 'aria-label': 'Editors' },
    EDITORS.map((e) =>
      h(
        'a',
        {
          href: e.href,
          'data-editor': e.id,
          class: e.id === current ? 'active' : '',
          'aria-current': e.id === current ? 'page' : null,
        },
        e.label,
      ),
    ),
  );
}

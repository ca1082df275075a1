/**
 * The form editor (`/form.html`): the form-js editor (palette, canvas, properties panel) in the
 * frame shared with the decision editor (resource-page.ts). Forms are Camunda Forms JSON, as
 * Camunda Modeler writes them; a user task links one by its id (`zeebe:formDefinition formId`).
 */
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import '@bpmn-io/form-js-editor/dist/assets/form-js-editor.css';
import '@bpmn-io/form-js-editor/dist/assets/dragula.css';
import '@bpmn-io/form-js-editor/dist/assets/properties-panel.css';
import '../styles/app.css';
import '../styles/modeler.css';
import '../styles/forms.css';
import { FormEditor } from '@bpmn-io/form-js-editor';
import { resourcePage } from './resource-page';

const EXPORTER = { name: 'Baton', version: '0.1.0' };
const editor = new FormEditor({
  container: document.getElementById('canvas')!,
  exporter: EXPORTER,
} as ConstructorParameters<typeof FormEditor>[0]);

/** A new, empty Camunda Form for Camunda 8, with a fresh id. */
function blankForm(): string {
  return JSON.stringify(
    {
      components: [],
      type: 'default',
      id: `Form_${Math.random().toString(36).slice(2, 9)}`,
      executionPlatform: 'Camunda Cloud',
      executionPlatformVersion: '8.6.0',
      exporter: EXPORTER,
      schemaVersion: 16,
    },
    null,
    2,
  );
}

/** The schema in `text`; a readable error when it is not a form. */
function parseForm(text: string): object {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (err) {
    throw new Error(`it is not JSON (${(err as Error).message})`, { cause: err });
  }
  if (typeof schema !== 'object' || schema === null || !Array.isArray((schema as { components?: unknown }).components))
    throw new Error('it is not a Camunda Form (a JSON object with "components")');
  return schema;
}

void resourcePage({
  kind: 'form',
  extension: '.form',
  accept: '.form,.json,application/json',
  blank: blankForm,
  async open(text) {
    await editor.importSchema(parseForm(text) as Parameters<typeof editor.importSchema>[0]);
  },
  save: async () => JSON.stringify(editor.saveSchema(), null, 2),
  id: () => {
    const id = (editor.saveSchema() as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  },
  onChange: (listener) => editor.on('changed', listener),
  describe: (d) => d.forms.map((f) => `form ${f.formId} version ${f.version}`).join(', ') || 'no form',
});

/** For the browser tests: the form-js editor. */
(window as unknown as { batonFormEditor: FormEditor }).batonFormEditor = editor;

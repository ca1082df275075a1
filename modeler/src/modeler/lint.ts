/**
 * Linting as the user draws, with the linter Camunda Modeler uses (`@camunda/linting`: bpmnlint
 * and bpmnlint-plugin-camunda-compat, configured by the diagram's execution platform version):
 * problems appear on the diagram (the linting module's annotations, which select the element and
 * its properties entry) and in a "Lint" line of the toolbar, beside the engine's own deploy
 * errors and warnings. A diagram that names no execution platform is linted as Camunda 8.6 — what
 * Baton runs.
 */
import { Linter } from '@camunda/linting';
import type Modeler from 'bpmn-js/lib/Modeler';
import { h, mount } from '../shared/dom';

/** One report of the linter. */
export interface LintReport {
  id: string;
  message: string;
  category: 'error' | 'warn' | 'info' | string;
  name?: string;
}

const DEFAULT_PLATFORM = 'modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0"';
const MODELER_NS = 'xmlns:modeler="http://camunda.org/schema/modeler/1.0"';

/** Lints the diagram of `modeler` after every change; returns the toolbar summary element. */
export function lintAsYouDraw(modeler: Modeler): HTMLElement {
  const linter = new Linter({ modeler: 'web', type: 'cloud' });
  const summary = h('button', { type: 'button', id: 'lint-summary', class: 'lint-summary link', hidden: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let run = 0;
  let reports: LintReport[] = [];

  const lint = async () => {
    const current = ++run;
    const { xml } = await modeler.saveXML();
    let found: LintReport[];
    try {
      found = (await linter.lint(withPlatform(xml ?? ''))) as LintReport[];
    } catch (err) {
      console.warn('Baton: the linter could not read the diagram', err);
      return; // a document the linter cannot read: the deploy tells why
    }
    if (current !== run) return;
    reports = found;
    (modeler.get('linting') as { setErrors(r: LintReport[]): void }).setErrors(found);
    const errors = found.filter((r) => r.category === 'error').length;
    const warnings = found.length - errors;
    summary.hidden = found.length === 0;
    summary.className = `lint-summary link ${errors ? 'lint-errors' : 'lint-warnings'}`;
    summary.dataset.errors = String(errors);
    summary.dataset.warnings = String(warnings);
    mount(summary, `Lint: ${errors} error(s), ${warnings} warning(s)`);
    summary.title = found.map((r) => `${r.id}: ${r.message}`).join('\n');
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void lint(), 250);
  };
  modeler.on('import.done', schedule);
  modeler.on('commandStack.changed', schedule);
  // a click on the summary shows the first problem (selects the element and its properties entry)
  summary.addEventListener('click', () => {
    const first = reports.find((r) => r.category === 'error') ?? reports[0];
    if (first) (modeler.get('linting') as { showError(r: LintReport): void }).showError(first);
  });
  (modeler.get('linting') as { activate(): void }).activate();
  return summary;
}

/** `xml` with a Camunda 8.6 execution platform when its definitions name none. */
function withPlatform(xml: string): string {
  const open = /<(\w+:)?definitions\b[^>]*>/.exec(xml);
  if (!open || open[0].includes('executionPlatform=')) return xml;
  const ns = open[0].includes('xmlns:modeler=') ? '' : ` ${MODELER_NS}`;
  const tag = open[0].replace(/\s*(\/?)>$/, `${ns} ${DEFAULT_PLATFORM}$1>`);
  return xml.slice(0, open.index) + tag + xml.slice(open.index + open[0].length);
}

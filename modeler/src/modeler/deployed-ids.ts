/**
 * The properties panel offers what is deployed: the Form ID of a user task (linked Camunda Form)
 * and the Decision ID of a business rule task suggest the ids of the deployed forms and decisions
 * as the user types (a `<datalist>` on the panel's own inputs), each with its latest version.
 * The lists are read again after a deployment and whenever the page comes back into view (a
 * decision or form may have been deployed from the other editors meanwhile).
 */
import { api } from '../shared/api';
import { h, mount } from '../shared/dom';

/** The panel input (by element id) → the datalist it is offered. */
const INPUTS: Record<string, string> = {
  'bio-properties-panel-formId': 'baton-deployed-forms',
  'bio-properties-panel-decisionId': 'baton-deployed-decisions',
};

interface Deployed {
  id: string;
  version: number;
  name?: string | null;
}

/** Wires the datalists to the inputs of `panel`; returns how to read the deployed ids again. */
export function offerDeployedIds(panel: HTMLElement): () => Promise<void> {
  const forms = h('datalist', { id: 'baton-deployed-forms' });
  const decisions = h('datalist', { id: 'baton-deployed-decisions' });
  document.body.append(forms, decisions);
  const attach = () => {
    for (const [inputId, list] of Object.entries(INPUTS)) {
      const input = panel.querySelector<HTMLInputElement>(`input#${inputId}`);
      if (input && input.getAttribute('list') !== list) input.setAttribute('list', list);
    }
  };
  new MutationObserver(attach).observe(panel, { childList: true, subtree: true });

  const refresh = async () => {
    try {
      const [formList, decisionList] = await Promise.all([
        api<{ formId: string; version: number }[]>('/api/forms'),
        api<{ decisionId: string; version: number; name: string | null }[]>('/api/decisions'),
      ]);
      fill(
        forms,
        formList.map((f) => ({ id: f.formId, version: f.version })),
      );
      fill(
        decisions,
        decisionList.map((d) => ({ id: d.decisionId, version: d.version, name: d.name })),
      );
    } catch {
      /* offered ids are a help: without them the fields are plain text fields */
    }
  };
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void refresh();
  });
  return refresh;
}

/** One option per id, its latest version (and name) as the label. */
function fill(list: HTMLDataListElement, items: Deployed[]): void {
  const latest = new Map<string, Deployed>();
  for (const item of items) if ((latest.get(item.id)?.version ?? 0) < item.version) latest.set(item.id, item);
  mount(
    list,
    [...latest.values()]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((d) => h('option', { value: d.id }, `${d.name ? `${d.name} · ` : ''}deployed v${d.version}`)),
  );
}

/**
 * Starting a batch operation from the instance list (issue 15): cancel, retry incidents, migrate or
 * move the tokens of every instance the list's filters select (narrowed by element and incident
 * type), with a reason; it then runs in the background and `#/operations/:id` follows it.
 */
import { api, errorText } from '../shared/api';
import { getActor, setActor } from '../shared/actor';
import { openDialog } from '../shared/dialog';
import { h, toast } from '../shared/dom';
import type { DefinitionSummary } from '../shared/types';

/** The list's filters (the hash query of `#/instances`). */
function filterOf(query: URLSearchParams): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  for (const name of ['processId', 'businessKey', 'elementId', 'incidentType'] as const) {
    const v = query.get(name);
    if (v) f[name] = v;
  }
  if (query.get('version')) f.version = Number(query.get('version'));
  if (query.get('status')) f.state = query.get('status');
  return f;
}

/** Opens the dialog; on confirm starts the operation and goes to its page. */
export async function batchDialog(query: URLSearchParams, defs: DefinitionSummary[]): Promise<void> {
  const base = filterOf(query);
  const type = h(
    'select',
    { id: 'batch-type' },
    h('option', { value: 'cancel' }, 'Cancel the instances'),
    h('option', { value: 'retry' }, 'Retry their incidents'),
    h('option', { value: 'migrate' }, 'Migrate them to a version'),
    h('option', { value: 'modify' }, 'Move their tokens'),
  );
  const elementId = h('input', {
    id: 'batch-element',
    value: String(base.elementId ?? ''),
    placeholder: 'only instances with an active token here (element id)',
  });
  const incidentType = h('input', {
    id: 'batch-incident-type',
    value: String(base.incidentType ?? ''),
    placeholder: 'e.g. JOB_NO_RETRIES',
  });
  const versions = defs.filter((d) => d.processId === base.processId).map((d) => d.version);
  const target = h(
    'select',
    { id: 'batch-target-version' },
    versions.map((v) => h('option', { value: v }, `v${v}`)),
  );
  const from = h('input', { id: 'batch-move-from', placeholder: 'from element id' });
  const to = h('input', { id: 'batch-move-to', placeholder: 'to element id' });
  const reason = h('textarea', { id: 'reason-input', rows: 2, placeholder: 'Why? (kept with the operation)' });
  const actor = h('input', { id: 'reason-actor', type: 'text', value: getActor() });
  const rows = {
    target: h('label', {}, 'Target version', target),
    from: h('label', {}, 'Move from', from),
    to: h('label', {}, 'Move to', to),
  };
  const show = () => {
    rows.target.hidden = type.value !== 'migrate';
    rows.from.hidden = rows.to.hidden = type.value !== 'modify';
  };
  type.addEventListener('change', show);
  show();
  const summary = Object.entries(base)
    .filter(([k]) => k !== 'elementId' && k !== 'incidentType')
    .map(([k, v]) => `${k} = ${String(v)}`)
    .join(', ');
  const answer = await openDialog({
    title: 'Batch operation on the filtered instances',
    confirmLabel: 'Start',
    danger: true,
    body: [
      h('p', { class: 'muted' }, `Filter: ${summary || '(none)'}; running instances unless a status is chosen.`),
      h('label', {}, 'Operation', type),
      h('label', {}, 'Element', elementId),
      h('label', {}, 'Incident type', incidentType),
      ...Object.values(rows),
      h('label', {}, 'Reason', reason),
      h('label', {}, 'Your name', actor),
    ],
    focus: type,
    collect: () => {
      if (!reason.value.trim() || !actor.value.trim()) return undefined;
      if (type.value === 'modify' && !(from.value.trim() && to.value.trim())) return undefined;
      setActor(actor.value.trim());
      const filter = {
        ...base,
        elementId: elementId.value.trim() || undefined,
        incidentType: incidentType.value.trim() || undefined,
      };
      return {
        type: type.value,
        filter,
        reason: reason.value.trim(),
        ...(type.value === 'migrate' ? { migration: { targetVersion: Number(target.value) } } : {}),
        ...(type.value === 'modify'
          ? { modification: { move: [{ sourceElementId: from.value.trim(), targetElementId: to.value.trim() }] } }
          : {}),
      };
    },
  });
  if (!answer) return;
  try {
    const batch = await api<{ id: string; total: number }>('/api/batch-operations', { json: answer });
    toast(`Batch operation started on ${batch.total} instance(s)`);
    location.hash = `#/operations/${encodeURIComponent(batch.id)}`;
  } catch (err) {
    toast(errorText(err), 'error');
  }
}

/**
 * Instance modification on the diagram (issue 15): clicking an element of a running instance opens
 * a dialog to cancel its tokens (all, or one element instance), move them to another element, or
 * start a new token there (with variables, in a chosen element instance when the flow scope is
 * ambiguous). Each change asks for a reason, like every operator action, and goes to
 * `POST /api/instances/:id/modification`.
 */
import { api, ApiError, errorText } from '../shared/api';
import { getActor, setActor } from '../shared/actor';
import { openDialog } from '../shared/dialog';
import { h, toast } from '../shared/dom';
import type { Instance } from '../shared/types';
import type { DiagramView } from './diagram';
import { parseJsonObject } from './json-input';

const enc = encodeURIComponent;

/** Elements that cannot receive a token of their own (Camunda 8's rule). */
const NOT_ACTIVATABLE = new Set(['bpmn:StartEvent', 'bpmn:BoundaryEvent']);

interface ElementInstance {
  key: string;
  elementId: string;
  parent: string | null;
  iteration?: number;
}

type Action = 'cancel' | 'move' | 'start';

/** Opens the modification dialog for `elementId` of `instance`; resolves once it is closed (and applied). */
export async function modifyAt(
  instance: Instance,
  elementId: string,
  diagram: DiagramView,
  refresh: () => Promise<void>,
): Promise<void> {
  const tokens = await api<ElementInstance[]>(`/api/instances/${enc(instance.id)}/element-instances`);
  const here = tokens.filter((t) => t.elementId === elementId);
  const actions: [Action, string][] = [
    ...(here.length
      ? ([
          ['cancel', 'Cancel the token(s) here'],
          ['move', 'Move the token(s) to another element'],
        ] as [Action, string][])
      : []),
    ...(NOT_ACTIVATABLE.has(diagram.typeOf(elementId) ?? '')
      ? []
      : ([['start', 'Start a new token here']] as [Action, string][])),
  ];
  if (!actions.length) {
    toast(`${diagram.nameOf(elementId)} cannot take a token of its own (start and boundary events)`, 'error');
    return;
  }
  const action = h(
    'select',
    { id: 'modify-action' },
    actions.map(([v, label]) => h('option', { value: v }, label)),
  );
  const which = h(
    'select',
    { id: 'modify-which' },
    h('option', { value: '' }, `all ${here.length} token(s)`),
    here.map((t) =>
      h(
        'option',
        { value: t.key },
        `element instance ${t.key}${t.iteration !== undefined ? ` (iteration ${t.iteration + 1})` : ''}`,
      ),
    ),
  );
  const targets = diagram.flowNodes().filter((n) => n.id !== elementId && !NOT_ACTIVATABLE.has(n.type));
  const target = h(
    'select',
    { id: 'modify-target' },
    targets.map((n) => h('option', { value: n.id }, n.name === n.id ? n.id : `${n.name} (${n.id})`)),
  );
  const variables = h('textarea', {
    id: 'modify-variables',
    rows: 2,
    placeholder: '{"amount": 42} (optional, set in the process)',
  });
  const ancestor = h('input', {
    id: 'modify-ancestor',
    placeholder: 'only when asked: the element instance key to start in',
  });
  const reason = h('textarea', {
    id: 'reason-input',
    rows: 2,
    required: true,
    placeholder: 'Why? (kept in the history)',
  });
  const actor = h('input', { id: 'reason-actor', type: 'text', value: getActor(), required: true });
  const fields = {
    which: h('label', {}, 'Which token', which),
    target: h('label', {}, 'Move to', target),
    variables: h('label', {}, 'Variables', variables),
    ancestor: h('label', {}, 'In element instance', ancestor),
  };
  const show = () => {
    const a = action.value as Action;
    fields.which.hidden = a !== 'cancel' || here.length < 2;
    fields.target.hidden = a !== 'move';
    fields.variables.hidden = a === 'cancel';
    fields.ancestor.hidden = a !== 'start';
  };
  action.addEventListener('change', show);
  show();
  const answer = await openDialog({
    title: `Modify instance ${instance.id} at ${diagram.nameOf(elementId)}`,
    confirmLabel: 'Apply',
    body: [
      h('p', { class: 'muted' }, `${here.length} token(s) here now.`),
      h('label', {}, 'Action', action),
      ...Object.values(fields),
      h('label', {}, 'Reason', reason),
      h('label', {}, 'Your name', actor),
    ],
    focus: action,
    collect: () => {
      if (!reason.value.trim() || !actor.value.trim()) return undefined;
      setActor(actor.value.trim());
      return { action: action.value as Action, reason: reason.value.trim() };
    },
  });
  if (!answer) return;
  let body: Record<string, unknown>;
  try {
    const vars = parseJsonObject(variables.value);
    const variableInstructions = Object.keys(vars).length ? [{ variables: vars }] : undefined;
    body =
      answer.action === 'cancel'
        ? { terminate: [which.value ? { elementKey: which.value } : { elementId }] }
        : answer.action === 'move'
          ? { move: [{ sourceElementId: elementId, targetElementId: target.value, variableInstructions }] }
          : { activate: [{ elementId, ancestorKey: ancestor.value.trim() || undefined, variableInstructions }] };
  } catch (err) {
    toast(errorText(err), 'error');
    return;
  }
  try {
    await api(`/api/instances/${enc(instance.id)}/modification`, { json: { ...body, reason: answer.reason } });
    toast('Modification applied');
  } catch (err) {
    toast(describeRefusal(err), 'error');
  }
  await refresh();
}

/** The refusal's message, with the element instances to choose from when the flow scope was ambiguous. */
function describeRefusal(err: unknown): string {
  if (!(err instanceof ApiError)) return errorText(err);
  const candidates = (err.details as { candidates?: string[] }[]).flatMap((d) => d.candidates ?? []);
  return candidates.length ? `${errorText(err)} — element instances: ${candidates.join(', ')}` : errorText(err);
}

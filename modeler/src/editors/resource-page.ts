/**
 * The frame of the decision and form editors (decision.html, form.html): the top bar, a toolbar
 * with the editor switch, New, Open… (picker or a file dropped on the editor), Download, Deploy
 * and a status line, the problems of a refused deployment under the editor, and the document's
 * state — its file name, unsaved changes (asked about before they are discarded), and a draft in
 * localStorage so a reload loses nothing. The editor itself (dmn-js, form-js) plugs in as a
 * {@link ResourceEditor}.
 */
import { apiCall, ApiError, errorText } from '../shared/api';
import { openDialog } from '../shared/dialog';
import { h, mount } from '../shared/dom';
import { editorTabs, type EditorKind } from '../shared/editor-tabs';
import { renderShell } from '../shared/shell';
import type { Deployment } from '../shared/types';
import { acceptDrops, download, filePicker } from '../modeler/files';

/** A problem of a refused deployment, as the API details it. */
export interface ResourceProblem {
  elementId?: string | null;
  line?: number | null;
  message: string;
}

/** What the frame needs of an editor. */
export interface ResourceEditor {
  kind: Exclude<EditorKind, 'process'>;
  /** `.dmn` or `.form`. */
  extension: string;
  /** What the file picker accepts. */
  accept: string;
  /** A new document's text. */
  blank(): string;
  /** Opens `text`; throws an Error with a readable message when it cannot. */
  open(text: string): Promise<void>;
  /** The open document's text. */
  save(): Promise<string>;
  /** The id the document deploys as (decision requirements id, form id), for the file name. */
  id(): string | undefined;
  /** Calls `listener` on every edit. */
  onChange(listener: () => void): void;
  /** Shows where a problem is (e.g. opens the decision it names); optional. */
  reveal?(problem: ResourceProblem): void;
  /** What a successful deployment made, in words ("decision discount version 2"). */
  describe(deployment: Deployment): string;
}

/** Runs the page for `editor`. */
export async function resourcePage(editor: ResourceEditor): Promise<void> {
  renderShell()('modeler');
  const draftKey = `baton.${editor.kind}.draft`;
  const status = h('span', { id: 'status', class: 'status', role: 'status' });
  const problems = document.getElementById('problems')!;
  let name = `${editor.kind}${editor.extension}`;
  let unsaved = false;
  let opening = false;

  const say = (text: string, kind: 'ok' | 'error' | 'info' = 'info', ...extra: Node[]) => {
    status.className = `status status-${kind}`;
    mount(status, text, ...extra);
  };
  const keepDraft = async () => {
    try {
      localStorage.setItem(draftKey, JSON.stringify({ text: await editor.save(), name, unsaved }));
    } catch {
      /* storage full or off: no draft */
    }
  };
  editor.onChange(() => {
    if (opening) return;
    unsaved = true;
    void keepDraft();
  });

  /** Opens `text` as `fileName` (asking first when there are unsaved changes); true when opened. */
  const open = async (text: string, fileName: string, ask = true, opened = `Opened ${fileName}.`): Promise<boolean> => {
    if (ask && unsaved && !(await confirmDiscard(name, fileName))) {
      say(`Kept ${name}; ${fileName} was not opened.`);
      return false;
    }
    opening = true;
    try {
      await editor.open(text);
    } catch (err) {
      say(`Could not open ${fileName}: ${errorText(err)}`, 'error');
      return false;
    } finally {
      opening = false;
    }
    name = fileName;
    unsaved = false;
    showProblems(problems, [], editor);
    void keepDraft();
    say(opened);
    return true;
  };

  const deploy = async () => {
    showProblems(problems, [], editor);
    const content = await editor.save();
    const resourceName = name.endsWith(editor.extension) ? name : `${editor.id() ?? editor.kind}${editor.extension}`;
    say('Deploying…');
    try {
      const { status: code, body } = await apiCall<Deployment>('/api/deployments', {
        json: { resources: [{ name: resourceName, content }] },
      });
      say(
        code === 201
          ? `Deployed ${editor.describe(body)}.`
          : `Unchanged: already deployed as ${editor.describe(body)}.`,
        'ok',
      );
      unsaved = false;
      void keepDraft();
    } catch (err) {
      if (err instanceof ApiError && err.details.length) {
        showProblems(problems, err.details as ResourceProblem[], editor);
        say(`Deployment refused (${err.code}); see the problems below.`, 'error');
      } else say(`Deployment failed: ${errorText(err)}`, 'error');
    }
  };

  const picker = filePicker((text, fileName) => void open(text, fileName), editor.accept);
  document.getElementById('toolbar')!.replaceWith(
    h(
      'div',
      { class: 'toolbar', id: 'toolbar' },
      editorTabs(editor.kind),
      h(
        'button',
        {
          type: 'button',
          id: 'new-document',
          class: 'secondary',
          onclick: () => void open(editor.blank(), `${editor.kind}${editor.extension}`, true, `New ${editor.kind}.`),
        },
        'New',
      ),
      h('button', { type: 'button', id: 'open-button', class: 'secondary', onclick: () => picker.click() }, 'Open…'),
      picker,
      h(
        'button',
        {
          type: 'button',
          id: 'download',
          class: 'secondary',
          onclick: async () => {
            download(
              name.endsWith(editor.extension) ? name : `${editor.id() ?? editor.kind}${editor.extension}`,
              await editor.save(),
            );
            unsaved = false;
            void keepDraft();
          },
        },
        'Download',
      ),
      h('span', { class: 'spacer' }),
      status,
      h('button', { type: 'button', id: 'deploy', class: 'primary', onclick: () => void deploy() }, 'Deploy'),
    ),
  );
  acceptDrops(document.getElementById('canvas')!, (text, fileName) => void open(text, fileName));

  const draft = readDraft(draftKey);
  if (draft && (await open(draft.text, draft.name, false))) {
    unsaved = draft.unsaved;
    say(`Restored your last ${editor.kind} (${draft.name}${draft.unsaved ? ', with unsaved changes' : ''}).`);
  } else {
    await open(editor.blank(), name, false);
    say(`New ${editor.kind}. Drop a ${editor.extension} file here or use Open… to load one.`);
  }
}

function readDraft(key: string): { text: string; name: string; unsaved: boolean } | undefined {
  try {
    const draft = JSON.parse(localStorage.getItem(key) ?? 'null') as {
      text?: unknown;
      name?: unknown;
      unsaved?: unknown;
    };
    if (typeof draft?.text !== 'string' || typeof draft.name !== 'string') return undefined;
    return { text: draft.text, name: draft.name, unsaved: draft.unsaved === true };
  } catch {
    return undefined;
  }
}

async function confirmDiscard(current: string, next: string): Promise<boolean> {
  const answer = await openDialog<true>({
    title: `Discard the changes to ${current}?`,
    confirmLabel: 'Discard changes',
    danger: true,
    body: [
      h('p', {}, `${current} has changes that were neither downloaded nor deployed. Opening ${next} replaces it.`),
    ],
    collect: () => true,
  });
  return answer === true;
}

/** The style sheet that outlines the elements problems name, in whichever view shows them. */
const problemStyle = document.head.appendChild(document.createElement('style'));

/**
 * The problems panel: one line per problem (a click shows where), hidden when there are none; the
 * elements they name are outlined — table columns and rules (dmn-js), diagram shapes, form fields
 * (form-js) — by a style sheet, so the outline survives the editors drawing again.
 */
function showProblems(el: HTMLElement, list: ResourceProblem[], editor: ResourceEditor): void {
  const ids = list.flatMap((p) => (p.elementId ? [CSS.escape(p.elementId)] : []));
  problemStyle.textContent = ids.length
    ? `${ids
        .flatMap((id) => [
          `[data-col-id="${id}"]`,
          `[data-row-id="${id}"] td`,
          `.djs-element[data-element-id="${id}"] .djs-visual > :first-child`,
          `.fjs-editor-container [data-id="${id}"]`,
        ])
        .join(',\n')} { outline: 2px solid var(--bad); outline-offset: -2px; stroke: var(--bad) !important; }`
    : '';
  el.hidden = list.length === 0;
  mount(
    el,
    h('div', { class: 'problems-head' }, h('strong', {}, `Deployment refused: ${list.length} problem(s)`)),
    h(
      'ul',
      {},
      list.map((p) =>
        h(
          'li',
          { 'data-element-id': p.elementId ?? null, onclick: () => editor.reveal?.(p) },
          p.elementId ? h('code', {}, p.elementId) : null,
          p.elementId ? ': ' : '',
          p.message,
          p.line ? h('span', { class: 'muted' }, ` (line ${p.line})`) : null,
        ),
      ),
    ),
  );
}

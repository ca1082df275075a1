/**
 * Small modal dialogs built on `<dialog>`: the reason prompt every operator action goes through,
 * and a generic form dialog.
 */
import { getActor, setActor } from './actor';
import { h } from './dom';

/** What the operator typed into {@link askReason}. */
export interface ReasonAnswer {
  reason: string;
  actor: string;
}

/**
 * Asks why an operator action is done (and who does it; the name is remembered). Resolves with
 * the answer, or null when the dialog was cancelled.
 */
export function askReason(title: string, confirmLabel: string, danger = false): Promise<ReasonAnswer | null> {
  const reason = h('textarea', {
    id: 'reason-input',
    name: 'reason',
    rows: 3,
    required: true,
    placeholder: 'Why? (kept in the history)',
  });
  const actor = h('input', { id: 'reason-actor', name: 'actor', type: 'text', value: getActor(), required: true });
  return openDialog<ReasonAnswer>({
    title,
    confirmLabel,
    danger,
    body: [h('label', {}, 'Reason', reason), h('label', {}, 'Your name', actor)],
    focus: reason,
    collect: () => {
      const answer = { reason: reason.value.trim(), actor: actor.value.trim() };
      if (!answer.reason || !answer.actor) return undefined;
      setActor(answer.actor);
      const topbarActor = document.getElementById('actor') as HTMLInputElement | null;
      if (topbarActor) topbarActor.value = answer.actor;
      return answer;
    },
  });
}

/** Options of {@link openDialog}. */
export interface DialogOptions<T> {
  title: string;
  confirmLabel: string;
  danger?: boolean;
  body: Node[];
  focus?: HTMLElement;
  /** Reads the form; undefined keeps the dialog open (invalid input). */
  collect: () => T | undefined;
}

/** Opens a modal form; resolves with `collect()`'s value on confirm, null on cancel or Escape. */
export function openDialog<T>(opts: DialogOptions<T>): Promise<T | null> {
  return new Promise((resolve) => {
    const error = h('p', { class: 'dialog-error', hidden: true }, 'Please fill in every field.');
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', {}, opts.title),
      opts.body,
      error,
      h(
        'div',
        { class: 'dialog-buttons' },
        h('button', { type: 'button', class: 'secondary', value: 'cancel', onclick: () => finish(null) }, 'Cancel'),
        h(
          'button',
          { type: 'submit', class: opts.danger ? 'danger' : 'primary', 'data-confirm': '' },
          opts.confirmLabel,
        ),
      ),
    );
    const dialog = h('dialog', { class: 'modal' }, form);
    let done = false;
    const finish = (value: T | null) => {
      if (done) return;
      done = true;
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const value = opts.collect();
      if (value === undefined) error.hidden = false;
      else finish(value);
    });
    dialog.addEventListener('cancel', () => finish(null));
    document.body.append(dialog);
    dialog.showModal();
    opts.focus?.focus();
  });
}

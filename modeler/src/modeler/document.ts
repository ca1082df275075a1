/**
 * The diagram open in the modeler as a document: its file name, whether it has changes that were
 * neither downloaded nor deployed, and replacing it. New, Open…, a dropped file and a deployed
 * version all go through {@link DiagramDocument.replace}: a file that is not well-formed XML is
 * refused before the current diagram is touched, unsaved changes are only discarded after asking,
 * and the diagram that was replaced can be brought back. The draft (XML, name, unsaved flag) is
 * kept in localStorage, so a reload loses nothing either.
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import { describeParseFailure } from '../../../engine/src/model/parse-failure';
import { checkXml } from '../../../engine/src/model/xml-check';
import { openDialog } from '../shared/dialog';
import { h } from '../shared/dom';

const DRAFT_KEY = 'baton.modeler.draft';

/** A diagram kept aside: the draft in localStorage, or the one a replace discarded. */
export interface Draft {
  xml: string;
  name: string;
  unsaved: boolean;
}

/** How a replace went: opened, refused (the file cannot be read) or kept (the user said no). */
export type ReplaceOutcome =
  | { kind: 'opened'; warnings: number; previous: Draft | undefined }
  | { kind: 'refused'; message: string }
  | { kind: 'kept' };

/** The open diagram, its name and unsaved state. */
export class DiagramDocument {
  name = 'diagram.bpmn';
  private unsaved = false;

  constructor(
    private readonly modeler: Modeler,
    /** Called after every import, e.g. to fit the diagram to the canvas. */
    private readonly onOpened: () => void,
  ) {
    modeler.on('commandStack.changed', (e: { trigger?: string | null }) => {
      if (e.trigger === 'clear') return; // an import, not an edit
      this.unsaved = true;
      this.saveDraft();
    });
  }

  /** True when the diagram has changes that were neither downloaded nor deployed. */
  get hasUnsavedChanges(): boolean {
    return this.unsaved;
  }

  /** After a download or a deployment: the diagram is saved somewhere. */
  markSaved(): void {
    this.unsaved = false;
    this.saveDraft();
  }

  /**
   * Opens `xml` as `name` in place of the current diagram. With `ask` (the default) unsaved
   * changes are only discarded after the user agreed; `unsaved` is the state the new diagram
   * starts in (true for a restored draft that had changes).
   */
  async replace(xml: string, name: string, opts: { ask?: boolean; unsaved?: boolean } = {}): Promise<ReplaceOutcome> {
    const [problem] = checkXml(xml);
    if (problem) return { kind: 'refused', message: problem.message };
    if ((opts.ask ?? true) && this.unsaved && !(await this.confirmDiscard(name))) return { kind: 'kept' };
    const current: Draft = { xml: await this.currentXml(), name: this.name, unsaved: this.unsaved };
    try {
      const { warnings } = await this.modeler.importXML(xml);
      this.name = name;
      this.unsaved = opts.unsaved ?? false;
      this.onOpened();
      this.saveDraft();
      // only a diagram with unsaved changes is offered back: anything else is in a file or deployed
      return { kind: 'opened', warnings: warnings.length, previous: current.unsaved ? current : undefined };
    } catch (err) {
      // moddle refuses a document while parsing it, before the canvas is cleared
      return { kind: 'refused', message: describeParseFailure(xml, err).message };
    }
  }

  /** The XML of the open diagram; empty before the first import. */
  private async currentXml(): Promise<string> {
    try {
      return (await this.modeler.saveXML({ format: true })).xml ?? '';
    } catch {
      return '';
    }
  }

  /** The draft kept from the last visit, if any. */
  static restoreDraft(): Draft | undefined {
    try {
      const raw = localStorage.getItem(DRAFT_KEY);
      if (!raw) return undefined;
      const draft = JSON.parse(raw) as Partial<Draft>;
      if (typeof draft.xml !== 'string' || typeof draft.name !== 'string') return undefined;
      return { xml: draft.xml, name: draft.name, unsaved: draft.unsaved === true };
    } catch {
      return undefined;
    }
  }

  private saveDraft(): void {
    const { name, unsaved } = this;
    void this.modeler.saveXML().then(({ xml }) => {
      try {
        localStorage.setItem(DRAFT_KEY, JSON.stringify({ xml, name, unsaved }));
      } catch {
        /* storage full or off: the draft is not kept */
      }
    });
  }

  /** Asks whether the unsaved changes may go; true when they may. */
  private async confirmDiscard(next: string): Promise<boolean> {
    const answer = await openDialog<true>({
      title: `Discard the changes to ${this.name}?`,
      confirmLabel: 'Discard changes',
      danger: true,
      body: [
        h(
          'p',
          {},
          `${this.name} has changes that were neither downloaded nor deployed. Opening ${next} replaces it `,
          '(Undo in the status line brings it back).',
        ),
      ],
      collect: () => true,
    });
    return answer === true;
  }
}

/**
 * Brings deployed decisions and forms to the pure core without I/O inside it (see core/links.ts).
 * Before a command runs on an instance, the runtime loads, in the command's transaction, every
 * decision and form its process links by a literal id (business rule tasks' `zeebe:calledDecision`,
 * user tasks' `zeebe:formDefinition formId`), each resolved with its binding type relative to the
 * instance's process definition. A decision id that is a FEEL expression is only known while the
 * command runs: the core then stops with LINKS_NEEDED, the runtime loads that decision and runs the
 * command again on a fresh copy of the state (a process with such a task is never run in place).
 */
import { linkKey, type DecisionLink, type FormLink, type LinkedResources, type LinkRef } from '../core/links.js';
import type { ProcessModel } from '../model/types.js';
import type { Tx } from '../storage/port.js';

/** What a process links by literal ids, and whether it links a decision by an expression. */
export interface ModelLinks {
  readonly refs: readonly LinkRef[];
  readonly dynamic: boolean;
}

const byModel = new WeakMap<ProcessModel, ModelLinks>();

/** The references of `model` known before it runs (computed once per model). */
export function modelLinks(model: ProcessModel): ModelLinks {
  let found = byModel.get(model);
  if (!found) {
    const refs = new Map<string, LinkRef>();
    let dynamic = false;
    const add = (ref: LinkRef) => refs.set(linkKey(ref), ref);
    for (const el of Object.values(model.elements)) {
      const called = el.calledDecision;
      if (called?.decisionId.feel) dynamic = true;
      else if (called)
        add({
          kind: 'decision',
          id: called.decisionId.src,
          bindingType: called.bindingType,
          ...(called.versionTag ? { versionTag: called.versionTag } : {}),
        });
      if (el.userTask?.form) add({ kind: 'form', ...el.userTask.form });
    }
    found = { refs: [...refs.values()], dynamic };
    byModel.set(model, found);
  }
  return found;
}

/** Most loads of expression-named decisions one command may ask for (each runs the command again). */
export const MAX_LINK_ROUNDS = 100;

/** The decisions and forms one command on one instance sees, loaded in its transaction. */
export class CommandLinks implements LinkedResources {
  private readonly found = new Map<string, DecisionLink | FormLink | null>();

  /** `deploymentId`: the deployment of the instance's process definition (the `deployment` binding). */
  constructor(private readonly deploymentId: string) {}

  decision(ref: LinkRef): DecisionLink | null | undefined {
    return this.found.get(linkKey(ref)) as DecisionLink | null | undefined;
  }

  form(ref: LinkRef): FormLink | null | undefined {
    return this.found.get(linkKey(ref)) as FormLink | null | undefined;
  }

  /** Resolves every reference not resolved yet. */
  async load(tx: Tx, refs: readonly LinkRef[]): Promise<void> {
    for (const ref of refs) {
      const key = linkKey(ref);
      if (this.found.has(key)) continue;
      this.found.set(
        key,
        ref.kind === 'decision' ? await this.resolveDecision(tx, ref) : await this.resolveForm(tx, ref),
      );
    }
  }

  private async resolveDecision(tx: Tx, ref: LinkRef): Promise<DecisionLink | null> {
    const row =
      ref.bindingType === 'versionTag'
        ? await tx.decisions.byTag(ref.id, ref.versionTag ?? '')
        : ref.bindingType === 'deployment'
          ? await tx.decisions.inDeployment(ref.id, this.deploymentId)
          : await tx.decisions.latest(ref.id);
    if (!row) return null;
    const graph = await tx.decisions.requirements(row.decisionRequirementsKey);
    if (!graph)
      throw new Error(
        `Expected requirements ${row.decisionRequirementsKey} of decision ${row.key}, but they are missing`,
      );
    return {
      key: row.key,
      decisionId: row.decisionId,
      version: row.version,
      name: row.name,
      decisionRequirementsId: row.decisionRequirementsId,
      decisionRequirementsKey: row.decisionRequirementsKey,
      graph: graph.graph,
    };
  }

  private async resolveForm(tx: Tx, ref: LinkRef): Promise<FormLink | null> {
    const row =
      ref.bindingType === 'versionTag'
        ? await tx.forms.byTag(ref.id, ref.versionTag ?? '')
        : ref.bindingType === 'deployment'
          ? await tx.forms.inDeployment(ref.id, this.deploymentId)
          : await tx.forms.latest(ref.id);
    return row ? { key: row.key, formId: row.formId, version: row.version } : null;
  }
}

/**
 * Deployed resources an element needs while it runs — the decision a business rule task evaluates,
 * the form a user task links — reach the pure core through its context, resolved by the runtime
 * before the command runs (see runtime/links.ts). The core never does I/O: it asks
 * {@link LinkedResources} synchronously; a resource the runtime did not load (a decision id that is
 * a FEEL expression) stops the command with {@link LinksNeeded}, and the runtime loads it and runs
 * the command again from the start.
 */
import type { DecisionGraph } from '../model/dmn/types.js';
import type { BindingType } from '../model/types.js';

/** A reference to a deployed decision or form, resolved with Camunda 8's binding type. */
export interface LinkRef {
  readonly kind: 'decision' | 'form';
  readonly id: string;
  readonly bindingType: BindingType;
  readonly versionTag?: string;
}

/** A deployed decision version and the requirements graph it is evaluated in. */
export interface DecisionLink {
  readonly key: string;
  readonly decisionId: string;
  readonly version: number;
  readonly name: string | null;
  readonly decisionRequirementsId: string;
  readonly decisionRequirementsKey: string;
  readonly graph: Pick<DecisionGraph, 'decisions'>;
}

/** A deployed form version. */
export interface FormLink {
  readonly key: string;
  readonly formId: string;
  readonly version: number;
}

/**
 * What the runtime resolved for one command, relative to the instance's process definition (the
 * `deployment` binding means its deployment). `undefined`: not loaded yet; `null`: none deployed.
 */
export interface LinkedResources {
  decision(ref: LinkRef): DecisionLink | null | undefined;
  form(ref: LinkRef): FormLink | null | undefined;
}

/** Thrown inside the core when a command needs resources the runtime did not load; never escapes execute(). */
export class LinksNeeded extends Error {
  constructor(readonly refs: readonly LinkRef[]) {
    super(`Expected the resources ${refs.map((r) => `${r.kind} ${r.id}`).join(', ')} to be loaded, but they were not`);
    this.name = 'LinksNeeded';
  }
}

/** A stable text key of a reference (for maps of resolved resources). */
export function linkKey(ref: LinkRef): string {
  return `${ref.kind}\u0000${ref.bindingType}\u0000${ref.versionTag ?? ''}\u0000${ref.id}`;
}

/** How a reference's binding reads in a message: `"risk"`, `"risk" with version tag v2`, … */
export function describeLink(ref: LinkRef): string {
  const id = JSON.stringify(ref.id);
  if (ref.bindingType === 'versionTag') return `${id} with version tag ${JSON.stringify(ref.versionTag ?? '')}`;
  if (ref.bindingType === 'deployment') return `${id} in the deployment of this process`;
  return id;
}

/**
 * The resource `ref` names: the runtime's answer, null when none is deployed (or no resolver was
 * given), and a {@link LinksNeeded} throw when the runtime still has to load it.
 */
export function lookupLink<K extends LinkRef['kind']>(
  links: LinkedResources | undefined,
  ref: LinkRef & { kind: K },
): (K extends 'decision' ? DecisionLink : FormLink) | null {
  if (!links) return null;
  const found = ref.kind === 'decision' ? links.decision(ref) : links.form(ref);
  if (found === undefined) throw new LinksNeeded([ref]);
  return found as (K extends 'decision' ? DecisionLink : FormLink) | null;
}

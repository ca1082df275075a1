/**
 * Sequence flows: resolved from sourceRef/targetRef (never from incoming/outgoing, which
 * hand-written XML often lacks), checked, and wired into the elements' incoming/outgoing lists.
 */
import type { PendingFlow } from './build-graph.js';
import type { BuildContext, Draft } from './context.js';
import { warnForeignAttributes } from './foreign.js';
import type { LineIndex } from './line-index.js';
import type { FlowDef } from './types.js';
import { emptyRecord } from '../core/plain-data.js';

/** Builds the flows of one process and fills `incoming`/`outgoing` of the drafts they connect. */
export function buildFlows(
  pending: readonly PendingFlow[],
  elements: Record<string, Draft>,
  lines: LineIndex,
  ctx: BuildContext,
): Record<string, FlowDef> {
  const flows: Record<string, FlowDef> = emptyRecord();
  const sink = ctx.sink;
  for (const { el, scope } of pending) {
    const id = el.id as string | undefined;
    if (!id) {
      sink.add(scope, `Expected every sequence flow in ${scope} to have an id, but one has none`);
      continue;
    }
    const source = el.sourceRef?.id as string | undefined;
    const target = el.targetRef?.id as string | undefined;
    if (!source || !target) {
      const missing = !source && !target ? 'sourceRef and targetRef are' : !source ? 'sourceRef is' : 'targetRef is';
      if (!sink.has(id))
        sink.add(id, `Expected sequence flow ${id} to have a sourceRef and a targetRef, but its ${missing} missing`);
      continue;
    }
    warnForeignAttributes(el, id, sink);
    if (!endsAreValid(id, scope, source, target, elements, ctx)) continue;
    const body = el.conditionExpression?.body as string | undefined;
    if (el.conditionExpression && (body === undefined || body.trim() === '')) {
      sink.add(id, `Expected the condition of sequence flow ${id} to have a FEEL body, but it is empty`);
    }
    const condition =
      body === undefined || body.trim() === '' ? undefined : ctx.expr(body, id, 'the condition', { feelOnly: true });
    flows[id] = { id, source, target, line: lines.lineOf(id) ?? 0, ...(condition ? { condition } : {}) };
    elements[source]!.outgoing.push(id);
    elements[target]!.incoming.push(id);
  }
  return flows;
}

function endsAreValid(
  id: string,
  scope: string,
  source: string,
  target: string,
  elements: Record<string, Draft>,
  ctx: BuildContext,
): boolean {
  let valid = true;
  for (const [role, ref] of [
    ['source', source],
    ['target', target],
  ] as const) {
    const element = elements[ref];
    if (!element) {
      ctx.sink.add(
        id,
        `Expected the ${role} of sequence flow ${id} to be a flow node of ${scope}, but "${ref}" is not one`,
      );
      valid = false;
    } else if (element.scope !== scope) {
      ctx.sink.add(
        id,
        `Expected sequence flow ${id} to stay inside ${scope}, but its ${role} ${ref} is in ${element.scope || 'another process'}`,
      );
      valid = false;
    }
  }
  return valid;
}

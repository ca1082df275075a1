/**
 * zeebe extension settings shared by activities and events: jobs and variable mappings.
 */
import type { ModdleElement } from 'bpmn-moddle';
import type { BuildContext, Draft, Extensions } from './context.js';
import type { JobDef, Mapping } from './types.js';
import { setOwn } from '../core/plain-data.js';

/** Reads `zeebe:taskDefinition` (+ `zeebe:taskHeaders`) as a job, or undefined when absent. */
export function readJob(id: string, ext: Extensions, ctx: BuildContext): JobDef | undefined {
  const definition = ext.get('zeebe:TaskDefinition');
  const headerList = ext.get('zeebe:TaskHeaders');
  if (!definition) return undefined;
  const type = ctx.expr(definition.type, id, 'the job type');
  if (!type || type.src.trim() === '') return undefined;
  const retries = ctx.expr(definition.retries ?? '3', id, 'the job retries') ?? { src: '3', feel: false };
  if (!retries.feel && !/^\s*\d+\s*$/.test(retries.src)) {
    ctx.sink.add(id, `Expected the job retries of ${id} to be a whole number, but found "${retries.src}"`);
  }
  return { type, retries, headers: readHeaders(id, headerList, ctx) };
}

/** The key/value pairs of a `zeebe:taskHeaders` (empty when absent); a header without a key is a problem. */
export function readHeaders(
  id: string,
  headerList: ModdleElement | undefined,
  ctx: BuildContext,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const header of (headerList?.values ?? []) as ModdleElement[]) {
    if (typeof header.key !== 'string' || header.key === '') {
      ctx.sink.add(id, `Expected every task header of ${id} to have a key, but one has none`);
    } else {
      setOwn(headers, header.key, typeof header.value === 'string' ? header.value : '');
    }
  }
  return headers;
}

/** Reads `zeebe:ioMapping` into inputs/outputs (each undefined when empty). */
export function readMappings(draft: Draft, ext: Extensions, ctx: BuildContext): void {
  const io = ext.get('zeebe:IoMapping');
  if (!io) return;
  const read = (list: ModdleElement[] | undefined, kind: string): Mapping[] =>
    (list ?? []).flatMap((p) => {
      if (!p.target) {
        ctx.sink.add(draft.id, `Expected every ${kind} mapping of ${draft.id} to have a target, but one has none`);
        return [];
      }
      const source = ctx.expr(p.source ?? '', draft.id, `the ${kind} mapping "${p.target}"`);
      return source ? [{ source, target: p.target as string }] : [];
    });
  const inputs = read(io.inputParameters, 'input');
  const outputs = read(io.outputParameters, 'output');
  if (inputs.length > 0) draft.inputs = inputs;
  if (outputs.length > 0) draft.outputs = outputs;
}

/**
 * The BPMN coverage tables of docs/bpmn-coverage.md, derived from the element registry
 * (`SUPPORTED` / `IGNORED` in engine/src/model/supported.ts) and the BPMN 2.0.2 position rules.
 * test/coverage.test.ts checks that the document holds exactly this text between its markers.
 *
 *   node --import tsx scripts/coverage.ts           # prints the tables
 *   node --import tsx scripts/coverage.ts --write   # rewrites them in docs/bpmn-coverage.md
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IGNORED, SUPPORTED, type EventKind, type EventPosition } from '../engine/src/model/supported.js';

export const START_MARKER = '<!-- coverage:start -->';
export const END_MARKER = '<!-- coverage:end -->';
export const DOC_PATH = fileURLToPath(new URL('../docs/bpmn-coverage.md', import.meta.url));

/** Every event definition of BPMN 2.0.2 (`multiple` = several definitions on one event). */
export type DefinitionKind = EventKind | 'multiple' | 'parallelMultiple';

export const DEFINITIONS: readonly DefinitionKind[] = [
  'none',
  'message',
  'timer',
  'error',
  'escalation',
  'cancel',
  'compensate',
  'conditional',
  'link',
  'signal',
  'terminate',
  'multiple',
  'parallelMultiple',
];

/** A place an event can stand, as a column of the table. */
export interface Column {
  readonly key: string;
  readonly title: string;
  readonly type: string;
  /** Where SUPPORTED lists the allowed kinds for this column. */
  readonly position: EventPosition;
  /** Only for event sub-process starts and boundary events. */
  readonly interrupting?: boolean;
  /** What BPMN 2.0.2 (tables 10.84-10.93) allows here. */
  readonly bpmn: readonly DefinitionKind[];
}

const CATCH_COMMON: readonly DefinitionKind[] = [
  'message',
  'timer',
  'escalation',
  'conditional',
  'signal',
  'multiple',
  'parallelMultiple',
];

export const COLUMNS: readonly Column[] = [
  {
    key: 'start',
    title: 'Start (process)',
    type: 'bpmn:StartEvent',
    position: 'process',
    bpmn: ['none', 'message', 'timer', 'conditional', 'signal', 'multiple', 'parallelMultiple'],
  },
  { key: 'start-sub', title: 'Start (sub-process)', type: 'bpmn:StartEvent', position: 'subProcess', bpmn: ['none'] },
  {
    key: 'esp-int',
    title: 'Event sub-process start, interrupting',
    type: 'bpmn:StartEvent',
    position: 'eventSubProcess',
    interrupting: true,
    bpmn: [...CATCH_COMMON, 'error', 'compensate'],
  },
  {
    key: 'esp-non',
    title: 'Event sub-process start, non-interrupting',
    type: 'bpmn:StartEvent',
    position: 'eventSubProcess',
    interrupting: false,
    bpmn: CATCH_COMMON,
  },
  {
    key: 'catch',
    title: 'Intermediate catch',
    type: 'bpmn:IntermediateCatchEvent',
    position: 'anywhere',
    bpmn: ['message', 'timer', 'conditional', 'link', 'signal', 'multiple', 'parallelMultiple'],
  },
  {
    key: 'throw',
    title: 'Intermediate throw',
    type: 'bpmn:IntermediateThrowEvent',
    position: 'anywhere',
    bpmn: ['none', 'message', 'escalation', 'compensate', 'link', 'signal', 'multiple'],
  },
  {
    key: 'boundary-int',
    title: 'Boundary, interrupting',
    type: 'bpmn:BoundaryEvent',
    position: 'anywhere',
    interrupting: true,
    bpmn: [...CATCH_COMMON, 'error', 'cancel', 'compensate'],
  },
  {
    key: 'boundary-non',
    title: 'Boundary, non-interrupting',
    type: 'bpmn:BoundaryEvent',
    position: 'anywhere',
    interrupting: false,
    bpmn: CATCH_COMMON,
  },
  {
    key: 'end',
    title: 'End',
    type: 'bpmn:EndEvent',
    position: 'anywhere',
    bpmn: ['none', 'message', 'error', 'escalation', 'cancel', 'compensate', 'signal', 'terminate', 'multiple'],
  },
];

/** Definitions BPMN allows only on interrupting catch events (error, compensation, cancel). */
const INTERRUPTING_ONLY: ReadonlySet<DefinitionKind> = new Set(['error', 'compensate', 'cancel']);

export type Verdict = 'supported' | 'rejected' | 'not BPMN';

/** Whether Baton runs `kind` in `column`, by the registry. */
export function verdict(kind: DefinitionKind, column: Column): Verdict {
  if (!column.bpmn.includes(kind)) return 'not BPMN';
  const events = SUPPORTED[column.type]?.events;
  const allowed = events?.[column.position] ?? events?.anywhere ?? [];
  if (!(allowed as readonly string[]).includes(kind)) return 'rejected';
  if (column.interrupting === false && INTERRUPTING_ONLY.has(kind)) return 'rejected';
  return 'supported';
}

/** BPMN element types in a process (BPMN 2.0.2 chapter 10), in table order. */
export const ELEMENTS: readonly string[] = [
  'bpmn:Task',
  'bpmn:ServiceTask',
  'bpmn:SendTask',
  'bpmn:ReceiveTask',
  'bpmn:UserTask',
  'bpmn:ManualTask',
  'bpmn:BusinessRuleTask',
  'bpmn:ScriptTask',
  'bpmn:CallActivity',
  'bpmn:SubProcess',
  'bpmn:Transaction',
  'bpmn:AdHocSubProcess',
  'bpmn:ExclusiveGateway',
  'bpmn:InclusiveGateway',
  'bpmn:ParallelGateway',
  'bpmn:EventBasedGateway',
  'bpmn:ComplexGateway',
  'bpmn:StartEvent',
  'bpmn:IntermediateCatchEvent',
  'bpmn:IntermediateThrowEvent',
  'bpmn:BoundaryEvent',
  'bpmn:EndEvent',
  'bpmn:SequenceFlow',
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
  'bpmn:TextAnnotation',
  'bpmn:Association',
  'bpmn:Group',
];

/** Activity markers (not element types, so not in the registry): both loop kinds run on every activity. */
export const MARKERS: readonly { readonly name: string; readonly verdict: Verdict; readonly note: string }[] = [
  {
    name: 'multi-instance, parallel',
    verdict: 'supported',
    note: 'inputCollection / inputElement, outputCollection / outputElement, completionCondition, loopCardinality.',
  },
  { name: 'multi-instance, sequential', verdict: 'supported', note: 'As parallel, one iteration after the other.' },
  { name: 'standard loop', verdict: 'supported', note: 'loopCondition, testBefore, loopMaximum (default 1000).' },
  {
    name: 'compensation (isForCompensation)',
    verdict: 'supported',
    note: 'A handler, run only through a compensation boundary event.',
  },
];

export type ElementVerdict = 'supported' | 'ignored' | 'rejected';

export function elementVerdict(type: string): ElementVerdict {
  if (type === 'bpmn:SequenceFlow' || SUPPORTED[type]) return 'supported';
  if (IGNORED.has(type)) return 'ignored';
  return 'rejected';
}

function elementNote(type: string): string {
  if (type === 'bpmn:SequenceFlow') return 'Conditions (FEEL) and default flows, also from activities and events.';
  const supported = SUPPORTED[type];
  if (supported) return supported.note;
  if (IGNORED.has(type)) return 'No behaviour; accepted and skipped.';
  return 'Rejected at deploy with INVALID_BPMN.';
}

const label = (kind: DefinitionKind) =>
  kind === 'parallelMultiple' ? 'parallel multiple' : kind === 'compensate' ? 'compensation' : kind;
const mark = (v: Verdict) => (v === 'not BPMN' ? '—' : v);

/** The generated Markdown between the markers (without them). */
export function coverageTables(): string {
  const out: string[] = [];
  out.push('### Elements', '', '| element | verdict | what Baton does |', '| --- | --- | --- |');
  for (const type of ELEMENTS) out.push(`| \`${type}\` | ${elementVerdict(type)} | ${elementNote(type)} |`);
  for (const m of MARKERS) out.push(`| ${m.name} | ${m.verdict} | ${m.note} |`);
  out.push('', '### Event definitions by position', '');
  out.push(`| definition | ${COLUMNS.map((c) => c.title).join(' | ')} |`);
  out.push(`| --- | ${COLUMNS.map(() => '---').join(' | ')} |`);
  for (const kind of DEFINITIONS)
    out.push(`| ${label(kind)} | ${COLUMNS.map((c) => mark(verdict(kind, c))).join(' | ')} |`);
  return out.join('\n');
}

/** `doc` with the text between the markers replaced by the generated tables. */
export function withTables(doc: string): string {
  const start = doc.indexOf(START_MARKER);
  const end = doc.indexOf(END_MARKER);
  if (start < 0 || end < start)
    throw new Error(`Expected ${START_MARKER} and ${END_MARKER} in the document, but they are missing`);
  return `${doc.slice(0, start + START_MARKER.length)}\n${coverageTables()}\n${doc.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--write')) writeFileSync(DOC_PATH, withTables(readFileSync(DOC_PATH, 'utf8')));
  else process.stdout.write(`${coverageTables()}\n`);
}

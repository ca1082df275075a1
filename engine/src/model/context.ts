/**
 * Shared state of one compilation: the problem sink, expression reading, and the mutable
 * drafts that become frozen {@link ElementDef}s.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { feelSyntaxError, toExpr, unknownFeelFunctions } from './expr.js';
import { warnForeignExtension } from './foreign.js';
import type { ProblemSink } from './problems.js';
import { IGNORED_EXTENSIONS, REFUSED_EXTENSIONS, WARNED_ATTRIBUTES, WARNED_EXTENSIONS } from './supported.js';
import type { ElementDef, Expr } from './types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type ListKeys = 'incoming' | 'outgoing' | 'children' | 'startEvents' | 'eventSubprocesses' | 'boundaries';

/** An {@link ElementDef} under construction (mutable lists, writable fields). */
export interface Draft extends Omit<Mutable<ElementDef>, ListKeys> {
  incoming: string[];
  outgoing: string[];
  children?: string[];
  startEvents?: string[];
  eventSubprocesses?: string[];
  boundaries?: string[];
}

/** Options for {@link BuildContext.expr}. */
export interface ExprOptions {
  /** The value must be FEEL (start with `=`); a literal is a problem. */
  readonly feelOnly?: boolean;
}

/** What element builders need from the compilation. */
export interface BuildContext {
  readonly sink: ProblemSink;
  /** The shortest timer cycle accepted, in ms (compile option). */
  readonly minTimerCycleMs: number;
  /**
   * Reads optional text as an {@link Expr}; FEEL is syntax-checked, and problems are filed on
   * `ownerId` naming `what` (e.g. "the condition"). Returns undefined for absent text.
   */
  expr(text: string | undefined | null, ownerId: string, what: string, options?: ExprOptions): Expr | undefined;
}

/** Creates the {@link BuildContext} of one compilation. */
export function createContext(sink: ProblemSink, minTimerCycleMs: number): BuildContext {
  return {
    sink,
    minTimerCycleMs,
    expr(text, ownerId, what, options = {}) {
      if (text === undefined || text === null) return undefined;
      const expr = toExpr(text);
      if (!expr.feel && options.feelOnly) {
        sink.add(
          ownerId,
          `Expected ${what} of ${ownerId} to be a FEEL expression starting with "=", but found "${text.trim()}"`,
        );
      } else if (expr.feel) {
        const error = feelSyntaxError(expr.src);
        if (error !== null)
          sink.add(ownerId, `Expected ${what} of ${ownerId} to be valid FEEL, but ${error}: "=${expr.src}"`);
        else
          for (const name of unknownFeelFunctions(expr.src))
            sink.warn(
              ownerId,
              `Expected ${what} of ${ownerId} to call only known functions, but ${name}() is neither a FEEL built-in nor defined in the expression; it fails when evaluated: "=${expr.src}"`,
            );
      }
      return expr;
    },
  };
}

/**
 * The extension elements of one BPMN element, with a record of which ones the compiler read,
 * so anything left unread can be reported instead of silently skipped.
 */
export class Extensions {
  private readonly values: readonly ModdleElement[];
  private readonly used = new Set<ModdleElement>();

  constructor(private readonly element: ModdleElement) {
    this.values = (element.extensionElements?.values ?? []) as ModdleElement[];
  }

  /** The first extension element of `type` (e.g. `zeebe:TaskDefinition`), marked as read. */
  get(type: string): ModdleElement | undefined {
    const found = this.values.find((v) => v.$type === type);
    if (found) this.used.add(found);
    return found;
  }

  /** True when an extension element of `type` exists (does not mark it as read). */
  has(type: string): boolean {
    return this.values.some((v) => v.$type === type);
  }

  /** Files a problem for every extension element that was neither read nor known to be harmless. */
  reportUnread(ownerId: string, sink: ProblemSink): void {
    for (const value of this.values) {
      if (this.used.has(value)) {
        for (const [key, reason] of Object.entries(WARNED_ATTRIBUTES)) {
          const [type, attribute] = key.split('@') as [string, string];
          if (type === value.$type && value[attribute] !== undefined)
            sink.warn(ownerId, `The ${attribute} of the <${type}> on ${ownerId} is ignored: ${reason}`);
        }
        continue;
      }
      if (IGNORED_EXTENSIONS.has(value.$type)) continue;
      const warned = WARNED_EXTENSIONS[value.$type];
      if (warned) {
        sink.warn(ownerId, `The <${value.$type}> on ${ownerId} is ignored: ${warned}`);
        continue;
      }
      const refused = REFUSED_EXTENSIONS[value.$type];
      if (refused) {
        sink.add(ownerId, `Expected no <${value.$type}> on ${ownerId}, but found one: ${refused}`);
      } else if (value.$type.startsWith('zeebe:')) {
        sink.add(
          ownerId,
          `Expected only extension elements Baton uses on a ${this.element.$type}, but found <${value.$type}> on ${ownerId}`,
        );
      } else {
        warnForeignExtension(value.$type, ownerId, sink);
      }
    }
  }
}

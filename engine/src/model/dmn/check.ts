/**
 * Shared state of one DMN compilation: the problem sink, the names FEEL may use, and the checks
 * every piece of FEEL text goes through.
 */
import type { ModdleElement } from 'bpmn-moddle';
import type { ProblemSink } from '../problems.js';
import { feelProblem, type FeelKind } from './feel-check.js';

/** What the table and decision builders need from the compilation. */
export interface DmnContext {
  readonly sink: ProblemSink;
  /**
   * Checks FEEL `src` of kind `kind`; a syntax error is filed on `ownerId`, naming `what` (e.g.
   * "the input expression of Input_1"). Returns true when it parses.
   */
  feel(src: string, kind: FeelKind, ownerId: string, what: string): boolean;
  /** Files a problem when `element` names an expression language other than FEEL. */
  language(element: ModdleElement | undefined, ownerId: string): void;
}

/** Creates the {@link DmnContext} of one compilation; `names` are the names the document declares. */
export function createDmnContext(sink: ProblemSink, names: readonly string[]): DmnContext {
  return {
    sink,
    feel(src, kind, ownerId, what) {
      const error = feelProblem(src, kind, names);
      if (error === null) return true;
      const as = kind === 'expression' ? 'a valid FEEL expression' : 'valid FEEL unary tests';
      sink.add(ownerId, `Expected ${what} to be ${as}, but ${error}: "${src}"`);
      return false;
    },
    language(element, ownerId) {
      const language = element?.expressionLanguage;
      if (typeof language === 'string' && language !== '' && !/feel/i.test(language)) {
        sink.add(ownerId, `Expected FEEL as the expression language of ${ownerId}, but found "${language}"`);
      }
    },
  };
}

/** The text of a DMN expression element (`<text>` of a literal expression or unary tests), trimmed. */
export function textOf(element: ModdleElement | undefined): string {
  const text = element?.text;
  return typeof text === 'string' ? text.trim() : '';
}

/** The id of `element`, or `fallback` when it has none. */
export function idOr(element: ModdleElement | undefined, fallback: string): string {
  return typeof element?.id === 'string' && element.id !== '' ? element.id : fallback;
}

/**
 * Deploy-time FEEL checks for DMN: expressions and unary tests are parsed (never evaluated), and
 * the literal lists of `outputValues` are read.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { parseExpression, parseUnaryTests } from 'feelin';
import { feelSyntaxError } from '../expr.js';

/** What a piece of FEEL text is parsed as. */
export type FeelKind = 'expression' | 'unaryTests';

/**
 * Describes the first syntax error of `src`, or returns null when it parses. `names` are the
 * names the document declares (input data, decision results): FEEL can read a name with spaces
 * (`Applicant Age`) only when it is known.
 */
export function feelProblem(src: string, kind: FeelKind, names: readonly string[]): string | null {
  if (kind === 'expression' && feelSyntaxError(src) === null) return null;
  const context = Object.fromEntries(names.map((name) => [name, null]));
  let tree: Tree;
  try {
    tree = kind === 'expression' ? parseExpression(src, context, undefined) : parseUnaryTests(src, context, undefined);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const from = firstError(tree);
  if (from === null) return null;
  if (from >= src.length) return `it ends early (at position ${from})`;
  return `it has a syntax error at position ${from}, near \`${src.slice(from, from + 12)}\``;
}

function firstError(tree: Tree): number | null {
  let found: number | null = null;
  tree.iterate({
    enter(node) {
      if (found !== null) return false;
      if (node.type.isError) {
        found = node.from;
        return false;
      }
      return undefined;
    },
  });
  return found;
}

/** A FEEL literal read from source: a string, a number, a boolean or null. */
export type Literal = { readonly value: string | number | boolean | null };

/**
 * Reads a literal node of a parsed FEEL tree (`"a"`, `-1.5`, `true`, `null`), or returns
 * undefined when the node is anything else (a name, a call, a string with escapes we do not
 * decode).
 */
export function readLiteral(node: SyntaxNode, src: string): Literal | undefined {
  const text = src.slice(node.from, node.to);
  switch (node.name) {
    case 'StringLiteral':
      return text.includes('\\') ? undefined : { value: text.slice(1, -1) };
    case 'NumericLiteral': {
      const n = Number(text.replace(/\s+/g, ''));
      return Number.isFinite(n) ? { value: n } : undefined;
    }
    case 'BooleanLiteral':
      return { value: text === 'true' };
    case 'null':
      return { value: null };
    default:
      return undefined;
  }
}

/**
 * Reads `outputValues` text such as `"high", "medium", "low"` into its literals, in order, or
 * returns null when it is not a plain list of string, number or boolean literals.
 */
export function readOutputValues(src: string): (string | number | boolean)[] | null {
  const tree = parseUnaryTests(src, {}, undefined);
  if (firstError(tree) !== null) return null;
  const top = tree.topNode.firstChild;
  if (!top || top.name !== 'PositiveUnaryTests') return null;
  const values: (string | number | boolean)[] = [];
  for (let test = top.firstChild; test; test = test.nextSibling) {
    const node = test.firstChild;
    const literal = node && !node.nextSibling ? readLiteral(node, src) : undefined;
    if (!literal || literal.value === null) return null;
    values.push(literal.value);
  }
  return values;
}

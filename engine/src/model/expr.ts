/**
 * Expressions of a model: Camunda's "leading `=` means FEEL" rule, plus a deploy-time FEEL syntax check.
 */
import { parseExpression } from 'feelin';
import type { Expr } from './types.js';

/**
 * Turns attribute or body text into an {@link Expr}: text starting with `=` (after leading
 * whitespace) is FEEL without the `=`, anything else is a literal string.
 */
export function toExpr(text: string): Expr {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('=')) return { src: trimmed.slice(1).trim(), feel: true };
  return { src: text, feel: false };
}

/**
 * Parses FEEL source (without the leading `=`) and returns a description of the first syntax
 * error, or null when it parses. Uses the same parser and error test as feelin's `evaluate`,
 * without evaluating anything, so deployment cannot run user code.
 */
export function feelSyntaxError(src: string): string | null {
  let firstError: { from: number; to: number } | null = null;
  try {
    const tree = parseExpression(src, {}, undefined);
    tree.iterate({
      enter(node) {
        if (firstError !== null) return false;
        if (node.type.isError) {
          firstError = { from: node.from, to: node.to };
          return false;
        }
        return undefined;
      },
    });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (firstError === null) return null;
  const { from } = firstError;
  if (from >= src.length) return `the expression ends early (at position ${from})`;
  return `it has a syntax error at position ${from}, near \`${src.slice(from, from + 12)}\``;
}

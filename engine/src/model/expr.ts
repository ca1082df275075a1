/**
 * Expressions of a model: Camunda's "leading `=` means FEEL" rule, plus a deploy-time FEEL syntax check.
 */
import { checkFeel } from '../feel/index.js';
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
 * Parses FEEL source (without the leading `=`) as Camunda 8 does (its dialect, its built-in names)
 * and returns a description of the first syntax error, or null when it parses. Nothing is evaluated,
 * so deployment cannot run user code.
 */
export function feelSyntaxError(src: string): string | null {
  return checkFeel(src).syntaxError;
}

/**
 * Functions the FEEL source calls that are neither built-ins nor defined in it. Camunda deploys
 * such a model, and the call fails when it is evaluated; the compiler warns.
 */
export function unknownFeelFunctions(src: string): readonly string[] {
  return checkFeel(src).unknownFunctions;
}

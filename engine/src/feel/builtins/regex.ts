/**
 * The FEEL functions that take regular expressions (`matches`, `replace`, `split`, `extract`),
 * on RE2 (re2js): matching takes time linear in the input, so no pattern can freeze the engine
 * by catastrophic backtracking, as JavaScript's and Java's engines can. RE2 has no backreferences
 * and no lookahead; a pattern that uses them, or is not valid, fails the evaluation with a clear
 * message instead of matching something else.
 */
import { RE2JS } from 're2js';
import { isString, type BuiltinDef } from '../builtin.js';
import { FeelEvaluationError } from '../env.js';

/** XPath's `x` flag: whitespace in the pattern is removed, except inside character classes. */
function withoutWhitespace(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
    } else if (inClass) {
      out += c;
      if (c === ']') inClass = false;
    } else if (!/\s/.test(c)) {
      out += c;
      if (c === '[') inClass = true;
    }
  }
  return out;
}

/** Compiles a FEEL pattern with FEEL flags (s, m, i, x); fails the evaluation when it cannot. */
export function compile(pattern: string, flags: string): RE2JS {
  let bits = 0;
  let source = pattern;
  for (const f of flags) {
    if (f === 's') bits |= RE2JS.DOTALL;
    else if (f === 'm') bits |= RE2JS.MULTILINE;
    else if (f === 'i') bits |= RE2JS.CASE_INSENSITIVE;
    else if (f === 'x') source = withoutWhitespace(source);
    else throw new FeelEvaluationError(`Expected regular expression flags of s, m, i and x, but got "${flags}"`);
  }
  try {
    return RE2JS.compile(source, bits);
  } catch (e) {
    throw new FeelEvaluationError(
      `Expected a valid regular expression without backreferences or lookaround (Baton matches in linear time, with RE2), but "${pattern}" is not: ${(e as Error).message}`,
    );
  }
}

const flagsOf = (flags: unknown): string | null =>
  flags === undefined || flags === null ? '' : isString(flags) ? flags : null;

export const REGEX: Record<string, BuiltinDef> = {
  matches: {
    params: ['input', 'pattern', 'flags'],
    arities: [2, 3],
    fn: (_c, [input, pattern, flags]) => {
      const f = flagsOf(flags);
      if (!isString(input) || !isString(pattern) || f === null) return null;
      return compile(pattern, f).matcher(input).find();
    },
  },
  replace: {
    params: ['input', 'pattern', 'replacement', 'flags'],
    arities: [3, 4],
    fn: (_c, [input, pattern, replacement, flags]) => {
      const f = flagsOf(flags);
      if (!isString(input) || !isString(pattern) || !isString(replacement) || f === null) return null;
      try {
        return compile(pattern, f).matcher(input).replaceAll(replacement, true);
      } catch (e) {
        if (e instanceof FeelEvaluationError) throw e;
        throw new FeelEvaluationError(
          `Expected a replacement that names existing groups, but "${replacement}" does not`,
        );
      }
    },
  },
  split: {
    params: ['string', 'delimiter'],
    arities: [2],
    fn: (_c, [string, delimiter]) => {
      if (!isString(string) || !isString(delimiter)) return null;
      return compile(delimiter, '').split(string, -1);
    },
  },
  extract: {
    params: ['string', 'pattern'],
    arities: [2],
    fn: (_c, [string, pattern]) => {
      if (!isString(string) || !isString(pattern)) return null;
      const m = compile(pattern, '').matcher(string);
      const out: string[] = [];
      while (m.find()) out.push(m.group() ?? '');
      return out;
    },
  },
};

/**
 * Prepares FEEL source for feelin: parses it once (Camunda dialect, Camunda's built-in names known to
 * the parser) and rewrites it (see {@link Rewriter}) so that built-ins are Baton's, work is charged
 * to the evaluation's budget, and variables are read without feelin walking their values.
 */
import { parseExpression, parseUnaryTests } from 'feelin';
import { PARSER_NAMES } from './registry.js';
import { PrepareError, Rewriter } from './rewriter.js';

export { MAX_NESTING } from './rewriter.js';

/** Which FEEL grammar: an expression, or unary tests (a DMN input entry). */
export type FeelTop = 'expression' | 'unaryTests';

/** FEEL source rewritten for feelin, with what the evaluation needs to know about it. */
export interface Prepared {
  readonly ok: true;
  /** The rewritten source feelin evaluates. */
  readonly text: string;
  /** Variables feelin itself must find in its context (names read inside filters, where they are dynamic). */
  readonly reads: readonly string[];
  /** Reserved names of the built-ins and helpers it calls. */
  readonly uses: readonly string[];
  /** Function names it calls by offset of the call in `text` (to name them in failures). */
  readonly callsAt: ReadonlyMap<number, string>;
  /** Called names that are neither built-ins nor defined inside the expression. */
  readonly unknownFunctions: readonly string[];
}

/** Source that cannot be prepared: a syntax error, or nesting deeper than {@link MAX_NESTING}. */
export interface Unprepared {
  readonly ok: false;
  readonly kind: 'syntax' | 'budget';
  readonly message: string;
}

const PARSE_CONTEXT: Record<string, null> = Object.fromEntries(PARSER_NAMES.map((n) => [n, null]));
/** Characters of source (and rewritten source) the cache holds at most; then it starts over. */
const CACHE_CHARS = 8_000_000;
const cache = new Map<string, Prepared | Unprepared>();
let cachedChars = 0;

/** Prepares `src` (memoized: a source always prepares the same way). */
export function prepare(src: string, top: FeelTop): Prepared | Unprepared {
  const key = `${top === 'expression' ? 'e' : 'u'}:${src}`;
  let p = cache.get(key);
  if (p === undefined) {
    p = prepareUncached(src, top);
    const chars = key.length + (p.ok ? p.text.length : p.message.length);
    if (cachedChars + chars > CACHE_CHARS) {
      cache.clear();
      cachedChars = 0;
    }
    if (chars <= CACHE_CHARS / 4) {
      cache.set(key, p);
      cachedChars += chars;
    }
  }
  return p;
}

function prepareUncached(src: string, top: FeelTop): Prepared | Unprepared {
  let tree;
  try {
    tree = (top === 'expression' ? parseExpression : parseUnaryTests)(src, PARSE_CONTEXT, 'camunda');
  } catch (e) {
    return { ok: false, kind: 'syntax', message: (e as Error).message };
  }
  const rewriter = new Rewriter(src);
  try {
    rewriter.node(tree.topNode, 0);
  } catch (e) {
    if (e instanceof PrepareError) return { ok: false, kind: e.kind, message: e.message };
    if (e instanceof RangeError) return { ok: false, kind: 'budget', message: PrepareError.nesting().message };
    throw e;
  }
  return { ok: true, ...rewriter.result() };
}

/**
 * Limits a BPMN document must keep before any parser builds a tree from it: no control characters
 * (so that no name, id or expression can hold a NUL), and elements nested at most
 * {@link MAX_XML_DEPTH} deep (so that nothing recursive downstream can overflow the stack).
 */
import type { Problem } from './types.js';

/** Most levels of XML elements a deployed document may nest (`<definitions>` is level 1). */
export const MAX_XML_DEPTH = 128;

/**
 * Characters refused anywhere in a document, raw: the C0 controls XML 1.0 forbids (all but tab,
 * line feed and carriage return), DEL and the C1 controls it discourages, and the non-characters
 * U+FFFE and U+FFFF.
 */
// eslint-disable-next-line no-control-regex -- the control characters XML 1.0 forbids are what it looks for
const RAW_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/;

/** A numeric character reference, decimal or hexadecimal. */
const CHAR_REF = /&#(?:x([0-9A-Fa-f]{1,8})|([0-9]{1,10}));/g;

/** The first control character in `xml`, raw or written as a character reference (`&#0;`), as a problem. */
export function controlCharacterProblem(xml: string): Problem | null {
  const raw = RAW_CONTROL.exec(xml);
  let found: { index: number; code: number; written?: string } | null = raw
    ? { index: raw.index, code: raw[0].charCodeAt(0) }
    : null;
  for (const ref of xml.matchAll(CHAR_REF)) {
    if (found && ref.index > found.index) break;
    const code = ref[1] !== undefined ? parseInt(ref[1], 16) : Number(ref[2]);
    if (isRefused(code)) {
      found = { index: ref.index, code, written: ref[0] };
      break;
    }
  }
  if (!found) return null;
  const line = lineAt(xml, found.index);
  const name = `U+${found.code.toString(16).toUpperCase().padStart(4, '0')}`;
  const how = found.written ? ` (written ${found.written})` : '';
  return {
    elementId: null,
    line,
    message: `Expected no control characters in the document, but line ${line} holds ${name}${how}; names, ids and expressions may not contain them`,
  };
}

function isRefused(code: number): boolean {
  if (code < 0x20) return code !== 0x09 && code !== 0x0a && code !== 0x0d;
  return (
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0xd800 && code <= 0xdfff) ||
    code === 0xfffe ||
    code === 0xffff ||
    code > 0x10ffff
  );
}

/**
 * The first element nested deeper than `limit`, as a problem, in a well-formed document (run
 * {@link checkXml}'s well-formedness check first). A linear scan over the text with a counter: it
 * skips comments, CDATA sections, processing instructions and quoted attribute values.
 */
export function nestingProblem(xml: string, limit = MAX_XML_DEPTH): Problem | null {
  let depth = 0;
  for (let at = xml.indexOf('<'); at !== -1; at = xml.indexOf('<', at)) {
    const end = tagEnd(xml, at);
    const kind = xml[at + 1];
    if (kind === '/') depth--;
    else if (kind !== '!' && kind !== '?') {
      if (depth + 1 > limit) return tooDeep(xml.slice(at, end), lineAt(xml, at), limit);
      if (xml[end - 2] !== '/') depth++;
    }
    at = end;
  }
  return null;
}

/** The problem for the start tag `tag` (its text) that is nested deeper than `limit`. */
function tooDeep(tag: string, line: number, limit: number): Problem {
  const name = /^<([^\s/>]+)/.exec(tag)?.[1] ?? 'element';
  const id = /\sid\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(tag);
  return {
    elementId: id ? (id[1] ?? id[2] ?? null) : null,
    line,
    message: `Expected XML elements nested at most ${limit} levels deep, but <${name}> at line ${line} is nested deeper`,
  };
}

/** Offset just after the markup starting at `at` (`<`): a comment, CDATA, PI or tag with quoted values. */
function tagEnd(xml: string, at: number): number {
  const closer = xml.startsWith('<!--', at)
    ? '-->'
    : xml.startsWith('<![CDATA[', at)
      ? ']]>'
      : xml[at + 1] === '?'
        ? '?>'
        : null;
  if (closer) {
    const found = xml.indexOf(closer, at + 2);
    return found === -1 ? xml.length : found + closer.length;
  }
  let quote: string | null = null;
  for (let i = at + 1; i < xml.length; i++) {
    const c = xml[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  return xml.length;
}

/** 1-based line number of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * First gate of a deployment: refuse hostile or malformed XML before any real parser reads it.
 * Pure (no I/O), so the modeler runs the same check on a file before it opens it.
 */
import { XMLValidator } from 'fast-xml-parser';
import type { Problem } from './types.js';
import { controlCharacterProblem, lineAt, nestingProblem } from './xml-limits.js';

/** `<!DOCTYPE` or `<!ENTITY`: the doors for entity expansion ("billion laughs") and external entities. */
const DTD_PATTERN = /<!\s*(DOCTYPE|ENTITY)/i;
/** fast-xml-parser's answer when several elements are still open at the end: a JSON list of their names. */
const OPEN_LIST = /^Invalid '(\[.*\])' found\.$/;
/** fast-xml-parser's answer when exactly one element is still open at the end. */
const OPEN_ONE = /^Unclosed tag '([^']*)'\.$/;

/** A 1-based place in the text. */
interface Place {
  line: number;
  column: number;
}

/**
 * Checks that `xml` is a well-formed document without a document type declaration, without
 * control characters and with elements nested at most `MAX_XML_DEPTH` deep (see ./xml-limits.ts).
 *
 * A DOCTYPE or ENTITY declaration is refused by a plain scan before any parser sees the text,
 * so an entity bomb costs no more than reading its bytes. Returns an empty list when the
 * document may be handed to the BPMN parser; otherwise one problem with the 1-based line. A file
 * cut short is told as such, at the place where its text ends.
 */
export function checkXml(xml: string): Problem[] {
  const dtd = DTD_PATTERN.exec(xml);
  if (dtd) {
    return [
      {
        elementId: null,
        line: lineAt(xml, dtd.index),
        message: `Expected an XML document without a document type declaration, but found <!${dtd[1]}>; DTDs and entities are refused`,
      },
    ];
  }
  if (xml.trim() === '') {
    return [{ elementId: null, line: null, message: 'Expected a BPMN XML document, but the body is empty' }];
  }
  const control = controlCharacterProblem(xml);
  if (control) return [control];
  const result = XMLValidator.validate(xml);
  if (result === true) {
    const nesting = nestingProblem(xml);
    return nesting ? [nesting] : [];
  }
  return [describe(xml, result.err)];
}

/** Turns fast-xml-parser's error into a problem a person can act on. */
function describe(xml: string, err: { msg: string; line: number; col?: number }): Problem {
  const end = placeAt(xml, xml.trimEnd().length);
  const open = openElements(err.msg);
  const tail = unfinishedTag(xml);
  const errorPlace: Place = { line: err.line, column: err.col ?? 1 };
  const cutShort = `but it ends at line ${end.line}, column ${end.column}: the file looks cut short`;
  if (tail && (open || !before(errorPlace, tail.place))) {
    const what = tail.name.startsWith('!') ? 'the comment or CDATA section' : `the tag <${tail.name}`;
    return {
      elementId: null,
      line: end.line,
      message: `Expected the XML to go on and finish ${what}, but it ends inside it at line ${end.line}, column ${end.column}: the file looks cut short`,
    };
  }
  if (open) {
    const innermost = open[open.length - 1]!;
    const around =
      open.length > 1
        ? ` (and ${open.length - 1} element${open.length > 2 ? 's' : ''} around it, up to <${open[0]}>)`
        : '';
    return {
      elementId: null,
      line: end.line,
      message: `Expected the XML to go on and close <${innermost}>${around}, ${cutShort}`,
    };
  }
  if (err.msg === 'Start tag expected.') {
    return {
      elementId: null,
      line: 1,
      message: 'Expected a root element such as <bpmn:definitions>, but the document has none',
    };
  }
  const where = err.col === undefined ? `line ${err.line}` : `line ${err.line}, column ${err.col}`;
  return { elementId: null, line: err.line, message: `Expected well-formed XML, but at ${where}: ${err.msg}` };
}

/** The names of the elements still open at the end of the text (outermost first), or null. */
function openElements(msg: string): string[] | null {
  const one = OPEN_ONE.exec(msg);
  if (one) return [one[1]!];
  const list = OPEN_LIST.exec(msg);
  if (!list) return null;
  try {
    const names: unknown = JSON.parse(list[1]!);
    return Array.isArray(names) && names.length > 0 ? names.map(String) : null;
  } catch {
    return null;
  }
}

/** The tag the text ends inside (its last `<` comes after its last `>`), with where it starts. */
function unfinishedTag(xml: string): { name: string; place: Place } | null {
  const lt = xml.lastIndexOf('<');
  if (lt < 0 || lt < xml.lastIndexOf('>')) return null;
  const name = /^<(\/?[^\s/>]*)/.exec(xml.slice(lt))?.[1] ?? '';
  return { name, place: placeAt(xml, lt) };
}

function before(a: Place, b: Place): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

/** 1-based line and column of a character offset (the column counts UTF-16 units, as editors do). */
function placeAt(text: string, offset: number): Place {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return { line: lineAt(text, offset), column: offset - lineStart + 1 };
}

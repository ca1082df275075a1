/**
 * First gate of a deployment: refuse hostile or malformed XML before any real parser reads it.
 */
import { XMLValidator } from 'fast-xml-parser';
import type { Problem } from './types.js';
import { controlCharacterProblem, lineAt, nestingProblem } from './xml-limits.js';

/** `<!DOCTYPE` or `<!ENTITY`: the doors for entity expansion ("billion laughs") and external entities. */
const DTD_PATTERN = /<!\s*(DOCTYPE|ENTITY)/i;

/**
 * Checks that `xml` is a well-formed document without a document type declaration, without
 * control characters and with elements nested at most `MAX_XML_DEPTH` deep (see ./xml-limits.ts).
 *
 * A DOCTYPE or ENTITY declaration is refused by a plain scan before any parser sees the text,
 * so an entity bomb costs no more than reading its bytes. Returns an empty list when the
 * document may be handed to the BPMN parser; otherwise one problem with the 1-based line.
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
  const { msg, line, col } = result.err;
  const where = typeof col === 'number' ? `line ${line}, column ${col}` : `line ${line}`;
  return [
    {
      elementId: null,
      line: typeof line === 'number' ? line : null,
      message: `Expected well-formed XML, but at ${where}: ${msg}`,
    },
  ];
}

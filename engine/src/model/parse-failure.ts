/**
 * Why moddle could not read a BPMN document at all, in words a person can act on. Pure and free
 * of moddle itself, so the modeler tells a file it cannot open the same way a deployment does.
 */

/** The namespace of the BPMN 2.0 model elements. */
export const BPMN_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

/**
 * The message and 1-based line for an error thrown by `moddle.fromXML` (or bpmn-js `importXML`,
 * which throws the same error) on `xml`: a root element that is not `bpmn:definitions` is named,
 * with its namespace when only that is wrong; anything else keeps moddle's first line.
 */
export function describeParseFailure(xml: string, error: unknown): { message: string; line: number | null } {
  const cause = error as { message?: string; warnings?: { message: string }[] };
  const detail = cause.warnings?.[0]?.message ?? '';
  const line = parseLocation(detail)?.line ?? null;
  const unexpected = /nested error: unexpected element <([^>\s]+)>/.exec(detail)?.[1];
  if (unexpected && cause.message?.startsWith('failed to parse document')) {
    return {
      message: `Expected a <bpmn:definitions> document (namespace ${BPMN_NS}), but the root element is <${unexpected}>${namespaceNote(xml, unexpected)}`,
      line,
    };
  }
  const reason = firstLine(detail) || (cause.message ?? String(error));
  return { message: `Expected a <bpmn:definitions> document, but it could not be read: ${reason}`, line };
}

/**
 * For a root element named `definitions` in the wrong namespace, " in namespace URI" (read from
 * its start tag), so the reader sees why it was not taken; otherwise nothing.
 */
function namespaceNote(xml: string, tag: string): string {
  const [prefix, local] = tag.includes(':') ? tag.split(':', 2) : ['', tag];
  if (local !== 'definitions') return '';
  const start = new RegExp(`<${tag.replace(/[.]/g, '\\.')}\\b[^>]*>`).exec(xml)?.[0] ?? '';
  const attr = prefix ? `xmlns:${prefix}` : 'xmlns';
  const uri = new RegExp(`\\s${attr}\\s*=\\s*["']([^"']*)["']`).exec(start)?.[1];
  return uri ? ` in namespace ${uri}` : ' in no namespace';
}

/** The 1-based line of a moddle message (moddle reports `line: N` 0-based). */
export function parseLocation(message: string): { line: number } | null {
  const match = /line: (\d+)/.exec(message);
  return match ? { line: Number(match[1]) + 1 } : null;
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}

/**
 * Where each element starts in the deployed XML, so problems and element records can name a line.
 */

/** Maps element ids to the 1-based line of their start tag. */
export interface LineIndex {
  /** Line of the start tag that carries `id="<id>"` (the first one if ids repeat), or null. */
  lineOf(id: string): number | null;
  /** Line of the first start tag named `tag` (e.g. `bpmn:fooBar`) on or after `line`, with its id. */
  findTag(tag: string, line: number): { readonly id: string | null; readonly line: number } | null;
}

/**
 * One start tag with its attributes. Quoted values may contain `>`; the attribute list is
 * consumed pair by pair, so the match cannot backtrack badly.
 */
const START_TAG = /<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/g;
const ID_ATTR = /(?:^|\s)id\s*=\s*(?:"([^"]*)"|'([^']*)')/;

interface Tag {
  readonly name: string;
  readonly id: string | null;
  readonly line: number;
}

/**
 * Scans `xml` once for start tags and their `id` attributes. This is a locating aid, not a
 * parser: tags inside comments or CDATA are indexed too, which at worst names a wrong line.
 */
export function buildLineIndex(xml: string): LineIndex {
  const newlines = newlineOffsets(xml);
  const tags: Tag[] = [];
  const byId = new Map<string, number>();
  for (const match of xml.matchAll(START_TAG)) {
    const idMatch = ID_ATTR.exec(match[2] ?? '');
    const id = idMatch ? (idMatch[1] ?? idMatch[2] ?? null) : null;
    const line = lineOfOffset(newlines, match.index);
    tags.push({ name: match[1]!, id, line });
    if (id !== null && !byId.has(id)) byId.set(id, line);
  }
  return {
    lineOf: (id) => byId.get(id) ?? null,
    findTag(tag, line) {
      const found = tags.find((t) => t.name === tag && t.line >= line);
      return found ? { id: found.id, line: found.line } : null;
    },
  };
}

function newlineOffsets(text: string): number[] {
  const offsets: number[] = [];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) offsets.push(i);
  return offsets;
}

/** Binary search: the number of newlines before `offset`, plus one. */
function lineOfOffset(newlines: readonly number[], offset: number): number {
  let low = 0;
  let high = newlines.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (newlines[mid]! < offset) low = mid + 1;
    else high = mid;
  }
  return low + 1;
}

/**
 * Collects every problem of one deployment, each located by element id and line.
 */
import type { LineIndex } from './line-index.js';
import type { Problem } from './types.js';

/** Accumulates {@link Problem}s; compilation reports all of them, not just the first. */
export class ProblemSink {
  private readonly list: Problem[] = [];
  private readonly warned: Problem[] = [];
  private readonly ids = new Set<string>();
  private readonly seen = new Set<string>();

  constructor(private readonly lines: LineIndex) {}

  /** Records a problem on `elementId` (its line is looked up) or on the document (`null`). */
  add(elementId: string | null, message: string, line?: number | null): void {
    const resolved = line ?? (elementId === null ? null : this.lines.lineOf(elementId));
    const key = `${elementId ?? ''}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push({ elementId, line: resolved, message });
    if (elementId !== null) this.ids.add(elementId);
  }

  /** Records a warning: something that deploys but may fail when it runs. */
  warn(elementId: string | null, message: string): void {
    const line = elementId === null ? null : this.lines.lineOf(elementId);
    if (!this.warned.some((w) => w.elementId === elementId && w.message === message))
      this.warned.push({ elementId, line, message });
  }

  /** All warnings, ordered by line (document-level ones first), stable otherwise. */
  warnings(): Problem[] {
    return byLine(this.warned);
  }

  /** True when some problem already names `elementId` (used to skip follow-up noise). */
  has(elementId: string): boolean {
    return this.ids.has(elementId);
  }

  /** Number of problems so far. */
  get size(): number {
    return this.list.length;
  }

  /** All problems, ordered by line (document-level ones first), stable otherwise. */
  problems(): Problem[] {
    return byLine(this.list);
  }
}

function byLine(list: readonly Problem[]): Problem[] {
  return list
    .map((p, index) => ({ p, index }))
    .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || a.index - b.index)
    .map(({ p }) => p);
}

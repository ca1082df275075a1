/**
 * Bounded label values for the engine's metrics. Every distinct label value is a time series in
 * Prometheus, so the values a label may take are capped: process ids, element ids (per process) and
 * job types each keep the first values seen up to their cap; later new values are all reported as
 * {@link OVERFLOW_LABEL}. Instance ids, business keys and variables are never labels.
 */

/** The label value standing for every value beyond a cap (documented in docs/observability.md). */
export const OVERFLOW_LABEL = '__other__';

/** How many distinct values each label keeps before it reports {@link OVERFLOW_LABEL}. */
export interface LabelLimits {
  /** Distinct `process_id` values (default 200). */
  readonly processes?: number;
  /** Distinct `element_id` values, counted over all processes (default 5000). */
  readonly elements?: number;
  /** Distinct `job_type` values (default 500). */
  readonly jobTypes?: number;
}

class Capped {
  private readonly seen = new Set<string>();
  constructor(private readonly limit: number) {}

  value(v: string): string {
    if (this.seen.has(v)) return v;
    if (this.seen.size >= this.limit) return OVERFLOW_LABEL;
    this.seen.add(v);
    return v;
  }
}

/** Maps raw ids to label values within the caps of {@link LabelLimits}. */
export class LabelCap {
  private readonly processes: Capped;
  private readonly elements: Capped;
  private readonly jobTypes: Capped;

  constructor(limits: LabelLimits = {}) {
    this.processes = new Capped(limits.processes ?? 200);
    this.elements = new Capped(limits.elements ?? 5000);
    this.jobTypes = new Capped(limits.jobTypes ?? 500);
  }

  process(processId: string): string {
    return this.processes.value(processId);
  }

  /** The element label of `elementId` in process label `process` (an overflowed process overflows its elements too). */
  element(process: string, elementId: string | undefined): string {
    if (elementId === undefined) return '';
    if (process === OVERFLOW_LABEL) return OVERFLOW_LABEL;
    const v = this.elements.value(`${process}\u0000${elementId}`);
    return v === OVERFLOW_LABEL ? v : elementId;
  }

  jobType(type: string): string {
    return this.jobTypes.value(type);
  }
}

/**
 * Reads a Prometheus text exposition (what `GET /metrics` answers) into samples, so that tests can
 * ask for one series by name and exact labels.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Every sample of the exposition (comments skipped). */
export function parseProm(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m) throw new Error(`Expected a sample line, but got ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The series of `name` whose labels are exactly `labels`; undefined when there is none. */
export function sampleOf(
  samples: readonly Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const want = Object.entries(labels).sort();
  const found = samples.find(
    (s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === JSON.stringify(want),
  );
  return found?.value;
}

/** Every series of `name`, as `labels → value` lines sorted (for exact comparisons of a whole metric). */
export function seriesOf(samples: readonly Sample[], name: string): string[] {
  return samples
    .filter((s) => s.name === name)
    .map(
      (s) =>
        `${Object.entries(s.labels)
          .sort()
          .map(([k, v]) => `${k}=${v}`)
          .join(',')} ${s.value}`,
    )
    .sort();
}

/**
 * Scores are Java floats; Elasticsearch prints them with Float.toString (the shortest decimal
 * that reads back as the same float). This returns the JS number with that decimal value,
 * so `0.2876821` is reported rather than `0.28768208622932434`.
 */
export function javaFloat(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const f = Math.fround(x);
  for (let p = 1; p <= 9; p++) {
    const v = Number(f.toPrecision(p));
    if (Math.fround(v) === f) return v;
  }
  return f;
}

/**
 * A Java double/float value whose JSON text keeps its Java type: Jackson writes an integral double as
 * `11.0`, where JSON.stringify would write `11` (a long to any JSON reader that types numbers, as
 * Elasticsearch's clients and test runner do). Response serialization (rest/router.ts toJsonText)
 * writes `javaText()` as a bare number.
 */
export class JsonDouble {
  constructor(readonly value: number) {}

  /** Java's text when it differs from JavaScript's (integral values under 1e7: `11.0`), else undefined. */
  javaText(): string | undefined {
    const v = this.value;
    return Number.isInteger(v) && Math.abs(v) < 1e7 ? `${v}.0` : undefined;
  }

  valueOf(): number {
    return this.value;
  }
}

/**
 * A search response with its hits' scores written as Jackson writes floats: an integral score as a
 * double (`1.0`, not `1`), which typed readers (the clients, the REST test runner) read as one.
 */
export function withDoubleScores<T>(response: T): T {
  const hits = (response as { hits?: { max_score?: unknown; hits?: Array<{ _score?: unknown }> } }).hits;
  if (!hits) return response;
  const double = (v: unknown): unknown => (typeof v === 'number' && Number.isInteger(v) ? new JsonDouble(v) : v);
  hits.max_score = double(hits.max_score);
  for (const hit of hits.hits ?? []) if (hit._score !== undefined) hit._score = double(hit._score);
  return response;
}

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

/** A float score as Elasticsearch writes it: Float.toString's value, an integral one as a double (`1.0`, not `1`). */
export function javaFloatJson(x: number): number | JsonDouble {
  const v = javaFloat(x);
  return Number.isInteger(v) ? new JsonDouble(v) : v;
}

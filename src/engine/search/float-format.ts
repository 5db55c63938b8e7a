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

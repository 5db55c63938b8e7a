/**
 * Edit distance as Lucene's LevenshteinAutomata accepts it: insertions, deletions,
 * substitutions, and (with transpositions) swaps of adjacent characters counted as one edit
 * (optimal string alignment). Computed on code points, bounded by `max` (returns max + 1
 * once the distance is known to exceed it).
 */
export function editDistance(a: readonly number[], b: readonly number[], max: number, transpositions: boolean): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  let prev2 = new Int32Array(m + 1);
  let prev = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a[i - 1];
    for (let j = 1; j <= m; j++) {
      const cost = ai === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (transpositions && i > 1 && j > 1 && ai === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (prev2[j - 2] as number) + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[m] as number, max + 1);
}

export const codePoints = (s: string): number[] => Array.from(s, (c) => c.codePointAt(0) as number);

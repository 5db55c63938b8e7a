/**
 * A stable sort as steps that pause (yield) every few thousand elements merged, for the long sorts
 * of one request (65,536 terms buckets): a paced request lets other requests run between two
 * slices. A stable sort's result is fully determined by the comparator, so this gives exactly what
 * `[...items].sort(cmp)` gives (V8's sort is stable too).
 */

/** Arrays up to this length are sorted natively in one step. */
const NATIVE_MAX = 4096;
/** Length of the runs sorted natively before merging. */
const RUN = 1024;
/** Elements merged between two pause points. */
const MERGED_PER_STEP = 8192;

/** A sorted copy of `items` (stable), pausing between slices of the work. */
export function* sortSteps<T>(items: readonly T[], cmp: (a: T, b: T) => number): Generator<void, T[]> {
  const n = items.length;
  if (n <= NATIVE_MAX) return [...items].sort(cmp);
  let src: T[] = new Array<T>(n);
  for (let start = 0; start < n; start += RUN) {
    const run = items.slice(start, Math.min(n, start + RUN)).sort(cmp);
    for (let i = 0; i < run.length; i++) src[start + i] = run[i] as T;
    yield;
  }
  let dst: T[] = new Array<T>(n);
  let merged = 0;
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(n, lo + width);
      const hi = Math.min(n, lo + 2 * width);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        // `<= 0` takes the left run's element on ties: stable
        dst[k++] = cmp(src[j] as T, src[i] as T) < 0 ? (src[j++] as T) : (src[i++] as T);
        if (++merged >= MERGED_PER_STEP) {
          merged = 0;
          yield;
        }
      }
      while (i < mid) dst[k++] = src[i++] as T;
      while (j < hi) dst[k++] = src[j++] as T;
    }
    [src, dst] = [dst, src];
  }
  return src;
}

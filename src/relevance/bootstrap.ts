import { RelevanceError } from '../errors.js';

/**
 * Confidence intervals for a relevance figure that is a mean over search terms: the percentile
 * bootstrap (Efron & Tibshirani 1993, ch. 13). Terms are resampled with replacement, the mean of
 * each resample is recorded, and the interval is read at the (1 − c)/2 and (1 + c)/2 quantiles of
 * those means. The generator is seeded, so one set of scores always gives the same interval.
 *
 * For two indexes evaluated on the same terms, `pairedDifferenceInterval` resamples the terms
 * once for both sides (the per-term differences), which is far tighter than two independent
 * intervals because most of the spread between terms is shared by both indexes.
 *
 * @example
 * const ci = bootstrapInterval([0.5, 1, 0.25, 1], { seed: 7 });
 * // { estimate: 0.6875, low: ..., high: ..., confidence: 0.95, resamples: 1000 }
 */

export interface BootstrapOptions {
  /** Number of resamples (default 1,000). */
  resamples?: number;
  /** Coverage of the interval, between 0 and 1 (default 0.95). */
  confidence?: number;
  /** Seed of the pseudo-random generator (default 1). */
  seed?: number;
}

export interface Interval {
  /** The statistic on the data as given: the mean (or the mean difference). */
  estimate: number;
  low: number;
  high: number;
  confidence: number;
  resamples: number;
}

/** mulberry32: a small, fast 32-bit generator of floats in [0, 1), good enough for resampling. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The p-quantile (0..1) of ascending values, linearly interpolated between ranks (R's type 7). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const position = (n - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  const lower = sorted[below] as number;
  return lower + (position - below) * ((sorted[above] as number) - lower);
}

function settings(options: BootstrapOptions): Required<BootstrapOptions> {
  const { resamples = 1000, confidence = 0.95, seed = 1 } = options;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RelevanceError('ARGUMENT_INVALID', `bootstrap resamples is ${resamples}, expected a positive integer`);
  if (!(confidence > 0 && confidence < 1)) throw new RelevanceError('ARGUMENT_INVALID', `bootstrap confidence is ${confidence}, expected a number between 0 and 1 (e.g. 0.95)`);
  if (!Number.isFinite(seed)) throw new RelevanceError('ARGUMENT_INVALID', `bootstrap seed is ${seed}, expected a number`);
  return { resamples, confidence, seed };
}

function checkScores(name: string, scores: readonly number[]): void {
  if (scores.length === 0) throw new RelevanceError('ARGUMENT_INVALID', `${name} has no scores: a confidence interval needs at least one search term`);
  const bad = scores.findIndex((s) => !Number.isFinite(s));
  if (bad !== -1) throw new RelevanceError('ARGUMENT_INVALID', `${name}[${bad}] is ${scores[bad]}, expected a finite number`);
}

function percentileInterval(values: readonly number[], options: BootstrapOptions): Interval {
  const { resamples, confidence, seed } = settings(options);
  const random = seededRandom(seed);
  const n = values.length;
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random() * n)] as number;
    means[r] = sum / n;
  }
  means.sort();
  const estimate = values.reduce((sum, v) => sum + v, 0) / n;
  const alpha = (1 - confidence) / 2;
  return { estimate, low: quantile(means, alpha), high: quantile(means, 1 - alpha), confidence, resamples };
}

/** Percentile-bootstrap interval of the mean of per-term scores. */
export function bootstrapInterval(scores: readonly number[], options: BootstrapOptions = {}): Interval {
  checkScores('scores', scores);
  return percentileInterval(scores, options);
}

/**
 * Percentile-bootstrap interval of the mean per-term difference `after[i] − before[i]` (terms in
 * the same order on both sides): positive means `after` scores higher.
 */
export function pairedDifferenceInterval(before: readonly number[], after: readonly number[], options: BootstrapOptions = {}): Interval {
  checkScores('before', before);
  checkScores('after', after);
  if (before.length !== after.length) {
    throw new RelevanceError('ARGUMENT_INVALID', `paired scores differ in length: ${before.length} before, ${after.length} after; both sides must score the same terms in the same order`);
  }
  return percentileInterval(
    before.map((b, i) => (after[i] as number) - b),
    options,
  );
}

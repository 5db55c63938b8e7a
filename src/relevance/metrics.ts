import { RelevanceError } from '../errors.js';

/**
 * Ranking metrics over one ranked list of document keys and their ratings, with the parameters,
 * defaults and edge cases of Elasticsearch's `_rank_eval` (modules/rank-eval: PrecisionAtK,
 * RecallAtK, MeanReciprocalRank, DiscountedCumulativeGain, ExpectedReciprocalRank), so that
 * `search evaluate` gives the figures a cluster's `_rank_eval` gives. This is an implementation of
 * its own: src/relevance never reaches into the embedded engine.
 *
 * Keys are opaque strings: a caller evaluating one index may use `_id`s, one over several indexes
 * `${_index}/${_id}` (Elasticsearch joins hits and ratings on both). `ranked` is the result list
 * in rank order; each metric reads its first `k` keys, as `_rank_eval` forces `size: k`.
 *
 * @example
 * const ratings = new Map([['a', 0], ['b', 3], ['d', 1]]);
 * dcg(['a', 'b', 'c', 'd'], ratings, { k: 10, normalize: true }).score; // nDCG@10
 */

/** Rating of each rated document key; a key that is absent is unrated. */
export type Ratings = ReadonlyMap<string, number>;

export interface MetricResult<D> {
  score: number;
  /** How many of the top-k keys have no rating. */
  unrated: number;
  /** The figures `_rank_eval` reports under `metric_details`, camelCased. */
  details: D;
}

export const METRIC_KINDS = ['precision', 'recall', 'mrr', 'dcg', 'err'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

export interface PrecisionSpec {
  kind: 'precision';
  k: number;
  relevantRatingThreshold: number;
  ignoreUnlabeled: boolean;
}
export interface RecallSpec {
  kind: 'recall';
  k: number;
  relevantRatingThreshold: number;
}
export interface MrrSpec {
  kind: 'mrr';
  k: number;
  relevantRatingThreshold: number;
}
export interface DcgSpec {
  kind: 'dcg';
  k: number;
  normalize: boolean;
  /** Rating given to unrated keys; unrated keys count 0 when absent (but keep their rank). */
  unknownDocRating?: number;
}
export interface ErrSpec {
  kind: 'err';
  k: number;
  maximumRelevance: number;
  unknownDocRating?: number;
}
/** A metric and its parameters: a discriminated union on `kind`. */
export type MetricSpec = PrecisionSpec | RecallSpec | MrrSpec | DcgSpec | ErrSpec;

const DEFAULT_K = 10;
const DEFAULT_THRESHOLD = 1;

function checkK(k: number): void {
  if (!Number.isInteger(k) || k <= 0) throw new RelevanceError('METRIC_INVALID', `metric window k is ${k}, expected a positive integer (Elasticsearch: "Window size k must be positive.")`);
}

function checkThreshold(threshold: number): void {
  if (!Number.isInteger(threshold) || threshold < 0) {
    throw new RelevanceError('METRIC_INVALID', `relevant rating threshold is ${threshold}, expected an integer of 0 or more`);
  }
}

const topK = (ranked: readonly string[], k: number): readonly string[] => ranked.slice(0, k);

/** Precision@k: relevant hits / hits in the top k (unrated hits count as irrelevant unless `ignoreUnlabeled`). */
export function precision(
  ranked: readonly string[],
  ratings: Ratings,
  options: Partial<Omit<PrecisionSpec, 'kind'>> = {},
): MetricResult<{ relevantDocsRetrieved: number; docsRetrieved: number }> {
  const { k = DEFAULT_K, relevantRatingThreshold = DEFAULT_THRESHOLD, ignoreUnlabeled = false } = options;
  checkK(k);
  checkThreshold(relevantRatingThreshold);
  let relevantDocsRetrieved = 0;
  let docsRetrieved = 0;
  let unrated = 0;
  for (const key of topK(ranked, k)) {
    const rating = ratings.get(key);
    if (rating === undefined) {
      unrated++;
      if (!ignoreUnlabeled) docsRetrieved++;
      continue;
    }
    docsRetrieved++;
    if (rating >= relevantRatingThreshold) relevantDocsRetrieved++;
  }
  return { score: docsRetrieved > 0 ? relevantDocsRetrieved / docsRetrieved : 0, unrated, details: { relevantDocsRetrieved, docsRetrieved } };
}

/** Recall@k: relevant hits in the top k / every relevant rated key (0 when none is relevant). */
export function recall(
  ranked: readonly string[],
  ratings: Ratings,
  options: Partial<Omit<RecallSpec, 'kind'>> = {},
): MetricResult<{ relevantDocsRetrieved: number; relevantDocs: number }> {
  const { k = DEFAULT_K, relevantRatingThreshold = DEFAULT_THRESHOLD } = options;
  checkK(k);
  checkThreshold(relevantRatingThreshold);
  const top = topK(ranked, k);
  const relevantDocsRetrieved = top.filter((key) => (ratings.get(key) ?? -Infinity) >= relevantRatingThreshold).length;
  let relevantDocs = 0;
  for (const rating of ratings.values()) if (rating >= relevantRatingThreshold) relevantDocs++;
  const unrated = top.filter((key) => !ratings.has(key)).length;
  return { score: relevantDocs > 0 ? relevantDocsRetrieved / relevantDocs : 0, unrated, details: { relevantDocsRetrieved, relevantDocs } };
}

/** Reciprocal rank within the top k: 1 / rank of the first relevant key; 0 (and firstRelevant -1) when none. */
export function reciprocalRank(
  ranked: readonly string[],
  ratings: Ratings,
  options: Partial<Omit<MrrSpec, 'kind'>> = {},
): MetricResult<{ firstRelevant: number }> {
  const { k = DEFAULT_K, relevantRatingThreshold = DEFAULT_THRESHOLD } = options;
  checkK(k);
  checkThreshold(relevantRatingThreshold);
  const top = topK(ranked, k);
  const index = top.findIndex((key) => (ratings.get(key) ?? -Infinity) >= relevantRatingThreshold);
  const firstRelevant = index === -1 ? -1 : index + 1;
  return { score: firstRelevant === -1 ? 0 : 1 / firstRelevant, unrated: top.filter((key) => !ratings.has(key)).length, details: { firstRelevant } };
}

/** Σ (2^rating − 1) / log2(rank + 1) over ranks 1..n; a missing rating adds nothing but keeps its rank. */
export function discountedGain(ratingsInRankOrder: ReadonlyArray<number | undefined>): number {
  let sum = 0;
  ratingsInRankOrder.forEach((rating, i) => {
    if (rating !== undefined) sum += (Math.pow(2, rating) - 1) / (Math.log(i + 2) / Math.LN2);
  });
  return sum;
}

/**
 * DCG@k, or nDCG@k with `normalize`: divided by the DCG of the rated keys sorted by rating, cut
 * to as many as there are hits (Elasticsearch's ideal list; 0 when that ideal is 0).
 */
export function dcg(
  ranked: readonly string[],
  ratings: Ratings,
  options: Partial<Omit<DcgSpec, 'kind'>> = {},
): MetricResult<{ dcg: number; idealDcg?: number; normalizedDcg?: number; unratedDocs: number }> {
  const { k = DEFAULT_K, normalize = false, unknownDocRating } = options;
  checkK(k);
  const top = topK(ranked, k);
  const inOrder = top.map((key) => ratings.get(key) ?? unknownDocRating);
  const unrated = top.filter((key) => !ratings.has(key)).length;
  const value = discountedGain(inOrder);
  if (!normalize) return { score: value, unrated, details: { dcg: value, unratedDocs: unrated } };
  const ideal = discountedGain([...ratings.values()].sort((a, b) => b - a).slice(0, top.length));
  const score = ideal !== 0 ? value / ideal : 0;
  return { score, unrated, details: ideal !== 0 ? { dcg: value, idealDcg: ideal, normalizedDcg: score, unratedDocs: unrated } : { dcg: value, unratedDocs: unrated } };
}

/**
 * Expected reciprocal rank (Chapelle et al. 2009) within the top k: a user stops at rank r with
 * probability R_r = (2^rating − 1) / 2^maximumRelevance; ERR = Σ R_r / r · Π_{i<r} (1 − R_i).
 * Unrated keys are skipped (keeping their rank) unless `unknownDocRating` rates them.
 */
export function expectedReciprocalRank(
  ranked: readonly string[],
  ratings: Ratings,
  options: Partial<Omit<ErrSpec, 'kind'>> & { maximumRelevance: number },
): MetricResult<{ unratedDocs: number }> {
  const { k = DEFAULT_K, maximumRelevance, unknownDocRating } = options;
  checkK(k);
  if (!Number.isFinite(maximumRelevance)) throw new RelevanceError('METRIC_INVALID', `maximum relevance is ${maximumRelevance}, expected a number (the highest rating in the judgments)`);
  const top = topK(ranked, k);
  const max = Math.pow(2, maximumRelevance);
  let stay = 1;
  let err = 0;
  top.forEach((key, i) => {
    const rating = ratings.get(key) ?? unknownDocRating;
    if (rating === undefined) return;
    const stop = (Math.pow(2, rating) - 1) / max;
    err += (stay * stop) / (i + 1);
    stay *= 1 - stop;
  });
  const unrated = top.filter((key) => !ratings.has(key)).length;
  return { score: err, unrated, details: { unratedDocs: unrated } };
}

const EVALUATORS: { [K in MetricKind]: (ranked: readonly string[], ratings: Ratings, spec: Extract<MetricSpec, { kind: K }>) => MetricResult<unknown> } = {
  precision: (ranked, ratings, spec) => precision(ranked, ratings, spec),
  recall: (ranked, ratings, spec) => recall(ranked, ratings, spec),
  mrr: (ranked, ratings, spec) => reciprocalRank(ranked, ratings, spec),
  dcg: (ranked, ratings, spec) => dcg(ranked, ratings, spec),
  err: (ranked, ratings, spec) => expectedReciprocalRank(ranked, ratings, spec),
};

/** The metric `spec` for one ranked list. */
export function evaluateMetric(spec: MetricSpec, ranked: readonly string[], ratings: Ratings): MetricResult<unknown> {
  const evaluator = EVALUATORS[spec.kind] as (ranked: readonly string[], ratings: Ratings, spec: MetricSpec) => MetricResult<unknown>;
  return evaluator(ranked, ratings, spec);
}

/** The mean of per-request scores, as `_rank_eval` combines them (NaN for none). */
export function meanScore(scores: readonly number[]): number {
  return scores.reduce((sum, s) => sum + s, 0) / scores.length;
}

const NAME = /^(precision|recall|mrr|ndcg|dcg|err)(?:@(\d+))?$/;

/**
 * A metric from its command-line name: `precision@10`, `recall@10`, `mrr` (or `mrr@10`),
 * `ndcg@10`, `dcg@10`, `err@10`. `err` needs the highest rating of the judgments.
 */
export function parseMetricSpec(name: string, options: { maximumRelevance?: number } = {}): MetricSpec {
  const match = NAME.exec(name.trim().toLowerCase());
  if (!match) {
    throw new RelevanceError('METRIC_INVALID', `metric is "${name}", expected one of precision@K, recall@K, mrr, ndcg@K, dcg@K, err@K (K a positive integer)`);
  }
  const kind = match[1] as string;
  const k = match[2] === undefined ? DEFAULT_K : Number(match[2]);
  checkK(k);
  switch (kind) {
    case 'precision':
      return { kind: 'precision', k, relevantRatingThreshold: DEFAULT_THRESHOLD, ignoreUnlabeled: false };
    case 'recall':
      return { kind: 'recall', k, relevantRatingThreshold: DEFAULT_THRESHOLD };
    case 'mrr':
      return { kind: 'mrr', k, relevantRatingThreshold: DEFAULT_THRESHOLD };
    case 'ndcg':
    case 'dcg':
      return { kind: 'dcg', k, normalize: kind === 'ndcg' };
    default: {
      const { maximumRelevance } = options;
      if (maximumRelevance === undefined) throw new RelevanceError('METRIC_INVALID', `metric "${name}" needs the maximum relevance (the highest rating of the judgments)`);
      return { kind: 'err', k, maximumRelevance };
    }
  }
}

/** The short name of a metric: `ndcg@10`. */
export function metricLabel(spec: MetricSpec): string {
  const kind = spec.kind === 'dcg' && spec.normalize ? 'ndcg' : spec.kind;
  return `${kind}@${spec.k}`;
}

/** The `metric` object of a `_rank_eval` request computing the same figure. */
export function toRankEvalMetric(spec: MetricSpec): Record<string, Record<string, unknown>> {
  switch (spec.kind) {
    case 'precision':
      return { precision: { k: spec.k, relevant_rating_threshold: spec.relevantRatingThreshold, ignore_unlabeled: spec.ignoreUnlabeled } };
    case 'recall':
      return { recall: { k: spec.k, relevant_rating_threshold: spec.relevantRatingThreshold } };
    case 'mrr':
      return { mean_reciprocal_rank: { k: spec.k, relevant_rating_threshold: spec.relevantRatingThreshold } };
    case 'dcg':
      return { dcg: { k: spec.k, normalize: spec.normalize, ...(spec.unknownDocRating !== undefined ? { unknown_doc_rating: spec.unknownDocRating } : {}) } };
    case 'err':
      return { expected_reciprocal_rank: { k: spec.k, maximum_relevance: spec.maximumRelevance, ...(spec.unknownDocRating !== undefined ? { unknown_doc_rating: spec.unknownDocRating } : {}) } };
  }
}

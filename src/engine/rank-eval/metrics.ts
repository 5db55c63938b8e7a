import { EngineError } from '../errors.js';
import type { Json } from './object-parser.js';
import { checkFields, failedToBuild, readBoolean, readInt, requiredFields } from './object-parser.js';

/**
 * The ranking metrics of Elasticsearch's rank-eval module (org.elasticsearch.index.rankeval):
 * PrecisionAtK, RecallAtK, MeanReciprocalRank, DiscountedCumulativeGain, ExpectedReciprocalRank,
 * with their parameters, defaults, validation messages and `metric_details`.
 */

export const METRIC_NAMES = ['precision', 'recall', 'mean_reciprocal_rank', 'dcg', 'expected_reciprocal_rank'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** One `{ _index, _id, rating }` of a rated request. */
export interface RatedDocument {
  index: string;
  id: string;
  rating: number;
}

/** A search hit joined with its rating (`null`: unrated). */
export interface RatedHit {
  hit: Json;
  rating: number | null;
}

export interface QueryQuality {
  score: number;
  ratedHits: RatedHit[];
  /** `metric_details` content under the metric's name. */
  details: Json;
}

export interface Metric {
  readonly name: MetricName;
  /** The search size the metric forces (every metric here forces `k`). */
  readonly k: number;
  evaluate(hits: readonly Json[], ratedDocs: readonly RatedDocument[]): QueryQuality;
}

const DEFAULT_K = 10;
const DEFAULT_THRESHOLD = 1;

const docKey = (index: string, id: string): string => `${index}\u0000${id}`;

/** EvaluationMetric.joinHitsWithRatings: a hit's rating by its `_index`/`_id`. */
export function joinHitsWithRatings(hits: readonly Json[], ratedDocs: readonly RatedDocument[]): RatedHit[] {
  const ratings = new Map<string, number>();
  for (const doc of ratedDocs) ratings.set(docKey(doc.index, doc.id), doc.rating);
  return hits.map((hit) => ({ hit, rating: ratings.get(docKey(String(hit._index), String(hit._id))) ?? null }));
}

const illegal = (reason: string): EngineError => new EngineError(400, 'illegal_argument_exception', reason);

/** The constructor checks shared by precision, recall and mean_reciprocal_rank. */
function checkThresholdAndK(parser: string, threshold: number, k: number): void {
  // the three metrics share this message, "precision" included
  if (threshold < 0) throw failedToBuild(parser, illegal('Relevant rating threshold for precision must be positive integer.'));
  if (k <= 0) throw failedToBuild(parser, illegal('Window size k must be positive.'));
}

function precision(body: Json): Metric {
  checkFields('precision', body, ['relevant_rating_threshold', 'ignore_unlabeled', 'k']);
  const threshold = body.relevant_rating_threshold === undefined ? DEFAULT_THRESHOLD : readInt('precision', 'relevant_rating_threshold', body.relevant_rating_threshold);
  const ignoreUnlabeled = body.ignore_unlabeled === undefined ? false : readBoolean('precision', 'ignore_unlabeled', body.ignore_unlabeled);
  const k = body.k === undefined ? DEFAULT_K : readInt('precision', 'k', body.k);
  checkThresholdAndK('precision', threshold, k);
  return {
    name: 'precision',
    k,
    evaluate(hits, ratedDocs) {
      const ratedHits = joinHitsWithRatings(hits, ratedDocs);
      let relevantRetrieved = 0;
      let retrieved = 0;
      for (const { rating } of ratedHits) {
        if (rating !== null) {
          retrieved++;
          if (rating >= threshold) relevantRetrieved++;
        } else if (!ignoreUnlabeled) {
          retrieved++;
        }
      }
      const score = retrieved > 0 ? relevantRetrieved / retrieved : 0;
      return { score, ratedHits, details: { relevant_docs_retrieved: relevantRetrieved, docs_retrieved: retrieved } };
    },
  };
}

function recall(body: Json): Metric {
  checkFields('recall', body, ['relevant_rating_threshold', 'k']);
  const threshold = body.relevant_rating_threshold === undefined ? DEFAULT_THRESHOLD : readInt('recall', 'relevant_rating_threshold', body.relevant_rating_threshold);
  const k = body.k === undefined ? DEFAULT_K : readInt('recall', 'k', body.k);
  checkThresholdAndK('recall', threshold, k);
  return {
    name: 'recall',
    k,
    evaluate(hits, ratedDocs) {
      const ratedHits = joinHitsWithRatings(hits, ratedDocs);
      const relevantRetrieved = ratedHits.filter((h) => h.rating !== null && h.rating >= threshold).length;
      const relevant = ratedDocs.filter((d) => d.rating >= threshold).length;
      const score = relevant > 0 ? relevantRetrieved / relevant : 0;
      return { score, ratedHits, details: { relevant_docs_retrieved: relevantRetrieved, relevant_docs: relevant } };
    },
  };
}

function meanReciprocalRank(body: Json): Metric {
  // MeanReciprocalRank's parser is named "reciprocal_rank" in Elasticsearch
  checkFields('reciprocal_rank', body, ['relevant_rating_threshold', 'k']);
  const threshold = body.relevant_rating_threshold === undefined ? DEFAULT_THRESHOLD : readInt('reciprocal_rank', 'relevant_rating_threshold', body.relevant_rating_threshold);
  const k = body.k === undefined ? DEFAULT_K : readInt('reciprocal_rank', 'k', body.k);
  checkThresholdAndK('reciprocal_rank', threshold, k);
  return {
    name: 'mean_reciprocal_rank',
    k,
    evaluate(hits, ratedDocs) {
      const ratedHits = joinHitsWithRatings(hits, ratedDocs);
      const index = ratedHits.findIndex((h) => h.rating !== null && h.rating >= threshold);
      const firstRelevant = index === -1 ? -1 : index + 1;
      return { score: firstRelevant === -1 ? 0 : 1 / firstRelevant, ratedHits, details: { first_relevant: firstRelevant } };
    },
  };
}

/** DiscountedCumulativeGain.computeDCG: sum of (2^rating - 1) / log2(rank + 1); null ratings keep their rank. */
function computeDcg(ratings: ReadonlyArray<number | null>): number {
  let dcg = 0;
  ratings.forEach((rating, i) => {
    if (rating !== null) dcg += (Math.pow(2, rating) - 1) / (Math.log(i + 2) / Math.LN2);
  });
  return dcg;
}

function dcg(body: Json): Metric {
  checkFields('dcg', body, ['normalize', 'unknown_doc_rating', 'k']);
  const normalize = body.normalize === undefined ? false : readBoolean('dcg', 'normalize', body.normalize);
  const unknownDocRating = body.unknown_doc_rating === undefined ? null : readInt('dcg', 'unknown_doc_rating', body.unknown_doc_rating);
  const k = body.k === undefined ? DEFAULT_K : readInt('dcg', 'k', body.k);
  return {
    name: 'dcg',
    k,
    evaluate(hits, ratedDocs) {
      const ratedHits = joinHitsWithRatings(hits, ratedDocs);
      const ratings = ratedHits.map((h) => h.rating ?? unknownDocRating);
      const unrated = ratedHits.filter((h) => h.rating === null).length;
      const value = computeDcg(ratings);
      let score = value;
      let ideal = 0;
      if (normalize) {
        const all = ratedDocs.map((d) => d.rating).sort((a, b) => b - a);
        ideal = computeDcg(all.slice(0, Math.min(ratings.length, all.length)));
        score = ideal !== 0 ? value / ideal : 0;
      }
      const details: Json = { dcg: value };
      if (ideal !== 0) {
        details.ideal_dcg = ideal;
        details.normalized_dcg = value / ideal;
      }
      details.unrated_docs = unrated;
      return { score, ratedHits, details };
    },
  };
}

function expectedReciprocalRank(body: Json): Metric {
  // ExpectedReciprocalRank's parser is named "dcg" in Elasticsearch (a copy of DCG's)
  checkFields('dcg', body, ['maximum_relevance', 'unknown_doc_rating', 'k']);
  if (body.maximum_relevance === undefined) throw requiredFields(['maximum_relevance']);
  const maxRelevance = readInt('dcg', 'maximum_relevance', body.maximum_relevance);
  const unknownDocRating = body.unknown_doc_rating === undefined ? null : readInt('dcg', 'unknown_doc_rating', body.unknown_doc_rating);
  const k = body.k === undefined ? DEFAULT_K : readInt('dcg', 'k', body.k);
  const twoPowMax = Math.pow(2, maxRelevance);
  return {
    name: 'expected_reciprocal_rank',
    k,
    evaluate(hits, ratedDocs) {
      const ratedHits = joinHitsWithRatings(hits, ratedDocs).slice(0, Math.max(0, k));
      let unrated = 0;
      let p = 1;
      let err = 0;
      ratedHits.forEach((h, i) => {
        if (h.rating === null) unrated++;
        const rating = h.rating ?? unknownDocRating;
        if (rating === null) return;
        const probability = (Math.pow(2, rating) - 1) / twoPowMax;
        err += (p * probability) / (i + 1);
        p *= 1 - probability;
      });
      return { score: err, ratedHits, details: { unrated_docs: unrated } };
    },
  };
}

const PARSERS: Record<MetricName, (body: Json) => Metric> = {
  precision,
  recall,
  mean_reciprocal_rank: meanReciprocalRank,
  dcg,
  expected_reciprocal_rank: expectedReciprocalRank,
};

/** The name each metric's ConstructingObjectParser reports in its errors (two differ from the metric's). */
export const METRIC_PARSER_NAMES: Record<MetricName, string> = {
  precision: 'precision',
  recall: 'recall',
  mean_reciprocal_rank: 'reciprocal_rank',
  dcg: 'dcg',
  expected_reciprocal_rank: 'dcg',
};

export function isMetricName(name: string): name is MetricName {
  return (METRIC_NAMES as readonly string[]).includes(name);
}

/** The metric named `name` with its parameters (`body` is the object under the name). */
export function parseMetric(name: MetricName, body: Json): Metric {
  return PARSERS[name](body);
}

/** EvaluationMetric.combine: the mean of the per-request scores (NaN when none succeeded). */
export function combineScores(scores: readonly number[]): number {
  return scores.reduce((sum, s) => sum + s, 0) / scores.length;
}

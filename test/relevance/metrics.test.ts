import { describe, expect, it } from 'vitest';
import { RelevanceError } from '../../src/errors.js';
import {
  dcg,
  discountedGain,
  evaluateMetric,
  expectedReciprocalRank,
  meanScore,
  metricLabel,
  parseMetricSpec,
  precision,
  recall,
  reciprocalRank,
  toRankEvalMetric,
} from '../../src/relevance/metrics.js';

// d1..d6 in rank order; d3 and d5 unrated, d6 relevant but sixth
const ranked = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'];
const ratings = new Map([
  ['d1', 0],
  ['d2', 3],
  ['d4', 1],
  ['d6', 2],
]);

describe('relevance metrics', () => {
  it('precision: relevant / retrieved in the top k, unrated counted unless ignored', () => {
    expect(precision(ranked, ratings, { k: 5 })).toEqual({ score: 2 / 5, unrated: 2, details: { relevantDocsRetrieved: 2, docsRetrieved: 5 } });
    expect(precision(ranked, ratings, { k: 5, ignoreUnlabeled: true }).score).toBe(2 / 3);
    expect(precision(ranked, ratings, { k: 5, relevantRatingThreshold: 2 }).score).toBe(1 / 5);
    expect(precision(ranked, ratings).details).toEqual({ relevantDocsRetrieved: 3, docsRetrieved: 6 });
    // nothing retrieved: 0, not NaN
    expect(precision([], ratings).score).toBe(0);
    expect(precision(['d3'], ratings, { ignoreUnlabeled: true }).score).toBe(0);
  });

  it('recall: relevant hits in the top k over every relevant rated document', () => {
    expect(recall(ranked, ratings, { k: 5 })).toEqual({ score: 2 / 3, unrated: 2, details: { relevantDocsRetrieved: 2, relevantDocs: 3 } });
    expect(recall(ranked, ratings).score).toBe(1);
    expect(recall(ranked, new Map([['d1', 0]])).score).toBe(0);
  });

  it('reciprocal rank: 1 / rank of the first relevant hit within k, -1 when none', () => {
    expect(reciprocalRank(ranked, ratings)).toEqual({ score: 0.5, unrated: 2, details: { firstRelevant: 2 } });
    expect(reciprocalRank(ranked, ratings, { relevantRatingThreshold: 0 }).score).toBe(1);
    expect(reciprocalRank(ranked, ratings, { relevantRatingThreshold: 2 }).details.firstRelevant).toBe(2);
    expect(reciprocalRank(ranked, ratings, { k: 1 })).toEqual({ score: 0, unrated: 0, details: { firstRelevant: -1 } });
  });

  it("dcg: Elasticsearch's own figures for ratings 3, 2, 3, 0, 1, 2 and their reverse", () => {
    const six = ['a', 'b', 'c', 'd', 'e', 'f'];
    const graded = new Map([['a', 3], ['b', 2], ['c', 3], ['d', 0], ['e', 1], ['f', 2]]);
    // 7/log2(2) + 3/log2(3) + 7/log2(4) + 0 + 1/log2(6) + 3/log2(7) = 13.848263...
    expect(dcg(six, graded).score).toBeCloseTo(7 + 3 / Math.log2(3) + 7 / 2 + 1 / Math.log2(6) + 3 / Math.log2(7), 12);
    expect(dcg(six, graded).score).toBeGreaterThan(13.848263);
    expect(dcg(six, graded).score).toBeLessThan(13.848264);
    expect(dcg([...six].reverse(), graded).score).toBeGreaterThan(10.299674);
    expect(dcg([...six].reverse(), graded).score).toBeLessThan(10.299675);
    // ideal order 3, 3, 2, 2, 1, 0
    const ideal = 7 + 7 / Math.log2(3) + 3 / 2 + 3 / Math.log2(5) + 1 / Math.log2(6);
    const n = dcg(six, graded, { normalize: true });
    expect(n.details.idealDcg).toBeCloseTo(ideal, 12);
    expect(n.score).toBeCloseTo(13.848263629272981 / ideal, 10);
    expect(n.details.normalizedDcg).toBe(n.score);
  });

  it('dcg: unrated hits keep their rank, unknownDocRating rates them, the ideal list is cut to the hits', () => {
    const plain = dcg(ranked, ratings, { k: 5 });
    expect(plain.score).toBeCloseTo(7 / Math.log2(3) + 1 / Math.log2(5), 12);
    expect(plain.details).toEqual({ dcg: plain.score, unratedDocs: 2 });
    expect(dcg(ranked, ratings, { k: 5, unknownDocRating: 1 }).score).toBeCloseTo(7 / Math.log2(3) + 1 / Math.log2(4) + 1 / Math.log2(5) + 1 / Math.log2(6), 12);
    // 2 hits: ideal is the best 2 ratings, 3 then 2
    expect(dcg(['d2', 'd6'], ratings, { normalize: true }).score).toBe(1);
    expect(dcg(['d6', 'd2'], ratings, { normalize: true }).score).toBeCloseTo((3 + 7 / Math.log2(3)) / (7 + 3 / Math.log2(3)), 12);
    // nothing relevant rated: ideal 0, score 0 and no ideal in the details
    expect(dcg(['x'], new Map([['x', 0]]), { normalize: true })).toEqual({ score: 0, unrated: 0, details: { dcg: 0, unratedDocs: 0 } });
    expect(discountedGain([undefined, 1])).toBeCloseTo(1 / Math.log2(3), 12);
  });

  it('expected reciprocal rank: the cascade model, unrated hits skipped unless rated by unknownDocRating', () => {
    // R(0) = 0; d2: R = 7/8 at rank 2 -> 7/16, stay 1/8; d4: R = 1/8 at rank 4 -> 1/256
    expect(expectedReciprocalRank(ranked, ratings, { k: 5, maximumRelevance: 3 })).toEqual({ score: 7 / 16 + 1 / 256, unrated: 2, details: { unratedDocs: 2 } });
    const unknown = expectedReciprocalRank(ranked, ratings, { k: 5, maximumRelevance: 3, unknownDocRating: 1 });
    expect(unknown.score).toBeCloseTo(7 / 16 + 1 / 192 + 7 / 2048 + 49 / 20480, 15);
    // Elasticsearch's 10_basic.yml: one relevant hit of rating 1 (maximum 1) at rank 3 and at rank 2
    expect(expectedReciprocalRank(['a', 'b', 'c'], new Map([['c', 1]]), { maximumRelevance: 1 }).score).toBe(1 / 6);
    expect(expectedReciprocalRank(['a', 'c'], new Map([['c', 1]]), { maximumRelevance: 1 }).score).toBe(1 / 4);
  });

  it('evaluates a spec, names it, and says which _rank_eval metric computes the same figure', () => {
    const spec = parseMetricSpec('ndcg@5');
    expect(spec).toEqual({ kind: 'dcg', k: 5, normalize: true });
    expect(evaluateMetric(spec, ranked, ratings).score).toBe(dcg(ranked, ratings, { k: 5, normalize: true }).score);
    expect(metricLabel(spec)).toBe('ndcg@5');
    expect(toRankEvalMetric(spec)).toEqual({ dcg: { k: 5, normalize: true } });
    expect(parseMetricSpec('mrr')).toEqual({ kind: 'mrr', k: 10, relevantRatingThreshold: 1 });
    expect(toRankEvalMetric(parseMetricSpec('precision@3'))).toEqual({ precision: { k: 3, relevant_rating_threshold: 1, ignore_unlabeled: false } });
    expect(toRankEvalMetric(parseMetricSpec('err@10', { maximumRelevance: 3 }))).toEqual({ expected_reciprocal_rank: { k: 10, maximum_relevance: 3 } });
    expect(meanScore([0.5, 1])).toBe(0.75);
  });

  it('refuses bad names and parameters with a message saying what is allowed', () => {
    expect(() => parseMetricSpec('map@10')).toThrow(/metric is "map@10", expected one of precision@K, recall@K, mrr, ndcg@K, dcg@K, err@K/);
    expect(() => parseMetricSpec('ndcg@0')).toThrow(RelevanceError);
    expect(() => parseMetricSpec('err@10')).toThrow(/needs the maximum relevance/);
    expect(() => precision(ranked, ratings, { k: 2.5 })).toThrow(/k is 2.5, expected a positive integer/);
    expect(() => recall(ranked, ratings, { relevantRatingThreshold: -1 })).toThrow(/threshold is -1/);
    try {
      parseMetricSpec('nope');
    } catch (error) {
      expect((error as RelevanceError).code).toBe('METRIC_INVALID');
      expect((error as RelevanceError).exitCode).toBe(2);
    }
  });
});

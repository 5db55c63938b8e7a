import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMetric } from '../../src/engine/rank-eval/metrics.js';
import type { MetricSpec } from '../../src/relevance/metrics.js';
import { evaluateMetric, toRankEvalMetric } from '../../src/relevance/metrics.js';

/**
 * src/relevance's metrics against the embedded engine's `_rank_eval` metrics (a separate
 * implementation of Elasticsearch's formulas) on random rankings and judgments: the same score and
 * the same count of unrated hits, for every metric and parameter.
 */

const KEYS = Array.from({ length: 12 }, (_, i) => `k${i}`);

const scenario = fc.record({
  ranked: fc.uniqueArray(fc.constantFrom(...KEYS), { maxLength: 12 }),
  rated: fc.dictionary(fc.constantFrom(...KEYS), fc.integer({ min: 0, max: 4 })),
});

const spec: fc.Arbitrary<MetricSpec> = fc.oneof(
  fc.record({ kind: fc.constant('precision' as const), k: fc.integer({ min: 1, max: 12 }), relevantRatingThreshold: fc.integer({ min: 0, max: 4 }), ignoreUnlabeled: fc.boolean() }),
  fc.record({ kind: fc.constant('recall' as const), k: fc.integer({ min: 1, max: 12 }), relevantRatingThreshold: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant('mrr' as const), k: fc.integer({ min: 1, max: 12 }), relevantRatingThreshold: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant('dcg' as const), k: fc.integer({ min: 1, max: 12 }), normalize: fc.boolean(), unknownDocRating: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }) }),
  fc.record({ kind: fc.constant('err' as const), k: fc.integer({ min: 1, max: 12 }), maximumRelevance: fc.integer({ min: 1, max: 4 }), unknownDocRating: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }) }),
);

describe('relevance metrics and the engine _rank_eval metrics', () => {
  it('give the same score and unrated count on random rankings', () => {
    fc.assert(
      fc.property(scenario, spec, ({ ranked, rated }, metricSpec) => {
        const ratings = new Map(Object.entries(rated));
        const ours = evaluateMetric(metricSpec, ranked, ratings);
        const [name, params] = Object.entries(toRankEvalMetric(JSON.parse(JSON.stringify(metricSpec)) as MetricSpec))[0]!;
        const engineMetric = parseMetric(name as Parameters<typeof parseMetric>[0], params);
        // _rank_eval searches with size k: the engine metric sees the top k hits
        const hits = ranked.slice(0, engineMetric.k).map((key) => ({ _index: 'i', _id: key }));
        const theirs = engineMetric.evaluate(hits, [...ratings].map(([id, rating]) => ({ index: 'i', id, rating })));
        expect(ours.score).toBeCloseTo(theirs.score, 12);
        expect(ours.unrated).toBe(theirs.ratedHits.filter((h) => h.rating === null).length);
      }),
      { numRuns: 2000, seed: 18 },
    );
  });
});

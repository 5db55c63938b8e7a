import type { estypes } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/relevance/bootstrap.js';
import type { MetricSpec } from '../../src/relevance/metrics.js';
import { evaluateMetric, meanScore, metricLabel } from '../../src/relevance/metrics.js';
import { rankEvalBody, readRankEvalResponse } from '../../src/relevance/rank-eval-request.js';
import { useTestClient } from '../engine/helpers.js';

/**
 * `search evaluate` computes its figures with src/relevance; a cluster's `_rank_eval` computes them
 * in Elasticsearch. The two must agree: the same rated requests go to the embedded engine's
 * `_rank_eval` and, as plain searches, to src/relevance's functions.
 */

const WORDS = ['berlin', 'amsterdam', 'paris', 'river', 'bridge', 'museum', 'night', 'market', 'garden', 'station', 'tower', 'harbour'];
const INDEXES = ['agree-a', 'agree-b'];
const random = seededRandom(18);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

const docs = INDEXES.flatMap((index) =>
  Array.from({ length: 40 }, (_, i) => ({ index, id: `doc${i}`, text: Array.from({ length: 3 + Math.floor(random() * 6) }, () => pick(WORDS)).join(' ') })),
);
// per term: about 60% of the documents rated 0..3 (a document's two indexes rated separately), the rest unrated
const terms = WORDS.slice(0, 8);
const judgments = terms.map((term) => ({
  term,
  ratings: docs.filter(() => random() < 0.6).map((d) => ({ _index: d.index, _id: d.id, rating: Math.floor(random() * 4) })),
}));

const t = useTestClient(async (client) => {
  for (const index of INDEXES) await client.indices.create({ index, mappings: { properties: { text: { type: 'text' } } } });
  await client.bulk({ refresh: true, operations: docs.flatMap((d) => [{ index: { _index: d.index, _id: d.id } }, { text: d.text }]) });
});

const SPECS: MetricSpec[] = [
  { kind: 'precision', k: 5, relevantRatingThreshold: 1, ignoreUnlabeled: false },
  { kind: 'precision', k: 10, relevantRatingThreshold: 2, ignoreUnlabeled: true },
  { kind: 'recall', k: 10, relevantRatingThreshold: 2 },
  { kind: 'mrr', k: 10, relevantRatingThreshold: 3 },
  { kind: 'dcg', k: 10, normalize: false },
  { kind: 'dcg', k: 10, normalize: true },
  { kind: 'dcg', k: 7, normalize: true, unknownDocRating: 1 },
  { kind: 'err', k: 10, maximumRelevance: 3 },
  { kind: 'err', k: 4, maximumRelevance: 3, unknownDocRating: 0 },
];

describe('src/relevance agrees with _rank_eval', () => {
  it.each(SPECS.map((spec) => [metricLabel(spec) + ' ' + JSON.stringify(spec), spec] as const))('%s', async (_label, spec) => {
    const request = (term: string) => ({ query: { match: { text: term } } });
    const body = rankEvalBody(
      judgments.map((j) => ({ id: j.term, request: request(j.term), ratings: j.ratings.map((r) => ({ index: r._index, id: r._id, rating: r.rating })) })),
      spec,
    );
    const res = readRankEvalResponse(await t.client.rankEval({ index: INDEXES.join(','), ...body } as estypes.RankEvalRequest));
    expect(res.failures.size).toBe(0);
    const ours: number[] = [];
    for (const j of judgments) {
      const search = await t.client.search({ index: INDEXES.join(','), ...request(j.term), size: spec.k, _source: false });
      const ranked = search.hits.hits.map((h) => `${h._index}/${h._id}`);
      const ratings = new Map(j.ratings.map((r) => [`${r._index}/${r._id}`, r.rating]));
      const result = evaluateMetric(spec, ranked, ratings);
      const theirs = res.scores.get(j.term)!;
      expect(theirs.ranked).toEqual(ranked);
      expect(result.score).toBeCloseTo(theirs.score, 12);
      expect(result.unrated).toBe(theirs.unrated);
      ours.push(result.score);
    }
    expect(meanScore(ours)).toBeCloseTo(res.overall, 12);
    // the figures are not trivially equal: some requests score in between 0 and the maximum
    expect(new Set(ours.map((s) => s.toFixed(6))).size).toBeGreaterThan(1);
  });
});

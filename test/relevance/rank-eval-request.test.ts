import { describe, expect, it } from 'vitest';
import { parseMetricSpec } from '../../src/relevance/metrics.js';
import { rankEvalBody, readRankEvalResponse } from '../../src/relevance/rank-eval-request.js';

describe('rank-eval request and response', () => {
  it('builds the _rank_eval body and reads scores and failures back', () => {
    const body = rankEvalBody([{ id: 'berlin', request: { query: { match: { t: 'berlin' } } }, ratings: [{ index: 'blog', id: '7', rating: 2 }] }], parseMetricSpec('ndcg@5'));
    expect(body).toEqual({
      requests: [{ id: 'berlin', request: { query: { match: { t: 'berlin' } } }, ratings: [{ _index: 'blog', _id: '7', rating: 2 }] }],
      metric: { dcg: { k: 5, normalize: true } },
    });
    expect(() => rankEvalBody([], parseMetricSpec('mrr'))).toThrow(/at least one search term/);
    const read = readRankEvalResponse({
      metric_score: 0.5,
      details: { berlin: { metric_score: 0.5, unrated_docs: [{ _index: 'blog', _id: '3' }], hits: [{ hit: { _index: 'blog', _id: '3' }, rating: null }, { hit: { _index: 'blog', _id: '7' }, rating: 2 }] } },
      failures: { paris: { error: { root_cause: [{ type: 'query_shard_exception', reason: 'failed to create query' }], type: 'search_phase_execution_exception', reason: 'all shards failed' } } },
    });
    expect(read.overall).toBe(0.5);
    expect(read.scores.get('berlin')).toEqual({ score: 0.5, ranked: ['blog/3', 'blog/7'], unrated: 1 });
    expect(read.failures.get('paris')).toBe('query_shard_exception: failed to create query');
    expect(Number.isNaN(readRankEvalResponse({ metric_score: 'NaN', details: {}, failures: {} }).overall)).toBe(true);
    expect(() => readRankEvalResponse({ error: 'x' })).toThrow(/no "details" object/);
  });
});

import type { Client, estypes } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from './helpers.js';

/**
 * `_rank_eval` through the real client. The first describes replay Elasticsearch's own YAML tests
 * (modules/rank-eval/src/yamlRestTest/.../rank_eval/*.yml, copied in test/conformance/extra/):
 * the same documents, the same requests, the same expected figures.
 */

type Ratings = Array<[string, string, number]>;
const ratings = (list: Ratings): estypes.RankEvalDocumentRating[] => list.map(([_index, _id, rating]) => ({ _index, _id, rating }));

async function indexDocs(client: Client, index: string, docs: Array<[string, Record<string, unknown>]>): Promise<void> {
  for (const [id, document] of docs) await client.index({ index, id, document });
  await client.indices.refresh();
}

const detail = (res: estypes.RankEvalResponse, id: string): estypes.RankEvalRankEvalMetricDetail => {
  const d = res.details[id];
  if (!d) throw new Error(`no details for [${id}] in ${JSON.stringify(res)}`);
  return d;
};

describe('_rank_eval: 10_basic.yml', () => {
  const t = useTestClient(async (client) => {
    await client.indices.create({ index: 'foo', settings: { index: { number_of_shards: 1 } } });
    await indexDocs(client, 'foo', [
      ['doc1', { text: 'berlin' }],
      ['doc2', { text: 'amsterdam' }],
      ['doc3', { text: 'amsterdam' }],
      ['doc4', { text: 'something about amsterdam and berlin' }],
    ]);
    await client.indices.putAlias({ index: 'foo', name: 'alias' });
  });

  const precisionRequests: estypes.RankEvalRankEvalRequestItem[] = [
    { id: 'amsterdam_query', request: { query: { match: { text: 'amsterdam' } } }, ratings: ratings([['foo', 'doc1', 0], ['foo', 'doc2', 1], ['foo', 'doc3', 1]]) },
    { id: 'berlin_query', request: { query: { match: { text: 'berlin' } }, size: 10 }, ratings: ratings([['foo', 'doc1', 1]]) },
  ];

  it('Response format', async () => {
    const res = await t.client.rankEval({ index: 'foo,', search_type: 'query_then_fetch', requests: precisionRequests, metric: { precision: { ignore_unlabeled: true } } });
    expect(res.metric_score).toBe(1);
    const amsterdam = detail(res, 'amsterdam_query');
    expect(amsterdam.metric_score).toBe(1);
    expect(amsterdam.unrated_docs).toEqual([{ _index: 'foo', _id: 'doc4' }]);
    expect(amsterdam.metric_details).toEqual({ precision: { relevant_docs_retrieved: 2, docs_retrieved: 2 } });
    expect(amsterdam.hits).toHaveLength(3);
    expect(amsterdam.hits.map((h) => [h.hit._id, h.rating])).toEqual([['doc2', 1], ['doc3', 1], ['doc4', null]]);
    const berlin = detail(res, 'berlin_query');
    expect(berlin.metric_score).toBe(1);
    expect(berlin.unrated_docs).toEqual([{ _index: 'foo', _id: 'doc4' }]);
    expect(berlin.metric_details).toEqual({ precision: { relevant_docs_retrieved: 1, docs_retrieved: 1 } });
    expect(berlin.hits.map((h) => [h.hit._id, h.rating])).toEqual([['doc1', 1], ['doc4', null]]);
    // the hit is the search hit without _source (summary_fields not given)
    expect(Object.keys(amsterdam.hits[0]!.hit).sort()).toEqual(['_id', '_index', '_score']);
    expect(res.failures).toEqual({});
  });

  it('Alias resolution', async () => {
    const res = await t.client.rankEval({ index: 'alias', requests: precisionRequests, metric: { precision: { ignore_unlabeled: true } } });
    expect(res.metric_score).toBe(1);
    expect(detail(res, 'amsterdam_query').metric_score).toBe(1);
    expect(detail(res, 'berlin_query').metric_score).toBe(1);
  });

  it('Mean Reciprocal Rank', async () => {
    const res = await t.client.rankEval({
      requests: [
        // doc4 comes third for amsterdam (1/3) and second for berlin (1/2)
        { id: 'amsterdam_query', request: { query: { match: { text: 'amsterdam' } } }, ratings: ratings([['foo', 'doc4', 1]]) },
        { id: 'berlin_query', request: { query: { match: { text: 'berlin' } }, size: 10 }, ratings: ratings([['foo', 'doc4', 1]]) },
      ],
      metric: { mean_reciprocal_rank: {} },
    });
    expect(res.metric_score).toBeGreaterThan(0.416);
    expect(res.metric_score).toBeLessThan(0.417);
    const amsterdam = detail(res, 'amsterdam_query');
    expect(amsterdam.metric_score).toBeGreaterThan(0.333);
    expect(amsterdam.metric_score).toBeLessThan(0.334);
    expect(amsterdam.metric_details).toEqual({ mean_reciprocal_rank: { first_relevant: 3 } });
    expect(amsterdam.unrated_docs).toEqual([{ _index: 'foo', _id: 'doc2' }, { _index: 'foo', _id: 'doc3' }]);
    const berlin = detail(res, 'berlin_query');
    expect(berlin.metric_score).toBe(0.5);
    expect(berlin.metric_details).toEqual({ mean_reciprocal_rank: { first_relevant: 2 } });
    expect(berlin.unrated_docs).toEqual([{ _index: 'foo', _id: 'doc1' }]);
  });

  it('Expected Reciprocal Rank', async () => {
    const res = await t.client.rankEval({
      requests: [
        { id: 'amsterdam_query', request: { query: { match: { text: 'amsterdam' } } }, ratings: ratings([['foo', 'doc4', 1]]) },
        { id: 'berlin_query', request: { query: { match: { text: 'berlin' } }, size: 10 }, ratings: ratings([['foo', 'doc4', 1]]) },
      ],
      metric: { expected_reciprocal_rank: { maximum_relevance: 1, k: 5 } },
    });
    expect(res.metric_score).toBeGreaterThan(0.2083333);
    expect(res.metric_score).toBeLessThan(0.2083334);
    expect(detail(res, 'amsterdam_query').metric_details).toEqual({ expected_reciprocal_rank: { unrated_docs: 2 } });
    expect(detail(res, 'berlin_query').metric_details).toEqual({ expected_reciprocal_rank: { unrated_docs: 1 } });
  });
});

describe('_rank_eval: 20_dcg.yml', () => {
  const t = useTestClient(async (client) => {
    await indexDocs(client, 'foo', [1, 2, 3, 4, 5, 6].map((n) => [`doc${n}`, { bar: n }] as [string, Record<string, unknown>]));
  });
  const dcgRatings = ratings([['foo', 'doc1', 3], ['foo', 'doc2', 2], ['foo', 'doc3', 3], ['foo', 'doc4', 0], ['foo', 'doc5', 1], ['foo', 'doc6', 2]]);
  const ascending = { id: 'dcg_query', request: { query: { match_all: {} }, sort: ['bar'] }, ratings: dcgRatings } as estypes.RankEvalRankEvalRequestItem;
  const descending = { id: 'dcg_query_reverse', request: { query: { match_all: {} }, sort: [{ bar: 'desc' }] }, ratings: dcgRatings } as estypes.RankEvalRankEvalRequestItem;

  it('Response format', async () => {
    const res = await t.client.rankEval({ requests: [ascending], metric: { dcg: {} } });
    expect(res.metric_score).toBeGreaterThan(13.848263);
    expect(res.metric_score).toBeLessThan(13.848264);
    expect(detail(res, 'dcg_query').metric_score).toBeGreaterThan(13.848263);
    expect(detail(res, 'dcg_query').metric_score).toBeLessThan(13.848264);
    expect(detail(res, 'dcg_query').unrated_docs).toEqual([]);

    const reverse = await t.client.rankEval({ requests: [descending], metric: { dcg: {} } });
    expect(reverse.metric_score).toBeGreaterThan(10.299674);
    expect(reverse.metric_score).toBeLessThan(10.299675);
    expect(detail(reverse, 'dcg_query_reverse').unrated_docs).toEqual([]);

    // both together: the mean
    const both = await t.client.rankEval({ requests: [ascending, descending], metric: { dcg: {} } });
    expect(both.metric_score).toBeGreaterThan(12.073969);
    expect(both.metric_score).toBeLessThan(12.07397);
    expect(detail(both, 'dcg_query').metric_score).toBeGreaterThan(13.848263);
    expect(detail(both, 'dcg_query_reverse').metric_score).toBeLessThan(10.299675);
  });
});

describe('_rank_eval: 30_failures.yml', () => {
  const t = useTestClient(async (client) => {
    await indexDocs(client, 'foo', [['doc1', { bar: 1 }]]);
  });

  it('Response format', async () => {
    const res = await t.client.rankEval({
      requests: [
        { id: 'amsterdam_query', request: { query: { match_all: {} } }, ratings: ratings([['foo', 'doc1', 1]]) },
        { id: 'invalid_query', request: { query: { range: { bar: { gte: 'Basel', time_zone: '+01:00' } } } }, ratings: ratings([['foo', 'doc1', 1]]) },
      ],
      metric: { precision: { ignore_unlabeled: true } },
    });
    expect(res.metric_score).toBe(1);
    expect(detail(res, 'amsterdam_query').metric_score).toBe(1);
    expect(detail(res, 'amsterdam_query').unrated_docs).toEqual([]);
    expect(detail(res, 'amsterdam_query').metric_details).toEqual({ precision: { relevant_docs_retrieved: 1, docs_retrieved: 1 } });
    const failed = res.failures.invalid_query as { error: { type: string; root_cause: Array<{ type: string }> } };
    expect(failed).toBeTruthy();
    // the failure is the multi-search item's error: the shard failure of the range query
    expect(failed.error.type).toBe('search_phase_execution_exception');
    expect(failed.error.root_cause[0]!.type).toBe('query_shard_exception');
    expect(res.details.invalid_query).toBeUndefined();
  });
});

describe('_rank_eval: 40_rank_eval_templated.yml', () => {
  const t = useTestClient(async (client) => {
    await client.indices.create({ index: 'test', settings: { index: { number_of_shards: 1 } } });
    await indexDocs(client, 'test', [
      ['1', { text: 'berlin', title: 'Berlin, Germany' }],
      ['2', { text: 'amsterdam' }],
      ['3', { text: 'amsterdam' }],
      ['4', { text: 'amsterdam' }],
      ['5', { text: 'amsterdam' }],
      ['6', { text: 'amsterdam' }],
    ]);
  });
  const templated = (source: string): estypes.RankEvalRequest => ({
    templates: [{ id: 'match', template: { source } }],
    requests: [{ id: 'amsterdam_query', params: { query_string: 'amsterdam' }, template_id: 'match', ratings: [] }],
    metric: { precision: {} },
  });

  it('Basic rank-eval request with template', async () => {
    const res = await t.client.rankEval({
      templates: [{ id: 'match', template: { source: '{"query": { "match" : {"text" : "{{query_string}}" }}}' } }],
      requests: [
        { id: 'amsterdam_query', params: { query_string: 'amsterdam' }, template_id: 'match', ratings: ratings([['test', '2', 1], ['test', '3', 1], ['test', '4', 1], ['test', '5', 1]]) },
        { id: 'berlin_query', params: { query_string: 'berlin' }, template_id: 'match', ratings: ratings([['test', '1', 1]]) },
      ],
      metric: { precision: {} },
    });
    expect(res.metric_score).toBe(0.9);
    expect(detail(res, 'amsterdam_query').unrated_docs[0]!._id).toBe('6');
  });

  it('Test illegal request parts', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{ "aggs" : { "avg_grade" : { "avg" : { "field" : "grade" }}}}', /Query in rated requests should not contain aggregations./],
      ['{"suggest" : {"my-suggestion" : {"text" : "Elastic","term" : {"field" : "message"}}}}', /Query in rated requests should not contain a suggest section./],
      ['{"highlight" : { "fields" : {"content" : {}}}}', /Query in rated requests should not contain a highlighter section./],
      ['{"profile" : "true" }', /Query in rated requests should not use profile./],
      ['{"explain" : "true" }', /Query in rated requests should not use explain./],
    ];
    for (const [source, message] of cases) {
      const { status, error } = await failure(t.client.rankEval(templated(source)));
      expect(status).toBe(400);
      expect(error.type).toBe('illegal_argument_exception');
      expect(JSON.stringify(error)).toMatch(message);
    }
  });
});

import type { Client, estypes } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from './helpers.js';

/**
 * `_rank_eval` through the real client. The first describes replay Elasticsearch's own YAML tests
 * (modules/rank-eval/src/yamlRestTest/.../rank_eval/*.yml, copied in test/conformance/extra/):
 * the same documents, the same requests, the same expected figures.
 */

type Ratings = Array<[string, string, number]>;
/**
 * A `_rank_eval` body as Elasticsearch defines it. The client's own types lack `templates`,
 * `max_concurrent_searches`, `summary_fields`, `unknown_doc_rating` and a `request` with `sort`;
 * the client sends every key it does not know in the body as given.
 */
interface RequestItem {
  id: string;
  request?: Record<string, unknown>;
  ratings: estypes.RankEvalDocumentRating[];
  template_id?: string;
  params?: Record<string, unknown>;
  summary_fields?: string[];
}
interface RankEvalBody {
  index?: string;
  search_type?: estypes.SearchType;
  requests: RequestItem[];
  metric: Record<string, Record<string, unknown>>;
  templates?: Array<{ id: string; template: Record<string, unknown> }>;
  max_concurrent_searches?: number;
}
const rankEval = (client: Client, body: RankEvalBody): Promise<estypes.RankEvalResponse> => client.rankEval(body as unknown as estypes.RankEvalRequest);
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

  const precisionRequests: RequestItem[] = [
    { id: 'amsterdam_query', request: { query: { match: { text: 'amsterdam' } } }, ratings: ratings([['foo', 'doc1', 0], ['foo', 'doc2', 1], ['foo', 'doc3', 1]]) },
    { id: 'berlin_query', request: { query: { match: { text: 'berlin' } }, size: 10 }, ratings: ratings([['foo', 'doc1', 1]]) },
  ];

  it('Response format', async () => {
    const res = await rankEval(t.client, { index: 'foo,', search_type: 'query_then_fetch', requests: precisionRequests, metric: { precision: { ignore_unlabeled: true } } });
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
    const res = await rankEval(t.client, { index: 'alias', requests: precisionRequests, metric: { precision: { ignore_unlabeled: true } } });
    expect(res.metric_score).toBe(1);
    expect(detail(res, 'amsterdam_query').metric_score).toBe(1);
    expect(detail(res, 'berlin_query').metric_score).toBe(1);
  });

  it('Mean Reciprocal Rank', async () => {
    const res = await rankEval(t.client, {
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
    const res = await rankEval(t.client, {
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
  const ascending = { id: 'dcg_query', request: { query: { match_all: {} }, sort: ['bar'] }, ratings: dcgRatings } as RequestItem;
  const descending = { id: 'dcg_query_reverse', request: { query: { match_all: {} }, sort: [{ bar: 'desc' }] }, ratings: dcgRatings } as RequestItem;

  it('Response format', async () => {
    const res = await rankEval(t.client, { requests: [ascending], metric: { dcg: {} } });
    expect(res.metric_score).toBeGreaterThan(13.848263);
    expect(res.metric_score).toBeLessThan(13.848264);
    expect(detail(res, 'dcg_query').metric_score).toBeGreaterThan(13.848263);
    expect(detail(res, 'dcg_query').metric_score).toBeLessThan(13.848264);
    expect(detail(res, 'dcg_query').unrated_docs).toEqual([]);

    const reverse = await rankEval(t.client, { requests: [descending], metric: { dcg: {} } });
    expect(reverse.metric_score).toBeGreaterThan(10.299674);
    expect(reverse.metric_score).toBeLessThan(10.299675);
    expect(detail(reverse, 'dcg_query_reverse').unrated_docs).toEqual([]);

    // both together: the mean
    const both = await rankEval(t.client, { requests: [ascending, descending], metric: { dcg: {} } });
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
    const res = await rankEval(t.client, {
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
  const templated = (source: string): RankEvalBody => ({
    templates: [{ id: 'match', template: { source } }],
    requests: [{ id: 'amsterdam_query', params: { query_string: 'amsterdam' }, template_id: 'match', ratings: [] }],
    metric: { precision: {} },
  });

  it('Basic rank-eval request with template', async () => {
    const res = await rankEval(t.client, {
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
      const { status, error } = await failure(rankEval(t.client, templated(source)));
      expect(status).toBe(400);
      expect(error.type).toBe('illegal_argument_exception');
      expect(JSON.stringify(error)).toMatch(message);
    }
  });
});

describe('_rank_eval metrics on hand-computed cases', () => {
  // d1..d6 ranked in that order by `sort: r`; k = 5 retrieves d1..d5. d3 and d5 are unrated.
  const t = useTestClient(async (client) => {
    await client.indices.create({ index: 'm', mappings: { properties: { r: { type: 'integer' }, title: { type: 'keyword' }, body: { type: 'text' } } } });
    await indexDocs(client, 'm', [1, 2, 3, 4, 5, 6].map((n) => [`d${n}`, { r: n, title: `title ${n}`, body: `body ${n}` }] as [string, Record<string, unknown>]));
  });
  const rated = ratings([['m', 'd1', 0], ['m', 'd2', 3], ['m', 'd4', 1], ['m', 'd6', 2]]);
  const run = async (metric: RankEvalBody['metric'], extra: Partial<RequestItem> = {}): Promise<estypes.RankEvalRankEvalMetricDetail> => {
    const res = await rankEval(t.client, { index: 'm', requests: [{ id: 'q', request: { query: { match_all: {} }, sort: ['r'] }, ratings: rated, ...extra }], metric });
    expect(res.metric_score).toBe(detail(res, 'q').metric_score);
    return detail(res, 'q');
  };

  it('precision counts unrated hits as irrelevant unless ignore_unlabeled, over the top k', async () => {
    const plain = await run({ precision: { k: 5 } });
    expect(plain.metric_score).toBe(2 / 5);
    expect(plain.metric_details).toEqual({ precision: { relevant_docs_retrieved: 2, docs_retrieved: 5 } });
    expect(plain.hits.map((h) => h.hit._id)).toEqual(['d1', 'd2', 'd3', 'd4', 'd5']);
    expect((await run({ precision: { k: 5, ignore_unlabeled: true } })).metric_score).toBe(2 / 3);
    expect((await run({ precision: { k: 5, relevant_rating_threshold: 2 } })).metric_score).toBe(1 / 5);
    // k defaults to 10: all six hits, d2, d4 and d6 relevant
    expect((await run({ precision: {} })).metric_details).toEqual({ precision: { relevant_docs_retrieved: 3, docs_retrieved: 6 } });
  });

  it('recall divides the relevant hits in the top k by every relevant rated document', async () => {
    const top5 = await run({ recall: { k: 5 } });
    expect(top5.metric_score).toBe(2 / 3);
    expect(top5.metric_details).toEqual({ recall: { relevant_docs_retrieved: 2, relevant_docs: 3 } });
    expect((await run({ recall: {} })).metric_score).toBe(1);
    expect((await run({ recall: { relevant_rating_threshold: 3, k: 1 } })).metric_details).toEqual({ recall: { relevant_docs_retrieved: 0, relevant_docs: 1 } });
  });

  it('mean_reciprocal_rank is 1 / the rank of the first relevant hit, 0 and first_relevant -1 when none', async () => {
    const mrr = await run({ mean_reciprocal_rank: { k: 5 } });
    expect(mrr.metric_score).toBe(0.5);
    expect(mrr.metric_details).toEqual({ mean_reciprocal_rank: { first_relevant: 2 } });
    expect((await run({ mean_reciprocal_rank: { relevant_rating_threshold: 0 } })).metric_score).toBe(1);
    const none = await run({ mean_reciprocal_rank: { k: 1 } });
    expect(none.metric_score).toBe(0);
    expect(none.metric_details).toEqual({ mean_reciprocal_rank: { first_relevant: -1 } });
  });

  it('dcg sums (2^rating - 1) / log2(rank + 1); normalize divides by the ideal order of the rated documents', async () => {
    // ratings in rank order: 0, 3, unrated, 1, unrated
    const dcgValue = 0 + 7 / Math.log2(3) + 1 / Math.log2(5);
    const plain = await run({ dcg: { k: 5 } });
    expect(plain.metric_score).toBeCloseTo(dcgValue, 12);
    expect(plain.metric_details).toEqual({ dcg: { dcg: plain.metric_score, unrated_docs: 2 } });
    // ideal: the 4 rated documents (fewer than the 5 hits) by rating, 3, 2, 1, 0
    const ideal = 7 + 3 / Math.log2(3) + 1 / Math.log2(4) + 0;
    const normalized = await run({ dcg: { k: 5, normalize: true } });
    expect(normalized.metric_score).toBeCloseTo(dcgValue / ideal, 12);
    const details = (normalized.metric_details as { dcg: Record<string, number> }).dcg;
    expect(details.dcg).toBeCloseTo(dcgValue, 12);
    expect(details.ideal_dcg).toBeCloseTo(ideal, 12);
    expect(details.normalized_dcg).toBeCloseTo(dcgValue / ideal, 12);
    expect(details.unrated_docs).toBe(2);
    // unknown_doc_rating rates d3 and d5 as 1; they still count as unrated docs
    const unknown = await run({ dcg: { k: 5, unknown_doc_rating: 1 } });
    expect(unknown.metric_score).toBeCloseTo(7 / Math.log2(3) + 1 / Math.log2(4) + 1 / Math.log2(5) + 1 / Math.log2(6), 12);
    expect(unknown.unrated_docs.map((d) => d._id)).toEqual(['d3', 'd5']);
  });

  it('expected_reciprocal_rank follows the cascade model with R = (2^rating - 1) / 2^maximum_relevance', async () => {
    // d1: R = 0; d2: R = 7/8 at rank 2 -> 7/16, p = 1/8; d4: R = 1/8 at rank 4 -> 1/256
    const err = await run({ expected_reciprocal_rank: { maximum_relevance: 3, k: 5 } });
    expect(err.metric_score).toBe(0.4375 + 1 / 256);
    expect(err.metric_details).toEqual({ expected_reciprocal_rank: { unrated_docs: 2 } });
    // unrated as 1: d3 (rank 3, p = 1/8), d4 (rank 4, p = 7/64), d5 (rank 5, p = 49/512), each R = 1/8
    const unknown = await run({ expected_reciprocal_rank: { maximum_relevance: 3, k: 5, unknown_doc_rating: 1 } });
    expect(unknown.metric_score).toBeCloseTo(0.4375 + 1 / 192 + 7 / 2048 + 49 / 20480, 15);
  });

  it('returns the summary_fields of each hit, and no _source without them', async () => {
    const withFields = await run({ precision: { k: 2 } }, { summary_fields: ['title'] });
    expect(withFields.hits.map((h) => (h.hit as unknown as { _source?: unknown })._source)).toEqual([{ title: 'title 1' }, { title: 'title 2' }]);
    const without = await run({ precision: { k: 2 } });
    expect(without.hits.every((h) => (h.hit as unknown as { _source?: unknown })._source === undefined)).toBe(true);
  });

  it('answers GET with a body, as the API allows', async () => {
    const res = await t.client.transport.request<estypes.RankEvalResponse>({
      method: 'GET',
      path: '/m/_rank_eval',
      body: { requests: [{ id: 'q', request: { query: { match_all: {} }, sort: ['r'] }, ratings: rated }], metric: { mean_reciprocal_rank: {} } },
    });
    expect(res.metric_score).toBe(0.5);
  });

  it('reports a missing index per request in failures, and a metric_score of "NaN" when no request ran', async () => {
    const res = await rankEval(t.client, { index: 'nope', requests: [{ id: 'q', request: { query: { match_all: {} } }, ratings: rated }], metric: { precision: {} } });
    expect(res.details).toEqual({});
    const error = (res.failures.q as { error: { type: string; root_cause: unknown[] } }).error;
    expect(error.type).toBe('index_not_found_exception');
    expect(error.root_cause).toHaveLength(1);
    expect(res.metric_score as unknown).toBe('NaN');
  });
});

describe('_rank_eval request errors', () => {
  const t = useTestClient(async (client) => {
    await indexDocs(client, 'e', [['d1', { text: 'berlin' }]]);
  });
  const ok = { id: 'q', request: { query: { match_all: {} } }, ratings: ratings([['e', 'd1', 1]]) };
  const post = (body: unknown, querystring: Record<string, unknown> = {}) => failure(t.client.transport.request({ method: 'POST', path: '/e/_rank_eval', body: body as Record<string, unknown>, querystring }));

  it('requires a body, requests and a metric', async () => {
    const noBody = await failure(t.client.transport.request({ method: 'POST', path: '/e/_rank_eval' }));
    expect(noBody).toMatchObject({ status: 400, error: { type: 'parse_exception', reason: 'request body or source parameter is required' } });
    expect(await post({ requests: [ok] })).toMatchObject({ status: 400, error: { type: 'illegal_argument_exception', reason: 'Required [metric]' } });
    expect(await post({})).toMatchObject({ status: 400, error: { reason: 'Required [requests, metric]' } });
    const empty = await post({ requests: [], metric: { precision: {} } });
    expect(empty).toMatchObject({ status: 400, error: { type: 'x_content_parse_exception', reason: 'Failed to build [rank_eval] after last required field arrived' } });
    expect(empty.error.caused_by).toMatchObject({ type: 'illegal_argument_exception', reason: 'Cannot evaluate ranking if no search requests with rated results are provided. Seen: []' });
  });

  it('names an unknown metric, an unknown parameter and a bad k the way Elasticsearch does', async () => {
    const unknown = await post({ requests: [ok], metric: { ndcg: {} } });
    expect(unknown).toMatchObject({ status: 400, error: { type: 'x_content_parse_exception', reason: '[1:1] [rank_eval] failed to parse field [metric]' } });
    expect(unknown.error.caused_by).toMatchObject({ type: 'named_object_not_found_exception', reason: '[1:1] unable to parse EvaluationMetric with name [ndcg]: parser not found' });
    const typo = await post({ requests: [ok], metric: { precision: { relevant_rating_treshold: 3 } } });
    expect(typo.error.caused_by).toMatchObject({ reason: '[1:1] [precision] unknown field [relevant_rating_treshold] did you mean [relevant_rating_threshold]?' });
    // Lucene's LevenshteinDistance similarity must exceed 0.5: "kk" is exactly 0.5 from "k"
    expect((await post({ requests: [ok], metric: { precision: { kk: 3 } } })).error.caused_by).toMatchObject({ reason: '[1:1] [precision] unknown field [kk]' });
    const zero = await post({ requests: [ok], metric: { recall: { k: 0 } } });
    expect(JSON.stringify(zero.error)).toContain('Window size k must be positive.');
    const negative = await post({ requests: [ok], metric: { mean_reciprocal_rank: { relevant_rating_threshold: -1 } } });
    expect(JSON.stringify(negative.error)).toContain('Relevant rating threshold for precision must be positive integer.');
    const err = await post({ requests: [ok], metric: { expected_reciprocal_rank: {} } });
    expect(err.error.caused_by).toMatchObject({ type: 'illegal_argument_exception', reason: 'Required [maximum_relevance]' });
    const notInt = await post({ requests: [ok], metric: { dcg: { k: true } } });
    expect(notInt.error.caused_by).toMatchObject({ reason: "[1:1] [dcg] k doesn't support values of type: VALUE_BOOLEAN" });
  });

  it('names the parser and the token when a part is not an object', async () => {
    const metric = await post({ requests: [ok], metric: { mean_reciprocal_rank: 5 } });
    expect(metric.error).toMatchObject({ type: 'x_content_parse_exception', reason: '[1:1] [rank_eval] failed to parse field [metric]' });
    // MeanReciprocalRank's parser is called "reciprocal_rank" in Elasticsearch
    expect(metric.error.caused_by).toMatchObject({ reason: '[1:1] [reciprocal_rank] Expected START_OBJECT but was: VALUE_NUMBER' });
    const request = await post({ requests: [ok, 'q2'], metric: { precision: {} } });
    expect(request.error.caused_by).toMatchObject({ reason: '[1:1] [request] Expected START_OBJECT but was: VALUE_STRING' });
    const requests = await post({ requests: 3, metric: { precision: {} } });
    expect(requests.error).toMatchObject({ type: 'x_content_parse_exception', reason: "[1:1] [rank_eval] requests doesn't support values of type: VALUE_NUMBER" });
    const rating = await post({ requests: [{ ...ok, ratings: [{ _index: 'e', _id: 'd1', rating: 'high' }] }], metric: { precision: {} } });
    expect(rating.error.reason).toBe('[1:1] [rank_eval] failed to parse field [requests]');
    expect(rating.error.caused_by).toMatchObject({ reason: '[1:1] [request] failed to parse field [ratings]', caused_by: { reason: '[1:1] [rated_document] failed to parse field [rating]', caused_by: { type: 'number_format_exception' } } });
    // a root cause is the outermost error: an XContentParseException is not an ElasticsearchException
    expect((rating.error.root_cause as Array<{ reason: string }>)[0]!.reason).toBe('[1:1] [rank_eval] failed to parse field [requests]');
  });

  it('rejects duplicate ratings, ambiguous requests and evaluation-only sections in a request', async () => {
    const duplicate = await post({ requests: [{ ...ok, ratings: ratings([['e', 'd1', 1], ['e', 'd1', 2]]) }], metric: { precision: {} } });
    expect(duplicate.status).toBe(400);
    expect(JSON.stringify(duplicate.error)).toContain('Found duplicate rated document key [{\\"_index\\":\\"e\\",\\"_id\\":\\"d1\\"}] in evaluation request [q]');
    const both = await post({ requests: [{ ...ok, template_id: 'x' }], metric: { precision: {} } });
    expect(JSON.stringify(both.error)).toContain('Ambiguous rated request');
    const neither = await post({ requests: [{ id: 'q', ratings: [] }], metric: { precision: {} } });
    expect(JSON.stringify(neither.error)).toContain('Need to set at least test request or test request template parameters.');
    const aggs = await post({ requests: [{ ...ok, request: { aggs: { a: { max: { field: 'x' } } } } }], metric: { precision: {} } });
    expect(JSON.stringify(aggs.error)).toContain('Query in rated requests should not contain aggregations.');
  });

  it('fails the whole request when a rated request does not parse, unlike a search that fails while running', async () => {
    const bad = await post({ requests: [ok, { ...ok, id: 'r', request: { query: { no_such_query: {} } } }], metric: { precision: {} } });
    expect(bad).toMatchObject({ status: 400, error: { type: 'x_content_parse_exception', reason: '[1:1] [rank_eval] failed to parse field [requests]' } });
    expect(bad.error.caused_by).toMatchObject({ reason: '[1:1] [request] failed to parse field [request]' });
  });

  it('reports a k beyond index.max_result_window as each request\'s failure, as the searches fail', async () => {
    const res = await rankEval(t.client, { index: 'e', requests: [ok], metric: { precision: { k: 20_000 } } });
    const error = (res.failures.q as { error: { type: string; root_cause: Array<{ type: string; reason: string }> } }).error;
    expect(error.type).toBe('search_phase_execution_exception');
    expect(error.root_cause[0]!.reason).toContain('Result window is too large');
  });

  it('checks max_concurrent_searches, search_type and the URL parameters', async () => {
    const zero = await post({ requests: [ok], metric: { precision: {} }, max_concurrent_searches: 0 });
    expect(zero).toMatchObject({ status: 400, error: { type: 'illegal_argument_exception', reason: 'maxConcurrentSearchRequests must be positive' } });
    expect(await post({ requests: [ok], metric: { precision: {} } }, { search_type: 'scan' })).toMatchObject({ status: 400, error: { reason: 'No search type for [scan]' } });
    expect((await post({ requests: [ok], metric: { precision: {} } }, { size: 3 })).error.reason).toBe('request [/e/_rank_eval] contains unrecognized parameter: [size]');
    const fine = await rankEval(t.client, { index: 'e', requests: [ok], metric: { precision: {} }, max_concurrent_searches: 1 });
    expect(fine.metric_score).toBe(1);
  });

  it('renders mustache templates with JSON escaping and the toJson lambda, inline or stored', async () => {
    const res = await rankEval(t.client, {
      index: 'e',
      templates: [
        { id: 'escaped', template: { source: '{"query": {"match": {"text": "{{q}}"}}}' } },
        { id: 'json', template: { source: '{"query": {"terms": {"_id": {{#toJson}}ids{{/toJson}} }}}' } },
      ],
      requests: [
        { id: 'quote', template_id: 'escaped', params: { q: 'berlin "city"' }, ratings: ratings([['e', 'd1', 1]]) },
        { id: 'ids', template_id: 'json', params: { ids: ['d1'] }, ratings: ratings([['e', 'd1', 1]]) },
      ],
      metric: { precision: {} },
    });
    expect(res.failures).toEqual({});
    expect(detail(res, 'quote').metric_score).toBe(1);
    expect(detail(res, 'ids').metric_score).toBe(1);
    const missing = await post({ templates: [{ id: 's', template: { id: 'my-stored' } }], requests: [{ id: 'q', template_id: 's', params: { a: 1 }, ratings: [] }], metric: { precision: {} } });
    expect(missing).toMatchObject({ status: 404, error: { type: 'resource_not_found_exception', reason: 'unable to find script [my-stored] in cluster state' } });
    await t.client.putScript({ id: 'my-stored', script: { lang: 'mustache', source: { query: { match: { text: '{{q}}' } } } as never } });
    const stored = await rankEval(t.client, {
      index: 'e',
      templates: [{ id: 's', template: { id: 'my-stored' } }],
      requests: [{ id: 'q', template_id: 's', params: { q: 'berlin' }, ratings: ratings([['e', 'd1', 1]]) }],
      metric: { precision: {} },
    });
    expect(detail(stored, 'q').metric_score).toBe(1);
  });
});

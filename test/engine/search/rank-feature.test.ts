import type { estypes } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * rank_feature / rank_features fields and the rank_feature query. Expected scores are Lucene's
 * FeatureField formulas in float over the values as FeatureField stores them: the float's bits
 * shifted right by 15 (the top 9 mantissa bits kept, the rest truncated), e.g. 10 -> freq 33344,
 * 100 -> freq 34192; the automatic saturation pivot decodes their average frequency 33768
 * (0x83E8 << 15 = 0x41F40000 = 30.5, near the geometric mean 31.6 as FeatureField's javadoc says).
 */
const t = useTestClient(async (client) => {
  await createIndexWithDocs(
    client,
    'rf',
    {
      mappings: {
        properties: {
          // null_value (8.9+) is not in the client's MappingRankFeatureProperty
          pagerank: { type: 'rank_feature', null_value: 1.01 } as estypes.MappingProperty,
          url_length: { type: 'rank_feature', positive_score_impact: false },
          topics: { type: 'rank_features' },
          tag: { type: 'keyword' },
        },
      },
    },
    [
      ['1', { pagerank: 10, url_length: 50, topics: { sports: 3, politics: 5 }, tag: 'a' }],
      ['2', { pagerank: 100, url_length: 20, topics: { politics: 6 }, tag: 'b' }],
      ['3', { pagerank: null, tag: 'c' }],
    ],
  );
});

type Hit = { _id?: string | null; _score?: number | null };
/** A float score as Elasticsearch prints it (Float.toString: the shortest decimal that reads back as the same float). */
const float = (x: number): number => {
  const f = Math.fround(x);
  for (let p = 1; p <= 9; p++) if (Math.fround(Number(f.toPrecision(p))) === f) return Number(f.toPrecision(p));
  return f;
};
const scores = (res: { hits: { hits: Hit[] } }): Array<[string, number]> => res.hits.hits.map((h) => [String(h._id), Number(h._score)]);

describe('rank_feature query', () => {
  it('saturation with a pivot scores w * (1 - k / (S + k)) in float', async () => {
    const res = await t.client.search({ index: 'rf', query: { rank_feature: { field: 'pagerank', saturation: { pivot: 20 } } } });
    // 100: 1 - 20/120; 10: 1 - 20/30; the null doc is indexed as null_value 1.01, stored as 1.0078125: 1 - 20/21.0078125
    expect(scores(res)).toEqual([
      ['2', float(1 - Math.fround(20 / 120))],
      ['1', float(1 - Math.fround(20 / 30))],
      ['3', float(1 - Math.fround(20 / 21.0078125))],
    ]);
  });

  it('saturation without a pivot takes the decoded average frequency of the shard', async () => {
    // url_length holds 1/50 -> freq 31047 and 1/20 -> freq 31385: their mean 31216 decodes to 0.0302734375
    const res = await t.client.search({ index: 'rf', query: { rank_feature: { field: 'url_length' } } });
    const k = 0.0302734375;
    expect(scores(res)).toEqual([
      ['2', float(1 - Math.fround(k / Math.fround(0.0499267578125 + k)))],
      ['1', float(1 - Math.fround(k / Math.fround(0.01995849609375 + k)))],
    ]);
    // pagerank: freqs 33344 (10), 34192 (100), 32514 (null_value 1.01): mean 33350 -> 0x8246 << 15 = 10.1875
    const explain = await t.client.search({ index: 'rf', query: { rank_feature: { field: 'pagerank', boost: 2 } }, explain: true, size: 1 });
    // FeatureField.SaturationFunction.explain, the boost as the weight
    expect(explain.hits.hits[0]?._explanation).toEqual({
      value: float(2 * (1 - Math.fround(10.1875 / 110.1875))),
      description: 'Saturation function on the _feature field for the pagerank feature, computed as w * S / (S + k) from:',
      details: [
        { value: 2, description: 'w, weight of this function', details: [] },
        { value: 10.1875, description: 'k, pivot feature value that would give a score contribution equal to w/2', details: [] },
        { value: 100, description: 'S, feature value', details: [] },
      ],
    });
  });

  it('the automatic pivot of two values is 30.5 (the example in the header)', async () => {
    await createIndexWithDocs(t.client, 'rf-pivot', { mappings: { properties: { pr: { type: 'rank_feature' } } } }, [
      ['1', { pr: 10 }],
      ['2', { pr: 100 }],
    ]);
    const res = await t.client.search({ index: 'rf-pivot', query: { rank_feature: { field: 'pr' } } });
    expect(scores(res)).toEqual([
      ['2', float(1 - Math.fround(30.5 / 130.5))],
      ['1', float(1 - Math.fround(30.5 / 40.5))],
    ]);
  });

  it('log, sigmoid and linear, with the boost as the weight', async () => {
    const log = await t.client.search({ index: 'rf', query: { rank_feature: { field: 'pagerank', boost: 2, log: { scaling_factor: 3 } } } });
    expect(scores(log).slice(0, 2)).toEqual([
      ['2', float(2 * Math.log(103))],
      ['1', float(2 * Math.log(13))],
    ]);
    const sigmoid = await t.client.search({ index: 'rf', query: { rank_feature: { field: 'pagerank', sigmoid: { pivot: 20, exponent: 0.6 } } } });
    const a = Math.fround(0.6);
    const kA = Math.pow(20, a);
    expect(scores(sigmoid).slice(0, 2)).toEqual([
      ['2', float(1 - kA / (Math.pow(100, a) + kA))],
      ['1', float(1 - kA / (Math.pow(10, a) + kA))],
    ]);
    const linear = await t.client.search({ index: 'rf', query: { rank_feature: { field: 'pagerank', linear: {}, boost: 0.5 } } });
    // 1.01 keeps 8 bits after the leading one: 1 + 2/256
    expect(scores(linear)).toEqual([
      ['2', 50],
      ['1', 5],
      ['3', float(0.5 * 1.0078125)],
    ]);
  });

  it('a negative score impact indexes the inverse (and refuses log)', async () => {
    const linear = await t.client.search({ index: 'rf', query: { rank_feature: { field: 'url_length', linear: {} } } });
    expect(scores(linear)).toEqual([
      ['2', float(0.0499267578125)],
      ['1', float(0.01995849609375)],
    ]);
    const err = await failure(t.client.search({ index: 'rf', query: { rank_feature: { field: 'url_length', log: { scaling_factor: 3 } } } }));
    expect(err.status).toBe(400);
    expect(JSON.stringify(err.error)).toContain('Cannot use the [log] function with a field that has a negative score impact as it would trigger negative scores');
  });

  it('features of a rank_features field are `<field>.<feature>`; an unmapped feature matches nothing', async () => {
    const res = await t.client.search({ index: 'rf', query: { rank_feature: { field: 'topics.politics', linear: {} } } });
    expect(scores(res)).toEqual([
      ['2', 6],
      ['1', 5],
    ]);
    const none = await t.client.search({ index: 'rf', query: { rank_feature: { field: 'topics.nothing' } } });
    expect(none.hits.total).toMatchObject({ value: 0 });
    const unmapped = await t.client.search({ index: 'rf', query: { rank_feature: { field: 'nope' } } });
    expect(unmapped.hits.total).toMatchObject({ value: 0 });
  });

  it('refuses other field types, two functions and bad parameters', async () => {
    const keyword = await failure(t.client.search({ index: 'rf', query: { rank_feature: { field: 'tag' } } }));
    expect(JSON.stringify(keyword.error)).toContain('[rank_feature] query only works on [rank_feature] fields and features of [rank_features] fields, not [keyword]');
    const whole = await failure(t.client.search({ index: 'rf', query: { rank_feature: { field: 'topics' } } }));
    expect(JSON.stringify(whole.error)).toContain('not [rank_features]');
    const two = await failure(t.client.search({ index: 'rf', query: { rank_feature: { field: 'pagerank', log: { scaling_factor: 3 }, linear: {} } } }));
    expect(two.status).toBe(400);
    expect(JSON.stringify(two.error)).toContain('Can only specify one of [log], [saturation], [sigmoid] and [linear]');
    const pivot = await failure(t.client.search({ index: 'rf', query: { rank_feature: { field: 'pagerank', saturation: { pivot: -1 } } } }));
    expect(JSON.stringify(pivot.error)).toContain('pivot must be > 0, got: -1.0');
    const factor = await failure(t.client.search({ index: 'rf', query: { rank_feature: { field: 'pagerank', log: { scaling_factor: 0.5 } } } }));
    expect(JSON.stringify(factor.error)).toContain('scalingFactor must be >= 1, got: 0.5');
  });
});

describe('rank_feature and rank_features fields', () => {
  it('exists finds rank_feature values; rank_features refuse exists', async () => {
    const res = await t.client.search({ index: 'rf', query: { exists: { field: 'url_length' } } });
    expect(res.hits.hits.map((h) => h._id).sort()).toEqual(['1', '2']);
    expect(res.hits.hits[0]?._score).toBe(1);
    const err = await failure(t.client.search({ index: 'rf', query: { exists: { field: 'topics' } } }));
    expect(JSON.stringify(err.error)).toContain('[rank_features] fields do not support [exists] queries');
  });

  it('term queries, sorting and aggregations are refused with Elasticsearch messages', async () => {
    const term = await failure(t.client.search({ index: 'rf', query: { term: { pagerank: 10 } } }));
    expect(JSON.stringify(term.error)).toContain('Queries on [rank_feature] fields are not supported');
    const sort = await failure(t.client.search({ index: 'rf', sort: [{ pagerank: 'asc' }] }));
    expect(JSON.stringify(sort.error)).toContain('[rank_feature] fields do not support sorting, scripting or aggregating');
    const agg = await failure(t.client.search({ index: 'rf', aggs: { m: { max: { field: 'pagerank' } } } }));
    expect(JSON.stringify(agg.error)).toContain('[rank_feature] fields do not support sorting, scripting or aggregating');
  });

  it('the fields API returns floats, a null as null_value, rank_features as written', async () => {
    const res = await t.client.search({ index: 'rf', query: { ids: { values: ['1', '3'] } }, fields: ['pagerank', 'topics'], sort: [{ tag: 'asc' }] });
    expect(res.hits.hits.map((h) => h.fields)).toEqual([{ pagerank: [10], topics: [{ sports: 3, politics: 5 }] }, { pagerank: [1.01] }]);
  });

  it('refuses non-positive values, two values of one field, and a non-object rank_features', async () => {
    const negative = await failure(t.client.index({ index: 'rf', id: 'x', document: { pagerank: -1 } }));
    expect(negative.error.type).toBe('document_parsing_exception');
    expect(String(negative.error.reason)).toContain("failed to parse field [pagerank] of type [rank_feature] in document with id 'x'");
    expect(JSON.stringify(negative.error.caused_by)).toContain('featureValue must be a positive normal float, got: -1.0 for feature pagerank on field _feature');
    const twice = await failure(t.client.index({ index: 'rf', id: 'x', document: { pagerank: [1, 2] } }));
    expect(JSON.stringify(twice.error)).toContain('[rank_feature] fields do not support indexing multiple values for the same field [pagerank] in the same document');
    const scalar = await failure(t.client.index({ index: 'rf', id: 'x', document: { topics: 3 } }));
    expect(JSON.stringify(scalar.error)).toContain('[rank_features] fields must be json objects, expected a START_OBJECT but got: VALUE_NUMBER');
    const zero = await failure(t.client.index({ index: 'rf', id: 'x', document: { topics: { a: 0 } } }));
    expect(JSON.stringify(zero.error)).toContain('featureValue must be a positive normal float, got: 0.0 for feature a on field topics');
  });

  it('null_value must be a positive normal float, and positive_score_impact cannot change', async () => {
    const bad = await failure(t.client.indices.create({ index: 'rf-bad', mappings: { properties: { p: { type: 'rank_feature', null_value: 0 } as estypes.MappingProperty } } }));
    expect(JSON.stringify(bad.error)).toContain('[null_value] must be a positive normal float for field of type [rank_feature], got 0.0');
    const change = await failure(t.client.indices.putMapping({ index: 'rf', properties: { url_length: { type: 'rank_feature', positive_score_impact: true } } }));
    expect(JSON.stringify(change.error)).toContain('Cannot update parameter [positive_score_impact] from [false] to [true]');
  });
});

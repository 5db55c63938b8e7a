import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, useTestClient } from '../helpers.js';
import { idf, tf } from './helpers.js';

/**
 * Elasticsearch 8 scores with LegacyBM25Similarity: BM25Similarity with the boost multiplied by
 * k1 + 1 = 2.2. The corpus is Elasticsearch's own `count/30_min_score` test: "foo bar" and
 * "foo bar bar bar bar", q=field:foo, where min_score 0.2 keeps 1 doc, 0.1 keeps 2, 0.5 none.
 */

interface Expl {
  value: number;
  description: string;
  details: Expl[];
}

const t = useTestClient(async (client) => {
  await createIndexWithDocs(client, 'ms', { settings: { number_of_shards: 1 } }, [
    ['1', { field: 'foo bar' }],
    ['2', { field: 'foo bar bar bar bar' }],
  ]);
  await createIndexWithDocs(client, 'en', { mappings: { properties: { body: { type: 'text', analyzer: 'english' } } } }, [['1', { body: 'foxes of an engine' }]]);
});

// foo: df 2 of 2 -> idf = ln(1.2); lengths 2 and 5 -> avgdl 3.5
const score1 = idf(2, 2) * tf(1, 2, 3.5); // 0.2210...
const score2 = idf(2, 2) * tf(1, 5, 3.5); // 0.1551...

describe('LegacyBM25Similarity, the default similarity of Elasticsearch 8', () => {
  it('scores with the (k1 + 1) factor, as count/30_min_score expects', async () => {
    expect(score1).toBeGreaterThan(0.2);
    expect(score2).toBeGreaterThan(0.1);
    const r = await t.client.search({ index: 'ms', q: 'field:foo' });
    expect(r.hits.hits.map((h) => [h._id, h._score])).toEqual([
      ['1', expect.closeTo(score1, 6)],
      ['2', expect.closeTo(score2, 6)],
    ]);
    const kept = async (min: number) => (await t.client.search({ index: 'ms', q: 'field:foo', min_score: min })).hits.hits.map((h) => h._id);
    expect(await kept(0.2)).toEqual(['1']);
    expect(await kept(0.1)).toEqual(['1', '2']);
    expect(await kept(0.5)).toEqual([]);
  });

  it('explains a term with boost 2.2 (boost * (k1 + 1)), idf and tf, as Elasticsearch 8 prints it', async () => {
    const r = await t.client.search({ index: 'ms', query: { match: { field: { query: 'foo', boost: 2 } } }, explain: true });
    const e = r.hits.hits[0]?._explanation as unknown as Expl;
    expect(e.description).toBe('weight(field:foo in 0) [PerFieldSimilarity], result of:');
    const score = e.details[0] as Expl;
    expect(score.description).toBe('score(freq=1.0), computed as boost * idf * tf from:');
    const [boost, idfNode, tfNode] = score.details as [Expl, Expl, Expl];
    // the query boost 2 times k1 + 1 = 2.2, in float
    expect(boost).toEqual({ value: 4.4, description: 'boost', details: [] });
    expect(idfNode.description).toBe('idf, computed as log(1 + (N - n + 0.5) / (n + 0.5)) from:');
    expect(idfNode.details.map((d) => [d.value, d.description])).toEqual([
      [2, 'n, number of documents containing term'],
      [2, 'N, total number of documents with field'],
    ]);
    expect(tfNode.description).toBe('tf, computed as freq / (freq + k1 * (1 - b + b * dl / avgdl)) from:');
    expect(tfNode.details.map((d) => [d.value, d.description])).toEqual([
      [1, 'freq, occurrences of term within document'],
      [1.2, 'k1, term saturation parameter'],
      [0.75, 'b, length normalization parameter'],
      [2, 'dl, length of field'],
      [3.5, 'avgdl, average length of field'],
    ]);
    // boost * idf * tf is the score (2 * score1), to float precision
    expect(boost.value * idfNode.value * tfNode.value).toBeCloseTo(e.value, 6);
    expect(e.value).toBeCloseTo(2 * score1, 6);
    expect(r.hits.hits[0]?._score).toBe(e.value);
  });

  it('explains a phrase with its phrase frequency and the idf summed over its terms', async () => {
    const r = await t.client.search({ index: 'ms', query: { match_phrase: { field: 'foo bar' } }, explain: true });
    const e = r.hits.hits.find((h) => h._id === '2')?._explanation as unknown as Expl;
    expect(e.description).toBe('weight(field:"foo bar" in 1) [PerFieldSimilarity], result of:');
    const [boost, idfNode, tfNode] = (e.details[0] as Expl).details as [Expl, Expl, Expl];
    expect(boost.value).toBe(2.2);
    expect(idfNode.description).toBe('idf, sum of:');
    expect(idfNode.details).toHaveLength(2);
    expect(idfNode.value).toBeCloseTo(2 * idf(2, 2), 6);
    expect(tfNode.details[0]).toEqual({ value: 1, description: 'phraseFreq=1.0', details: [] });
    expect(e.value).toBeCloseTo(2 * idf(2, 2) * tf(1, 5, 3.5), 6);
  });

  it('explains a repeated word as one term with the summed boost, as BooleanQuery.rewrite leaves it', async () => {
    const r = await t.client.search({ index: 'ms', query: { match: { field: 'foo foo' } }, explain: true });
    const e = r.hits.hits.find((h) => h._id === '1')?._explanation as unknown as Expl;
    expect(e.description).toBe('weight(field:foo in 0) [PerFieldSimilarity], result of:');
    expect((e.details[0] as Expl).details[0]).toEqual({ value: 4.4, description: 'boost', details: [] });
    expect(e.value).toBeCloseTo(2 * score1, 6);
  });

  it('writes a stop word\'s empty position in a phrase as ?, as PhraseQuery.toString', async () => {
    const r = await t.client.search({ index: 'en', query: { match_phrase: { body: 'foxes of the engine' } }, explain: true });
    expect((r.hits.hits[0]?._explanation as unknown as Expl).description).toBe('weight(body:"fox ? ? engin" in 0) [PerFieldSimilarity], result of:');
  });
});

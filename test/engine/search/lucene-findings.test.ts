import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, useTestClient } from '../helpers.js';
import { idf, tf } from './helpers.js';

/**
 * What real Lucene (test/lucene, `npm run test:lucene`) found the engine answering differently
 * from Elasticsearch 8, each pinned here through the real client.
 */

const t = useTestClient(async (client) => {
  await createIndexWithDocs(client, 'fz', { mappings: { properties: { body: { type: 'text' } } } }, [
    ['1', { body: 'cat' }],
    ['2', { body: 'hat' }],
    ['3', { body: 'h h' }],
  ]);
  await createIndexWithDocs(
    client,
    'docs',
    { mappings: { properties: { title: { type: 'text' }, body: { type: 'text' }, tag: { type: 'keyword' } } } },
    [
      ['a', { title: 'quick fox', body: 'lazy dog', tag: 'x' }],
      ['b', { title: 'quick dog', body: 'quick fox', tag: 'y' }],
      ['c', { title: 'slow cat', body: 'quick', tag: 'x' }],
      ['d', { title: 'dog', body: 'cat', tag: 'z' }],
    ],
  );
});

const hits = async (index: string, query: Record<string, unknown>) =>
  (await t.client.search({ index, query, size: 100 })).hits.hits.map((h) => [h._id, h._score] as [string, number]);
const ids = async (index: string, query: Record<string, unknown>) => (await hits(index, query)).map(([id]) => id).sort();

describe('fuzzy keeps expansions whose similarity is <= 0', () => {
  it('matches them with score 0 and counts their docFreq in the blended docFreq', async () => {
    // "hat" with 2 edits: hat (1 - 0), cat (1 - 1/3), h (1 - 2/1 = -1: boost 0, still a match)
    const r = await hits('fz', { fuzzy: { body: { value: 'hat', fuzziness: 2 } } });
    expect(r.map(([id]) => id)).toEqual(['2', '1', '3']);
    // every expansion has df 1: blended df 1 of N = 3; lengths 1, 1, 2 -> avgdl 4/3
    expect(r[0]?.[1]).toBeCloseTo(idf(1, 3) * tf(1, 1, 4 / 3), 5);
    expect(r[1]?.[1]).toBeCloseTo((2 / 3) * idf(1, 3) * tf(1, 1, 4 / 3), 5);
    expect(r[2]).toEqual(['3', 0]);
  });

  it('explains a zero-boost expansion as a constant-score query, as BoostQuery.rewrite makes it', async () => {
    const r = await t.client.search({ index: 'fz', query: { fuzzy: { body: { value: 'hat', fuzziness: 2 } } }, explain: true });
    const e = r.hits.hits.find((h) => h._id === '3')?._explanation as unknown as { value: number; description: string; details: Array<{ value: number; description: string }> };
    expect(e.description).toBe('sum of:');
    expect(e.details).toEqual([{ value: 0, description: 'ConstantScore(body:h)^0.0', details: [] }]);
  });

  it('ranks them below every positive expansion when max_expansions cuts the list', async () => {
    // top 2 by similarity: hat (1), cat (0.667); h (-1) is cut
    expect(await ids('fz', { fuzzy: { body: { value: 'hat', fuzziness: 2, max_expansions: 2 } } })).toEqual(['1', '2']);
  });

  it('is the exact term when prefix_length covers the whole value, as FuzzyQuery', async () => {
    expect(await ids('fz', { fuzzy: { body: { value: 'ha', fuzziness: 1, prefix_length: 2 } } })).toEqual([]);
    expect(await ids('fz', { fuzzy: { body: { value: 'hat', fuzziness: 1, prefix_length: 3 } } })).toEqual(['2']);
    expect(await ids('fz', { fuzzy: { body: { value: '', fuzziness: 2 } } })).toEqual([]);
  });
});

describe('multi_match tie_breaker', () => {
  it('uses an explicit tie_breaker with most_fields, and 1.0 by default', async () => {
    const q = (tie?: number) => ({ multi_match: { query: 'quick', fields: ['title', 'body'], type: 'most_fields', ...(tie !== undefined ? { tie_breaker: tie } : {}) } });
    const title = await hits('docs', { match: { title: 'quick' } });
    const body = await hits('docs', { match: { body: 'quick' } });
    const score = (list: Array<[string, number]>, id: string) => list.find(([x]) => x === id)?.[1] ?? 0;
    // doc b has quick in both fields: max + tie * other
    const [tb, bb] = [score(title, 'b'), score(body, 'b')];
    const sum = (await hits('docs', q())).find(([id]) => id === 'b')?.[1];
    const tied = (await hits('docs', q(0.3))).find(([id]) => id === 'b')?.[1];
    const max = (await hits('docs', q(0))).find(([id]) => id === 'b')?.[1];
    expect(sum).toBeCloseTo(tb + bb, 5);
    expect(tied).toBeCloseTo(Math.max(tb, bb) + 0.3 * Math.min(tb, bb), 5);
    expect(max).toBeCloseTo(Math.max(tb, bb), 5);
  });
});

describe('match with operator and and minimum_should_match', () => {
  it('matches nothing with an absolute minimum, as the minimum counts no optional clause', async () => {
    expect(await ids('docs', { match: { title: { query: 'quick dog', operator: 'and' } } })).toEqual(['b']);
    expect(await ids('docs', { match: { title: { query: 'quick dog', operator: 'and', minimum_should_match: 1 } } })).toEqual([]);
    // relative minimums of zero optional clauses are 0: no effect
    expect(await ids('docs', { match: { title: { query: 'quick dog', operator: 'and', minimum_should_match: '75%' } } })).toEqual(['b']);
    expect(await ids('docs', { match: { title: { query: 'quick dog', operator: 'and', minimum_should_match: '-1' } } })).toEqual(['b']);
    // one term is a term query, which takes no minimum
    expect(await ids('docs', { match: { title: { query: 'quick', operator: 'and', minimum_should_match: 1 } } })).toEqual(['a', 'b']);
  });
});

describe('bool should clauses in filter context', () => {
  it('are optional beside must or filter in a filter, as in a query (Elasticsearch 8)', async () => {
    const inner = { bool: { must: [{ term: { tag: 'x' } }], should: [{ match: { title: 'quick' } }] } };
    expect(await ids('docs', inner)).toEqual(['a', 'c']);
    expect(await ids('docs', { bool: { filter: [inner] } })).toEqual(['a', 'c']);
    expect(await ids('docs', { constant_score: { filter: inner } })).toEqual(['a', 'c']);
    const withFilter = { bool: { filter: [{ term: { tag: 'x' } }], should: [{ match: { title: 'quick' } }] } };
    expect(await ids('docs', { bool: { must_not: [{ term: { tag: 'q' } }], filter: [withFilter] } })).toEqual(['a', 'c']);
  });

  it('need one match when nothing else is required, in a filter as in a query', async () => {
    const inner = { bool: { should: [{ match: { title: 'quick' } }], must_not: [{ term: { tag: 'y' } }] } };
    expect(await ids('docs', inner)).toEqual(['a']);
    expect(await ids('docs', { bool: { filter: [inner] } })).toEqual(['a']);
  });
});

describe('bool with only must_not and minimum_should_match', () => {
  it('returns every document not excluded, with score 0 (a match_all filter is added and the minimum dropped)', async () => {
    const r = await hits('docs', { bool: { must_not: [{ term: { tag: 'x' } }], minimum_should_match: 1 } });
    expect(r.sort()).toEqual([
      ['b', 0],
      ['d', 0],
    ]);
    expect(await ids('docs', { bool: { must_not: [{ term: { tag: 'x' } }], minimum_should_match: '100%' } })).toEqual(['b', 'd']);
  });

  it('still applies the minimum to must clauses without should clauses: nothing matches', async () => {
    expect(await ids('docs', { bool: { must: [{ term: { tag: 'x' } }], minimum_should_match: 1 } })).toEqual([]);
  });
});

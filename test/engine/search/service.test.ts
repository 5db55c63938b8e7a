import { describe, expect, it } from 'vitest';
import { createSearchService } from '../../../src/engine/search/index.js';
import type { SearchPhase } from '../../../src/engine/search/index.js';
import { refIndex } from './reference-index.js';
import { errorOf, ids, idf, scoreOf, search, tf } from './helpers.js';
import type { Resp } from './helpers.js';

const index = refIndex('svc', { title: { type: 'text' }, tag: { type: 'keyword' }, n: { type: 'long' }, at: { type: 'date' } }, [
  { id: '1', source: { title: 'fox', tag: 'a', n: 1, at: 1704067200000 } },
  { id: '2', source: { title: 'fax', tag: 'b', at: '2024-01-02' } },
  { id: '3', source: { title: 'fix fox', tag: 'a', n: 3 } },
  { id: '4', source: { title: 'box', tag: 'c', n: 4 } },
]);

describe('SearchService', () => {
  it('applies alias filters as filters (no effect on scores)', () => {
    const s = createSearchService();
    const r = s.search([{ view: index, aliasFilter: { term: { tag: 'a' } } }], { query: { match: { title: 'fox' } } }, {}) as unknown as Resp;
    expect(ids(r)).toEqual(['1', '3']);
    const plain = search(index, { query: { match: { title: 'fox' } } });
    expect(scoreOf(r, '1')).toBe(scoreOf(plain, '1'));
  });

  it('counts with a query, the q parameter and min_score', () => {
    const s = createSearchService();
    expect(s.count([{ view: index }], { query: { term: { tag: 'a' } } }, {})).toEqual({ count: 2, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 } });
    expect(s.count([{ view: index }], {}, {})).toMatchObject({ count: 4 });
    expect(s.count([{ view: index }], {}, { q: 'tag:b' })).toMatchObject({ count: 1 });
    expect(errorOf(() => s.count([{ view: index }], { size: 1 }, {})).body.error.reason).toBe('request does not support [size]');
  });

  it('lets the q parameter replace a query in the body, after validating the body query', () => {
    expect(ids(search(index, { query: { match: { title: 'fox' } } }, { q: 'tag:c' }))).toEqual(['4']);
    expect(ids(search(index, { query: { match: { title: 'fox' } } }))).toEqual(['1', '3']);
    expect(errorOf(() => search(index, { query: { no_such_query: {} } }, { q: 'tag:c' })).body.error.type).toBe('parsing_exception');
  });

  it('explains hits (best effort) and reports _shard and _node', () => {
    const r = search(index, { query: { match: { title: 'box' } }, explain: true });
    expect(r.hits.hits[0]).toMatchObject({ _shard: '[svc][0]', _explanation: { value: r.hits.hits[0]?._score } });
  });

  it('scores fuzzy expansions with blended document frequencies', () => {
    const r = search(index, { query: { fuzzy: { title: { value: 'fox', fuzziness: 1 } } } });
    // expansions of "fox" within 1 edit: fox (df 2, boost 1), fax (df 1), fix (df 1), box (df 1), each at
    // boost 1 - 1/3; blended df = max df = 2 for all of them; N = 4; lengths 1, 1, 2, 1 -> avgdl 1.25
    const i = idf(2, 4);
    expect(scoreOf(r, '2')).toBeCloseTo((2 / 3) * i * tf(1, 1, 1.25), 5);
    expect(scoreOf(r, '1')).toBeCloseTo(i * tf(1, 1, 1.25), 5);
    expect(scoreOf(r, '3')).toBeCloseTo(i * tf(1, 2, 1.25) + (2 / 3) * i * tf(1, 2, 1.25), 5);
  });

  it('formats dates in fields and rejects sorting on _id', () => {
    const r = search(index, { fields: ['at', { field: 'n' }], _source: false, sort: ['n'] });
    expect(r.hits.hits.map((h) => h.fields?.at?.[0])).toEqual(['2024-01-01T00:00:00.000Z', undefined, undefined, '2024-01-02T00:00:00.000Z']);
    expect(errorOf(() => search(index, { sort: ['_id'] })).body.error.root_cause[0]?.reason).toMatch(/^Fielddata access on the _id field is disallowed/);
  });

  it('fails a shard with status 500 when field_value_factor meets a missing value', () => {
    const e = errorOf(() => search(index, { query: { function_score: { field_value_factor: { field: 'n' } } } }));
    expect(e.status).toBe(500);
    expect(e.body.error.root_cause[0]).toEqual({ type: 'exception', reason: 'Missing value for field [n]' });
  });

  it('hands the match set to registered phases (the aggregation seam)', () => {
    const phase: SearchPhase = {
      keys: ['aggs'],
      run({ exec, sections, response }) {
        response.aggregations = { seen: { value: exec.matches.count, keys: Object.keys(sections) } };
      },
    };
    const s = createSearchService({ phases: [phase] });
    const r = s.search([{ view: index }], { query: { term: { tag: 'a' } }, post_filter: { term: { n: 3 } }, aggs: {} }, {}) as unknown as Resp;
    // aggregations see the query's matches (2), hits see the post-filtered one
    expect(r.aggregations).toEqual({ seen: { value: 2, keys: ['aggs'] } });
    expect(ids(r)).toEqual(['3']);
  });
});

describe('explain', () => {
  it('details BM25 of a term as Lucene 9 does', () => {
    const r = search(index, { query: { match: { title: 'box' } }, explain: true });
    const e = r.hits.hits[0] as unknown as { _score: number; _explanation: { value: number; description: string; details: Array<{ description: string; details: Array<{ description: string; value: number }> }> } };
    expect(e._explanation.value).toBe(e._score);
    expect(e._explanation.description).toBe('weight(title:box in 3) [PerFieldSimilarity], result of:');
    const parts = e._explanation.details[0]?.details ?? [];
    expect(parts.map((d) => d.description.split(',')[0])).toEqual(['boost', 'idf', 'tf']);
    expect(parts[1]?.value).toBeCloseTo(idf(1, 4), 6);
  });
});

describe('fields on nested objects', () => {
  it('groups values per nested object as ES does', () => {
    const idx = refIndex('nf', { title: { type: 'text' }, c: { type: 'nested' }, 'c.who': { type: 'keyword' }, 'c.stars': { type: 'long' } }, [
      { id: '1', source: { title: 't', c: [{ who: 'ann', stars: 5 }, { who: 'bob' }] } },
    ]);
    const r = search(idx, { fields: ['title', 'c.*'], _source: false });
    expect(r.hits.hits[0]?.fields).toEqual({ title: ['t'], c: [{ who: ['ann'], stars: [5] }, { who: ['bob'] }] });
  });
});

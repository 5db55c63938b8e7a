import { describe, expect, it } from 'vitest';
import { ReferenceIndex, refIndex } from './reference-index.js';
import { errorOf, ids, search } from './helpers.js';

const mapping = {
  name: { type: 'text' as const },
  tag: { type: 'keyword' as const },
  n: { type: 'long' as const },
  price: { type: 'double' as const },
  at: { type: 'date' as const },
  user: { type: 'object' as const },
  'user.name': { type: 'keyword' as const },
  'user.age': { type: 'integer' as const },
};

const docs = [
  { id: 'a', source: { name: 'alpha', tag: 'x', n: [5, 1], price: 10, at: '2024-01-02', user: { name: 'ann', age: 30 } } },
  { id: 'b', source: { name: 'bravo', tag: 'y', n: 3, price: 5.5, at: '2024-01-01', user: { name: 'bob', age: 40 } } },
  { id: 'c', source: { name: 'charlie', tag: 'x', n: [2, 9], at: '2024-01-03' } },
  { id: 'd', source: { name: 'delta', price: 7 } },
];
const index = refIndex('items', mapping, docs);

describe('paging and totals', () => {
  it('defaults to from 0, size 10 and an exact total', () => {
    const r = search(index, {});
    expect(r.hits.total).toEqual({ value: 4, relation: 'eq' });
    expect(ids(r)).toEqual(['a', 'b', 'c', 'd']);
    expect(r.hits.max_score).toBe(1);
    expect(ids(search(index, { from: 1, size: 2 }))).toEqual(['b', 'c']);
    expect(ids(search(index, {}, { from: 3, size: 5 }))).toEqual(['d']);
  });

  it('honours track_total_hits', () => {
    expect(search(index, { track_total_hits: 2 }).hits.total).toEqual({ value: 2, relation: 'gte' });
    expect(search(index, { track_total_hits: 4 }).hits.total).toEqual({ value: 4, relation: 'eq' });
    expect(search(index, { track_total_hits: false }).hits.total).toBeUndefined();
    expect(search(index, {}, { rest_total_hits_as_int: true }).hits.total).toBe(4);
  });

  it('rejects a window beyond index.max_result_window with ES text, wrapped as a shard failure', () => {
    const e = errorOf(() => search(index, { from: 9999, size: 2 }));
    expect(e.status).toBe(400);
    expect(e.body.error.type).toBe('search_phase_execution_exception');
    expect(e.body.error.root_cause[0]?.type).toBe('illegal_argument_exception');
    expect(e.body.error.root_cause[0]?.reason).toBe(
      'Result window is too large, from + size must be less than or equal to: [10000] but was [10001]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.',
    );
    const small = refIndex('small', mapping, docs, { maxResultWindow: 3 });
    expect(errorOf(() => search(small, { size: 4 })).body.error.root_cause[0]?.reason).toContain('[3] but was [4]');
  });

  it('filters with min_score and post_filter (total counts post_filter, not aggregations)', () => {
    const r = search(index, { query: { match: { name: 'alpha' } }, min_score: 100 });
    expect(r.hits.total?.value).toBe(0);
    const p = search(index, { post_filter: { term: { tag: 'x' } } });
    expect(ids(p)).toEqual(['a', 'c']);
    expect(p.hits.total?.value).toBe(2);
  });

  it('terminate_after stops collecting and reports terminated_early', () => {
    const r = search(index, { terminate_after: 2 });
    expect(r.hits.total?.value).toBe(2);
    expect(r.terminated_early).toBe(true);
  });
});

describe('sort', () => {
  it('sorts by numeric fields with the default mode (min for asc, max for desc) and missing last', () => {
    const asc = search(index, { sort: [{ n: 'asc' }] });
    // a: min 1, c: min 2, b: 3, d missing
    expect(ids(asc)).toEqual(['a', 'c', 'b', 'd']);
    // Long.MAX_VALUE as Elasticsearch writes it, exactly (the engine reports it as a bigint)
    expect(asc.hits.hits.map((h) => h.sort)).toEqual([[1], [2], [3], [9223372036854775807n]]);
    expect(asc.hits.hits[0]?._score).toBeNull();
    expect(asc.hits.max_score).toBeNull();
    const desc = search(index, { sort: [{ n: { order: 'desc' } }] });
    // c: max 9, a: max 5, b: 3
    expect(ids(desc)).toEqual(['c', 'a', 'b', 'd']);
    expect(desc.hits.hits[3]?.sort).toEqual([-9223372036854775808n]);
  });

  it('supports mode, missing _first and missing values', () => {
    expect(ids(search(index, { sort: [{ n: { order: 'asc', mode: 'avg' } }] }))).toEqual(['a', 'b', 'c', 'd']);
    expect(ids(search(index, { sort: [{ n: { order: 'asc', mode: 'sum' } }] }))).toEqual(['b', 'a', 'c', 'd']);
    expect(ids(search(index, { sort: [{ n: { order: 'asc', missing: '_first' } }] }))).toEqual(['d', 'a', 'c', 'b']);
    const v = search(index, { sort: [{ n: { order: 'asc', missing: 2.5 } }] });
    expect(ids(v)).toEqual(['a', 'c', 'd', 'b']);
    expect(v.hits.hits[2]?.sort).toEqual([2.5]);
  });

  it('sorts by keyword, date, _score, _doc and several keys', () => {
    const k = search(index, { sort: ['tag', { nosuch: { order: 'asc', unmapped_type: 'keyword' } }] });
    expect(k.hits.hits.map((h) => h.sort)).toEqual([['x', null], ['x', null], ['y', null], [null, null]]);
    expect(ids(search(index, { sort: [{ at: 'desc' }] }))).toEqual(['c', 'a', 'b', 'd']);
    expect(search(index, { sort: [{ at: 'asc' }] }).hits.hits[0]?.sort).toEqual([Date.parse('2024-01-01T00:00:00Z')]);
    expect(ids(search(index, { sort: [{ tag: 'desc' }, { price: 'asc' }] }))).toEqual(['b', 'a', 'c', 'd']);
    expect(ids(search(index, { sort: ['_doc'] }))).toEqual(['a', 'b', 'c', 'd']);
    const s = search(index, { query: { match: { name: 'alpha' } }, sort: ['_score', { n: 'asc' }], track_scores: true });
    expect(s.hits.hits[0]?.sort?.length).toBe(2);
    expect(search(index, {}, { sort: 'price:desc' }).hits.hits.map((h) => h._id)).toEqual(['a', 'd', 'b', 'c']);
    expect(search(index, { sort: [{ 'user.age': 'desc' }], track_scores: true }).hits.hits[0]?._score).toBe(1);
  });

  it('rejects sorting on text and on unmapped fields as ES does', () => {
    const t = errorOf(() => search(index, { sort: ['name'] }));
    expect(t.body.error.type).toBe('search_phase_execution_exception');
    expect(t.body.error.root_cause[0]?.reason).toMatch(/^Text fields are not optimised for operations that require per-document field data/);
    const u = errorOf(() => search(index, { sort: ['nope'] }));
    expect(u.body.error.root_cause[0]).toMatchObject({ type: 'query_shard_exception', reason: 'No mapping found for [nope] in order to sort on' });
  });

  it('pages with search_after', () => {
    const sort = [{ price: 'asc' }, { tag: 'asc' }];
    const p1 = search(index, { size: 2, sort });
    expect(ids(p1)).toEqual(['b', 'd']);
    const p2 = search(index, { size: 2, sort, search_after: p1.hits.hits[1]?.sort });
    expect(ids(p2)).toEqual(['a', 'c']);
    const p3 = search(index, { size: 2, sort, search_after: p2.hits.hits[1]?.sort });
    expect(ids(p3)).toEqual([]);
    expect(errorOf(() => search(index, { sort, search_after: [1] })).body.error.root_cause[0]?.reason).toBe('search_after has 1 value(s) but sort has 2.');
  });
});

describe('_source, fields, docvalue_fields and metadata', () => {
  it('filters _source', () => {
    expect(search(index, { _source: false }).hits.hits[0]?._source).toBeUndefined();
    expect(search(index, { _source: 'user' }).hits.hits[0]?._source).toEqual({ user: { name: 'ann', age: 30 } });
    expect(search(index, { _source: ['user.n*', 'tag'] }).hits.hits[0]?._source).toEqual({ tag: 'x', user: { name: 'ann' } });
    expect(search(index, { _source: { excludes: ['user', 'n', 'at'] } }).hits.hits[0]?._source).toEqual({ name: 'alpha', tag: 'x', price: 10 });
    expect(search(index, { _source: { includes: ['*'], excludes: ['user.*'] } }).hits.hits[0]?._source).toMatchObject({ user: {} });
    expect(search(index, {}, { _source_includes: 'name' }).hits.hits[0]?._source).toEqual({ name: 'alpha' });
  });

  it('returns fields as arrays and docvalue_fields with formatted dates', () => {
    const r = search(index, { fields: ['n', 'user.*', { field: 'at' }], _source: false });
    expect(r.hits.hits[0]?.fields).toEqual({ n: [5, 1], 'user.name': ['ann'], 'user.age': [30], at: ['2024-01-02T00:00:00.000Z'] });
    const d = search(index, { docvalue_fields: ['n', 'at', { field: 'at', format: 'epoch_millis' }], _source: false });
    expect(d.hits.hits[0]?.fields).toMatchObject({ n: [1, 5] });
    expect(search(index, { docvalue_fields: ['at'] }).hits.hits[0]?.fields).toEqual({ at: ['2024-01-02T00:00:00.000Z'] });
  });

  it('adds _seq_no, _primary_term and _version on request; stored_fields _none_ drops _id and _source', () => {
    const r = search(index, { seq_no_primary_term: true, version: true });
    expect(r.hits.hits[0]).toMatchObject({ _seq_no: 0, _primary_term: 1, _version: 1 });
    const n = search(index, { stored_fields: '_none_' });
    expect(n.hits.hits[0]).toEqual({ _index: 'items', _score: 1 });
  });
});

describe('several indexes', () => {
  it('merges hits with the concrete index name, ties broken by index then doc', () => {
    const b = refIndex('b-index', mapping, [{ id: 'z', source: { name: 'alpha' } }]);
    const a = refIndex('a-index', mapping, [{ id: 'y', source: { name: 'alpha' } }]);
    const r = search([b, a], { query: { match: { name: 'alpha' } } });
    expect(r.hits.hits.map((h) => `${h._index}/${h._id}`)).toEqual(['a-index/y', 'b-index/z']);
    expect(r._shards).toEqual({ total: 2, successful: 2, skipped: 0, failed: 0 });
    const boosted = search([b, a], { query: { match: { name: 'alpha' } }, indices_boost: [{ 'b-index': 2 }] });
    expect(boosted.hits.hits[0]?._index).toBe('b-index');
  });

  it('reports a partial failure in _shards and fails when every index fails', () => {
    const other = refIndex('other', { name: { type: 'keyword' } }, [{ id: 'k', source: { name: 'alpha' } }]);
    const r = search([index, other], { query: { match_all: {} }, sort: ['n'] });
    expect(r._shards).toMatchObject({ total: 2, successful: 1, failed: 1 });
    expect(ids(r)).toEqual(['a', 'c', 'b', 'd']);
  });

  it('ignores deleted documents and searches every segment', () => {
    const multi = new ReferenceIndex('multi', mapping, [
      [{ id: '1', source: { name: 'alpha' } }, { id: '2', source: { name: 'alpha beta' }, deleted: true }],
      [{ id: '3', source: { name: 'alpha' } }],
    ]);
    expect(ids(search(multi, { query: { match: { name: 'alpha' } } }))).toEqual(['1', '3']);
  });
});

describe('search_after on scores', () => {
  it('needs a sort besides _score, as ES SearchAfterBuilder', () => {
    const idx = refIndex('scored', { name: { type: 'text' }, n: { type: 'long' } }, [
      { id: '1', source: { name: 'fox', n: 1 } },
      { id: '2', source: { name: 'fox fox fox', n: 2 } },
      { id: '3', source: { name: 'fox and more words here', n: 3 } },
    ]);
    const all = search(idx, { query: { match: { name: 'fox' } } });
    expect(ids(all)).toEqual(['2', '1', '3']);
    const e = errorOf(() => search(idx, { query: { match: { name: 'fox' } }, search_after: [all.hits.hits[0]?._score] }));
    expect(e.body.error.root_cause[0]).toMatchObject({ type: 'illegal_argument_exception', reason: 'Sort must contain at least one field.' });
    const sort = ['_score', { n: 'asc' }];
    const first = search(idx, { query: { match: { name: 'fox' } }, sort, size: 1 });
    // the float score goes through JSON as its shortest decimal and must compare equal again
    const next = search(idx, { query: { match: { name: 'fox' } }, sort, search_after: first.hits.hits[0]?.sort });
    expect(ids(next)).toEqual(['1', '3']);
  });
});

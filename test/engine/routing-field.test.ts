import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from './helpers.js';

/**
 * The `_routing` metadata field kept per document (RoutingFieldMapper): indexed as a keyword, so
 * exists, term, terms and prefix queries find the documents written with a routing; sorting and
 * aggregating on it need `_routing: {doc_values: true}`, as in Elasticsearch.
 */

const t = useTestClient(async (client) => {
  await client.indices.create({ index: 'routed', settings: { number_of_shards: 3 } });
  await client.index({ index: 'routed', id: '1', routing: 'user-a', document: { n: 1 } });
  await client.index({ index: 'routed', id: '2', routing: 'user-b', document: { n: 2 } });
  await client.index({ index: 'routed', id: '3', routing: 'user-a', document: { n: 3 } });
  await client.index({ index: 'routed', id: '4', document: { n: 4 } });
  await client.indices.create({ index: 'routed-dv', mappings: { _routing: { doc_values: true } as never } });
  await client.index({ index: 'routed-dv', id: '1', routing: 'b', document: { n: 1 } });
  await client.index({ index: 'routed-dv', id: '2', routing: 'a', document: { n: 2 } });
  await client.index({ index: 'routed-dv', id: '3', document: { n: 3 } });
  await client.indices.refresh({ index: 'routed,routed-dv' });
});

const ids = (hits: { _id?: string | null }[]): string[] => hits.map((h) => h._id ?? '').sort();

describe('_routing field', () => {
  it('exists finds the documents written with a routing', async () => {
    const r = await t.client.search({ index: 'routed', query: { exists: { field: '_routing' } } });
    expect(ids(r.hits.hits)).toEqual(['1', '2', '3']);
  });

  it('term, terms and prefix queries match the routing value', async () => {
    const term = await t.client.search({ index: 'routed', query: { term: { _routing: 'user-a' } } });
    expect(ids(term.hits.hits)).toEqual(['1', '3']);
    const terms = await t.client.search({ index: 'routed', query: { terms: { _routing: ['user-b', 'nobody'] } } });
    expect(ids(terms.hits.hits)).toEqual(['2']);
    const prefix = await t.client.search({ index: 'routed', query: { bool: { must_not: { prefix: { _routing: 'user-' } } } } });
    expect(ids(prefix.hits.hits)).toEqual(['4']);
  });

  it('returns _routing on each hit that has one', async () => {
    const r = await t.client.search({ index: 'routed', sort: [{ n: 'asc' }] });
    expect(r.hits.hits.map((h) => h._routing ?? null)).toEqual(['user-a', 'user-b', 'user-a', null]);
  });

  it('refuses sorting and aggregating on a stored _routing, as Elasticsearch has no fielddata for it', async () => {
    const sort = await failure(t.client.search({ index: 'routed', sort: [{ _routing: 'asc' }] }));
    expect(JSON.stringify(sort)).toContain('Fielddata is not supported on field [_routing] of type [_routing]');
    const agg = await failure(t.client.search({ index: 'routed', aggs: { r: { terms: { field: '_routing' } } } }));
    expect(JSON.stringify(agg)).toContain('Fielddata is not supported on field [_routing] of type [_routing]');
  });

  it('sorts and aggregates on _routing kept as doc values', async () => {
    const r = await t.client.search({ index: 'routed-dv', sort: [{ _routing: 'asc' }], aggs: { r: { terms: { field: '_routing' } } } });
    expect(r.hits.hits.map((h) => h._id)).toEqual(['2', '1', '3']);
    const buckets = (r.aggregations?.r as { buckets: { key: string; doc_count: number }[] }).buckets;
    expect(buckets.map((b) => [b.key, b.doc_count])).toEqual([['a', 1], ['b', 1]]);
    const exists = await t.client.search({ index: 'routed-dv', query: { exists: { field: '_routing' } } });
    expect(ids(exists.hits.hits)).toEqual(['1', '2']);
  });

  it('a deleted and re-indexed document keeps only its new routing', async () => {
    await t.client.index({ index: 'routed', id: '4', routing: 'user-c', document: { n: 4 }, refresh: true });
    const r = await t.client.search({ index: 'routed', query: { term: { _routing: 'user-c' } } });
    expect(ids(r.hits.hits)).toEqual(['4']);
  });
});

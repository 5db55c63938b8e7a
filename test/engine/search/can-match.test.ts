import { errors } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { useTestClient } from '../helpers.js';

/**
 * The can_match pre-filter phase: with pre_filter_shard_size below the number of shards, shards
 * whose date values cannot match a range query are skipped and counted in _shards.skipped.
 */
const shared = useTestClient(async (client) => {
  for (const [index, day] of [
    ['cm_2016', '2016-06-01'],
    ['cm_2017', '2017-06-01'],
    ['cm_2018', '2018-06-01'],
  ] as const) {
    await client.indices.create({ index, settings: { number_of_shards: 1 }, mappings: { properties: { at: { type: 'date' }, tag: { type: 'keyword' } } } });
    await client.index({ index, id: index, document: { at: day, tag: 'x' }, refresh: true });
  }
});

const range = (gte: string, lt: string) => ({ range: { at: { gte, lt } } });

describe('can_match pre-filter phase', () => {
  it('skips the shards whose dates lie outside the range, and answers as the full search does', async () => {
    const { client } = shared;
    const query = range('2017-01-01', '2019-01-01');
    const filtered = await client.search({ index: 'cm_*', pre_filter_shard_size: 1, query, size: 10 });
    const full = await client.search({ index: 'cm_*', query, size: 10 });
    expect(filtered._shards).toEqual({ total: 3, successful: 3, skipped: 1, failed: 0 });
    expect(full._shards).toEqual({ total: 3, successful: 3, skipped: 0, failed: 0 });
    expect(filtered.hits.hits.map((h) => h._id).sort()).toEqual(['cm_2017', 'cm_2018']);
    expect(filtered.hits.hits.map((h) => h._id).sort()).toEqual(full.hits.hits.map((h) => h._id).sort());
  });

  it('runs one shard when none can match, and skips nothing when an aggregation must see every document', async () => {
    const { client } = shared;
    const none = await client.search({ index: 'cm_*', pre_filter_shard_size: 1, query: range('2020-01-01', '2021-01-01'), size: 0 });
    expect(none._shards).toMatchObject({ total: 3, successful: 3, skipped: 2 });
    expect(none.hits.total).toEqual({ value: 0, relation: 'eq' });
    const global = await client.search({ index: 'cm_*', pre_filter_shard_size: 1, query: range('2017-01-01', '2019-01-01'), size: 0, aggs: { all: { global: {} } } });
    expect(global._shards.skipped).toBe(0);
    expect((global.aggregations!.all as { doc_count: number }).doc_count).toBe(3);
    // a bool whose filter cannot match on a shard is match_none there too
    const bool = await client.search({ index: 'cm_*', pre_filter_shard_size: 1, query: { bool: { must: [{ term: { tag: 'x' } }], filter: [range('2018-01-01', '2019-01-01')] } } });
    expect(bool._shards.skipped).toBe(2);
    expect(bool.hits.hits.map((h) => h._id)).toEqual(['cm_2018']);
  });

  it('refuses a query whose shard-level rewrite it cannot judge, rather than report no skipped shard', async () => {
    const { client } = shared;
    const err = await client.search({ index: 'cm_*', pre_filter_shard_size: 1, query: { term: { unmapped_field: 'x' } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.ResponseError);
    expect((err as errors.ResponseError).statusCode).toBe(400);
    expect(String((err as errors.ResponseError).message)).toContain('can_match');
  });

  it('never refuses a sorted search over several shards for a query it cannot judge: the shard runs', async () => {
    const { client } = shared;
    // a sort on a field starts the phase on its own (threshold 1); an application's search must still be answered
    const sorted = await client.search({ index: 'cm_*', sort: [{ at: 'asc' }], query: { bool: { should: [{ term: { unmapped_field: 'x' } }, { term: { tag: 'x' } }] } } });
    const plain = await client.search({ index: 'cm_*', query: { bool: { should: [{ term: { unmapped_field: 'x' } }, { term: { tag: 'x' } }] } } });
    expect(sorted.hits.hits.map((h) => h._id).sort()).toEqual(plain.hits.hits.map((h) => h._id).sort());
    expect(sorted._shards.failed).toBe(0);
  });
});

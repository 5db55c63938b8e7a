import { describe, expect, it } from 'vitest';
import type { Client } from '@elastic/elasticsearch';
import { useTestClient } from '../helpers.js';

/** The shard request cache and the `_stats` metrics request_cache, fielddata and get, through the real client. */
const shared = useTestClient();

async function cacheStats(client: Client, index: string): Promise<{ hit_count: number; miss_count: number; memory_size_in_bytes: number; evictions: number }> {
  const s = await client.indices.stats({ index, metric: 'request_cache' });
  return s.indices![index]!.total!.request_cache as never;
}

async function fill(client: Client, index: string, settings: Record<string, unknown>, docs: Array<Record<string, unknown>>): Promise<void> {
  await client.indices.create({ index, settings, mappings: { properties: { tag: { type: 'keyword' }, at: { type: 'date' } } } });
  await client.bulk({ refresh: true, operations: docs.flatMap((d, i) => [{ index: { _index: index, _id: String(i + 1) } }, d]) });
}

const aggs = { tags: { terms: { field: 'tag' } } };

describe('shard request cache', () => {
  it('counts a miss, then a hit per shard, and answers the same', async () => {
    const { client } = shared;
    await fill(client, 'rc_hits', { number_of_shards: 3 }, [{ tag: 'a' }, { tag: 'b' }, { tag: 'a' }, { tag: 'c' }, { tag: 'a' }]);
    const first = await client.search({ index: 'rc_hits', size: 0, aggs });
    expect(await cacheStats(client, 'rc_hits')).toMatchObject({ hit_count: 0, miss_count: 3 });
    const second = await client.search({ index: 'rc_hits', size: 0, aggs });
    const stats = await cacheStats(client, 'rc_hits');
    expect(stats).toMatchObject({ hit_count: 3, miss_count: 3, evictions: 0 });
    expect(stats.memory_size_in_bytes).toBeGreaterThan(0);
    expect({ ...second, took: 0 }).toEqual({ ...first, took: 0 });
  });

  it('misses after a refresh that changed the shard, and answers with the new documents', async () => {
    const { client } = shared;
    await fill(client, 'rc_refresh', { number_of_shards: 1 }, [{ tag: 'a' }, { tag: 'b' }]);
    const before = await client.search({ index: 'rc_refresh', size: 0, aggs });
    await client.search({ index: 'rc_refresh', size: 0, aggs });
    expect(await cacheStats(client, 'rc_refresh')).toMatchObject({ hit_count: 1, miss_count: 1 });
    // a refresh that changes nothing keeps the reader, and the entry
    await client.indices.refresh({ index: 'rc_refresh' });
    await client.search({ index: 'rc_refresh', size: 0, aggs });
    expect(await cacheStats(client, 'rc_refresh')).toMatchObject({ hit_count: 2, miss_count: 1 });
    await client.index({ index: 'rc_refresh', id: 'new', document: { tag: 'a' }, refresh: true });
    const after = await client.search({ index: 'rc_refresh', size: 0, aggs });
    expect(await cacheStats(client, 'rc_refresh')).toMatchObject({ hit_count: 2, miss_count: 2 });
    expect(before.hits.total).toEqual({ value: 2, relation: 'eq' });
    expect(after.hits.total).toEqual({ value: 3, relation: 'eq' });
    expect((after.aggregations!.tags as { buckets: unknown[] }).buckets).toEqual([
      { key: 'a', doc_count: 2 },
      { key: 'b', doc_count: 1 },
    ]);
  });

  it('does not cache what reads the clock, what asks for hits, or what request_cache=false or the index setting exclude', async () => {
    const { client } = shared;
    await fill(client, 'rc_rules', { number_of_shards: 1 }, [{ tag: 'a', at: '2020-01-01' }]);
    // `now` makes the request uncacheable: neither a hit nor a miss
    await client.search({ index: 'rc_rules', size: 0, query: { range: { at: { lte: 'now' } } } });
    await client.search({ index: 'rc_rules', size: 0, query: { range: { at: { lte: 'now' } } } });
    // hits (size > 0) are not cached unless request_cache=true
    await client.search({ index: 'rc_rules', query: { term: { tag: 'a' } } });
    await client.search({ index: 'rc_rules', size: 0, request_cache: false });
    expect(await cacheStats(client, 'rc_rules')).toMatchObject({ hit_count: 0, miss_count: 0 });
    await client.search({ index: 'rc_rules', size: 1, request_cache: true });
    expect(await cacheStats(client, 'rc_rules')).toMatchObject({ hit_count: 0, miss_count: 1 });
    await client.indices.putSettings({ index: 'rc_rules', settings: { 'index.requests.cache.enable': false } });
    await client.search({ index: 'rc_rules', size: 0, aggs });
    expect(await cacheStats(client, 'rc_rules')).toMatchObject({ hit_count: 0, miss_count: 1 });
    // an explicit request_cache=true overrides the index setting
    await client.search({ index: 'rc_rules', size: 0, aggs, request_cache: true });
    expect(await cacheStats(client, 'rc_rules')).toMatchObject({ hit_count: 0, miss_count: 2 });
  });

  it('is emptied by _cache/clear?request=true, keeping its counters', async () => {
    const { client } = shared;
    await fill(client, 'rc_clear', { number_of_shards: 1 }, [{ tag: 'a' }]);
    await client.search({ index: 'rc_clear', size: 0, aggs });
    expect((await cacheStats(client, 'rc_clear')).memory_size_in_bytes).toBeGreaterThan(0);
    await client.indices.clearCache({ index: 'rc_clear', request: true });
    expect(await cacheStats(client, 'rc_clear')).toMatchObject({ memory_size_in_bytes: 0, miss_count: 1 });
    await client.search({ index: 'rc_clear', size: 0, aggs });
    expect(await cacheStats(client, 'rc_clear')).toMatchObject({ hit_count: 0, miss_count: 2 });
  });
});

describe('shard request cache and settings', () => {
  it('never answers from the cache a request the new index settings refuse', async () => {
    const { client } = shared;
    await fill(client, 'rc_settings', { number_of_shards: 1 }, [{ tag: 'a' }, { tag: 'b' }, { tag: 'c' }]);
    const query = { terms: { tag: ['a', 'b', 'c'] } };
    await client.search({ index: 'rc_settings', size: 0, query });
    const again = await client.search({ index: 'rc_settings', size: 0, query });
    expect(again.hits.total).toEqual({ value: 3, relation: 'eq' });
    expect(await cacheStats(client, 'rc_settings')).toMatchObject({ hit_count: 1, miss_count: 1 });
    await client.indices.putSettings({ index: 'rc_settings', settings: { 'index.max_terms_count': 2 } });
    const refused = await client.search({ index: 'rc_settings', size: 0, query }).catch((e: { statusCode?: number }) => e);
    expect((refused as { statusCode?: number }).statusCode).toBe(400);
  });
});

describe('_stats fielddata and get', () => {
  it('reports global ordinals built by a terms aggregation over several segments, not with the map hint', async () => {
    const { client } = shared;
    await client.indices.create({ index: 'fd', settings: { number_of_shards: 1 }, mappings: { properties: { tag: { type: 'keyword' } } } });
    for (const [id, tag] of [['1', 'x'], ['2', 'y'], ['3', 'x']]) await client.index({ index: 'fd', id, document: { tag }, refresh: true });
    const fielddata = async (): Promise<Record<string, any>> => (await client.indices.stats({ index: 'fd', metric: 'fielddata', fielddata_fields: 'tag' })).indices!.fd!.total!.fielddata as never; // eslint-disable-line @typescript-eslint/no-explicit-any
    await client.search({ index: 'fd', size: 0, aggs: { t: { terms: { field: 'tag', execution_hint: 'map' } } } });
    expect((await fielddata()).memory_size_in_bytes).toBe(0);
    await client.search({ index: 'fd', size: 0, aggs: { t: { terms: { field: 'tag' } } } });
    const loaded = await fielddata();
    expect(loaded.memory_size_in_bytes).toBeGreaterThan(0);
    expect(loaded.fields.tag.memory_size_in_bytes).toBe(loaded.memory_size_in_bytes);
    expect(loaded.global_ordinals.fields.tag.shard_max_value_count).toBe(2);
    await client.indices.clearCache({ index: 'fd', fielddata: true });
    expect((await fielddata()).memory_size_in_bytes).toBe(0);
  });

  it('counts gets by id: document gets, a terms lookup fetched once, an update', async () => {
    const { client } = shared;
    await client.indices.create({ index: 'lookup', mappings: { properties: { ids: { type: 'keyword' } } } });
    await client.index({ index: 'lookup', id: '1', document: { ids: ['a', 'b'] }, refresh: true });
    await client.indices.create({ index: 'target', settings: { number_of_shards: 3 }, mappings: { properties: { k: { type: 'keyword' } } } });
    await client.bulk({ refresh: true, operations: ['a', 'b', 'c'].flatMap((k) => [{ index: { _index: 'target' } }, { k }]) });
    const r = await client.search({ index: 'target', size: 0, query: { terms: { k: { index: 'lookup', id: '1', path: 'ids' } } } });
    expect(r.hits.total).toEqual({ value: 2, relation: 'eq' });
    const get = async (): Promise<Record<string, number>> => (await client.indices.stats({ index: 'lookup', metric: 'get' })).indices!.lookup!.total!.get as never;
    expect(await get()).toMatchObject({ total: 1, exists_total: 1, missing_total: 0, current: 0 });
    await client.get({ index: 'lookup', id: 'nope' }).catch(() => undefined);
    await client.update({ index: 'lookup', id: '1', doc: { ids: ['a'] } });
    expect(await get()).toMatchObject({ total: 3, exists_total: 2, missing_total: 1 });
  });
});

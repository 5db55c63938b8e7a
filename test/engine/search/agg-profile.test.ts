import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from '../helpers.js';

/**
 * `profile: true` with aggregations, through the real @elastic/elasticsearch client: one node per
 * aggregator named as Elasticsearch's class for the request, its breakdown of real times, and debug
 * counters that follow the shard's data (segments, distinct values, buckets).
 */

const t = useTestClient(async (client) => {
  await client.indices.create({ index: 'animals', settings: { number_of_shards: 1 }, mappings: { properties: { str: { type: 'keyword' }, n: { type: 'long' }, flag: { type: 'boolean' } } } });
  await client.indices.create({ index: 'sharded', settings: { number_of_shards: 2 }, mappings: { properties: { kw: { type: 'keyword' } } } });
});

type AggNode = { type: string; description: string; time_in_nanos: number; breakdown: Record<string, number>; debug?: Record<string, unknown>; children?: AggNode[] };
type Shard = { aggregations: AggNode[]; dfs?: { statistics: { type: string; description: string; time_in_nanos: number; breakdown: Record<string, number> } } };

async function add(docs: Array<Record<string, unknown>>): Promise<void> {
  for (const doc of docs) await t.client.index({ index: 'animals', document: doc });
  // one refresh per batch: one more segment
  await t.client.indices.refresh({ index: 'animals' });
}

async function profile(body: Record<string, unknown>, index = 'animals'): Promise<{ shards: Shard[]; aggregations: unknown }> {
  const r = await t.client.search({ index, profile: true, size: 0, ...body });
  return { shards: (r.profile as unknown as { shards: Shard[] }).shards, aggregations: r.aggregations };
}

/** A terms aggregation under a terms on `flag`: out of filter-by-filter mode, as 20_terms.yml forces it. */
const nested = { bool: { terms: { field: 'flag' }, aggs: { str_terms: { terms: { field: 'str', collect_mode: 'breadth_first', execution_hint: 'global_ordinals' }, aggs: { max_n: { max: { field: 'n' } } } } } } };

describe('aggregation profile', () => {
  it('names the filter-by-filter terms implementation and times every phase', async () => {
    await add([
      { str: 'sheep', n: 1, flag: true },
      { str: 'sheep', n: 3, flag: true },
      { str: 'cow', n: 1, flag: true },
      { str: 'pig', n: 1, flag: true },
    ]);
    const { shards, aggregations } = await profile({ aggs: { str_terms: { terms: { field: 'str' }, aggs: { max_n: { max: { field: 'n' } } } } } });
    const plain = await t.client.search({ index: 'animals', size: 0, aggs: { str_terms: { terms: { field: 'str' }, aggs: { max_n: { max: { field: 'n' } } } } } });
    expect(aggregations).toEqual(plain.aggregations);
    const node = shards[0]!.aggregations[0]!;
    expect(node).toMatchObject({ type: 'StringTermsAggregatorFromFilters', description: 'str_terms' });
    expect(node.breakdown.collect_count).toBe(0);
    expect(node.debug).toMatchObject({ delegate: 'FilterByFilterAggregator', delegate_debug: { segments_collected: 1, segments_counted: 0 } });
    const filters = (node.debug!.delegate_debug as { filters: Array<{ query: string }> }).filters;
    expect(filters.map((f) => f.query)).toEqual(['str:cow', 'str:pig', 'str:sheep']);
    const max = node.children![0]!;
    expect(max).toMatchObject({ type: 'MaxAggregator', description: 'max_n' });
    expect(max.breakdown.collect_count).toBe(4);
    // a parent's collection includes its sub-aggregations' (its collectors wrap theirs)
    expect(node.breakdown.collect).toBeGreaterThanOrEqual(max.time_in_nanos);
    for (const n of [node, max]) {
      for (const phase of ['initialize', 'collect', 'build_aggregation']) expect(n.breakdown[phase]).toBeGreaterThan(0);
      const sum = Object.entries(n.breakdown).filter(([k]) => !k.endsWith('_count')).reduce((a, [, v]) => a + v, 0);
      expect(n.time_in_nanos).toBe(sum);
      expect(n.breakdown.reduce).toBe(0);
    }
    // a query other than match_all cannot be merged with the filters: global ordinals (sheep, cow, pig, goat, yak)
    const queried = await profile({ query: { term: { str: 'sheep' } }, aggs: { str_terms: { terms: { field: 'str' } } } });
    expect(queried.shards[0]!.aggregations[0]!.type).toMatch(/^GlobalOrdinalsStringTermsAggregator/);
  });

  it('counts the segments of the shard by their doc values shape', async () => {
    const before = (await profile({ aggs: nested })).shards[0]!.aggregations[0]!.children![0]!;
    expect(before).toMatchObject({ type: 'GlobalOrdinalsStringTermsAggregator', description: 'str_terms' });
    expect(before.debug).toMatchObject({ deferred_aggregators: ['max_n'], collection_strategy: 'remap using many bucket ords', result_strategy: 'terms', segments_with_multi_valued_ords: 0, has_filter: false });
    const single = before.debug!.segments_with_single_valued_ords as number;
    expect(single).toBeGreaterThan(0);
    expect(before.breakdown.build_leaf_collector_count).toBe(single);
    // a new segment whose doc has one value, then one whose doc has two
    await add([{ str: 'goat', n: 7, flag: true }]);
    const more = (await profile({ aggs: nested })).shards[0]!.aggregations[0]!.children![0]!;
    expect(more.debug!.segments_with_single_valued_ords).toBe(single + 1);
    expect(more.breakdown.collect_count).toBe(before.breakdown.collect_count! + 1);
    await add([{ str: ['cow', 'yak'], n: 2, flag: true }]);
    const multi = (await profile({ aggs: nested })).shards[0]!.aggregations[0]!.children![0]!;
    expect(multi.debug).toMatchObject({ segments_with_single_valued_ords: single + 1, segments_with_multi_valued_ords: 1 });
  });

  it('reports the buckets numeric terms and histograms collected, and cardinality collectors per segment', async () => {
    const { shards } = await profile({ aggs: { n_terms: { terms: { field: 'n' } }, histo: { histogram: { field: 'n', interval: 5 } }, distinct: { cardinality: { field: 'n' } } } });
    const [terms, histo, distinct] = shards[0]!.aggregations;
    // n is 1, 3, 1, 1, 7, 2: four distinct values, buckets 0 and 5 of the histogram
    expect(terms).toMatchObject({ type: 'NumericTermsAggregator', debug: { result_strategy: 'long_terms', total_buckets: 4 } });
    expect(terms!.breakdown.collect_count).toBe(6);
    expect(histo).toMatchObject({ type: 'NumericHistogramAggregator', debug: { total_buckets: 2 } });
    expect(distinct!.type).toBe('CardinalityAggregator');
    expect(distinct!.debug).toMatchObject({ numeric_collectors_used: distinct!.breakdown.build_leaf_collector_count, empty_collectors_used: 0, ordinals_collectors_used: 0 });
    // one leaf collector per segment of the shard, for every aggregator
    expect(distinct!.breakdown.build_leaf_collector_count).toBeGreaterThan(1);
    expect(terms!.breakdown.build_leaf_collector_count).toBe(distinct!.breakdown.build_leaf_collector_count);
    expect(histo!.breakdown.build_leaf_collector_count).toBe(distinct!.breakdown.build_leaf_collector_count);
    await add([{ n: 40 }]);
    const after = (await profile({ aggs: { n_terms: { terms: { field: 'n' } }, histo: { histogram: { field: 'n', interval: 5 } } } })).shards[0]!.aggregations;
    expect(after[0]!.debug!.total_buckets).toBe(5);
    expect(after[1]!.debug!.total_buckets).toBe(3);
  });

  it('names the aggregator the execution hint and the settings select', async () => {
    const map = await profile({ aggs: { s: { terms: { field: 'str', execution_hint: 'map' } } } });
    expect(map.shards[0]!.aggregations[0]).toMatchObject({ type: 'MapStringTermsAggregator', debug: { result_strategy: 'terms', total_buckets: 5 } });
    await t.client.cluster.putSettings({ persistent: { 'search.aggs.rewrite_to_filter_by_filter': false } });
    try {
      const off = await profile({ aggs: { s: { terms: { field: 'str' } } } });
      expect(off.shards[0]!.aggregations[0]!.type).toMatch(/^GlobalOrdinalsStringTermsAggregator/);
    } finally {
      await t.client.cluster.putSettings({ persistent: { 'search.aggs.rewrite_to_filter_by_filter': null } });
    }
    const global = await profile({ query: { term: { str: 'pig' } }, aggs: { g: { global: {}, aggs: { s: { terms: { field: 'str' } } } } } });
    const g = global.shards[0]!.aggregations[0]!;
    expect(g).toMatchObject({ type: 'GlobalAggregator', description: 'g' });
    // global collects every document of the shard (7 indexed so far), whatever the query
    expect(g.breakdown.collect_count).toBe(7);
  });

  it('names the metric and single-bucket aggregators', async () => {
    const { shards } = await profile({
      aggs: {
        p: { percentiles: { field: 'n' } },
        h: { percentiles: { field: 'n', hdr: {} } },
        m: { missing: { field: 'str' }, aggs: { top: { top_hits: { size: 1 } } } },
      },
    });
    expect(shards[0]!.aggregations.map((a) => [a.type, a.description])).toEqual([
      ['TDigestPercentilesAggregator', 'p'],
      ['HDRPercentilesAggregator', 'h'],
      ['MissingAggregator', 'm'],
    ]);
    const top = shards[0]!.aggregations[2]!.children![0]!;
    expect(top).toMatchObject({ type: 'TopHitsAggregator', description: 'top' });
    // the one doc without `str` ({ n: 40 }) is the missing bucket's
    expect(top.breakdown.collect_count).toBe(1);
  });

  it('refuses aggregations whose profile is not built', async () => {
    const r = await failure(t.client.search({ index: 'animals', profile: true, aggs: { r: { range: { field: 'n', ranges: [{ to: 2 }] } } } }));
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.error)).toContain('profile of [range] aggregations');
  });

  it('profiles the dfs phase of a search over several shards', async () => {
    for (const [i, kw] of ['a', 'b', 'a'].entries()) await t.client.index({ index: 'sharded', id: String(i), document: { kw } });
    await t.client.indices.refresh({ index: 'sharded' });
    const r = await t.client.search({ index: 'sharded', search_type: 'dfs_query_then_fetch', profile: true, query: { term: { kw: 'a' } } });
    const shards = (r.profile as unknown as { shards: Shard[] }).shards;
    expect(shards).toHaveLength(2);
    for (const s of shards) {
      expect(s.dfs!.statistics).toMatchObject({ type: 'statistics', description: 'collect term statistics' });
      expect(s.dfs!.statistics.breakdown.term_statistics_count).toBeGreaterThan(0);
      expect(s.dfs!.statistics.time_in_nanos).toBe(s.dfs!.statistics.breakdown.term_statistics! + s.dfs!.statistics.breakdown.collection_statistics!);
    }
    const plain = await t.client.search({ index: 'sharded', profile: true, query: { term: { kw: 'a' } } });
    expect((plain.profile as unknown as { shards: Shard[] }).shards.every((s) => s.dfs === undefined)).toBe(true);
  });
});

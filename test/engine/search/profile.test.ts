import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from '../helpers.js';

/**
 * `profile: true` (SearchProfileResults): shards by `[node][index][shard]`, the query tree named as
 * Lucene's query classes with their toString, breakdowns of real times, rewrite time, collectors and
 * the fetch profile. The fetch expectations follow Elasticsearch's search/370_profile.yml.
 */

const t = useTestClient(async (client) => {
  await client.indices.create({ index: 'docs', settings: { number_of_shards: 2 }, mappings: { properties: { title: { type: 'text' }, tag: { type: 'keyword' } } } });
  const docs = ['quick brown fox', 'lazy dog', 'quick dog', 'brown cow'];
  for (const [i, title] of docs.entries()) await client.index({ index: 'docs', id: String(i + 1), document: { title, tag: i % 2 === 0 ? 'even' : 'odd' } });
  await client.indices.refresh({ index: 'docs' });
});

type Node = { type: string; description: string; time_in_nanos: number; breakdown: Record<string, number>; children?: Node[] };
type Shard = { id: string; node_id: string; shard_id: number; index: string; cluster: string; searches: Array<{ query: Node[]; rewrite_time: number; collector: Array<Record<string, unknown>> }>; aggregations: unknown[]; fetch?: Record<string, unknown> };

async function profiled(body: Record<string, unknown>): Promise<{ shards: Shard[]; hits: number }> {
  const r = await t.client.search({ index: 'docs', profile: true, ...body });
  return { shards: (r.profile as unknown as { shards: Shard[] }).shards, hits: r.hits.hits.length };
}

describe('search profile', () => {
  it('gives one entry per shard, sorted by id, with the query tree as Lucene names and prints it', async () => {
    const { shards } = await profiled({ query: { bool: { must: [{ match: { title: 'quick fox' } }], filter: [{ term: { tag: 'even' } }] } } });
    expect(shards.map((s) => [s.index, s.shard_id, s.cluster])).toEqual([['docs', 0, '(local)'], ['docs', 1, '(local)']]);
    for (const shard of shards) {
      expect(shard.id).toBe(`[${shard.node_id}][docs][${shard.shard_id}]`);
      const root = shard.searches[0]!.query[0]!;
      expect(root.type).toBe('BooleanQuery');
      expect(root.description).toBe('+(title:quick title:fox) #tag:even');
      expect(root.children!.map((c) => c.type)).toEqual(['BooleanQuery', 'TermQuery']);
      expect(root.children![0]!.children!.map((c) => c.description)).toEqual(['title:quick', 'title:fox']);
      expect(root.breakdown.create_weight_count).toBe(1);
      expect(root.breakdown.create_weight).toBeGreaterThan(0);
      // the node's time is the sum of its timings
      const sum = Object.entries(root.breakdown).filter(([k]) => !k.endsWith('_count')).reduce((a, [, v]) => a + v, 0);
      expect(root.time_in_nanos).toBe(sum);
      expect(shard.aggregations).toEqual([]);
      expect(shard.searches[0]!.collector[0]).toMatchObject({ name: 'QueryPhaseCollector', reason: 'search_query_phase', children: [{ name: 'SimpleTopScoreDocCollector', reason: 'search_top_hits' }] });
    }
    // the collector drives the root scorer: at least one next_doc per hit (docs 1 and 3), and one more at each end
    const visited = shards.map((s) => s.searches[0]!.query[0]!.breakdown.next_doc_count);
    expect(visited.reduce((a: number, b) => a + (b ?? 0), 0)).toBeGreaterThanOrEqual(2);
  });

  it('profiles the fetch phase as 370_profile.yml expects', async () => {
    const { shards } = await profiled({ query: { term: { tag: 'odd' } } });
    const fetched = shards.filter((s) => s.fetch);
    expect(fetched.length).toBeGreaterThan(0);
    for (const s of fetched) {
      const fetch = s.fetch as { time_in_nanos: number; breakdown: Record<string, number>; debug: { stored_fields: string[] }; children: Array<{ type: string; breakdown: Record<string, number>; debug?: Record<string, number> }> };
      expect(fetch.time_in_nanos).toBeGreaterThan(0);
      expect(fetch.breakdown.next_reader_count).toBeGreaterThan(0);
      expect(fetch.breakdown.load_stored_fields_count).toBeGreaterThan(0);
      expect(fetch.debug.stored_fields).toEqual(['_id', '_routing', '_source']);
      expect(fetch.children.map((c) => c.type)).toEqual(['FetchSourcePhase', 'StoredFieldsPhase']);
      expect(fetch.children[0]!.debug).toEqual({ fast_path: fetch.breakdown.load_stored_fields_count });
    }
    const none = await profiled({ stored_fields: '_none_', query: { term: { tag: 'odd' } } });
    for (const s of none.shards.filter((x) => x.fetch)) expect(s.fetch).toMatchObject({ debug: { stored_fields: [] } });
    for (const s of none.shards) expect((s.fetch as { children?: unknown } | undefined)?.children).toBeUndefined();
  });

  it('counts only the total for size 0, and refuses what it does not profile', async () => {
    const { shards, hits } = await profiled({ size: 0, query: { match_all: {} } });
    expect(hits).toBe(0);
    expect(shards[0]!.searches[0]!.query[0]).toMatchObject({ type: 'MatchAllDocsQuery', description: '*:*' });
    expect(shards[0]!.searches[0]!.collector[0]).toMatchObject({ children: [{ name: 'TotalHitCountCollector', reason: 'search_count' }] });
    expect(shards.every((s) => s.fetch === undefined)).toBe(true);
    const aggs = await failure(t.client.search({ index: 'docs', profile: true, aggs: { r: { range: { field: 'n', ranges: [{ to: 1 }] } } } }));
    expect(aggs).toMatchObject({ status: 400 });
    expect(String(aggs.error.reason)).toContain('profile of [range] aggregations');
    const boosted = await failure(t.client.search({ index: 'docs', profile: true, query: { term: { tag: { value: 'odd', boost: 2 } } } }));
    expect(boosted.status).toBe(400);
    expect(JSON.stringify(boosted.error)).toContain('profile of boosted queries');
  });

  it('answers the same hits and scores with and without profile', async () => {
    const query = { bool: { should: [{ match: { title: 'quick brown' } }, { match_phrase: { title: 'lazy dog' } }], must_not: [{ term: { tag: 'none' } }] } };
    const plain = await t.client.search({ index: 'docs', query });
    const withProfile = await t.client.search({ index: 'docs', query, profile: true });
    expect(plain.profile).toBeUndefined();
    expect(withProfile.hits.hits.map((h) => [h._id, h._score])).toEqual(plain.hits.hits.map((h) => [h._id, h._score]));
    expect(plain.hits.hits.length).toBe(4);
  });
});

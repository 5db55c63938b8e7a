import { describe, expect, it } from 'vitest';
import { useTestClient } from '../helpers.js';
import { CHILDREN, INDEX, PARENTS, setup } from './fixture.js';

/**
 * has_child / has_parent inner_hits and the children / parent aggregations on the 3-shard fixture.
 * A parent's inner hits are its children matching the inner query, scored on the parent's shard:
 * the same as a search routed to that shard for them (routing picks the shard, so its statistics).
 */

const t = useTestClient(setup);

type Hit = { _id?: string | null; _score?: number | null; _routing?: string; _source?: unknown; highlight?: unknown; inner_hits?: Record<string, { hits: { total?: unknown; hits: Hit[] } }> };

const childQuery = { match: { text: 'apple' } };

describe('parent-join inner_hits', () => {
  it('has_child inner hits are the parent shard search of its matching children', async () => {
    const res = await t.client.search({ index: INDEX, query: { has_child: { type: 'child', query: childQuery, inner_hits: { size: 5 } } } });
    const hits = res.hits.hits as Hit[];
    expect(hits.map((h) => h._id).sort()).toEqual(['p1', 'p2', 'p3']);
    for (const hit of hits) {
      const parent = String(hit._id);
      const own = await t.client.search({ index: INDEX, routing: parent, query: { bool: { must: [childQuery], filter: [{ parent_id: { type: 'child', id: parent } }] } } });
      const inner = hit.inner_hits?.child?.hits;
      expect(inner?.total).toEqual({ value: own.hits.total && typeof own.hits.total === 'object' ? own.hits.total.value : -1, relation: 'eq' });
      expect(inner?.hits.map((h) => [h._id, h._score, h._routing])).toEqual(own.hits.hits.map((h) => [h._id, h._score, parent]));
    }
  });

  it('has_child inner hits take from, size, sort, _source and a name', async () => {
    const res = await t.client.search({
      index: INDEX,
      query: { has_child: { type: 'child', query: { match_all: {} }, inner_hits: { name: 'kids', from: 1, size: 1, sort: [{ n: 'desc' }], _source: false } } },
      sort: ['n'],
    });
    const byParent = Object.fromEntries((res.hits.hits as Hit[]).map((h) => [String(h._id), h.inner_hits?.kids?.hits]));
    const expected = (parent: string): string[] => CHILDREN.filter((c) => c[1] === parent).map((c) => c[0]).sort().reverse().slice(1, 2);
    for (const parent of ['p1', 'p2', 'p3', 'p5']) {
      expect(byParent[parent]?.hits.map((h) => h._id), parent).toEqual(expected(parent));
      expect(byParent[parent]?.total).toEqual({ value: CHILDREN.filter((c) => c[1] === parent).length, relation: 'eq' });
      for (const h of byParent[parent]?.hits ?? []) {
        expect(h._source).toBeUndefined();
        expect(h._score).toBeNull();
      }
    }
  });

  it('inner hits highlight what the inner query matches, not the filter on the hit', async () => {
    const res = await t.client.search({
      index: INDEX,
      query: { bool: { filter: [{ ids: { values: ['p2'] } }], must: [{ has_child: { type: 'child', query: { match: { text: 'apple' } }, inner_hits: { highlight: { fields: { '*': {} } } } } }] } },
    });
    const inner = (res.hits.hits[0] as Hit).inner_hits?.child?.hits.hits;
    expect(inner?.map((h) => h.highlight)).toEqual([{ text: ['<em>apple</em>'] }]);
  });

  it('has_parent inner hits hold the parent; a hit of another relation has none', async () => {
    const res = await t.client.search({
      index: INDEX,
      size: 20,
      query: { bool: { should: [{ term: { n: 'p4' } }, { has_parent: { parent_type: 'parent', query: { match: { text: 'red' } }, inner_hits: {} } }] } },
    });
    const hits = res.hits.hits as Hit[];
    const byId = Object.fromEntries(hits.map((h) => [String(h._id), h.inner_hits?.parent?.hits]));
    expect(Object.keys(byId).sort()).toEqual(['c1', 'c2', 'c3', 'p4']);
    for (const child of ['c1', 'c2', 'c3']) expect(byId[child]?.hits.map((h) => h._id)).toEqual(['p1']);
    // p4 is a parent: it has no `rel#parent` link of a child, so an empty inner hit
    expect(byId.p4).toEqual({ total: { value: 0, relation: 'eq' }, max_score: null, hits: [] });
  });

  it('under dfs_query_then_fetch the join scores with the shard statistics and the inner hits with the global ones', async () => {
    const local = await t.client.search({ index: INDEX, query: { has_child: { type: 'child', query: childQuery, score_mode: 'max' } } });
    const dfs = await t.client.search({ index: INDEX, search_type: 'dfs_query_then_fetch', query: { has_child: { type: 'child', query: childQuery, score_mode: 'max', inner_hits: {} } } });
    const scores = (hits: Hit[]): Record<string, unknown> => Object.fromEntries(hits.map((h) => [String(h._id), h._score]));
    expect(scores(dfs.hits.hits as Hit[])).toEqual(scores(local.hits.hits as Hit[]));
    const children = await t.client.search({ index: INDEX, size: 20, search_type: 'dfs_query_then_fetch', query: { bool: { must: [childQuery], filter: [{ term: { rel: 'child' } }] } } });
    const global = scores(children.hits.hits as Hit[]);
    // the two kinds of statistics do differ on this index (else this test would prove nothing)
    const perShard = await t.client.search({ index: INDEX, size: 20, query: { bool: { must: [childQuery], filter: [{ term: { rel: 'child' } }] } } });
    expect(scores(perShard.hits.hits as Hit[])).not.toEqual(global);
    for (const hit of dfs.hits.hits as Hit[]) {
      for (const inner of hit.inner_hits?.child?.hits.hits ?? []) expect(inner._score).toBe(global[String(inner._id)]);
    }
  });
});

describe('children and parent aggregations', () => {
  it('children: the children of the parents in the bucket, whatever the query', async () => {
    const res = await t.client.search({
      index: INDEX,
      size: 0,
      query: { terms: { n: ['p1', 'p3', 'p4'] } },
      aggs: { kids: { children: { type: 'child' }, aggs: { names: { terms: { field: 'n', size: 20 } } } } },
    });
    const kids = res.aggregations?.kids as { doc_count: number; names: { buckets: Array<{ key: string }> } };
    const expected = CHILDREN.filter((c) => ['p1', 'p3', 'p4'].includes(c[1])).map((c) => c[0]).sort();
    expect(kids.doc_count).toBe(expected.length);
    expect(kids.names.buckets.map((b) => b.key)).toEqual(expected);
  });

  it('parent: the parents of the children in the bucket, each once', async () => {
    const res = await t.client.search({
      index: INDEX,
      size: 0,
      query: { match: { text: 'apple' } },
      aggs: { by_rel: { terms: { field: 'rel' }, aggs: { up: { parent: { type: 'child' }, aggs: { names: { terms: { field: 'n' } } } } } } },
    });
    const buckets = (res.aggregations?.by_rel as { buckets: Array<{ key: string; up: { doc_count: number; names: { buckets: Array<{ key: string }> } } }> }).buckets;
    const child = buckets.find((b) => b.key === 'child');
    const parentsOfAppleChildren = [...new Set(CHILDREN.filter((c) => c[2].includes('apple')).map((c) => c[1]))].sort();
    expect(child?.up.doc_count).toBe(parentsOfAppleChildren.length);
    expect(child?.up.names.buckets.map((b) => b.key)).toEqual(parentsOfAppleChildren);
    // the parents' own bucket holds no child of the relation: nothing to join
    expect(buckets.find((b) => b.key === 'parent')?.up.doc_count).toBe(0);
    expect(PARENTS.length).toBe(5);
  });

  it('a relation the index does not have gives an empty bucket; a bad body the parser error', async () => {
    const res = await t.client.search({ index: INDEX, size: 0, aggs: { none: { children: { type: 'nope' } } } });
    expect(res.aggregations?.none).toEqual({ doc_count: 0 });
    await expect(t.client.search({ index: INDEX, size: 0, aggs: { none: { children: {} } } })).rejects.toThrow('Missing [child_type] field for children aggregation [none]');
  });
});

import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from '../helpers.js';

/**
 * The query profile of a nested query (ESToParentBlockJoinQuery over the block join's child query,
 * whose `_nested_path` TermQuery is a node of its own), of a term on a doc-values-only date field
 * (SortedNumericDocValuesRangeQuery), and of a match on an unmapped field (MatchNoDocsQuery):
 * the node types and descriptions Lucene prints, with times and counts measured on the scorers.
 */

const t = useTestClient(async (client) => {
  await client.indices.create({
    index: 'n',
    settings: { number_of_shards: 1 },
    mappings: { properties: { keyword: { type: 'keyword' }, nested: { type: 'nested', properties: { text: { type: 'text' } } }, day: { type: 'date' }, day_dv: { type: 'date', index: false } } },
  });
  await client.index({ index: 'n', id: '1', document: { keyword: 'a', day: '2021-04-01', day_dv: ['2021-04-01', '2021-05-01'], nested: [{ text: 'the quick brown fox' }, { text: 'jumped over the' }, { text: 'lazy dog' }] } });
  await client.index({ index: 'n', id: '2', document: { keyword: 'b', day: '2021-04-02', day_dv: '2021-04-02', nested: [{ text: 'the end' }] } });
  await client.index({ index: 'n', id: '3', document: { keyword: 'c', nested: [{ text: 'no match here' }] } });
  // include_in_parent: the nested fields are also in the parent docs, so the path filter stays
  await client.indices.create({ index: 'inp', settings: { number_of_shards: 1 }, mappings: { properties: { nested: { type: 'nested', include_in_parent: true, properties: { text: { type: 'text' } } } } } });
  await client.index({ index: 'inp', id: '1', document: { nested: [{ text: 'the fox' }] } });
  await client.indices.refresh({ index: 'n,inp' });
});

type Node = { type: string; description: string; time_in_nanos: number; breakdown: Record<string, number>; children?: Node[] };

async function tree(body: Record<string, unknown>, index = 'n'): Promise<Node> {
  const r = await t.client.search({ index, profile: true, ...body });
  return (r.profile as unknown as { shards: Array<{ searches: Array<{ query: Node[] }> }> }).shards[0]!.searches[0]!.query[0]!;
}

describe('profile of nested queries', () => {
  it('describes nested match_all as ToParentBlockJoinQuery over ConstantScore(_nested_path), the path term a timed child', async () => {
    const root = await tree({ query: { nested: { path: 'nested', query: { match_all: {} }, inner_hits: {} } } });
    expect(root.type).toBe('ESToParentBlockJoinQuery');
    expect(root.description).toBe('ToParentBlockJoinQuery (ConstantScore(_nested_path:nested))');
    expect(root.children!.map((c) => [c.type, c.description])).toEqual([['TermQuery', '_nested_path:nested']]);
    const path = root.children![0]!;
    // the path filter's scorer is what walks the 5 nested docs: its next_doc calls are counted
    expect(path.breakdown.next_doc_count).toBeGreaterThanOrEqual(5);
    expect(path.time_in_nanos).toBeGreaterThan(0);
    expect(root.breakdown.next_doc_count).toBeGreaterThanOrEqual(3);
    expect(root.breakdown.score_count).toBe(3);
  });

  it('adds no path filter for a term on a field of the nested path only, as NestedHelper decides', async () => {
    // scored: the child query is the TermQuery itself, created directly by the block join: no child node
    const scored = await tree({ query: { nested: { path: 'nested', query: { match: { 'nested.text': 'the' } } } } });
    expect(scored.description).toBe('ToParentBlockJoinQuery (nested.text:the)');
    expect(scored.children).toBeUndefined();
    expect(scored.breakdown.score_count).toBe(2);
    // not scored (sorted search): ConstantScore over the term, whose weight is a node
    const sorted = await tree({ sort: ['keyword'], query: { nested: { path: 'nested', query: { match: { 'nested.text': 'the' } } } } });
    expect(sorted.description).toBe('ToParentBlockJoinQuery (nested.text:the)');
    expect(sorted.children!.map((c) => [c.type, c.description])).toEqual([['TermQuery', 'nested.text:the']]);
    expect(sorted.children![0]!.breakdown.next_doc_count).toBeGreaterThanOrEqual(3);
  });

  it('filters a query that might match other docs by the path term, a node of its own', async () => {
    // a root field inside the nested query: BooleanQuery(+keyword:a #_nested_path:nested)
    const scored = await tree({ query: { nested: { path: 'nested', query: { term: { keyword: 'a' } } } } });
    expect(scored.description).toBe('ToParentBlockJoinQuery (+keyword:a #_nested_path:nested)');
    expect(scored.children!.map((c) => [c.type, c.description])).toEqual([
      ['TermQuery', 'keyword:a'],
      ['TermQuery', '_nested_path:nested'],
    ]);
    const included = await tree({ query: { nested: { path: 'nested', query: { match: { 'nested.text': 'fox' } } } } }, 'inp');
    expect(included.description).toBe('ToParentBlockJoinQuery (+nested.text:fox #_nested_path:nested)');
    const sorted = await tree({ sort: ['keyword'], query: { nested: { path: 'nested', query: { match_phrase: { 'nested.text': 'the quick' } } } } });
    expect(sorted.description).toBe('ToParentBlockJoinQuery (+nested.text:"the quick" #_nested_path:nested)');
    expect(sorted.children!.map((c) => [c.type, c.description])).toEqual([['BooleanQuery', '#nested.text:"the quick" #_nested_path:nested']]);
    expect(sorted.children![0]!.children!.map((c) => c.type)).toEqual(['PhraseQuery', 'TermQuery']);
  });

  it('answers the same hits and scores with and without profile, and refuses what it cannot describe', async () => {
    for (const inner of [{ match: { 'nested.text': 'the' } }, { match_all: {} }]) {
      const query = { nested: { path: 'nested', score_mode: 'max' as const, query: inner } };
      const plain = await t.client.search({ index: 'n', query });
      const profiled = await t.client.search({ index: 'n', query, profile: true });
      expect(profiled.hits.hits.map((h) => [h._id, h._score])).toEqual(plain.hits.hits.map((h) => [h._id, h._score]));
      expect(plain.hits.hits.length).toBeGreaterThan(1);
    }
    // a bool inner query: Lucene's BooleanQuery rewrite may merge it into the child's clauses
    const query = { nested: { path: 'nested', query: { match: { 'nested.text': 'the fox' } } } };
    const bool = await failure(t.client.search({ index: 'n', profile: true, query }));
    expect(JSON.stringify(bool.error)).toContain('profile of nested queries over [bool] queries');
    // size 0: the score mode is the aggregations', which shapes the child
    const count = await failure(t.client.search({ index: 'n', profile: true, size: 0, query: { nested: { path: 'nested', query: { term: { 'nested.text': 'the' } } } } }));
    expect(JSON.stringify(count.error)).toContain('profile of a nested query in a search of size 0');
  });
});

describe('profile of doc-values date and unmapped queries', () => {
  it('describes a term on a date field with doc values only as SortedNumericDocValuesRangeQuery', async () => {
    const root = await tree({ query: { match: { day_dv: '2021-04-01' } } });
    expect(root).toMatchObject({ type: 'SortedNumericDocValuesRangeQuery', description: 'day_dv:[1617235200000 TO 1617321599999]' });
    expect(root.breakdown.create_weight_count).toBe(1);
    expect(root.breakdown.score_count).toBe(1);
    // two phases, as Lucene's TwoPhaseIterator: the 2 docs with a day_dv value are each tested once
    expect(root.breakdown.match_count).toBe(2);
    expect(root.breakdown.match).toBeGreaterThan(0);
    expect((root.breakdown.next_doc_count ?? 0) + (root.breakdown.advance_count ?? 0)).toBeGreaterThanOrEqual(3);
  });

  it('describes a match on an unmapped field as MatchNoDocsQuery with its reason', async () => {
    const root = await tree({ query: { match: { missing: 'x' } } });
    expect(root).toMatchObject({ type: 'MatchNoDocsQuery', description: 'MatchNoDocsQuery("unmapped fields [missing]")' });
    expect(root.breakdown.next_doc_count).toBe(0);
  });

  it('refuses the indexed date (IndexOrDocValuesQuery) and a boosted doc-values range', async () => {
    const indexed = await failure(t.client.search({ index: 'n', profile: true, query: { match: { day: '2021-04-01' } } }));
    expect(JSON.stringify(indexed.error)).toContain('profile of [docs] queries');
    const boosted = await failure(t.client.search({ index: 'n', profile: true, query: { match: { day_dv: { query: '2021-04-01', boost: 2 } } } }));
    expect(JSON.stringify(boosted.error)).toContain('profile of boosted queries');
  });
});

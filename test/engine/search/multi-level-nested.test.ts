import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from '../helpers.js';

/**
 * Multi-level nested queries and inner hits (ESToParentBlockJoinQuery with the enclosing nested
 * path as parent filter; NestedInnerHitContextBuilder children): scores sum through both levels,
 * inner hits nest under their parent's inner hits, and `_nested` chains every level's offset.
 */

type Hit = { _id: string; _score: number | null; _nested?: unknown; _source?: unknown; inner_hits?: Record<string, { hits: { total: { value: number }; hits: Hit[] } }> };

const t = useTestClient(async (client) => {
  await client.indices.create({
    index: 'posts',
    mappings: {
      properties: {
        comments: { type: 'nested', properties: { author: { type: 'keyword' }, votes: { type: 'nested', properties: { voter: { type: 'keyword' }, value: { type: 'integer' } } } } },
        tags: { type: 'nested', properties: { name: { type: 'keyword' } } },
      },
    },
  });
  // one refresh per document: three segments, so block-join parents are found per segment
  const docs = [
    { comments: [{ author: 'x', votes: [{ voter: 'kim', value: 1 }, { voter: 'nik', value: 2 }] }, { author: 'y', votes: [{ voter: 'kim', value: 3 }] }] },
    { comments: [{ author: 'z', votes: [{ voter: 'nik', value: 1 }] }], tags: [{ name: 'a' }] },
    { comments: [{ author: 'w' }] },
  ];
  for (const [i, document] of docs.entries()) await client.index({ index: 'posts', id: String(i + 1), document, refresh: true });
});

const sumOfKimVotes = {
  nested: {
    path: 'comments',
    score_mode: 'sum' as const,
    inner_hits: {},
    query: { nested: { path: 'comments.votes', score_mode: 'sum' as const, inner_hits: {}, query: { constant_score: { filter: { term: { 'comments.votes.voter': 'kim' } } } } } },
  },
};

describe('multi-level nested', () => {
  it('scores a top-level document through both levels (sum of sums: the matching grandchildren)', async () => {
    const r = await t.client.search({ index: 'posts', query: sumOfKimVotes });
    expect(r.hits.hits.map((h) => [h._id, h._score])).toEqual([['1', 2]]);
  });

  it('gives each outer inner hit the inner hits of its own nested objects, with chained _nested offsets', async () => {
    const r = await t.client.search({ index: 'posts', query: sumOfKimVotes });
    const comments = (r.hits.hits[0] as unknown as Hit).inner_hits!.comments!.hits;
    expect(comments.total.value).toBe(2);
    expect(comments.hits.map((h) => h._nested)).toEqual([{ field: 'comments', offset: 0 }, { field: 'comments', offset: 1 }]);
    const votes = comments.hits.map((h) => h.inner_hits!['comments.votes']!.hits);
    expect(votes.map((v) => v.total.value)).toEqual([1, 1]);
    expect(votes.map((v) => v.hits[0]!._nested)).toEqual([
      { field: 'comments', offset: 0, _nested: { field: 'votes', offset: 0 } },
      { field: 'comments', offset: 1, _nested: { field: 'votes', offset: 0 } },
    ]);
    expect(votes.map((v) => v.hits[0]!._source)).toEqual([{ voter: 'kim', value: 1 }, { voter: 'kim', value: 3 }]);
  });

  it('queries a second-level path from the top, joining grandchildren to their top-level document', async () => {
    const r = await t.client.search({
      index: 'posts',
      query: { nested: { path: 'comments.votes', inner_hits: {}, query: { term: { 'comments.votes.voter': 'nik' } } } },
    });
    expect(r.hits.hits.map((h) => h._id).sort()).toEqual(['1', '2']);
    const first = r.hits.hits.find((h) => h._id === '1') as unknown as Hit;
    const hit = first.inner_hits!['comments.votes']!.hits.hits[0]!;
    expect(hit._nested).toEqual({ field: 'comments', offset: 0, _nested: { field: 'votes', offset: 1 } });
    expect(hit._source).toEqual({ voter: 'nik', value: 2 });
  });

  it('keeps the outer and inner conditions on the same nested object', async () => {
    // author y's only vote is kim's: the match must not borrow nik's vote from author x
    const both = (voter: string) => ({
      nested: { path: 'comments', query: { bool: { must: [{ term: { 'comments.author': 'y' } }, { nested: { path: 'comments.votes', query: { term: { 'comments.votes.voter': voter } } } }] } } },
    });
    expect((await t.client.search({ index: 'posts', query: both('kim') })).hits.hits.map((h) => h._id)).toEqual(['1']);
    expect((await t.client.search({ index: 'posts', query: both('nik') })).hits.hits).toEqual([]);
  });

  it('has no inner hits for a nested query inside one without inner_hits (as NestedQueryBuilder collects them)', async () => {
    const r = await t.client.search({
      index: 'posts',
      query: { nested: { path: 'comments', query: { nested: { path: 'comments.votes', inner_hits: {}, query: { match_all: {} } } } } },
    });
    expect(r.hits.hits.map((h) => h._id).sort()).toEqual(['1', '2']);
    expect(r.hits.hits.every((h) => h.inner_hits === undefined)).toBe(true);
  });

  it('finds the parents again after a document is replaced', async () => {
    await t.client.index({ index: 'posts', id: '2', document: { comments: [{ author: 'z', votes: [{ voter: 'kim', value: 5 }] }] }, refresh: true });
    const r = await t.client.search({ index: 'posts', query: sumOfKimVotes });
    expect(r.hits.hits.map((h) => [h._id, h._score])).toEqual([['1', 2], ['2', 1]]);
    const votes = (r.hits.hits[1] as unknown as Hit).inner_hits!.comments!.hits.hits[0]!.inner_hits!['comments.votes']!.hits.hits;
    expect(votes.map((h) => h._source)).toEqual([{ voter: 'kim', value: 5 }]);
  });

  it('refuses a nested path that is not under the enclosing nested query, rather than joining it wrongly', async () => {
    const bad = await failure(t.client.search({ index: 'posts', query: { nested: { path: 'comments', query: { nested: { path: 'tags', query: { match_all: {} } } } } } }));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.error)).toContain('[tags] is not nested under [comments]');
  });
});

describe('stored fields read from the document as indexed', () => {
  it('returns and highlights a stored field that _source excludes or does not keep', async () => {
    await t.client.indices.create({ index: 'stored-excluded', mappings: { _source: { excludes: ['secret'] }, properties: { secret: { type: 'text', store: true }, shown: { type: 'text' } } } });
    await t.client.indices.create({ index: 'stored-nosource', mappings: { _source: { enabled: false }, properties: { secret: { type: 'text', store: true }, shown: { type: 'text' } } } });
    for (const index of ['stored-excluded', 'stored-nosource']) {
      await t.client.index({ index, id: '1', document: { secret: 'the quick fox', shown: 'a quick dog' }, refresh: true });
      const r = await t.client.search({
        index,
        stored_fields: ['secret'],
        query: { multi_match: { query: 'quick', fields: ['secret', 'shown'] } },
        highlight: { fields: { secret: {}, shown: {} } },
      });
      const hit = r.hits.hits[0]!;
      expect(hit.fields).toEqual({ secret: ['the quick fox'] });
      expect(hit.highlight?.secret).toEqual(['the <em>quick</em> fox']);
      // a field that is not stored has nothing to highlight without its _source
      expect(hit.highlight?.shown).toEqual(index === 'stored-excluded' ? ['a <em>quick</em> dog'] : undefined);
      const got = await t.client.get({ index, id: '1', stored_fields: ['secret'] });
      expect(got.fields).toEqual({ secret: ['the quick fox'] });
    }
  });
});

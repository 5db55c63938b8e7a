import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * filter, filters, missing, global, nested and reverse_nested through the real client. Data:
 *   b1 tag js  comments [ann 5 (replies by bob, cy), bob 3]
 *   b2 tag go  comments [ann 4]
 *   b3 tag js  (no comments)
 *   b4 tag rs  comments [cy 1 (reply by ann)]
 *   b5 (no tag, no comments)
 */

type Aggs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read freely in tests

async function aggs(body: Record<string, unknown>): Promise<Aggs> {
  const r = await t.client.search({ index: 'blog', size: 0, ...body });
  return r.aggregations as Aggs;
}
const counts = (a: Aggs): Array<[unknown, number]> => (a.buckets as Aggs[]).map((b) => [b.key, b.doc_count as number]);

const t = useTestClient(async (client) => {
  const docs = [
    { id: 'b1', tag: 'js', comments: [{ author: 'ann', stars: 5, replies: [{ by: 'bob' }, { by: 'cy' }] }, { author: 'bob', stars: 3 }] },
    { id: 'b2', tag: 'go', comments: [{ author: 'ann', stars: 4 }] },
    { id: 'b3', tag: 'js' },
    { id: 'b4', tag: 'rs', comments: [{ author: 'cy', stars: 1, replies: [{ by: 'ann' }] }] },
    { id: 'b5', title: 'untagged' },
  ];
  await createIndexWithDocs(
    client,
    'blog',
    {
      mappings: {
        properties: {
          tag: { type: 'keyword' },
          title: { type: 'text' },
          comments: {
            type: 'nested',
            properties: {
              author: { type: 'keyword' },
              stars: { type: 'long' },
              replies: { type: 'nested', properties: { by: { type: 'keyword' } } },
            },
          },
        },
      },
    },
    docs.map(({ id, ...src }) => [id, src]),
  );
});

describe('filter and filters', () => {
  it('filter counts the docs matching a query and runs sub-aggregations on them', async () => {
    const a = await aggs({ aggs: { js: { filter: { term: { tag: 'js' } }, aggs: { n: { nested: { path: 'comments' } } } } } });
    // b1, b3; their comments: b1's two
    expect(a.js).toEqual({ doc_count: 2, n: { doc_count: 2 } });
  });

  it('filters renders named buckets keyed and sorted by name, with an other bucket', async () => {
    const a = await aggs({ aggs: { f: { filters: { other_bucket_key: 'rest', filters: { js: { term: { tag: 'js' } }, go: { term: { tag: 'go' } } } } } } });
    // go b2; js b1 b3; rest b4 b5
    expect(a.f).toEqual({ buckets: { go: { doc_count: 1 }, js: { doc_count: 2 }, rest: { doc_count: 2 } } });
  });

  it('filters renders anonymous filters as an array, other bucket last, and named ones as an array when keyed is false', async () => {
    const a = await aggs({
      aggs: {
        anon: { filters: { other_bucket: true, filters: [{ term: { tag: 'js' } }, { terms: { tag: ['go', 'rs'] } }] } },
        list: { filters: { keyed: false, filters: { js: { term: { tag: 'js' } }, all: { match_all: {} } } } },
      },
    });
    expect(a.anon).toEqual({ buckets: [{ doc_count: 2 }, { doc_count: 2 }, { doc_count: 1 }] });
    expect(a.list).toEqual({
      buckets: [
        { key: 'all', doc_count: 5 },
        { key: 'js', doc_count: 2 },
      ],
    });
  });

  it('rejects an invalid query in a filter as the query parser does', async () => {
    const f = await failure(t.client.search({ index: 'blog', aggs: { f: { filter: { nope: {} } as never } } }));
    expect(f.status).toBe(400);
    expect(f.error.type).toBe('parsing_exception');
    expect(f.error.reason).toContain('unknown query [nope]');
  });
});

describe('missing and global', () => {
  it('missing counts docs without a value', async () => {
    const a = await aggs({ aggs: { m: { missing: { field: 'tag' } }, u: { missing: { field: 'unmapped' } } } });
    // b5 has no tag; an unmapped field is missing everywhere
    expect(a.m).toEqual({ doc_count: 1 });
    expect(a.u).toEqual({ doc_count: 5 });
  });

  it('global ignores the query (but not its own sub-aggregations)', async () => {
    const a = await aggs({
      query: { term: { tag: 'js' } },
      aggs: { all: { global: {}, aggs: { tags: { terms: { field: 'tag' } } } }, tags: { terms: { field: 'tag' } } },
    });
    expect(a.all.doc_count).toBe(5);
    expect(counts(a.all.tags)).toEqual([
      ['js', 2],
      ['go', 1],
      ['rs', 1],
    ]);
    expect(counts(a.tags)).toEqual([['js', 2]]);
  });

  it('global is only allowed at the top level', async () => {
    const f = await failure(t.client.search({ index: 'blog', aggs: { t: { terms: { field: 'tag' }, aggs: { g: { global: {} } } } } }));
    expect(f.status).toBe(400);
    expect(f.error.reason).toBe('Aggregation [t] cannot have a global sub-aggregation [g]. Global aggregations can only be defined as top level aggregations');
  });
});

describe('nested and reverse_nested', () => {
  it('nested switches to the child docs of the matching parents', async () => {
    const a = await aggs({ aggs: { c: { nested: { path: 'comments' }, aggs: { who: { terms: { field: 'comments.author' } } } } } });
    // 2 + 1 + 1 comments: ann on b1 and b2, bob on b1, cy on b4
    expect(a.c).toEqual({
      doc_count: 4,
      who: {
        doc_count_error_upper_bound: 0,
        sum_other_doc_count: 0,
        buckets: [
          { key: 'ann', doc_count: 2 },
          { key: 'bob', doc_count: 1 },
          { key: 'cy', doc_count: 1 },
        ],
      },
    });
    const q = await aggs({ query: { term: { tag: 'js' } }, aggs: { c: { nested: { path: 'comments' } } } });
    expect(q.c.doc_count).toBe(2);
  });

  it('reverse_nested joins back to the parents, counting each once', async () => {
    const a = await aggs({
      aggs: {
        c: {
          nested: { path: 'comments' },
          aggs: { who: { terms: { field: 'comments.author' }, aggs: { posts: { reverse_nested: {}, aggs: { tags: { terms: { field: 'tag' } } } } } } },
        },
      },
    });
    const [ann, bob, cy] = a.c.who.buckets as Aggs[];
    // ann commented on b1 (js) and b2 (go)
    expect(ann?.posts.doc_count).toBe(2);
    expect(counts(ann?.posts.tags)).toEqual([
      ['go', 1],
      ['js', 1],
    ]);
    expect(counts(bob?.posts.tags)).toEqual([['js', 1]]);
    expect(counts(cy?.posts.tags)).toEqual([['rs', 1]]);
  });

  it('nests two levels and reverse_nested climbs to a given path', async () => {
    const a = await aggs({
      aggs: {
        c: {
          nested: { path: 'comments' },
          aggs: {
            r: {
              nested: { path: 'comments.replies' },
              aggs: {
                by: { terms: { field: 'comments.replies.by' } },
                up: { reverse_nested: { path: 'comments' }, aggs: { authors: { terms: { field: 'comments.author' } } } },
              },
            },
          },
        },
      },
    });
    // replies: bob and cy under ann's comment on b1, ann under cy's comment on b4
    expect(a.c.r.doc_count).toBe(3);
    expect(counts(a.c.r.by)).toEqual([
      ['ann', 1],
      ['bob', 1],
      ['cy', 1],
    ]);
    // the replied-to comments: ann's (b1) and cy's (b4)
    expect(a.c.r.up.doc_count).toBe(2);
    expect(counts(a.c.r.up.authors)).toEqual([
      ['ann', 1],
      ['cy', 1],
    ]);
  });

  it('rejects a path that is not nested and reverse_nested outside nested', async () => {
    const f = await failure(t.client.search({ index: 'blog', aggs: { n: { nested: { path: 'tag' } } } }));
    expect((f.error.root_cause as Aggs[])[0]?.reason).toBe('[nested] nested path [tag] is not nested');
    const g = await failure(t.client.search({ index: 'blog', aggs: { r: { reverse_nested: {} } } }));
    expect((g.error.root_cause as Aggs[])[0]?.reason).toBe('Reverse nested aggregation [r] can only be used inside a [nested] aggregation');
  });

  it('counts a nested path missing from the mapping as empty', async () => {
    const a = await aggs({ aggs: { n: { nested: { path: 'nowhere' } } } });
    expect(a.n).toEqual({ doc_count: 0 });
  });
});

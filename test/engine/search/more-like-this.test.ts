import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

const t = useTestClient();

const ids = (res: { hits: { hits: Array<{ _id?: string | null }> } }): string[] => res.hits.hits.map((h) => String(h._id)).sort();

const MAPPINGS = { properties: { title: { type: 'text' }, body: { type: 'text' }, tag: { type: 'keyword' }, n: { type: 'integer' } } } as const;

async function corpus(index: string): Promise<void> {
  await createIndexWithDocs(t.client, index, { mappings: MAPPINGS }, [
    ['1', { title: 'quick brown fox', body: 'the quick brown fox jumps over the lazy dog', tag: 'animal', n: 1 }],
    ['2', { title: 'quick brown dog', body: 'a quick brown dog sleeps', tag: 'animal', n: 2 }],
    ['3', { title: 'lazy cat', body: 'a lazy cat sleeps all day', tag: 'animal', n: 3 }],
    ['4', { title: 'search engines', body: 'search engines index documents', tag: 'tech', n: 4 }],
    ['5', { title: 'fox news', body: 'news about the fox', tag: 'news', n: 5 }],
  ]);
}

describe('more_like_this (MoreLikeThisQueryBuilder, XMoreLikeThis)', () => {
  it('a liked stored document is fetched, its terms selected, and it is excluded unless include is true', async () => {
    await corpus('mlt-items');
    const query = { more_like_this: { fields: ['title'], like: [{ _id: '1' }], min_term_freq: 1, min_doc_freq: 1 } };
    // title terms of doc 1: quick (docs 1, 2), brown (1, 2), fox (1, 5): 30% of 3 clauses = 0, any one matches
    expect(ids(await t.client.search({ index: 'mlt-items', query }))).toEqual(['2', '5']);
    expect(ids(await t.client.search({ index: 'mlt-items', query: { more_like_this: { ...query.more_like_this, include: true } } }))).toEqual(['1', '2', '5']);
    // minimum_should_match over the selected terms: two of quick, brown, fox
    expect(ids(await t.client.search({ index: 'mlt-items', query: { more_like_this: { ...query.more_like_this, minimum_should_match: 2 } } }))).toEqual(['2']);
    // the default min_term_freq (2) drops every term of a short title: nothing is liked
    expect(ids(await t.client.search({ index: 'mlt-items', query: { more_like_this: { fields: ['title'], like: [{ _id: '1' }] } } }))).toEqual([]);
    // a missing document is skipped, as a failed multi term vectors item is
    expect(ids(await t.client.search({ index: 'mlt-items', query: { more_like_this: { fields: ['title'], like: [{ _id: 'nope' }, 'lazy'], min_term_freq: 1, min_doc_freq: 1 } } }))).toEqual(['3']);
  });

  it('artificial documents and unlike: the unliked terms are never selected', async () => {
    await corpus('mlt-unlike');
    const base = { fields: ['body'], min_term_freq: 1, min_doc_freq: 1 };
    const liked = await t.client.search({ index: 'mlt-unlike', query: { more_like_this: { ...base, like: [{ doc: { body: 'lazy sleeps' } }] } } });
    expect(ids(liked)).toEqual(['1', '2', '3']);
    // without `lazy` only `sleeps` is left
    const unliked = await t.client.search({ index: 'mlt-unlike', query: { more_like_this: { ...base, like: [{ doc: { body: 'lazy sleeps' } }], unlike: ['lazy'] } } });
    expect(ids(unliked)).toEqual(['2', '3']);
    // a stored document as unlike: every term of its fields is skipped
    const byDoc = await t.client.search({ index: 'mlt-unlike', query: { more_like_this: { ...base, like: ['lazy sleeps fox'], unlike: [{ _id: '2' }] } } });
    expect(ids(byDoc)).toEqual(['1', '3', '5']);
  });

  it('one selected term scores as a term query on it (BM25 over the index), boosted by the query boost', async () => {
    await corpus('mlt-score');
    const term = await t.client.search({ index: 'mlt-score', query: { term: { body: 'lazy' } } });
    const mlt = await t.client.search({ index: 'mlt-score', query: { more_like_this: { fields: ['body'], like: 'lazy lazy', min_doc_freq: 1, boost: 2 } } });
    expect(mlt.hits.hits.map((h) => h._id)).toEqual(term.hits.hits.map((h) => h._id));
    // the boost goes into the term's weight (boost * 2.2 * idf), so the float product may differ in the last bit
    mlt.hits.hits.forEach((h, i) => expect(h._score as number).toBeCloseTo(2 * (term.hits.hits[i]?._score as number), 5));
  });

  it('max_query_terms keeps the terms of highest tf * idf (ClassicSimilarity), rarest first', async () => {
    await corpus('mlt-top');
    // in `quick fox search`, `search` is rarest (1 doc) and `quick`/`fox` are in 2: one term kept
    const res = await t.client.search({ index: 'mlt-top', query: { more_like_this: { fields: ['body'], like: 'quick fox search', min_term_freq: 1, min_doc_freq: 1, max_query_terms: 1 } } });
    expect(ids(res)).toEqual(['4']);
  });

  it('each shard selects its terms over its own statistics', async () => {
    await t.client.indices.create({ index: 'mlt-shards', settings: { number_of_shards: 2 }, mappings: MAPPINGS });
    // find two routing values on different shards
    const shardOf = async (routing: string): Promise<number> => {
      await t.client.index({ index: 'mlt-shards', id: `probe-${routing}`, routing, document: { title: 'probe' }, refresh: true });
      const r = await t.client.count({ index: 'mlt-shards', preference: '_shards:0', query: { ids: { values: [`probe-${routing}`] } } });
      return r.count === 1 ? 0 : 1;
    };
    const routings = ['a', 'b', 'c', 'd', 'e', 'f'];
    const shards = await Promise.all(routings.map(shardOf));
    const r0 = routings[shards.indexOf(0)] as string;
    const r1 = routings[shards.indexOf(1)] as string;
    await t.client.index({ index: 'mlt-shards', id: 'x', routing: r0, document: { body: 'zebra' } });
    await t.client.index({ index: 'mlt-shards', id: 'y', routing: r1, document: { body: 'zebra' } });
    await t.client.index({ index: 'mlt-shards', id: 'z', routing: r1, document: { body: 'zebra' } });
    await t.client.indices.refresh({ index: 'mlt-shards' });
    // `zebra` is in 3 docs of the index but 1 and 2 per shard: min_doc_freq 2 keeps it on one shard only
    const res = await t.client.search({ index: 'mlt-shards', query: { more_like_this: { fields: ['body'], like: 'zebra', min_term_freq: 1, min_doc_freq: 2 } } });
    expect(ids(res)).toEqual(['y', 'z']);
  });

  it('refuses what Elasticsearch refuses', async () => {
    await corpus('mlt-errors');
    const missing = await failure(t.client.search({ index: 'mlt-errors', query: { more_like_this: { fields: ['title'] } } as never }));
    expect(missing.error.type).toBe('parsing_exception');
    expect(missing.error.reason).toBe(`more_like_this requires 'like' to be specified`);
    const numeric = await failure(t.client.search({ index: 'mlt-errors', query: { more_like_this: { fields: ['n'], like: 'x' } } }));
    expect(JSON.stringify(numeric.error)).toContain('more_like_this only supports text/keyword fields: [n]');
    const skipped = await t.client.search({ index: 'mlt-errors', query: { more_like_this: { fields: ['n', 'title'], like: 'lazy', min_term_freq: 1, min_doc_freq: 1, fail_on_unsupported_field: false } } });
    expect(ids(skipped)).toEqual(['3']);
    const noField = await failure(t.client.search({ index: 'mlt-errors', query: { more_like_this: { like: 'lazy' } } }));
    expect(JSON.stringify(noField.error)).toContain('[more_like_this] query cannot infer the field to analyze the free text');
    const unknown = await failure(t.client.search({ index: 'mlt-errors', query: { more_like_this: { like: 'x', foo: 1 } } as never }));
    expect(unknown.error.reason).toBe('[mlt] query does not support [foo]');
  });
});

import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * search_as_you_type (SearchAsYouTypeFieldMapper): the root text field, its `._<n>gram` shingle
 * subfields and `._index_prefix` (edge n-grams of the largest shingles), and the queries that
 * ES routes to them (prefix, match_bool_prefix, match_phrase, match_phrase_prefix).
 */

const t = useTestClient(async (client) => {
  await createIndexWithDocs(client, 's', { mappings: { properties: { a: { type: 'search_as_you_type', analyzer: 'simple', max_shingle_size: 4 } } } }, [
    ['1', { a: 'quick brown fox jump lazy dog' }],
    ['2', { a: 'xylophone xylophone xylophone' }],
  ]);
});

const ids = async (query: Record<string, unknown>): Promise<string[]> => {
  const r = await t.client.search({ index: 's', query });
  return r.hits.hits.map((h) => h._id as string).sort();
};

describe('search_as_you_type', () => {
  it('indexes shingles and the edge n-grams of the largest shingles, trailing ones padded', async () => {
    expect(await ids({ term: { 'a._2gram': 'brown fox' } })).toEqual(['1']);
    expect(await ids({ term: { 'a._4gram': 'fox jump lazy dog' } })).toEqual(['1']);
    expect(await ids({ term: { 'a._3gram': 'lazy dog' } })).toEqual([]);
    expect(await ids({ term: { 'a._index_prefix': 'jump la' } })).toEqual(['1']);
    expect(await ids({ term: { 'a._index_prefix': 'dog   ' } })).toEqual(['1']);
    expect(await ids({ term: { 'a._index_prefix': 'dog    ' } })).toEqual([]);
  });
});

describe('search_as_you_type queries', () => {
  it('answers prefix and match_bool_prefix from ._index_prefix with a constant score', async () => {
    const r = await t.client.search({ index: 's', query: { prefix: { a: { value: 'fox jump la', boost: 3 } } } });
    expect(r.hits.hits.map((h) => [h._id, h._score])).toEqual([['1', 3]]);
    expect(await ids({ match_bool_prefix: { a: 'fox jump brown do' } })).toEqual(['1']);
    // the prefix term reads the prefix field, not the root: a long value past 20 characters reads the root's terms
    expect(await ids({ prefix: { a: 'xylophone xylophone xy' } })).toEqual([]);
    expect(await ids({ prefix: { a: 'xylophon' } })).toEqual(['2']);
  });

  it('reads exact phrases from the shingle subfield of their length', async () => {
    expect(await ids({ match_phrase: { a: 'brown fox jump lazy dog' } })).toEqual(['1']);
    expect(await ids({ match_phrase: { a: 'brown jump' } })).toEqual([]);
    expect(await ids({ match_phrase: { a: { query: 'brown jump', slop: 1 } } })).toEqual(['1']);
    const phrase = await t.client.search({ index: 's', query: { match_phrase: { a: 'quick brown' } } });
    const term = await t.client.search({ index: 's', query: { term: { 'a._2gram': 'quick brown' } } });
    expect(phrase.hits.hits[0]?._score).toBe(term.hits.hits[0]?._score);
  });

  it('reads phrase prefixes from the shingles and the prefix field', async () => {
    expect(await ids({ match_phrase_prefix: { a: 'quick brown fox jump la' } })).toEqual(['1']);
    expect(await ids({ match_phrase_prefix: { a: 'quick brown fox jump do' } })).toEqual([]);
    // a last shingle past 20 characters: a phrase prefix expanding on the shingle subfield's terms
    expect(await ids({ match_phrase_prefix: { a: 'xylophone xylophone xy' } })).toEqual(['2']);
    expect(await ids({ match_phrase_prefix: { a: 'xylophone xylophone xz' } })).toEqual([]);
    const single = await t.client.search({ index: 's', query: { match_phrase_prefix: { a: 'quick b' } } });
    const term = await t.client.search({ index: 's', query: { term: { 'a._index_prefix': 'quick b' } } });
    expect(single.hits.hits[0]?._score).toBe(term.hits.hits[0]?._score);
  });

  it('shows doc_values and max_shingle_size in the mapping and validates them', async () => {
    const m = await t.client.indices.getMapping({ index: 's' });
    expect(m.s?.mappings.properties?.a).toEqual({ type: 'search_as_you_type', analyzer: 'simple', max_shingle_size: 4, doc_values: false });
    const bad = (def: Record<string, unknown>) => failure(t.client.indices.create({ index: 'bad', mappings: { properties: { a: { type: 'search_as_you_type', ...def } } } }));
    expect(JSON.stringify((await bad({ max_shingle_size: 5 })).error)).toContain('[max_shingle_size] must be at least [2] and at most [4], got [5]');
    expect(JSON.stringify((await bad({ doc_values: true })).error)).toContain('Cannot set [doc_values] on field of type [search_as_you_type]');
  });

  it('scores without length norms when norms is false, and refuses postings without positions', async () => {
    await createIndexWithDocs(t.client, 'n', { settings: { number_of_shards: 1 }, mappings: { properties: { a: { type: 'search_as_you_type', norms: false }, b: { type: 'search_as_you_type' } } } }, [
      ['1', { a: 'red', b: 'red' }],
      ['2', { a: 'red fox jumps high', b: 'red fox jumps high' }],
    ]);
    const scores = async (field: string) => (await t.client.search({ index: 'n', query: { match: { [field]: 'red' } } })).hits.hits.map((h) => h._score);
    const [a1, a2] = await scores('a');
    expect(a1).toBe(a2);
    const [b1, b2] = await scores('b');
    expect(b1).toBeGreaterThan(b2 as number);
    const e = await failure(t.client.indices.create({ index: 'bad', mappings: { properties: { a: { type: 'search_as_you_type', index_options: 'freqs' } } } }));
    expect(JSON.stringify(e.error)).toContain('[index_options: freqs] on the search_as_you_type field [a]');
  });

  it('lists the subfields in _field_caps', async () => {
    const caps = await t.client.fieldCaps({ index: 's', fields: 'a*' });
    expect(Object.keys(caps.fields).sort()).toEqual(['a', 'a._2gram', 'a._3gram', 'a._4gram', 'a._index_prefix']);
    expect(caps.fields.a?.search_as_you_type?.searchable).toBe(true);
    expect(Object.keys(caps.fields['a._index_prefix'] ?? {})).toEqual(['prefix']);
    expect(Object.keys(caps.fields['a._2gram'] ?? {})).toEqual(['search_as_you_type']);
  });
});

describe('wrapper query', () => {
  const b64 = (q: unknown): string => Buffer.from(JSON.stringify(q)).toString('base64');
  it('parses its base64 query as any query', async () => {
    expect(await ids({ wrapper: { query: b64({ match: { a: 'xylophone' } }) } })).toEqual(['2']);
    expect(await ids({ bool: { must: [{ wrapper: { query: b64({ term: { 'a._2gram': 'quick brown' } }) } }] } })).toEqual(['1']);
  });
  it('refuses a malformed wrapper as Elasticsearch does', async () => {
    const e = await failure(t.client.search({ index: 's', query: { wrapper: { q: 'e30=' } } as never }));
    expect(e.status).toBe(400);
    expect(JSON.stringify(e.error)).toContain('[wrapper] query malformed, expected `query` but was q');
    const inner = await failure(t.client.search({ index: 's', query: { wrapper: { query: b64({ nope: {} }) } } }));
    expect(JSON.stringify(inner.error)).toContain('unknown query [nope]');
  });
});

import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from './helpers.js';

const t = useTestClient(async (client) => {
  await client.indices.create({
    index: 'tv',
    settings: { number_of_shards: 1, refresh_interval: -1 },
    mappings: { properties: { text: { type: 'text', term_vector: 'with_positions_offsets' }, plain: { type: 'text' }, tag: { type: 'keyword' } } },
  });
  await client.index({ index: 'tv', id: '1', document: { text: 'The quick brown fox is brown.', plain: 'hello world', tag: 'A' } });
  await client.index({ index: 'tv', id: '2', document: { text: 'a brown dog' } });
  await client.indices.refresh({ index: 'tv' });
});

describe('_termvectors', () => {
  it('answers the stored term vectors of a document with the shard statistics', async () => {
    const res = await t.client.termvectors({ index: 'tv', id: '1', term_statistics: true });
    expect(res).toMatchObject({ _index: 'tv', _id: '1', _version: 1, found: true });
    expect(Object.keys(res.term_vectors!)).toEqual(['text']);
    const text = res.term_vectors!.text!;
    expect(text.field_statistics).toEqual({ sum_doc_freq: 8, doc_count: 2, sum_ttf: 9 });
    expect(Object.keys(text.terms)).toEqual(['brown', 'fox', 'is', 'quick', 'the']);
    expect(text.terms.brown).toEqual({ doc_freq: 2, ttf: 3, term_freq: 2, tokens: [{ position: 2, start_offset: 10, end_offset: 15 }, { position: 5, start_offset: 23, end_offset: 28 }] });
    expect(text.terms.the).toEqual({ doc_freq: 1, ttf: 1, term_freq: 1, tokens: [{ position: 0, start_offset: 0, end_offset: 3 }] });
  });

  it('generates the vectors of the fields asked for (wildcards), without offsets or positions when told', async () => {
    const res = await t.client.termvectors({ index: 'tv', id: '1', fields: ['pl*', 'tag'], offsets: false, field_statistics: false });
    expect(Object.keys(res.term_vectors!).sort()).toEqual(['plain', 'tag']);
    expect(res.term_vectors!.plain!.terms.world).toEqual({ term_freq: 1, tokens: [{ position: 1 }] });
    expect(res.term_vectors!.tag!.terms).toEqual({ A: { term_freq: 1, tokens: [{ position: 0 }] } });
    expect(res.term_vectors!.plain!.field_statistics).toBeUndefined();
  });

  it('answers an artificial document with the statistics of the index, none for a term it lacks', async () => {
    const res = await t.client.termvectors({ index: 'tv', doc: { text: 'brown cow' }, term_statistics: true });
    expect(res._id).toBeUndefined();
    expect(res.found).toBe(true);
    expect(res.term_vectors!.text!.terms.brown).toMatchObject({ doc_freq: 2, ttf: 3, term_freq: 1 });
    expect(res.term_vectors!.text!.terms.cow).toEqual({ term_freq: 1, tokens: [{ position: 1, start_offset: 6, end_offset: 9 }] });
  });

  it('keeps the best terms by tf-idf under a filter, with their scores', async () => {
    const res = await t.client.termvectors({ index: 'tv', id: '1', filter: { max_num_terms: 2 }, positions: false, offsets: false });
    const terms = res.term_vectors!.text!.terms;
    expect(Object.keys(terms)).toEqual(['brown', 'fox']);
    expect(terms.brown!.score).toBe(2);
    expect(terms.fox!.score).toBe(1.4054651);
  });

  it('reads realtime: an unrefreshed document is found (stats of the internal reader), not with realtime=false, and searches still miss it', async () => {
    await t.client.index({ index: 'tv', id: '3', document: { text: 'brown brown bear' } });
    expect((await t.client.termvectors({ index: 'tv', id: '3', realtime: false })).found).toBe(false);
    const res = await t.client.termvectors({ index: 'tv', id: '3', term_statistics: true });
    expect(res.found).toBe(true);
    expect(res.term_vectors!.text!.terms.brown).toMatchObject({ doc_freq: 3, ttf: 5, term_freq: 2 });
    expect((await t.client.search({ index: 'tv', query: { match: { text: 'bear' } } })).hits.hits).toHaveLength(0);
    await t.client.indices.refresh({ index: 'tv' });
  });

  it('answers found: false for a missing document and a version conflict with 409', async () => {
    const miss = await t.client.termvectors({ index: 'tv', id: 'nope' });
    expect(miss).toMatchObject({ _index: 'tv', _id: 'nope', found: false });
    expect(miss.term_vectors).toBeUndefined();
    const err = await failure(t.client.termvectors({ index: 'tv', id: '1', version: 7 }));
    expect(err.status).toBe(409);
    expect(err.error.type).toBe('version_conflict_engine_exception');
  });

  it('refuses a request without id or doc, and an unknown body key', async () => {
    const noId = await failure(t.client.termvectors({ index: 'tv' }));
    expect(noId.status).toBe(400);
    expect(noId.error.type).toBe('action_request_validation_exception');
    const unknown = await failure(t.client.termvectors({ index: 'tv', id: '1', body: { nope: 1 } } as never));
    expect(unknown.error).toMatchObject({ type: 'parse_exception', reason: 'failed to parse term vectors request. unknown field [nope]' });
  });
});

describe('_mtermvectors', () => {
  it('answers each item, and a missing index as an item error', async () => {
    const res = await t.client.mtermvectors({ index: 'tv', ids: ['1', '2'], fields: ['text'], term_statistics: true });
    expect(res.docs.map((d) => d._id)).toEqual(['1', '2']);
    expect(res.docs[1]!.term_vectors!.text!.terms.dog).toMatchObject({ doc_freq: 1, term_freq: 1 });
    const mixed = await t.client.mtermvectors({ docs: [{ _index: 'tv', _id: '2' }, { _index: 'missing', _id: '1' }] });
    expect(mixed.docs[0]!.found).toBe(true);
    expect(mixed.docs[1]).toMatchObject({ _index: 'missing', _id: '1', error: { type: 'index_not_found_exception', reason: 'no such index [missing]' } });
  });
});

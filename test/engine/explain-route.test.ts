import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from './helpers.js';

const t = useTestClient(async (client) => {
  await client.indices.create({ index: 'ex', mappings: { properties: { title: { type: 'text' }, tag: { type: 'keyword' } } } });
  await client.bulk({
    refresh: true,
    operations: [
      { index: { _index: 'ex', _id: '1' } }, { title: 'the quick brown fox', tag: 'a', extra: { x: 1, y: 2 } },
      { index: { _index: 'ex', _id: '2' } }, { title: 'a lazy dog', tag: 'b' },
      { index: { _index: 'ex', _id: '3' } }, { title: 'the fox and the dog', tag: 'a' },
    ],
  });
  await client.indices.putAlias({ index: 'ex', name: 'ex-a', filter: { term: { tag: 'a' } } });
});

describe('_explain', () => {
  it('explains a matching document with the score a search gives it', async () => {
    const res = await t.client.explain({ index: 'ex', id: '1', query: { match: { title: 'fox' } } });
    const hit = (await t.client.search({ index: 'ex', explain: true, query: { match: { title: 'fox' } } })).hits.hits.find((h) => h._id === '1')!;
    expect(res.matched).toBe(true);
    expect(res._index).toBe('ex');
    expect(res.explanation!.value).toBe(hit._score);
    expect(res.explanation).toEqual(hit._explanation);
    expect(res.explanation!.description).toContain('weight(title:fox in');
  });

  it('answers matched false for a document that does not match, 404 for a missing one', async () => {
    const miss = await t.client.explain({ index: 'ex', id: '2', query: { match: { title: 'fox' } } });
    expect(miss.matched).toBe(false);
    const gone = await failure(t.client.explain({ index: 'ex', id: 'nope', query: { match_all: {} } }));
    expect(gone.status).toBe(404);
    // through a filtered alias, a document outside the filter does not match
    expect((await t.client.explain({ index: 'ex-a', id: '2', query: { match_all: {} } })).matched).toBe(false);
    expect((await t.client.explain({ index: 'ex-a', id: '3', query: { match_all: {} } })).matched).toBe(true);
  });

  it('takes q, returns the source on request, and refuses a body without query', async () => {
    expect((await t.client.explain({ index: 'ex', id: '3', q: 'title:dog' })).matched).toBe(true);
    expect((await t.client.explain({ index: 'ex', id: '3', q: 'title:dog AND title:lazy' })).matched).toBe(false);
    const withSource = await t.client.explain({ index: 'ex', id: '1', _source_includes: ['extra.x'], query: { match_all: {} } });
    expect(withSource.get!._source).toEqual({ extra: { x: 1 } });
    expect(withSource.get!.found).toBe(true);
    const bad = await failure(t.client.transport.request({ method: 'POST', path: '/ex/_explain/1', body: { match_all: {} } }));
    expect(bad.status).toBe(400);
    const stored = await failure(t.client.explain({ index: 'ex', id: '1', stored_fields: ['title'], query: { match_all: {} } }));
    expect(stored.error.reason).toContain('stored_fields in _explain');
  });
});

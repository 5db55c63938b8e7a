import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/** The terms lookup of a `terms` query: the values at `path` of another document, fetched on the coordinator. */

const t = useTestClient(async (client) => {
  await createIndexWithDocs(client, 'users', { settings: { 'index.max_terms_count': 3 }, mappings: { properties: { user: { type: 'keyword' }, age: { type: 'integer' } } } }, [
    ['u1', { user: 'u1', age: 30 }],
    ['u2', { user: 'u2', age: 40 }],
    ['u3', { user: 'u3', age: 50 }],
    ['u4', { user: 'u4', age: 60 }],
  ]);
  await createIndexWithDocs(client, 'lists', { settings: { number_of_shards: 2 }, mappings: { properties: { group: { type: 'object' } } } }, [
    ['a', { group: { members: ['u1', 'u3'], ages: [40, 60] } }],
    ['big', { group: { members: ['u1', 'u2', 'u3', 'u4'] } }],
  ]);
  await t.client.index({ index: 'lists', id: 'routed', routing: 'r1', document: { group: { members: ['u4'] } }, refresh: true });
});

const ids = async (query: Record<string, unknown>): Promise<string[]> => {
  const r = await t.client.search({ index: 'users', query: query as never, size: 10 });
  return r.hits.hits.map((h) => h._id as string).sort();
};

describe('terms lookup', () => {
  it('matches the values found at a dotted path of the looked-up document, keywords and numbers', async () => {
    expect(await ids({ terms: { user: { index: 'lists', id: 'a', path: 'group.members' } } })).toEqual(['u1', 'u3']);
    expect(await ids({ terms: { age: { index: 'lists', id: 'a', path: 'group.ages' } } })).toEqual(['u2', 'u4']);
  });

  it('resolves lookups anywhere in the body (bool clauses, aggregation filters) and in _count', async () => {
    const r = await t.client.search({
      index: 'users',
      size: 0,
      query: { bool: { filter: [{ terms: { user: { index: 'lists', id: 'a', path: 'group.members' } } }] } },
      aggs: { f: { filter: { terms: { user: { index: 'lists', id: 'routed', path: 'group.members', routing: 'r1' } } } }, by: { terms: { field: 'user' } } },
    });
    expect(r.hits.total).toEqual({ value: 2, relation: 'eq' });
    expect((r.aggregations?.f as { doc_count: number }).doc_count).toBe(0);
    const c = await t.client.count({ index: 'users', query: { terms: { user: { index: 'lists', id: 'routed', path: 'group.members', routing: 'r1' } } } });
    expect(c.count).toBe(1);
  });

  it('matches nothing for a missing document, and fails for a missing index', async () => {
    expect(await ids({ terms: { user: { index: 'lists', id: 'nope', path: 'group.members' } } })).toEqual([]);
    const missing = await failure(t.client.search({ index: 'users', query: { terms: { user: { index: 'nowhere', id: 'a', path: 'x' } } } }));
    expect(missing.status).toBe(404);
    expect(missing.error.type).toBe('index_not_found_exception');
  });

  it('counts the looked-up values against index.max_terms_count', async () => {
    const tooMany = await failure(t.client.search({ index: 'users', query: { terms: { user: { index: 'lists', id: 'big', path: 'group.members' } } } }));
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.error)).toContain('The number of terms [4] used in the Terms Query request has exceeded the allowed maximum of [3]');
  });

  it('rejects a lookup without an id or with an unknown key', async () => {
    const noId = await failure(t.client.search({ index: 'users', query: { terms: { user: { index: 'lists', path: 'group.members' } } } as never }));
    expect(noId.error.reason).toBe('[terms] query lookup element requires specifying the id.');
    const unknown = await failure(t.client.search({ index: 'users', query: { terms: { user: { index: 'lists', id: 'a', path: 'p', type: 't' } } } as never }));
    expect(unknown.error.reason).toBe('[1:1] [terms_lookup] unknown field [type]');
  });
});

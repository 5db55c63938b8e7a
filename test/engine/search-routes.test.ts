import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from './helpers.js';

const t = useTestClient(async (client) => {
  await client.indices.create({ index: 'sr-a', mappings: { properties: { title: { type: 'text' }, level: { type: 'keyword' }, n: { type: 'long' } } } });
  await client.indices.create({ index: 'sr-b', mappings: { properties: { title: { type: 'text' }, level: { type: 'keyword' }, n: { type: 'long' } } } });
  const operations = [];
  for (let i = 0; i < 30; i++) {
    operations.push({ index: { _index: i % 2 === 0 ? 'sr-a' : 'sr-b', _id: String(i) } }, { title: `message number ${i}`, level: i % 3 === 0 ? 'error' : 'info', n: i });
  }
  await client.bulk({ refresh: true, operations });
  await client.indices.putAlias({ index: 'sr-a,sr-b', name: 'sr-errors', filter: { term: { level: 'error' } } });
});


describe('search routes', () => {
  it('searches comma lists, wildcards and all indices', async () => {
    expect((await t.client.search({ index: 'sr-a,sr-b', query: { match: { title: 'message' } } })).hits.total).toEqual({ value: 30, relation: 'eq' });
    expect((await t.client.search({ index: 'sr-*', size: 0 })).hits.total).toEqual({ value: 30, relation: 'eq' });
    const all = await t.client.search({ query: { term: { level: 'error' } }, size: 0 });
    expect((all.hits.total as { value: number }).value).toBe(10);
  });

  it('applies alias filters', async () => {
    const res = await t.client.search({ index: 'sr-errors', size: 0 });
    expect((res.hits.total as { value: number }).value).toBe(10);
    expect((await t.client.count({ index: 'sr-errors' })).count).toBe(10);
  });

  it('answers a missing index with 404 unless ignore_unavailable', async () => {
    const error = await failure(t.client.search({ index: 'sr-a,missing' }));
    expect(error.status).toBe(404);
    expect(error.error.type).toBe('index_not_found_exception');
    const ignored = await t.client.search({ index: 'sr-a,missing', ignore_unavailable: true, size: 0 });
    expect((ignored.hits.total as { value: number }).value).toBe(15);
    const none = await failure(t.client.search({ index: 'nothing-*', allow_no_indices: false }));
    expect(none.status).toBe(404);
    const empty = await t.client.search({ index: 'nothing-*' });
    expect(empty.hits.hits).toEqual([]);
  });

  it('pages with scroll and clears it', async () => {
    const first = await t.client.search({ index: 'sr-a', scroll: '1m', size: 4, sort: ['n'] });
    const seen = first.hits.hits.map((h) => h._id);
    let scrollId = first._scroll_id!;
    for (;;) {
      const next = await t.client.scroll({ scroll_id: scrollId, scroll: '1m' });
      if (next.hits.hits.length === 0) break;
      seen.push(...next.hits.hits.map((h) => h._id));
      scrollId = next._scroll_id!;
    }
    expect(seen).toHaveLength(15);
    const cleared = await t.client.clearScroll({ scroll_id: scrollId });
    expect(cleared.succeeded).toBe(true);
  });

  it('searches a point in time that does not see later writes', async () => {
    const pit = await t.client.openPointInTime({ index: 'sr-a', keep_alive: '1m' });
    expect(pit.id).toBeTypeOf('string');
    await t.client.index({ index: 'sr-a', id: 'late', document: { title: 'late message', n: 100 }, refresh: true });
    const res = await t.client.search({ pit: { id: pit.id, keep_alive: '1m' }, size: 0 });
    expect((res.hits.total as { value: number }).value).toBe(15);
    const error = await failure(t.client.search({ index: 'sr-a', pit: { id: pit.id } }));
    expect(error.status).toBe(400);
    expect((await t.client.closePointInTime({ id: pit.id })).succeeded).toBe(true);
    await t.client.delete({ index: 'sr-a', id: 'late', refresh: true });
  });

  it('runs _msearch with per-search errors', async () => {
    const res = await t.client.msearch({ searches: [{ index: 'sr-a' }, { query: { match_all: {} }, size: 0 }, { index: 'missing' }, { query: { match_all: {} } }] });
    expect(res.responses).toHaveLength(2);
    expect((res.responses[0] as { status: number }).status).toBe(200);
    expect((res.responses[1] as { status: number }).status).toBe(404);
  });

  it('counts with a query', async () => {
    expect((await t.client.count({ index: 'sr-a', query: { range: { n: { gte: 10 } } } })).count).toBe(10);
  });

  it('returns hits with _source and ids', async () => {
    const res = await t.client.search({ index: 'sr-b', query: { match: { title: '7' } } });
    expect(res.hits.hits[0]).toMatchObject({ _index: 'sr-b', _id: '7', _source: { title: 'message number 7', level: 'info', n: 7 } });
  });
});

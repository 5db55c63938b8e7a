import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, useTestClient } from '../helpers.js';

/** The `flattened` field type: root and keyed keyword values, its parameters and the queries ES refuses on keys. */

const t = useTestClient(async (client) => {
  await createIndexWithDocs(
    client,
    'bugs',
    {
      mappings: {
        properties: {
          title: { type: 'keyword' },
          labels: { type: 'flattened', ignore_above: 12, null_value: 'none' },
          split: { type: 'flattened', split_queries_on_whitespace: true },
        },
      },
    },
    [
      ['1', { title: 'a', labels: { priority: 'urgent', release: ['v1.5', 'v1.6'], owner: { team: 'search' } }, split: { k: 'x' } }],
      ['2', { title: 'b', labels: { priority: 'low', release: 'v1.4', note: 'a very long value here', verified: true } }],
      ['3', { title: 'c', labels: { priority: null, release: 'v2.0', size: 3 }, split: { k: 'y' } }],
    ],
  );
});

const ids = (res: { hits: { hits: Array<{ _id?: string | null }> } }): string[] => res.hits.hits.map((h) => String(h._id)).sort();

describe('flattened field', () => {
  it('matches any leaf value on the root field and one key path on keyed fields', async () => {
    expect(ids(await t.client.search({ index: 'bugs', query: { term: { labels: 'urgent' } } }))).toEqual(['1']);
    expect(ids(await t.client.search({ index: 'bugs', query: { term: { labels: 'search' } } }))).toEqual(['1']);
    expect(ids(await t.client.search({ index: 'bugs', query: { term: { 'labels.owner.team': 'search' } } }))).toEqual(['1']);
    // a value under another key does not match the key asked for
    expect(ids(await t.client.search({ index: 'bugs', query: { term: { 'labels.priority': 'v1.4' } } }))).toEqual([]);
    // numbers and booleans are indexed as their text; null takes null_value
    expect(ids(await t.client.search({ index: 'bugs', query: { term: { 'labels.size': '3' } } }))).toEqual(['3']);
    expect(ids(await t.client.search({ index: 'bugs', query: { term: { 'labels.verified': 'true' } } }))).toEqual(['2']);
    expect(ids(await t.client.search({ index: 'bugs', query: { term: { 'labels.priority': 'none' } } }))).toEqual(['3']);
    expect(ids(await t.client.search({ index: 'bugs', query: { match: { 'labels.release': 'v1.6' } } }))).toEqual(['1']);
    expect(ids(await t.client.search({ index: 'bugs', query: { prefix: { 'labels.release': 'v1.' } } }))).toEqual(['1', '2']);
    expect(ids(await t.client.search({ index: 'bugs', query: { range: { 'labels.release': { gte: 'v1.5', lt: 'v2' } } } }))).toEqual(['1']);
    expect(ids(await t.client.search({ index: 'bugs', query: { exists: { field: 'labels.note' } } }))).toEqual([]);
    expect(ids(await t.client.search({ index: 'bugs', query: { exists: { field: 'labels.verified' } } }))).toEqual(['2']);
    expect(ids(await t.client.search({ index: 'bugs', query: { query_string: { query: 'labels.priority:low OR labels.size:3' } } }))).toEqual(['2', '3']);
    // the root answers wildcard as a keyword
    expect(ids(await t.client.search({ index: 'bugs', query: { wildcard: { labels: 'v2*' } } }))).toEqual(['3']);
  });

  it('leaves out values longer than ignore_above and records the field in _ignored', async () => {
    expect(ids(await t.client.search({ index: 'bugs', query: { term: { 'labels.note': 'a very long value here' } } }))).toEqual([]);
    const res = await t.client.search({ index: 'bugs', query: { ids: { values: ['2'] } }, fields: ['labels', 'labels.release'] });
    const hit = res.hits.hits[0]!;
    expect(hit._ignored).toEqual(['labels']);
    expect(hit.fields).toEqual({ labels: [{ priority: 'low', release: 'v1.4', verified: true }], 'labels.release': ['v1.4'] });
    expect((hit._source as { labels: { note: string } }).labels.note).toBe('a very long value here');
  });

  it('sorts and aggregates on keyed values and on the root', async () => {
    const sorted = await t.client.search({ index: 'bugs', sort: [{ 'labels.release': 'desc' }], query: { match_all: {} } });
    expect(sorted.hits.hits.map((h) => [h._id, h.sort])).toEqual([
      ['3', ['v2.0']],
      ['1', ['v1.6']],
      ['2', ['v1.4']],
    ]);
    const aggs = await t.client.search({
      index: 'bugs',
      size: 0,
      aggs: { release: { terms: { field: 'labels.release' } }, all: { terms: { field: 'labels', size: 3 } } },
    });
    const buckets = (name: string) => (aggs.aggregations![name] as { buckets: Array<{ key: string; doc_count: number }> }).buckets.map((b) => [b.key, b.doc_count]);
    expect(buckets('release')).toEqual([
      ['v1.4', 1],
      ['v1.5', 1],
      ['v1.6', 1],
      ['v2.0', 1],
    ]);
    expect(buckets('all')).toEqual([
      ['3', 1],
      ['low', 1],
      ['none', 1],
    ]);
  });

  it('splits full-text queries on white space with split_queries_on_whitespace', async () => {
    expect(ids(await t.client.search({ index: 'bugs', query: { match: { 'split.k': { query: 'x y', operator: 'or' } } } }))).toEqual(['1', '3']);
    expect(ids(await t.client.search({ index: 'bugs', query: { match: { 'labels.priority': 'low urgent' } } }))).toEqual([]);
  });

  it('refuses wildcard, regexp and fuzzy queries on keyed fields as Elasticsearch does', async () => {
    for (const query of [{ wildcard: { 'labels.release': 'v*' } }, { regexp: { 'labels.release': 'v.*' } }, { fuzzy: { 'labels.release': 'v1.5' } }]) {
      const kind = Object.keys(query)[0]!;
      await expect(t.client.search({ index: 'bugs', query })).rejects.toMatchObject({
        meta: { statusCode: 400, body: { error: { root_cause: [{ reason: expect.stringContaining(`[${kind}] queries are not currently supported on keyed [flattened] fields.`) }] } } },
      });
    }
  });

  it('refuses a range on a keyed field without both bounds', async () => {
    await expect(t.client.search({ index: 'bugs', query: { range: { 'labels.release': { gte: 'v1' } } } })).rejects.toThrow(
      '[range] queries on keyed [flattened] fields must include both an upper and a lower bound.',
    );
    expect(ids(await t.client.search({ index: 'bugs', query: { range: { labels: { gte: 'v2' } } } }))).toEqual(['3']);
  });

  it('validates its mapping parameters and the depth limit of documents', async () => {
    const refused = async (body: Record<string, unknown>, message: string) =>
      expect(t.client.indices.create({ index: 'bad', mappings: { properties: { f: { type: 'flattened', ...body } } } })).rejects.toThrow(message);
    await refused({ ignore_above: -2 }, '[ignore_above] must be positive, got [-2]');
    await refused({ depth_limit: -1 }, '[depth_limit] must be positive, got [-1]');
    await refused({ fields: { raw: { type: 'keyword' } } }, 'flattened field [f] does not support [fields]');
    await refused({ analyzer: 'standard' }, 'unknown parameter [analyzer] on mapper [f] of type [flattened]');
    await t.client.indices.create({ index: 'shallow', mappings: { properties: { f: { type: 'flattened', depth_limit: 2 } } } });
    await t.client.index({ index: 'shallow', id: '1', document: { f: { a: { b: 'ok' } } } });
    await expect(t.client.index({ index: 'shallow', id: '2', document: { f: { a: { b: { c: 'deep' } } } } })).rejects.toThrow(
      'The provided [flattened] field [f] exceeds the maximum depth limit of [2].',
    );
    const mapping = await t.client.indices.getMapping({ index: 'shallow' });
    expect(mapping.shallow!.mappings.properties!.f).toEqual({ type: 'flattened', depth_limit: 2 });
  });
});

import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from './helpers.js';

/**
 * The `alias` field type (FieldAliasMapper): another name for a field, usable wherever a search
 * names a field and answering under its own name; validated against its target; never written.
 */

const t = useTestClient(async (client) => {
  await client.indices.create({
    index: 'trips',
    mappings: {
      properties: {
        distance: { type: 'long', store: true },
        route_length: { type: 'alias', path: 'distance' },
        title: { type: 'text' },
        heading: { type: 'alias', path: 'title' },
        mode: { type: 'keyword' },
        transit: { type: 'alias', path: 'mode' },
        legs: { type: 'nested', properties: { km: { type: 'integer' }, length: { type: 'alias', path: 'legs.km' } } },
      },
    },
  });
  const docs = [
    { distance: 10, title: 'quick fox', mode: 'bus', legs: [{ km: 4 }, { km: 6 }] },
    { distance: 50, title: 'lazy dog', mode: 'train', legs: [{ km: 50 }] },
    { distance: 30, title: 'quick dog', mode: 'bus' },
  ];
  for (const [i, document] of docs.entries()) await client.index({ index: 'trips', id: String(i + 1), document });
  await client.indices.refresh({ index: 'trips' });
});

const ids = (hits: { _id?: string | null }[]): string[] => hits.map((h) => h._id ?? '');

describe('field alias', () => {
  it('answers queries on the alias as on its target (range, match, term, exists, query_string)', async () => {
    const range = await t.client.search({ index: 'trips', query: { range: { route_length: { gte: 20 } } }, sort: [{ distance: 'asc' }] });
    expect(ids(range.hits.hits)).toEqual(['3', '2']);
    const viaAlias = await t.client.search({ index: 'trips', query: { match: { heading: 'quick dog' } } });
    const viaTarget = await t.client.search({ index: 'trips', query: { match: { title: 'quick dog' } } });
    expect(viaAlias.hits.hits.map((h) => [h._id, h._score])).toEqual(viaTarget.hits.hits.map((h) => [h._id, h._score]));
    expect(ids((await t.client.search({ index: 'trips', query: { term: { transit: 'train' } } })).hits.hits)).toEqual(['2']);
    expect((await t.client.count({ index: 'trips', query: { exists: { field: 'transit' } } })).count).toBe(3);
    expect(ids((await t.client.search({ index: 'trips', query: { query_string: { query: 'heading:fox' } } })).hits.hits)).toEqual(['1']);
  });

  it('sorts and aggregates on the alias with the target values', async () => {
    const r = await t.client.search({
      index: 'trips',
      sort: [{ route_length: 'desc' }],
      aggs: { total: { sum: { field: 'route_length' } }, modes: { terms: { field: 'transit' } } },
    });
    expect(r.hits.hits.map((h) => h.sort)).toEqual([[50], [30], [10]]);
    expect((r.aggregations!.total as { value: number }).value).toBe(90);
    expect((r.aggregations!.modes as { buckets: { key: string; doc_count: number }[] }).buckets.map((b) => [b.key, b.doc_count])).toEqual([['bus', 2], ['train', 1]]);
  });

  it('collapses on the alias, the group value under the alias name', async () => {
    const r = await t.client.search({ index: 'trips', collapse: { field: 'transit' }, sort: [{ distance: 'asc' }] });
    expect(r.hits.hits.map((h) => [h._id, h.fields?.transit])).toEqual([['1', ['bus']], ['2', ['train']]]);
  });

  it('returns fields, docvalue_fields and stored_fields under the alias name; * patterns match aliases too', async () => {
    const r = await t.client.search({
      index: 'trips',
      query: { ids: { values: ['1'] } },
      _source: false,
      fields: ['route_*'],
      docvalue_fields: ['transit'],
      stored_fields: ['route_length'],
    });
    expect(r.hits.hits[0]!.fields).toEqual({ route_length: [10], transit: ['bus'] });
    const all = await t.client.search({ index: 'trips', query: { ids: { values: ['1'] } }, _source: false, fields: ['t*'] });
    expect(all.hits.hits[0]!.fields).toEqual({ title: ['quick fox'], transit: ['bus'] });
    const got = await t.client.get({ index: 'trips', id: '1', stored_fields: ['route_length'] });
    expect(got.fields).toEqual({ route_length: [10] });
  });

  it('highlights the alias under its own name', async () => {
    const r = await t.client.search({ index: 'trips', query: { match: { heading: 'fox' } }, highlight: { fields: { heading: {} } } });
    expect(r.hits.hits[0]!.highlight).toEqual({ heading: ['quick <em>fox</em>'] });
  });

  it('works inside a nested query when alias and target share the nested scope', async () => {
    const r = await t.client.search({ index: 'trips', query: { nested: { path: 'legs', query: { range: { 'legs.length': { gte: 5 } } } } } });
    expect(ids(r.hits.hits).sort()).toEqual(['1', '2']);
  });

  it('shows the alias in GET _mapping as defined', async () => {
    const m = await t.client.indices.getMapping({ index: 'trips' });
    expect(m.trips!.mappings.properties!.route_length).toEqual({ type: 'alias', path: 'distance' });
  });

  it('refuses writes to an alias and copy_to an alias', async () => {
    const write = await failure(t.client.index({ index: 'trips', id: '9', document: { route_length: 5 } }));
    expect(write.error.type).toBe('document_parsing_exception');
    expect(write.error.reason).toBe('Cannot write to a field alias [route_length].');
    await t.client.indices.create({ index: 'copy', mappings: { properties: { a: { type: 'keyword' }, b: { type: 'alias', path: 'a' }, c: { type: 'keyword', copy_to: 'b' } } } });
    const copy = await failure(t.client.index({ index: 'copy', id: '1', document: { c: 'x' } }));
    expect(copy.error.reason).toBe('Cannot copy to a field alias [b].');
  });

  it('refuses an invalid path with the reason Elasticsearch gives', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ x: { type: 'alias', path: 'nope' } }, 'mapper_parsing_exception', 'Invalid [path] value [nope] for field alias [x]: an alias must refer to an existing field in the mappings.'],
      [{ x: { type: 'alias', path: 'x' } }, 'mapper_parsing_exception', 'Invalid [path] value [x] for field alias [x]: an alias cannot refer to itself.'],
      [{ x: { type: 'alias', path: 'route_length' } }, 'mapper_parsing_exception', 'Invalid [path] value [route_length] for field alias [x]: an alias cannot refer to another alias.'],
      [{ obj: { properties: { y: { type: 'long' } } }, x: { type: 'alias', path: 'obj' } }, 'mapper_parsing_exception', 'Invalid [path] value [obj] for field alias [x]: an alias must refer to an existing field in the mappings.'],
      [{ x: { type: 'alias', path: 'legs.km' } }, 'illegal_argument_exception', 'Invalid [path] value [legs.km] for field alias [x]: an alias must have the same nested scope as its target. The alias is not nested, but the target\'s nested scope is [legs].'],
      [{ legs: { type: 'nested', properties: { d: { type: 'alias', path: 'distance' } } } }, 'illegal_argument_exception', 'Invalid [path] value [distance] for field alias [legs.d]: an alias must have the same nested scope as its target. The alias\'s nested scope is [legs], but the target is not nested.'],
      [{ x: { type: 'alias' } }, 'mapper_parsing_exception', 'The [path] property must be specified for field [x].'],
      [{ route_length: { type: 'long' } }, 'illegal_argument_exception', 'Cannot merge a field alias mapping [route_length] with a mapping that is not for a field alias.'],
    ];
    for (const [properties, type, reason] of cases) {
      const bad = await failure(t.client.indices.putMapping({ index: 'trips', properties } as never));
      expect([bad.error.type, bad.error.reason]).toEqual([type, reason]);
    }
    // a refused update leaves the mapping as it was
    expect((await t.client.count({ index: 'trips', query: { range: { route_length: { gte: 20 } } } })).count).toBe(2);
  });

  it('can point an alias at another field with a mapping update', async () => {
    await t.client.indices.putMapping({ index: 'trips', properties: { transit: { type: 'alias', path: 'title' } } });
    expect(ids((await t.client.search({ index: 'trips', query: { match: { transit: 'lazy' } } })).hits.hits)).toEqual(['2']);
  });
});

describe('field alias of a date_nanos field', () => {
  it('sorts, queries and fetches doc values to the nanosecond through the alias', async () => {
    await t.client.indices.create({ index: 'nanos', mappings: { properties: { ts: { type: 'date_nanos' }, at: { type: 'alias', path: 'ts' } } } });
    await t.client.index({ index: 'nanos', id: 'a', document: { ts: '2024-01-01T00:00:00.000000002Z' } });
    await t.client.index({ index: 'nanos', id: 'b', document: { ts: '2024-01-01T00:00:00.000000001Z' } });
    await t.client.indices.refresh({ index: 'nanos' });
    const viaAlias = await t.client.search({ index: 'nanos', sort: [{ at: 'asc' }], docvalue_fields: ['at'] });
    const viaTarget = await t.client.search({ index: 'nanos', sort: [{ ts: 'asc' }], docvalue_fields: ['ts'] });
    expect(viaAlias.hits.hits.map((h) => [h._id, h.sort])).toEqual(viaTarget.hits.hits.map((h) => [h._id, h.sort]));
    expect(viaAlias.hits.hits.map((h) => h._id)).toEqual(['b', 'a']);
    expect(viaAlias.hits.hits.map((h) => h.fields?.at)).toEqual(viaTarget.hits.hits.map((h) => h.fields?.ts));
    const range = await t.client.search({ index: 'nanos', query: { range: { at: { gt: '2024-01-01T00:00:00.000000001Z' } } } });
    expect(range.hits.hits.map((h) => h._id)).toEqual(['a']);
  });
});

describe('field alias in field patterns', () => {
  it('is matched by exists and multi_match patterns, standing for its target', async () => {
    // `route_*` matches only the alias route_length: its target's documents are found
    expect((await t.client.count({ index: 'trips', query: { exists: { field: 'route_*' } } })).count).toBe(3);
    const viaPattern = await t.client.search({ index: 'trips', query: { multi_match: { query: 'fox', fields: ['head*'] } } });
    const viaTarget = await t.client.search({ index: 'trips', query: { multi_match: { query: 'fox', fields: ['title'] } } });
    expect(viaPattern.hits.hits.map((h) => [h._id, h._score])).toEqual(viaTarget.hits.hits.map((h) => [h._id, h._score]));
    expect(viaPattern.hits.hits.map((h) => h._id)).toEqual(['1']);
    // a pattern matching both an alias and its target counts the field once
    const both = await t.client.search({ index: 'trips', query: { multi_match: { query: 'fox', type: 'most_fields', fields: ['*i*'] } } });
    const once = await t.client.search({ index: 'trips', query: { multi_match: { query: 'fox', type: 'most_fields', fields: ['title'] } } });
    expect(both.hits.hits.map((h) => h._score)).toEqual(once.hits.hits.map((h) => h._score));
  });
});

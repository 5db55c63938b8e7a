import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from './helpers.js';

const t = useTestClient();

describe('index.mapping.total_fields.ignore_dynamic_beyond_limit', () => {
  it('leaves dynamic fields past the limit out of the mapping and lists them in _ignored', async () => {
    // 3 fields: a (long) and b (text + its keyword sub-field); a new string takes 2 more, a number 1
    await t.client.indices.create({ index: 'lim', settings: { 'index.mapping.total_fields.limit': 4, 'index.mapping.total_fields.ignore_dynamic_beyond_limit': true }, mappings: { properties: { a: { type: 'long' }, b: { type: 'text', fields: { keyword: { type: 'keyword' } } } } } });
    await t.client.index({ index: 'lim', id: '1', document: { a: 1, s: 'text', n: 2, m: 3 }, refresh: true });
    const mapping = await t.client.indices.getMapping({ index: 'lim' });
    // s (2 fields) would make 5: ignored; n fits (4); m would make 5: ignored
    expect(Object.keys(mapping.lim!.mappings.properties!).sort()).toEqual(['a', 'b', 'n']);
    const hit = await t.client.search({ index: 'lim', query: { term: { _ignored: 'm' } }, stored_fields: ['_ignored'], _source: true });
    expect(hit.hits.hits.map((h) => h._id)).toEqual(['1']);
    expect((hit.hits.hits[0] as { _ignored?: string[] })._ignored).toEqual(['m', 's']);
    // the values stay in _source
    expect(hit.hits.hits[0]!._source).toEqual({ a: 1, s: 'text', n: 2, m: 3 });
    const agg = await t.client.search({ index: 'lim', size: 0, aggs: { f: { terms: { field: '_ignored' } } } });
    expect((agg.aggregations!.f as { buckets: Array<{ key: string }> }).buckets.map((b) => b.key)).toEqual(['m', 's']);
  });

  it('fails the document without the setting, and follows the setting when it is updated', async () => {
    await t.client.indices.create({ index: 'lim2', settings: { 'index.mapping.total_fields.limit': 1 }, mappings: { properties: { a: { type: 'long' } } } });
    const refused = await failure(t.client.index({ index: 'lim2', id: '1', document: { x: 1 } }));
    expect(refused.error.type).toBe('document_parsing_exception');
    expect(refused.error.reason).toBe('failed to parse: Limit of total fields [1] has been exceeded while adding new fields [1]');
    await t.client.indices.putSettings({ index: 'lim2', settings: { 'index.mapping.total_fields.ignore_dynamic_beyond_limit': true } });
    await t.client.index({ index: 'lim2', id: '1', document: { x: 1, obj: { y: 'z' } }, refresh: true });
    const hit = await t.client.search({ index: 'lim2', stored_fields: ['_ignored'] });
    // an object past the limit is left out whole, under its own name
    expect((hit.hits.hits[0] as { _ignored?: string[] })._ignored).toEqual(['obj', 'x']);
    const bad = await failure(t.client.indices.putSettings({ index: 'lim2', settings: { 'index.mapping.total_fields.ignore_dynamic_beyond_limit': 'maybe' } }));
    expect(bad.status).toBe(400);
  });
});

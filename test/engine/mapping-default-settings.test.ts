import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from './helpers.js';

const t = useTestClient();

async function ignoredOf(index: string, id: string): Promise<unknown> {
  const hit = await t.client.search({ index, query: { ids: { values: [id] } }, stored_fields: ['_ignored'] });
  return (hit.hits.hits[0] as { _ignored?: unknown } | undefined)?._ignored;
}

describe('index.mapping.ignore_malformed and index.mapping.coerce', () => {
  it('ignore_malformed: every field that takes the parameter defaults to the setting; a field may still say false', async () => {
    await t.client.indices.create({
      index: 'im',
      settings: { 'index.mapping.ignore_malformed': true },
      mappings: { properties: { n: { type: 'integer' }, d: { type: 'date' }, ip: { type: 'ip' }, b: { type: 'boolean' }, strict: { type: 'long', ignore_malformed: false }, k: { type: 'keyword' } } },
    });
    await t.client.index({ index: 'im', id: '1', document: { n: 'x', d: 'not a date', ip: 'nope', b: 'maybe', k: 'fine' } });
    await t.client.index({ index: 'im', id: '2', document: { n: 7, d: '2020-01-01', ip: '10.0.0.1', b: true } });
    // a dynamically mapped long takes the default too
    await t.client.index({ index: 'im', id: '3', document: { dyn: 5 } });
    await t.client.index({ index: 'im', id: '4', document: { dyn: 'five' } });
    const refused = await failure(t.client.index({ index: 'im', id: '5', document: { strict: 'x' } }));
    expect(refused.error.type).toBe('document_parsing_exception');
    await t.client.indices.refresh({ index: 'im' });
    expect(await ignoredOf('im', '1')).toEqual(['b', 'd', 'ip', 'n']);
    expect(await ignoredOf('im', '2')).toBeUndefined();
    expect(await ignoredOf('im', '4')).toEqual(['dyn']);
    // _ignored is searchable and, since 8.15, aggregatable
    const agg = await t.client.search({ index: 'im', size: 0, query: { exists: { field: '_ignored' } }, aggs: { f: { terms: { field: '_ignored' } } } });
    expect((agg.hits.total as { value: number }).value).toBe(2);
    expect((agg.aggregations!.f as { buckets: Array<{ key: string; doc_count: number }> }).buckets.map((b) => [b.key, b.doc_count])).toEqual([
      ['b', 1],
      ['d', 1],
      ['dyn', 1],
      ['ip', 1],
      ['n', 1],
    ]);
    const kept = await t.client.search({ index: 'im', query: { term: { _ignored: 'n' } } });
    expect(kept.hits.hits.map((h) => h._id)).toEqual(['1']);
    // the malformed value stays in _source
    expect(kept.hits.hits[0]!._source).toMatchObject({ n: 'x' });
  });

  it('coerce: false refuses strings and fractions in numeric fields unless the field says coerce: true', async () => {
    await t.client.indices.create({
      index: 'co',
      settings: { 'index.mapping.coerce': false },
      mappings: { properties: { n: { type: 'integer' }, lenient: { type: 'integer', coerce: true }, r: { type: 'integer_range' } } },
    });
    const string = await failure(t.client.index({ index: 'co', id: '1', document: { n: '5' } }));
    expect(string.error.type).toBe('document_parsing_exception');
    expect((string.error.caused_by as { reason: string }).reason).toBe("[coerce] is false, can't parse a string value [5]");
    const fraction = await failure(t.client.index({ index: 'co', id: '1', document: { n: 5.5 } }));
    expect((fraction.error.caused_by as { reason: string }).reason).toBe('Value [5.5] has a decimal part');
    await t.client.index({ index: 'co', id: '2', document: { n: 5, lenient: '6' }, refresh: true });
    const found = await t.client.search({ index: 'co', query: { term: { lenient: 6 } } });
    expect(found.hits.hits.map((h) => h._id)).toEqual(['2']);
    // both with ignore_malformed: the string is left out and listed
    await t.client.indices.create({ index: 'co-im', settings: { 'index.mapping.coerce': false, 'index.mapping.ignore_malformed': true }, mappings: { properties: { n: { type: 'integer' } } } });
    await t.client.index({ index: 'co-im', id: '1', document: { n: '5' }, refresh: true });
    expect(await ignoredOf('co-im', '1')).toEqual(['n']);
  });

  it('checks the values, keeps the settings static, and shows them', async () => {
    const bad = await failure(t.client.indices.create({ index: 'bad', settings: { 'index.mapping.coerce': 'yes' } }));
    expect(bad.status).toBe(400);
    expect(bad.error.reason).toBe('Failed to parse value [yes] as only [true] or [false] are allowed.');
    await t.client.indices.create({ index: 'shown', settings: { 'index.mapping.ignore_malformed': true } });
    const settings = await t.client.indices.getSettings({ index: 'shown', flat_settings: true });
    expect(settings.shown!.settings!['index.mapping.ignore_malformed' as never]).toBe('true');
    const update = await failure(t.client.indices.putSettings({ index: 'shown', settings: { 'index.mapping.ignore_malformed': false } }));
    expect(update.status).toBe(400);
    // a closed index takes the update; its fields follow the new default once it is open again
    await t.client.indices.create({ index: 'reopened', mappings: { properties: { n: { type: 'integer' } } } });
    await t.client.indices.close({ index: 'reopened' });
    await t.client.indices.putSettings({ index: 'reopened', settings: { 'index.mapping.ignore_malformed': true } });
    await t.client.indices.open({ index: 'reopened' });
    await t.client.index({ index: 'reopened', id: '1', document: { n: 'x' }, refresh: true });
    expect(await ignoredOf('reopened', '1')).toEqual(['n']);
    expect(update.error.reason).toMatch(/^Can't update non dynamic settings \[\[index\.mapping\.ignore_malformed\]\] for open indices \[\[shown\/[\w-]+\]\]$/);
  });
});

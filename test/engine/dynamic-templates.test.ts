import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from './helpers.js';

/** dynamic_templates: new fields mapped by the first template whose conditions hold. */

const t = useTestClient(async (client) => {
  await client.indices.create({
    index: 'events',
    mappings: {
      dynamic_templates: [
        { ids: { match: '*_id', unmatch: 'raw_*', mapping: { type: 'keyword' } } },
        { user_strings: { path_match: ['user.*', 'actor.*'], path_unmatch: '*.bio', match_mapping_type: 'string', mapping: { type: 'keyword', ignore_above: 8 } } },
        { whole_numbers: { match_mapping_type: 'long', mapping: { type: 'integer' } } },
        { typed: { match: 'note_*', mapping: { type: 'text', analyzer: 'whitespace', fields: { '{name}_raw': { type: 'keyword' } } } } },
        { untyped: { match: 'flag_*', match_mapping_type: ['boolean', 'double'], mapping: { store: true } } },
      ],
    },
  });
  await client.index({
    index: 'events',
    id: '1',
    refresh: true,
    document: { order_id: 7, raw_id: 'x', user: { name: 'Ada Lovelace', bio: 'First programmer' }, count: 3, note_a: 'Hello World', flag_b: true, flag_c: 1.5 },
  });
});

describe('dynamic_templates', () => {
  it('maps new fields by name, path and detected type, first fitting template first, placeholders replaced', async () => {
    const mapping = (await t.client.indices.getMapping({ index: 'events' })).events!.mappings.properties!;
    expect(mapping.order_id).toEqual({ type: 'keyword' });
    // unmatch keeps raw_id out of `ids`; as a string it gets the default text + keyword
    expect(mapping.raw_id).toEqual({ type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } });
    const user = (mapping.user as { properties: Record<string, unknown> }).properties;
    expect(user.name).toEqual({ type: 'keyword', ignore_above: 8 });
    expect(user.bio).toEqual({ type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } });
    expect(mapping.count).toEqual({ type: 'integer' });
    expect(mapping.note_a).toEqual({ type: 'text', analyzer: 'whitespace', fields: { note_a_raw: { type: 'keyword' } } });
    // a template without a type takes the detected type's default mapping type
    expect(mapping.flag_b).toEqual({ store: true, type: 'boolean' });
    expect(mapping.flag_c).toEqual({ store: true, type: 'float' });
    // user.name is a keyword above its ignore_above: not searchable by its value
    const hits = await t.client.search({ index: 'events', query: { term: { 'user.name': 'Ada Lovelace' } } });
    expect(hits.hits.hits).toEqual([]);
    const byId = await t.client.search({ index: 'events', query: { term: { order_id: '7' } } });
    expect(byId.hits.hits.map((h) => h._id)).toEqual(['1']);
  });

  it('replaces a template of the same name and appends new ones on put mapping', async () => {
    await t.client.indices.putMapping({ index: 'events', dynamic_templates: [{ whole_numbers: { match_mapping_type: 'long', mapping: { type: 'short' } } }, { extra: { match: 'zz', mapping: { type: 'keyword' } } }] });
    const templates = (await t.client.indices.getMapping({ index: 'events' })).events!.mappings.dynamic_templates!;
    expect(templates.map((x) => Object.keys(x)[0])).toEqual(['ids', 'user_strings', 'whole_numbers', 'typed', 'untyped', 'extra']);
    expect(templates[2]).toEqual({ whole_numbers: { match_mapping_type: 'long', mapping: { type: 'short' } } });
  });

  it('refuses an unknown template parameter or detected type', async () => {
    const bad = await failure(t.client.indices.create({ index: 'bad', mappings: { dynamic_templates: [{ x: { match: 'a', mapping: {}, matches: 'b' } }] } as never }));
    expect(bad.error.type).toBe('mapper_parsing_exception');
    expect(String(bad.error.reason)).toContain('Illegal dynamic template parameter: [matches]');
    const type = await failure(t.client.indices.create({ index: 'bad', mappings: { dynamic_templates: [{ x: { match_mapping_type: 'text', mapping: {} } }] } }));
    expect(String(type.error.reason)).toContain('No field type matched on [text], possible values are [object, string, long, double, boolean, date, binary]');
  });
});

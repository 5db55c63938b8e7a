import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from './helpers.js';

/**
 * `_field_caps` (FieldCapabilitiesFetcher, TransportFieldCapabilitiesAction). The expectations of
 * the filters and types follow Elasticsearch's field_caps/50_fieldtype_filter.yml (whose set-up
 * needs runtime fields, so it is replayed here without them); the metadata fields' capabilities
 * are those of their MappedFieldTypes in 8.19 (e.g. the `_doc_count` family `integer`, as
 * elastic/elasticsearch#107031 shows a cluster answering).
 */

const t = useTestClient(async (client) => {
  await client.indices.create({
    index: 'test1',
    mappings: {
      properties: {
        text: { type: 'text', fields: { keyword: { type: 'keyword' } } },
        keyword: { type: 'keyword' },
        misc: { type: 'text' },
        object: { type: 'object', properties: { nested1: { type: 'text', index: false }, nested2: { type: 'float', doc_values: false } } },
        level1: { type: 'nested', properties: { level2: { type: 'object', properties: { leaf1: { type: 'text', index: false } } } } },
        tags: { type: 'keyword', meta: { unit: 'none' } },
        title_alias: { type: 'alias', path: 'text' },
      },
    },
  });
  await client.indices.create({
    index: 'test3',
    mappings: {
      properties: {
        text: { type: 'text' },
        keyword: { type: 'keyword' },
        non_indexed_keyword: { type: 'keyword', index: false },
        non_indexed_boolean: { type: 'boolean', index: false },
        object: { type: 'nested', properties: { nested1: { type: 'long', index: false }, nested2: { type: 'keyword', doc_values: false } } },
      },
    },
  });
  await client.indices.create({ index: 'empty' });
  await client.index({ index: 'test3', id: '1', document: { keyword: 'a' }, refresh: true });
});

type Caps = Record<string, Record<string, Record<string, unknown>>>;
const fieldCaps = async (params: Record<string, unknown>): Promise<{ indices: string[]; fields: Caps }> =>
  (await t.client.fieldCaps({ index: 'test1,test3', fields: '*', ...params })) as unknown as { indices: string[]; fields: Caps };

describe('_field_caps', () => {
  it('lists leaves, multi-fields, aliases, metadata fields and the objects above the fields', async () => {
    const r = await fieldCaps({});
    expect(r.indices).toEqual(['test1', 'test3']);
    for (const name of ['object', 'text', 'text.keyword', '_seq_no', 'level1.level2.leaf1', 'level1', 'level1.level2', 'title_alias']) expect(r.fields[name], name).toBeDefined();
    expect(r.fields.object).toEqual({
      object: { type: 'object', metadata_field: false, searchable: false, aggregatable: false, indices: ['test1'] },
      nested: { type: 'nested', metadata_field: false, searchable: false, aggregatable: false, indices: ['test3'] },
    });
    expect(r.fields.title_alias).toEqual({ text: { type: 'text', metadata_field: false, searchable: true, aggregatable: false } });
    expect(r.fields._id).toEqual({ _id: { type: '_id', metadata_field: true, searchable: true, aggregatable: false } });
    expect(r.fields._doc_count).toEqual({ integer: { type: 'integer', metadata_field: true, searchable: false, aggregatable: false } });
    expect(r.fields._index).toEqual({ _index: { type: '_index', metadata_field: true, searchable: true, aggregatable: true } });
  });

  it('lists the indices that disagree on searchable and aggregatable, and merges meta', async () => {
    const r = await fieldCaps({ fields: ['object.*', 'tags'] });
    // nested1: text not indexed (test1) vs long on doc values only (test3), which is searchable
    expect(r.fields['object.nested1']).toEqual({
      text: { type: 'text', metadata_field: false, searchable: false, aggregatable: false, indices: ['test1'] },
      long: { type: 'long', metadata_field: false, searchable: true, aggregatable: true, indices: ['test3'] },
    });
    expect(r.fields.tags).toEqual({ keyword: { type: 'keyword', metadata_field: false, searchable: true, aggregatable: true, meta: { unit: ['none'] } } });
    const both = await t.client.fieldCaps({ index: 'test1,test3', fields: 'keyword', include_unmapped: true });
    expect(both.fields.keyword).toEqual({ keyword: { type: 'keyword', metadata_field: false, searchable: true, aggregatable: true } });
    const unmapped = await t.client.fieldCaps({ index: 'test1,test3', fields: 'misc', include_unmapped: true });
    expect(unmapped.fields.misc).toEqual({
      text: { type: 'text', metadata_field: false, searchable: true, aggregatable: false, indices: ['test1'] },
      unmapped: { type: 'unmapped', metadata_field: false, searchable: false, aggregatable: false, indices: ['test3'] },
    });
  });

  it('applies the -parent, +metadata, -metadata, -nested and -multifield filters', async () => {
    const noParent = await fieldCaps({ filters: '-parent' });
    expect(noParent.fields['object.nested1']).toBeDefined();
    expect(noParent.fields.object).toBeUndefined();
    expect((await fieldCaps({ filters: '-metadata' })).fields._seq_no).toBeUndefined();
    const meta = await fieldCaps({ filters: '+metadata' });
    expect(meta.fields._seq_no).toBeDefined();
    expect(meta.fields.text).toBeUndefined();
    const noNested = await fieldCaps({ filters: '-nested' });
    expect(noNested.fields.level1).toBeUndefined();
    expect(noNested.fields['level1.level2.leaf1']).toBeUndefined();
    // object.nested1 is inside a nested object in test3 only
    expect(Object.keys(noNested.fields['object.nested1'] ?? {})).toEqual(['text']);
    const noMulti = await fieldCaps({ filters: '-multifield' });
    expect(noMulti.fields['text.keyword']).toBeUndefined();
    expect(noMulti.fields.text).toBeDefined();
    expect(await failure(fieldCaps({ filters: '-foo' }))).toMatchObject({ status: 400, error: { type: 'illegal_argument_exception', reason: 'Unknown field caps filter [-foo]' } });
  });

  it('keeps only the requested types, the parents of kept fields still listed', async () => {
    const r = await fieldCaps({ types: 'text,keyword,long' });
    expect(r.fields.non_indexed_boolean).toBeUndefined();
    expect(r.fields.non_indexed_keyword).toBeDefined();
    expect(r.fields.misc).toBeDefined();
    const named = await fieldCaps({ fields: ['non_*', 'text'], types: 'text,keyword,long' });
    expect(Object.keys(named.fields).sort()).toEqual(['non_indexed_keyword', 'text']);
  });

  it('leaves out empty fields with include_empty_fields=false, and lists nothing of an index without a mapping', async () => {
    const r = (await t.client.fieldCaps({ index: 'test3', fields: '*', include_empty_fields: false })) as unknown as { fields: Caps };
    expect(Object.keys(r.fields).sort()).toEqual(['_id', '_index', '_index_mode', '_seq_no', '_source', '_tier', '_version', 'keyword']);
    const empty = (await t.client.fieldCaps({ index: 'empty', fields: '*' })) as unknown as { indices: string[]; fields: Caps };
    expect(empty).toEqual({ indices: ['empty'], fields: {} });
  });

  it('answers Elasticsearch errors for a missing fields list, both fields forms and an unknown index', async () => {
    expect(await failure(t.client.fieldCaps({ index: 'test1' }))).toMatchObject({ status: 400, error: { type: 'action_request_validation_exception' } });
    expect(await failure(t.client.transport.request({ method: 'POST', path: '/test1/_field_caps', querystring: { fields: 'a' }, body: { fields: ['b'] } }))).toMatchObject({
      status: 400,
      error: { type: 'illegal_argument_exception' },
    });
    expect(await failure(t.client.fieldCaps({ index: 'nope', fields: '*' }))).toMatchObject({ status: 404, error: { type: 'index_not_found_exception' } });
  });
});

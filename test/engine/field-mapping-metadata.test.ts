import { describe, expect, it } from 'vitest';
import { useTestClient } from './helpers.js';

const t = useTestClient(async (client) => {
  await client.indices.create({ index: 'fm', mappings: { _routing: { required: true }, properties: { title: { type: 'text' } } } });
});

describe('get field mapping: metadata fields', () => {
  it('lists every metadata mapper a `*` pattern matches, unconfigured ones with an empty mapping', async () => {
    const res = await t.client.indices.getFieldMapping({ index: 'fm', fields: '*' });
    const mappings = res.fm!.mappings;
    expect(mappings._id).toEqual({ full_name: '_id', mapping: {} });
    expect(mappings._source).toEqual({ full_name: '_source', mapping: {} });
    expect(mappings._routing).toEqual({ full_name: '_routing', mapping: { _routing: { required: true } } });
    expect(mappings.title).toEqual({ full_name: 'title', mapping: { title: { type: 'text' } } });
    expect(Object.keys(mappings).sort()).toEqual(['_data_stream_timestamp', '_doc_count', '_feature', '_field_names', '_id', '_ignored', '_ignored_source', '_index', '_index_mode', '_nested_path', '_routing', '_seq_no', '_source', '_tier', '_version', 'title']);
  });

  it('answers a metadata field named exactly or matched by a narrower pattern', async () => {
    const res = await t.client.indices.getFieldMapping({ index: 'fm', fields: ['_index', '_s*'] });
    expect(Object.keys(res.fm!.mappings).sort()).toEqual(['_index', '_seq_no', '_source']);
    expect(res.fm!.mappings._index).toEqual({ full_name: '_index', mapping: {} });
  });
});

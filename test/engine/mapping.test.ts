import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from './helpers.js';

const t = useTestClient();


describe('mapping', () => {
  it('maps new fields dynamically as Elasticsearch does', async () => {
    await t.client.index({
      index: 'dyn',
      id: '1',
      document: { title: 'x', count: 3, ratio: 1.5, flag: true, when: '2024-05-01T10:00:00Z', numeric_string: '42', user: { name: 'a' }, tags: [null, 'a'], nothing: null, empty: [] },
    });
    const mapping = await t.client.indices.getMapping({ index: 'dyn' });
    expect(mapping.dyn!.mappings).toEqual({
      properties: {
        count: { type: 'long' },
        flag: { type: 'boolean' },
        numeric_string: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
        ratio: { type: 'float' },
        tags: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
        title: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
        user: { properties: { name: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } } } },
        when: { type: 'date' },
      },
    });
  });

  it('rejects unknown fields under dynamic: strict, at any level', async () => {
    await t.client.indices.create({ index: 'strict', mappings: { dynamic: 'strict', properties: { title: { type: 'text' }, meta: { type: 'object', dynamic: 'strict', properties: { a: { type: 'keyword' } } } } } });
    const top = await failure(t.client.index({ index: 'strict', id: '1', document: { title: 'a', other: 1 } }));
    expect(top.status).toBe(400);
    expect(top.error).toMatchObject({ type: 'strict_dynamic_mapping_exception', reason: 'mapping set to strict, dynamic introduction of [other] within [_doc] is not allowed' });
    const inner = await failure(t.client.index({ index: 'strict', id: '1', document: { meta: { b: 1 } } }));
    expect(inner.error.reason).toBe('mapping set to strict, dynamic introduction of [b] within [meta] is not allowed');
  });

  it('ignores unknown fields under dynamic: false but keeps them in _source', async () => {
    await t.client.indices.create({ index: 'nodyn', mappings: { dynamic: false, properties: { a: { type: 'keyword' } } } });
    await t.client.index({ index: 'nodyn', id: '1', document: { a: 'x', b: 'y' } });
    expect((await t.client.get({ index: 'nodyn', id: '1' }))._source).toEqual({ a: 'x', b: 'y' });
    expect((await t.client.indices.getMapping({ index: 'nodyn' })).nodyn!.mappings.properties).toEqual({ a: { type: 'keyword' } });
  });

  it('coerces numeric strings and rejects malformed numbers with the Elasticsearch error', async () => {
    await t.client.indices.create({ index: 'nums', mappings: { properties: { price: { type: 'long' }, score: { type: 'float' }, strictn: { type: 'integer', coerce: false } } } });
    await t.client.index({ index: 'nums', id: '1', document: { price: '5', score: '1.5' } });
    const bad = await failure(t.client.index({ index: 'nums', id: '1', document: { price: 'abc' } }));
    expect(bad.status).toBe(400);
    expect(bad.error.type).toBe('document_parsing_exception');
    expect(bad.error.reason).toBe("failed to parse field [price] of type [long] in document with id '1'. Preview of field's value: 'abc'");
    expect(bad.error.caused_by).toMatchObject({ type: 'illegal_argument_exception', reason: 'For input string: "abc"' });
    const noCoerce = await failure(t.client.index({ index: 'nums', id: '2', document: { strictn: '5' } }));
    expect(noCoerce.status).toBe(400);
  });

  it('parses floating-point strings as Double.parseDouble does: a type suffix is fine, a hex literal is not', async () => {
    await t.client.indices.create({ index: 'dbl', mappings: { properties: { d: { type: 'double' } } } });
    await t.client.index({ index: 'dbl', id: '1', document: { d: '1.5d' }, refresh: true });
    const r = await t.client.search({ index: 'dbl', size: 0, aggs: { s: { sum: { field: 'd' } } } });
    expect((r.aggregations as Record<string, { value: number }>).s?.value).toBe(1.5);
    const hex = await failure(t.client.index({ index: 'dbl', id: '2', document: { d: '0x10' } }));
    expect(hex.error.caused_by).toMatchObject({ reason: 'For input string: "0x10"' });
  });

  it('parses booleans and dates with formats', async () => {
    await t.client.indices.create({
      index: 'types',
      mappings: { properties: { ok: { type: 'boolean' }, d1: { type: 'date', format: 'yyyy-MM-dd HH:mm:ss' }, d2: { type: 'date', format: 'epoch_second' }, d3: { type: 'date' } } },
    });
    await t.client.index({ index: 'types', id: '1', document: { ok: 'false', d1: '2024-01-02 03:04:05', d2: 1700000000, d3: 1700000000000 } });
    const bool = await failure(t.client.index({ index: 'types', id: '2', document: { ok: 'yes' } }));
    expect((bool.error.caused_by as { reason: string }).reason).toBe('Failed to parse value [yes] as only [true] or [false] are allowed.');
    const date = await failure(t.client.index({ index: 'types', id: '3', document: { d1: '2024-01-02' } }));
    expect((date.error.caused_by as { reason: string }).reason).toBe('failed to parse date field [2024-01-02] with format [yyyy-MM-dd HH:mm:ss]');
  });

  it('merges additive mapping changes and refuses conflicting ones', async () => {
    await t.client.indices.create({ index: 'merge', mappings: { properties: { title: { type: 'text' } } } });
    await t.client.indices.putMapping({ index: 'merge', properties: { body: { type: 'text' }, title: { type: 'text', fields: { raw: { type: 'keyword' } } } } });
    const mapping = await t.client.indices.getMapping({ index: 'merge' });
    expect(mapping.merge!.mappings.properties).toEqual({ body: { type: 'text' }, title: { type: 'text', fields: { raw: { type: 'keyword' } } } });
    const conflict = await failure(t.client.indices.putMapping({ index: 'merge', properties: { title: { type: 'keyword' } } }));
    expect(conflict.status).toBe(400);
    expect(conflict.error).toMatchObject({ type: 'illegal_argument_exception', reason: 'mapper [title] cannot be changed from type [text] to [keyword]' });
    const analyzer = await failure(t.client.indices.putMapping({ index: 'merge', properties: { body: { type: 'text', analyzer: 'english' } } }));
    expect(analyzer.error.reason).toBe('Mapper for [body] conflicts with existing mapper:\n\tCannot update parameter [analyzer] from [default] to [english]');
  });

  it('rejects unknown field types and parameters at index creation', async () => {
    const type = await failure(t.client.indices.create({ index: 'badtype', mappings: { properties: { a: { type: 'strange' } } } as never }));
    expect(type.error).toMatchObject({ type: 'mapper_parsing_exception', reason: 'Failed to parse mapping: No handler for type [strange] declared on field [a]' });
    const param = await failure(t.client.indices.create({ index: 'badparam', mappings: { properties: { a: { type: 'keyword', bogus: 1 } } } as never }));
    expect(param.error.reason).toBe('Failed to parse mapping: unknown parameter [bogus] on mapper [a] of type [keyword]');
    const unsupported = await failure(t.client.indices.create({ index: 'badvec', mappings: { properties: { a: { type: 'sparse_vector' } } } }));
    expect(unsupported.error.reason).toContain('not supported by the indexkit embedded engine');
    expect(await t.client.indices.exists({ index: 'badtype' })).toBe(false);
  });

  it('keeps _meta and _source settings, and filters the stored source', async () => {
    await t.client.indices.create({ index: 'meta', mappings: { _meta: { owner: 'me' }, _source: { excludes: ['secret'] }, properties: { a: { type: 'keyword' } } } });
    await t.client.index({ index: 'meta', id: '1', document: { a: 'x', secret: 's' } });
    expect((await t.client.get({ index: 'meta', id: '1' }))._source).toEqual({ a: 'x' });
    const mapping = await t.client.indices.getMapping({ index: 'meta' });
    expect(mapping.meta!.mappings._meta).toEqual({ owner: 'me' });
  });

  it('refuses dynamic_templates with runtime fields with a clear 400', async () => {
    const error = await failure(t.client.indices.create({ index: 'dt', mappings: { dynamic_templates: [{ s: { match_mapping_type: 'string', runtime: { type: 'keyword' } } }] } }));
    expect(error.error.reason).toBe('[dynamic_templates with runtime fields] is not supported by the indexkit embedded engine');
  });

  it('refuses a concrete value for an object field', async () => {
    await t.client.indices.create({ index: 'obj', mappings: { properties: { user: { properties: { name: { type: 'keyword' } } } } } });
    const error = await failure(t.client.index({ index: 'obj', id: '1', document: { user: 'x' } }));
    expect(error.error.reason).toBe('object mapping for [user] tried to parse field [user] as object, but found a concrete value');
  });
});

describe('mapping limits', () => {
  it('enforces index.mapping.total_fields.limit on dynamic updates and put-mapping', async () => {
    await t.client.indices.create({ index: 'limited', settings: { 'index.mapping.total_fields.limit': 3 } });
    await t.client.index({ index: 'limited', id: '1', document: { a: 1, b: 2, c: 3 } });
    const dynamic = await failure(t.client.index({ index: 'limited', id: '2', document: { d: 4 } }));
    expect(dynamic.status).toBe(400);
    expect(dynamic.error.type).toBe('document_parsing_exception');
    expect(dynamic.error.reason).toBe('failed to parse: Limit of total fields [3] has been exceeded while adding new fields [1]');
    const put = await failure(t.client.indices.putMapping({ index: 'limited', properties: { e: { type: 'keyword' } } }));
    expect(put.error).toMatchObject({ type: 'illegal_argument_exception', reason: 'Limit of total fields [3] has been exceeded' });
    expect(Object.keys((await t.client.indices.getMapping({ index: 'limited' })).limited!.mappings.properties!)).toEqual(['a', 'b', 'c']);
  });
});

describe('failed documents', () => {
  it('leaves no dynamic fields behind when a document fails to parse', async () => {
    await t.client.indices.create({ index: 'atomic-doc', mappings: { properties: { price: { type: 'long' } } } });
    await failure(t.client.index({ index: 'atomic-doc', id: '1', document: { fresh: 'x', price: 'abc' } }));
    expect((await t.client.indices.getMapping({ index: 'atomic-doc' }))['atomic-doc']!.mappings.properties).toEqual({ price: { type: 'long' } });
  });
});

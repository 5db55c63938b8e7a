import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from '../helpers.js';

const t = useTestClient(async (client) => {
  await client.indices.create({
    index: 'rt',
    mappings: {
      runtime: {
        price_cents: { type: 'long', script: { source: "for (double p : doc['price']) { emit((long) (p * params.k)); }", params: { k: 100 } } },
        label: { type: 'keyword', script: "emit(params._source.name + '-' + doc['tag'].value)" },
        // no script: read from _source, shadowing the indexed field of the same name
        tag: { type: 'keyword' },
        parts: { type: 'composite', script: "emit(['first': params._source.name, 'size': params._source.name.length()])", fields: { first: { type: 'keyword' }, size: { type: 'long' } } },
      },
      properties: { name: { type: 'keyword' }, price: { type: 'double' }, tag: { type: 'keyword' } },
    },
  });
  await client.bulk({
    index: 'rt',
    refresh: true,
    operations: [
      { index: { _id: '1' } },
      { name: 'apple', price: 1.25, tag: 'fruit' },
      { index: { _id: '2' } },
      { name: 'kiwi', price: 0.5, tag: 'fruit' },
      { index: { _id: '3' } },
      { name: 'leek', price: 2, tag: 'veg' },
    ],
  });
});

const ids = (res: { hits: { hits: Array<{ _id?: string | null }> } }): string[] => res.hits.hits.map((h) => String(h._id));

describe('runtime fields (RuntimeField, AbstractScriptFieldType)', () => {
  it('shows the runtime section in GET _mapping with scripts in their full form', async () => {
    const mapping = await t.client.indices.getMapping({ index: 'rt' });
    const runtime = mapping.rt?.mappings.runtime as unknown as Record<string, Record<string, unknown>>;
    expect(Object.keys(runtime)).toEqual(['label', 'parts', 'price_cents', 'tag']);
    expect(runtime.price_cents).toEqual({ type: 'long', script: { source: "for (double p : doc['price']) { emit((long) (p * params.k)); }", lang: 'painless', params: { k: 100 } } });
    expect(runtime.label?.script).toEqual({ source: "emit(params._source.name + '-' + doc['tag'].value)", lang: 'painless' });
    expect(runtime.tag).toEqual({ type: 'keyword' });
  });

  it('answers term and range queries with the emitted values, every match scoring the boost', async () => {
    const term = await t.client.search({ index: 'rt', query: { term: { price_cents: { value: 125, boost: 3 } } } });
    expect(ids(term)).toEqual(['1']);
    expect(term.hits.hits[0]?._score).toBe(3);
    const range = await t.client.search({ index: 'rt', query: { range: { price_cents: { gte: 100 } } }, sort: ['price_cents'] });
    expect(ids(range)).toEqual(['1', '3']);
    expect(ids(await t.client.search({ index: 'rt', query: { prefix: { label: 'kiwi-' } } }))).toEqual(['2']);
  });

  it('aggregates, sorts and fetches runtime values (fields and docvalue_fields), composite subfields included', async () => {
    const res = await t.client.search({
      index: 'rt',
      sort: [{ price_cents: 'desc' }],
      fields: ['label', 'parts.size'],
      docvalue_fields: ['price_cents'],
      aggs: { labels: { terms: { field: 'parts.first' } }, total: { sum: { field: 'price_cents' } } },
    });
    expect(ids(res)).toEqual(['3', '1', '2']);
    expect(res.hits.hits[0]?.fields).toEqual({ label: ['leek-veg'], 'parts.size': [4], price_cents: [200] });
    expect((res.aggregations?.total as { value: number }).value).toBe(375);
    expect((res.aggregations?.labels as { buckets: Array<{ key: string }> }).buckets.map((b) => b.key)).toEqual(['apple', 'kiwi', 'leek']);
  });

  it('takes runtime_mappings in a search, shadowing a mapped field', async () => {
    const res = await t.client.search({
      index: 'rt',
      runtime_mappings: { name: { type: 'keyword', script: "emit(params._source.name.toUpperCase())" } },
      query: { term: { name: 'KIWI' } },
    });
    expect(ids(res)).toEqual(['2']);
  });

  it('reports a script failure as script_exception with its position', async () => {
    const err = await failure(
      t.client.search({ index: 'rt', runtime_mappings: { bad: { type: 'long', script: "emit(doc['name'].value.length() / 0)" } }, query: { range: { bad: { gte: 0 } } } }),
    );
    expect(err.status).toBe(400);
    expect(JSON.stringify(err.error)).toContain('script_exception');
    expect(JSON.stringify(err.error)).toContain('arithmetic_exception');
  });

  it('refuses a value of the wrong type and more than 100 values per document', async () => {
    const wrong = await failure(t.client.search({ index: 'rt', runtime_mappings: { w: { type: 'long', script: "emit('x')" } }, query: { exists: { field: 'w' } } }));
    expect(JSON.stringify(wrong.error)).toContain('class_cast_exception');
    const many = await failure(t.client.search({ index: 'rt', runtime_mappings: { m: { type: 'long', script: 'for (int i = 0; i < 101; i++) { emit(i); }' } }, query: { exists: { field: 'm' } } }));
    expect(JSON.stringify(many.error)).toContain('is emitting [101] values while the maximum number of values allowed is [100]');
  });

  it('refuses queries on runtime fields without expensive queries', async () => {
    await t.client.cluster.putSettings({ transient: { 'search.allow_expensive_queries': false } });
    try {
      const err = await failure(t.client.search({ index: 'rt', query: { term: { price_cents: 125 } } }));
      // a shard failure, as Elasticsearch wraps it: search_phase_execution_exception, the reason in its root cause
      expect((err.error.root_cause as Array<{ reason: string }>)[0]?.reason).toBe('queries cannot be executed against runtime fields while [search.allow_expensive_queries] is set to [false].');
    } finally {
      await t.client.cluster.putSettings({ transient: { 'search.allow_expensive_queries': null } });
    }
  });

  it('maps new fields as runtime fields under dynamic: runtime, read from _source', async () => {
    await t.client.indices.create({ index: 'rt-dyn', mappings: { dynamic: 'runtime' } });
    await t.client.index({ index: 'rt-dyn', id: '1', document: { n: 3, s: 'x', b: true, obj: { d: 1.5 } }, refresh: true });
    const mapping = await t.client.indices.getMapping({ index: 'rt-dyn' });
    expect(mapping['rt-dyn']?.mappings.runtime).toEqual({ b: { type: 'boolean' }, n: { type: 'long' }, 'obj.d': { type: 'double' }, s: { type: 'keyword' } });
    expect(ids(await t.client.search({ index: 'rt-dyn', query: { range: { 'obj.d': { gt: 1 } } } }))).toEqual(['1']);
  });

  it('lists runtime fields in _field_caps with their runtime type', async () => {
    const caps = await t.client.fieldCaps({ index: 'rt', fields: ['price_cents', 'parts.*', 'extra'], runtime_mappings: { extra: { type: 'ip' } } });
    expect(caps.fields.price_cents).toEqual({ long: { type: 'long', metadata_field: false, searchable: true, aggregatable: true } });
    expect(Object.keys(caps.fields['parts.size'] ?? {})).toEqual(['long']);
    expect(Object.keys(caps.fields.extra ?? {})).toEqual(['ip']);
  });

  it('refuses to highlight a runtime field named explicitly, and leaves it out of a pattern', async () => {
    const err = await failure(t.client.search({ index: 'rt', query: { term: { label: 'kiwi-fruit' } }, highlight: { fields: { label: {} } } }));
    expect(err.status).toBe(400);
    expect(JSON.stringify(err.error)).toContain('highlighting the runtime field [label]');
    const res = await t.client.search({ index: 'rt', query: { term: { name: 'kiwi' } }, highlight: { fields: { '*': {} } } });
    expect(res.hits.hits[0]?.highlight).toEqual({ name: ['<em>kiwi</em>'] });
  });

  it('refuses lookup runtime fields in an index mapping and the x-pack grok/dissect script functions by name', async () => {
    const lookup = await failure(t.client.indices.create({ index: 'rt_lookup', mappings: { runtime: { l: { type: 'lookup', target_index: 'x', input_field: 'a', target_field: 'b', fetch_fields: ['c'] } } } }));
    expect(lookup.error.reason).toContain('lookup runtime field [l]');
    const grok = await failure(t.client.search({ index: 'rt', runtime_mappings: { g: { type: 'keyword', script: "emit(grok('%{WORD:w}').extract(doc['name'].value).w)" } }, query: { exists: { field: 'g' } } }));
    expect(JSON.stringify(grok.error)).toContain('[grok] (an x-pack runtime fields extension)');
  });
});

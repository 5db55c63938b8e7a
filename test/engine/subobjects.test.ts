import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from './helpers.js';

/**
 * `subobjects: false` (ObjectMapper.Subobjects.DISABLED): dotted names stay one field of the object,
 * objects are auto-flattened into their leaves, nested objects are refused, and documents are
 * parsed with their object keys joined into the field name.
 */

const t = useTestClient(async (client) => {
  await client.indices.create({
    index: 'metrics',
    mappings: {
      properties: {
        'metrics.service': {
          type: 'object',
          subobjects: false,
          properties: { time: { type: 'long' }, 'time.max': { type: 'long' }, host: { properties: { name: { type: 'keyword' } } } },
        },
      },
    },
  });
  await client.indices.create({ index: 'flat-root', mappings: { subobjects: false, properties: { 'user.id': { type: 'keyword' } } } });
});

describe('subobjects: false', () => {
  it('keeps dotted fields flat and auto-flattens an object, in GET _mapping', async () => {
    const m = await t.client.indices.getMapping({ index: 'metrics' });
    const service = (m.metrics!.mappings.properties!.metrics as { properties: Record<string, { subobjects?: boolean; properties?: Record<string, unknown> }> }).properties.service!;
    expect(service.subobjects).toBe(false);
    expect(Object.keys(service.properties!).sort()).toEqual(['host.name', 'time', 'time.max']);
  });

  it('indexes a field and a field whose name extends it (time and time.max), from dotted and object keys', async () => {
    await t.client.index({ index: 'metrics', id: '1', document: { metrics: { service: { time: 10, 'time.max': 50, host: { name: 'a' } } } } });
    await t.client.index({ index: 'metrics', id: '2', document: { 'metrics.service': { time: 20, 'time.max': 70, 'host.name': 'b' } } });
    await t.client.indices.refresh({ index: 'metrics' });
    const r = await t.client.search({ index: 'metrics', query: { range: { 'metrics.service.time.max': { gte: 60 } } } });
    expect(r.hits.hits.map((h) => h._id)).toEqual(['2']);
    const host = await t.client.search({ index: 'metrics', query: { term: { 'metrics.service.host.name': 'a' } }, aggs: { t: { sum: { field: 'metrics.service.time' } } } });
    expect(host.hits.hits.map((h) => h._id)).toEqual(['1']);
    expect((host.aggregations!.t as { value: number }).value).toBe(10);
  });

  it('maps new fields dynamically with their whole dotted name, under the flat object', async () => {
    await t.client.index({ index: 'flat-root', id: '1', document: { user: { id: 'u1', address: { city: 'Lyon' } }, 'user.age': 40 }, refresh: true });
    const m = await t.client.indices.getMapping({ index: 'flat-root' });
    const props = m['flat-root']!.mappings.properties!;
    expect(Object.keys(props).sort()).toEqual(['user.address.city', 'user.age', 'user.id']);
    expect(props['user.age']).toEqual({ type: 'long' });
    const r = await t.client.search({ index: 'flat-root', query: { match: { 'user.address.city': 'lyon' } } });
    expect(r.hits.hits.map((h) => h._id)).toEqual(['1']);
  });

  it('refuses a nested object, an object that cannot be flattened and a change of subobjects', async () => {
    const nested = await failure(t.client.indices.create({ index: 'bad1', mappings: { subobjects: false, properties: { items: { type: 'nested' } } } }));
    expect(nested.error.type).toBe('mapper_parsing_exception');
    expect(JSON.stringify(nested.error)).toContain('Tried to add nested object [items] to object [_doc] which does not support subobjects');
    const disabled = await failure(t.client.indices.create({ index: 'bad2', mappings: { subobjects: false, properties: { raw: { type: 'object', enabled: false } } } }));
    expect(JSON.stringify(disabled.error)).toContain('Auto-flattening [raw] failed because the value of [enabled] is [false]');
    const change = await failure(t.client.indices.putMapping({ index: 'flat-root', subobjects: true } as never));
    expect(change.status).toBe(400);
    expect(JSON.stringify(change.error)).toContain("the [subobjects] parameter can't be updated");
  });

  it('merges a put-mapping into the flat field and refuses a type change', async () => {
    const change = await failure(t.client.indices.putMapping({ index: 'metrics', properties: { 'metrics.service.time.max': { type: 'keyword' } } }));
    expect(change.error.reason).toBe('mapper [metrics.service.time.max] cannot be changed from type [long] to [keyword]');
    await t.client.indices.putMapping({ index: 'metrics', properties: { metrics: { properties: { service: { properties: { 'time.min': { type: 'long' } } } } } } });
    const m = await t.client.indices.getMapping({ index: 'metrics' });
    const service = (m.metrics!.mappings.properties!.metrics as { properties: Record<string, { properties: Record<string, unknown> }> }).properties.service!;
    expect(service.properties['time.min']).toEqual({ type: 'long' });
  });

  it('refuses an unknown field under dynamic strict with its whole dotted name', async () => {
    await t.client.indices.create({ index: 'strict-flat', mappings: { subobjects: false, dynamic: 'strict', properties: { 'a.b': { type: 'long' } } } });
    const bad = await failure(t.client.index({ index: 'strict-flat', id: '1', document: { a: { c: 1 } } }));
    expect(bad.error.type).toBe('strict_dynamic_mapping_exception');
    expect(String(bad.error.reason)).toContain('[a.c]');
    await t.client.index({ index: 'strict-flat', id: '2', document: { a: { b: 1 } }, refresh: true });
    expect((await t.client.count({ index: 'strict-flat', query: { term: { 'a.b': 1 } } })).count).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { useTestClient } from '../helpers.js';

const t = useTestClient(async (client) => {
  await client.indices.create({
    index: 'um',
    mappings: {
      dynamic: false,
      properties: {
        k: { type: 'keyword' },
        off: { type: 'object', enabled: false },
        n: { type: 'integer', ignore_malformed: true },
        people: { type: 'nested', properties: { name: { type: 'keyword' }, extra: { type: 'object', enabled: false } } },
      },
    },
  });
  await client.index({
    index: 'um',
    id: '1',
    refresh: true,
    document: { k: 'kv', off: ['x', { a: 'b' }, [1, 2]], n: 'bad', loose: { deep: 7 }, people: [{ name: 'Ann', extra: { city: 'Oslo' } }, { nick: 'Bo' }] },
  });
});

const fieldsOf = async (fields: unknown[]): Promise<Record<string, unknown>> => {
  const res = await t.client.search({ index: 'um', _source: false, fields: fields as never });
  return res.hits.hits[0]!.fields as Record<string, unknown>;
};

describe('fields include_unmapped with wildcards', () => {
  it('walks _source for unmapped leaves, skipping the mapped fields it serves, nested objects per object', async () => {
    const f = await fieldsOf([{ field: '*', include_unmapped: true }]);
    expect(f.k).toEqual(['kv']);
    // arrays nested in arrays come first, the array's own scalars after (FieldFetcher.collectUnmappedList)
    expect(f.off).toEqual([1, 2, 'x']);
    expect(f['off.a']).toEqual(['b']);
    expect(f['loose.deep']).toEqual([7]);
    // a malformed value of a mapped field is not an unmapped one
    expect(f.n).toBeUndefined();
    expect(f['people.name']).toBeUndefined();
    expect(f.people).toEqual([{ name: ['Ann'], 'extra.city': ['Oslo'] }, { nick: ['Bo'] }]);
  });

  it('matches patterns against full paths, inside nested objects too', async () => {
    expect(await fieldsOf([{ field: 'people.extra.*', include_unmapped: true }])).toEqual({ people: [{ 'extra.city': ['Oslo'] }] });
    expect(await fieldsOf([{ field: 'lo*', include_unmapped: true }])).toEqual({ 'loose.deep': [7] });
    // without include_unmapped a wildcard reads mapped fields only
    expect(await fieldsOf(['lo*'])).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { parseRangeValue, relates } from '../../../src/engine/range-field.js';
import { failure, useTestClient } from '../helpers.js';

const t = useTestClient(async (client) => {
  await client.indices.create({
    index: 'ranges',
    mappings: { properties: { n: { type: 'integer_range' }, d: { type: 'date_range', format: 'yyyy-MM-dd' }, ip: { type: 'ip_range' }, x: { type: 'double_range' } } },
  });
  await client.bulk({
    refresh: true,
    operations: [
      { index: { _index: 'ranges', _id: 'a' } },
      { n: { gte: 10, lt: 20 }, d: { gte: '2016-10-31', lte: '2016-11-01' }, ip: '10.0.0.0/8', x: { gt: 1.5 } },
      { index: { _index: 'ranges', _id: 'b' } },
      { n: { gte: 15, lte: 16 }, ip: { gte: '192.168.1.1', lte: '192.168.1.10' } },
      { index: { _index: 'ranges', _id: 'c' } },
      { n: { gt: 0, lte: 30 } },
    ],
  });
});

const ids = (res: { hits: { hits: Array<{ _id?: string | null }> } }): string[] => res.hits.hits.map((h) => String(h._id)).sort();

describe('range relations', () => {
  it('normalizes exclusive bounds to the next representable value and relates ranges as ShapeRelation does', () => {
    const r = parseRangeValue('integer_range', { gt: 1, lt: 5 }, (v) => Number(v));
    expect(r).toEqual({ from: 2, to: 4 });
    expect(relates(r, 4, 9, 'intersects')).toBe(true);
    expect(relates(r, 5, 9, 'intersects')).toBe(false);
    expect(relates(r, 0, 4, 'within')).toBe(true);
    expect(relates(r, 3, 9, 'within')).toBe(false);
    expect(relates(r, 2, 3, 'contains')).toBe(true);
    expect(relates(r, 1, 3, 'contains')).toBe(false);
    const d = parseRangeValue('double_range', { gt: 1.5 }, (v) => Number(v));
    expect(d.from).toBeGreaterThan(1.5);
    expect((d.from as number) - 1.5).toBeLessThan(1e-15);
    expect(d.to).toBe(Infinity);
    expect(() => parseRangeValue('integer_range', { gte: 5, lte: 1 }, (v) => Number(v))).toThrow('min value (5) is greater than max value (1)');
  });

  it('answers range queries with intersects, within and contains, and term queries with the ranges holding the value', async () => {
    // the client's types know range queries on numbers and dates only
    const q = (relation: string, gte: number, lte: number) => t.client.search({ index: 'ranges', query: { range: { n: { gte, lte, relation } } } as never });
    expect(ids(await q('intersects', 19, 25))).toEqual(['a', 'c']);
    expect(ids(await q('intersects', 20, 25))).toEqual(['c']);
    expect(ids(await q('within', 10, 19))).toEqual(['a', 'b']);
    expect(ids(await q('contains', 15, 16))).toEqual(['a', 'b', 'c']);
    expect(ids(await q('contains', 0, 16))).toEqual([]);
    expect(ids(await t.client.search({ index: 'ranges', query: { term: { n: 19 } } }))).toEqual(['a', 'c']);
    expect(ids(await t.client.search({ index: 'ranges', query: { term: { ip: '10.1.2.3' } } }))).toEqual(['a']);
    expect(ids(await t.client.search({ index: 'ranges', query: { range: { d: { gte: '2016-11-01T12:00:00Z', lte: '2016-12-01T00:00:00Z', format: 'strict_date_optional_time' } } } }))).toEqual(['a']);
    const bad = await failure(t.client.search({ index: 'ranges', query: { range: { n: { gte: 1, relation: 'disjoint' } } } as never }));
    expect(bad.status).toBe(400);
  });

  it('prints docvalue_fields as inclusive bounds and fields as written', async () => {
    const res = await t.client.search({ index: 'ranges', query: { ids: { values: ['a'] } }, docvalue_fields: ['d', 'ip', 'x'] });
    const f = res.hits.hits[0]!.fields!;
    expect(f.d).toEqual([{ gte: '2016-10-31', lte: '2016-11-01' }]);
    expect(f.ip).toEqual([{ gte: '10.0.0.0', lte: '10.255.255.255' }]);
    expect((f.x as Array<{ lte: unknown }>)[0]!.lte).toBeNull();
    // fields (read from _source) keep the keys as written
    const fetched = await t.client.search({ index: 'ranges', query: { ids: { values: ['a'] } }, fields: ['n'] });
    expect(fetched.hits.hits[0]!.fields).toEqual({ n: [{ gte: 10, lt: 20 }] });
    const dv = await t.client.search({ index: 'ranges', query: { ids: { values: ['a'] } }, docvalue_fields: [{ field: 'd', format: 'epoch_millis' }, 'n'] });
    expect(dv.hits.hits[0]!.fields).toEqual({ d: [{ gte: '1477872000000', lte: '1478044799999' }], n: [{ gte: 10, lte: 19 }] });
  });

  it('refuses aggregations on range fields with a 400 naming them', async () => {
    const res = await failure(t.client.search({ index: 'ranges', aggs: { h: { histogram: { field: 'n', interval: 5 } } } }));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.error)).toContain('aggregations on the range field [n] of type [integer_range]');
  });
});

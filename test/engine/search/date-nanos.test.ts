import { describe, expect, it } from 'vitest';
import { MAX_NANOS, decodeNanos, encodeNanos, toNanos } from '../../../src/engine/date-nanos.js';
import { failure, useTestClient } from '../helpers.js';

const t = useTestClient(async (client) => {
  await client.indices.create({ index: 'nanos', mappings: { properties: { ts: { type: 'date_nanos' }, name: { type: 'keyword' } } } });
  await client.bulk({
    refresh: true,
    operations: [
      { index: { _index: 'nanos', _id: 'a' } },
      { ts: '2018-02-01T00:00:00.123456789Z', name: 'a' },
      { index: { _index: 'nanos', _id: 'b' } },
      { ts: '2018-02-01T00:00:00.123456790Z', name: 'b' },
      { index: { _index: 'nanos', _id: 'c' } },
      { ts: '2262-04-11T23:47:16.854775806Z', name: 'c' },
      { index: { _index: 'nanos', _id: 'd' } },
      { ts: '2262-04-11T23:47:16.854775807Z', name: 'd' },
      { index: { _index: 'nanos', _id: 'e' } },
      { ts: '2018-02-01T23:59:59.999999999Z', name: 'e' },
    ],
  });
});

/** A search answered as raw JSON text (sort values beyond 2^53 are exact only there). */
async function rawSearch(body: Record<string, unknown>): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const res = await t.engine.handle({ method: 'POST', path: '/nanos/_search', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: res.statusCode, text: String(res.body), json: JSON.parse(String(res.body)) as Record<string, unknown> };
}

const idsOf = (json: Record<string, unknown>): string[] => ((json.hits as { hits: Array<{ _id: string }> }).hits).map((h) => h._id);

describe('date_nanos values', () => {
  it('keeps nanoseconds beyond 2^53 exactly and orders them by their fixed-width digits', () => {
    const last = toNanos(9223372036854, 775807);
    expect(last).toBe(MAX_NANOS);
    const before = toNanos(9223372036854, 775806);
    expect(last - before).toBe(1n);
    // 2^53 + 1 is not a double: the string form keeps it, and its order against its neighbours
    const odd = 2n ** 53n + 1n;
    expect(decodeNanos(encodeNanos(odd))).toBe(odd);
    expect(encodeNanos(odd) > encodeNanos(odd - 1n) && encodeNanos(odd) < encodeNanos(odd + 1n)).toBe(true);
    expect(encodeNanos(9n) < encodeNanos(10n)).toBe(true);
  });

  it('refuses instants before 1970 and after 2262 as DateUtils.toLong does', async () => {
    const early = await failure(t.client.index({ index: 'nanos', id: 'x', document: { ts: '1969-12-31T23:59:59Z' } }));
    expect(early.status).toBe(400);
    expect(JSON.stringify(early.error)).toContain('is before the epoch in 1970 and cannot be stored in nanosecond resolution');
    const late = await failure(t.client.index({ index: 'nanos', id: 'x', document: { ts: '2262-04-11T23:47:16.854775808Z' } }));
    expect(JSON.stringify(late.error)).toContain('is after 2262-04-11T23:47:16.854775807 and cannot be stored in nanosecond resolution');
  });

  it('sorts on epoch nanos and reports them as exact longs, and formats them with nanosecond fractions', async () => {
    const asc = await rawSearch({ sort: [{ ts: 'asc' }], size: 5 });
    expect(idsOf(asc.json)).toEqual(['a', 'b', 'e', 'c', 'd']);
    expect(asc.text).toContain('"sort":[1517443200123456789]');
    expect(asc.text).toContain('"sort":[9223372036854775806]');
    expect(asc.text).toContain('"sort":[9223372036854775807]');
    const formatted = await rawSearch({ sort: [{ ts: { order: 'desc', format: 'strict_date_optional_time_nanos' } }], size: 5 });
    const sorts = (formatted.json.hits as { hits: Array<{ sort: unknown[] }> }).hits.map((h) => h.sort[0]);
    expect(sorts).toEqual([
      '2262-04-11T23:47:16.854775807Z',
      '2262-04-11T23:47:16.854775806Z',
      '2018-02-01T23:59:59.999999999Z',
      '2018-02-01T00:00:00.12345679Z',
      '2018-02-01T00:00:00.123456789Z',
    ]);
  });

  it('pages with search_after in nanoseconds, from the formatted value', async () => {
    const next = await rawSearch({ sort: [{ ts: { order: 'asc', format: 'strict_date_optional_time_nanos' } }], search_after: ['2018-02-01T00:00:00.123456789Z'], size: 1 });
    expect(idsOf(next.json)).toEqual(['b']);
  });

  it('matches range and term queries to the nanosecond, rounding up to .999999999 for lte', async () => {
    const gt = await rawSearch({ query: { range: { ts: { gt: '2018-02-01T00:00:00.123456789Z', lt: '2019-01-01' } } } });
    expect(idsOf(gt.json).sort()).toEqual(['b', 'e']);
    const lte = await rawSearch({ query: { range: { ts: { lte: '2018-02-01' } } } });
    expect(idsOf(lte.json).sort()).toEqual(['a', 'b', 'e']);
    const lt = await rawSearch({ query: { range: { ts: { lt: '2018-02-01T23:59:59.999999999Z' } } } });
    expect(idsOf(lt.json).sort()).toEqual(['a', 'b']);
    const term = await rawSearch({ query: { term: { ts: '2262-04-11T23:47:16.854775806Z' } } });
    expect(idsOf(term.json)).toEqual(['c']);
  });

  it('prints docvalue_fields with the nanoseconds', async () => {
    const res = await rawSearch({ query: { ids: { values: ['a'] } }, docvalue_fields: ['ts'] });
    const hit = (res.json.hits as { hits: Array<{ fields: Record<string, unknown> }> }).hits[0]!;
    expect(hit.fields.ts).toEqual(['2018-02-01T00:00:00.123456789Z']);
  });

  it('scores distance_feature by the distance in nanoseconds', async () => {
    const res = await rawSearch({ query: { distance_feature: { field: 'ts', pivot: '1nanos', origin: '2018-02-01T00:00:00.123456790Z' } }, size: 2 });
    const hits = (res.json.hits as { hits: Array<{ _id: string; _score: number }> }).hits;
    // b is at the origin (score 1), a one nanosecond away (1 / (1 + 1))
    expect(hits.map((h) => [h._id, h._score])).toEqual([['b', 1], ['a', 0.5]]);
  });
});

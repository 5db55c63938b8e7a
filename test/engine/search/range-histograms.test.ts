import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from '../helpers.js';

const t = useTestClient(async (client) => {
  await client.indices.create({
    index: 'rh',
    mappings: { properties: { n: { type: 'integer_range' }, d: { type: 'date_range' }, ip: { type: 'ip_range' } } },
  });
  await client.bulk({
    refresh: true,
    operations: [
      { index: { _index: 'rh', _id: 'a' } },
      // two overlapping ranges in one doc: counted once per bucket
      { n: [{ gte: 3, lte: 12 }, { gte: 8, lt: 16 }], d: { gte: '2020-01-20', lt: '2020-03-02' }, ip: '10.0.0.0/8' },
      { index: { _index: 'rh', _id: 'b' } },
      { n: { gte: 25, lte: 25 }, d: { gte: '2020-03-01', lte: '2020-03-01' } },
      { index: { _index: 'rh', _id: 'c' } },
      { n: { lte: 1 } },
      { index: { _index: 'rh', _id: 'd' } },
      {},
    ],
  });
});

type Bucket = { key: number; key_as_string?: string; doc_count: number };
const buckets = (res: unknown): Bucket[] => (res as { aggregations: { h: { buckets: Bucket[] } } }).aggregations.h.buckets;

describe('histograms over range fields', () => {
  it('counts a document once in every bucket its ranges overlap, filling the empty buckets between', async () => {
    const res = await t.client.search({ index: 'rh', size: 0, query: { ids: { values: ['a', 'b'] } }, aggs: { h: { histogram: { field: 'n', interval: 5 } } } });
    expect(buckets(res).map((b) => [b.key, b.doc_count])).toEqual([
      [0, 1],
      [5, 1],
      [10, 1],
      [15, 1],
      [20, 0],
      [25, 1],
    ]);
    expect(buckets(res)[0]!.key_as_string).toBeUndefined();
  });

  it('clips open-ended ranges to hard_bounds and applies the offset', async () => {
    const res = await t.client.search({ index: 'rh', size: 0, aggs: { h: { histogram: { field: 'n', interval: 10, offset: 2, hard_bounds: { min: -5, max: 30 } } } } });
    const got = buckets(res).map((b) => [b.key, b.doc_count]);
    // c (<= 1) falls in [-8, 2) once clipped to -5; a spans 3..15; b is 25
    expect(got).toEqual([
      [-8, 1],
      [2, 1],
      [12, 1],
      [22, 1],
    ]);
  });

  it('date_histogram walks calendar months with key_as_string', async () => {
    const res = await t.client.search({ index: 'rh', size: 0, aggs: { h: { date_histogram: { field: 'd', calendar_interval: 'month' } } } });
    expect(buckets(res).map((b) => [b.key_as_string, b.doc_count])).toEqual([
      ['2020-01-01T00:00:00.000Z', 1],
      ['2020-02-01T00:00:00.000Z', 1],
      ['2020-03-01T00:00:00.000Z', 2],
    ]);
  });

  it("keeps Elasticsearch's errors: missing, non-numeric and non-date ranges, and other aggregations", async () => {
    const missing = await failure(t.client.search({ index: 'rh', size: 0, aggs: { h: { histogram: { field: 'n', interval: 5, missing: 3 } } } }));
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.error)).toContain("Can't apply missing values on a class org.elasticsearch.search.aggregations.support.ValuesSource$Range");
    const ip = await failure(t.client.search({ index: 'rh', size: 0, aggs: { h: { histogram: { field: 'ip', interval: 5 } } } }));
    expect(JSON.stringify(ip.error)).toContain('Expected numeric range type but found non-numeric range [ip_range]');
    const nonDate = await failure(t.client.search({ index: 'rh', size: 0, aggs: { h: { date_histogram: { field: 'n', calendar_interval: 'month' } } } }));
    expect(JSON.stringify(nonDate.error)).toContain('Expected date range type but found range type [integer_range]');
    const terms = await failure(t.client.search({ index: 'rh', size: 0, aggs: { h: { terms: { field: 'n' } } } }));
    expect(terms.status).toBe(400);
    // an open range without hard_bounds would span billions of buckets: refused, not walked
    const wide = await failure(t.client.search({ index: 'rh', size: 0, aggs: { h: { histogram: { field: 'n', interval: 1 } } } }));
    expect(wide.status).toBe(400);
  });
});

import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from '../helpers.js';

type Json = Record<string, unknown>;

const t = useTestClient(async (client) => {
  await client.indices.create({ index: 'prw', mappings: { properties: { n: { type: 'integer' }, w: { type: 'integer' }, multi: { type: 'integer' }, day: { type: 'date' } } } });
  const docs = [
    { n: 1, w: 2, multi: [1, 2, 3], day: '2022-01-01T00:00:00Z' },
    { n: 51, w: 4, multi: [0, 1, 4], day: '2022-01-01T01:00:00Z' },
    { n: 101, day: '2022-01-01T03:00:00Z' },
    { n: 151, w: 3, day: '2022-01-01T03:00:00Z' },
  ];
  await client.bulk({ refresh: true, operations: docs.flatMap((d, i) => [{ index: { _index: 'prw', _id: String(i) } }, d]) });
});

async function aggs(body: Json): Promise<Json> {
  const res = await t.client.search({ index: 'prw', size: 0, aggs: body as never });
  return res.aggregations as Json;
}

describe('percentile_ranks (tdigest)', () => {
  it('ranks values by SortingDigest cdf, keyed and not', async () => {
    const a = await aggs({ r: { percentile_ranks: { field: 'n', values: [99, 50, 1, 151] } } });
    // [1, 51, 101, 151]: 50 -> (1 + 24/50) / 4, 99 -> (2 + 23/50) / 4; the end samples count half
    expect((a.r as Json).values).toEqual({ '1.0': 12.5, '50.0': 37, '99.0': 61.5, '151.0': 87.5 });
    // all samples equal: below is 0, above is 100
    expect((await aggs({ r: { percentile_ranks: { field: 'nothing', missing: 5, values: [4, 6] } } })).r).toEqual({ values: { '4.0': 0, '6.0': 100 } });
    // outside [min, max] Elasticsearch's versions disagree: refused
    const outside = await failure(t.client.search({ index: 'prw', aggs: { r: { percentile_ranks: { field: 'n', values: [0] } } } }));
    expect(outside.status).toBe(400);
    expect(JSON.stringify(outside.error)).toContain('outside the sampled range [1.0, 151.0]');
    const b = await aggs({ r: { percentile_ranks: { field: 'n', values: [50], keyed: false } } });
    expect((b.r as Json).values).toEqual([{ key: 50, value: 37 }]);
  });

  it('answers null ranks without values and refuses bad values and hdr digits', async () => {
    expect((await aggs({ r: { percentile_ranks: { field: 'nothing', values: [5] } } })).r).toEqual({ values: { '5.0': null } });
    expect((await failure(t.client.search({ index: 'prw', aggs: { r: { percentile_ranks: { field: 'n', values: [] } } } }))).status).toBe(400);
    const noValues = await failure(t.client.search({ index: 'prw', aggs: { r: { percentile_ranks: { field: 'n' } } } as never }));
    expect(noValues.error.reason).toContain('[values] must not be null');
    const hdr = await failure(t.client.search({ index: 'prw', aggs: { r: { percentile_ranks: { field: 'n', values: [5], hdr: { number_of_significant_value_digits: 6 } } } } }));
    expect(JSON.stringify(hdr.error)).toContain('[numberOfSignificantValueDigits] must be between 0 and 5');
  });

  it('ranks with hdr as the DoubleHistogram does, typed hdr_percentile_ranks', async () => {
    const r = await t.client.search({ index: 'prw', size: 0, typed_keys: true, aggs: { r: { percentile_ranks: { field: 'n', values: [0, 1000], hdr: {} } } } });
    // nothing at or below 0 (the values are positive), everything at or below 1000
    expect((r.aggregations as Record<string, unknown>)['hdr_percentile_ranks#r']).toEqual({ values: { '0.0': 0, '1000.0': 100 } });
  });
});

describe('weighted_avg', () => {
  it('sums value * weight over docs that have both, every value of a multi-valued field', async () => {
    // (1*2 + 51*4 + 151*3) / 9
    expect((await aggs({ a: { weighted_avg: { value: { field: 'n' }, weight: { field: 'w' } } } })).a).toEqual({ value: (2 + 204 + 453) / 9 });
    // missing weight 1 brings in doc 2: + 101
    expect((await aggs({ a: { weighted_avg: { value: { field: 'n' }, weight: { field: 'w', missing: 1 } } } })).a).toEqual({ value: (2 + 204 + 453 + 101) / 10 });
    // (6 * 2 + 5 * 4) / (3 * 2 + 3 * 4)
    expect((await aggs({ a: { weighted_avg: { value: { field: 'multi' }, weight: { field: 'w' } } } })).a).toEqual({ value: 32 / 18 });
    expect((await aggs({ a: { weighted_avg: { value: { field: 'n' }, weight: { field: 'none', missing: 0 } } } })).a).toEqual({ value: null });
    // a date value is averaged as epoch millis, without value_as_string unless a format is given
    const day = (await aggs({ a: { weighted_avg: { value: { field: 'day' }, weight: { field: 'w' } } } })).a as Json;
    expect(Object.keys(day)).toEqual(['value']);
    expect((await aggs({ a: { weighted_avg: { value: { field: 'n' }, weight: { field: 'w' }, format: '0.00' } } })).a).toEqual({ value: 659 / 9, value_as_string: '73.22' });
  });

  it('fails a document with several weights with a 500, as Elasticsearch does', async () => {
    const error = await failure(t.client.search({ index: 'prw', aggs: { a: { weighted_avg: { value: { field: 'n' }, weight: { field: 'multi' } } } } }));
    expect(error.status).toBe(500);
    expect(JSON.stringify(error.error)).toContain('more than one weight');
  });
});

describe('stats_bucket', () => {
  it('gives count, min, max, avg and sum of the sibling bucket values, with gap policies and format', async () => {
    const hist = { date_histogram: { field: 'day', fixed_interval: '1h' }, aggs: { v: { max: { field: 'n' } } } };
    const skip = await aggs({ h: hist, s: { stats_bucket: { buckets_path: 'h>v' } } });
    // buckets 00:00 (1), 01:00 (51), 02:00 (empty), 03:00 (151)
    expect(skip.s).toEqual({ count: 3, min: 1, max: 151, avg: 203 / 3, sum: 203 });
    const zeros = await aggs({ h: hist, s: { stats_bucket: { buckets_path: 'h>v', gap_policy: 'insert_zeros', format: '0.0' } } });
    expect(zeros.s).toEqual({ count: 4, min: 0, max: 151, avg: 50.75, sum: 203, min_as_string: '0.0', max_as_string: '151.0', avg_as_string: '50.8', sum_as_string: '203.0' });
  });

  it('extended_stats_bucket adds the sum of squares, variances and bounds at sigma', async () => {
    const hist = { date_histogram: { field: 'day', fixed_interval: '1h' }, aggs: { v: { max: { field: 'n' } } } };
    const a = await aggs({ h: hist, s: { extended_stats_bucket: { buckets_path: 'h>v', sigma: 1 } } });
    const s = a.s as Record<string, unknown>;
    const mean = 203 / 3;
    const variance = (1 + 51 * 51 + 151 * 151) / 3 - mean * mean;
    expect(s.count).toBe(3);
    expect(s.sum_of_squares).toBe(1 + 51 * 51 + 151 * 151);
    expect(s.variance as number).toBeCloseTo(variance, 9);
    expect((s.std_deviation_bounds as Record<string, number>).upper).toBeCloseTo(mean + Math.sqrt(variance), 9);
    const bad = await failure(t.client.search({ index: 'prw', aggs: { h: hist, s: { extended_stats_bucket: { buckets_path: 'h>v', sigma: -1 } } } as never }));
    expect(bad.status).toBe(400);
  });

  it('percentiles_bucket picks the sorted bucket value at round(p * (n - 1)), keyed or not', async () => {
    const hist = { date_histogram: { field: 'day', fixed_interval: '1h' }, aggs: { v: { max: { field: 'n' } } } };
    // values 1, 51, 151 (the empty bucket skipped): p50 -> index 1, p25 -> round(0.5) = 1, p10 -> 0
    const a = await aggs({ h: hist, p: { percentiles_bucket: { buckets_path: 'h>v', percents: [50, 25, 10, 100], format: '0.0' } } });
    expect(a.p).toEqual({ values: { '50.0': 51, '50.0_as_string': '51.0', '25.0': 51, '25.0_as_string': '51.0', '10.0': 1, '10.0_as_string': '1.0', '100.0': 151, '100.0_as_string': '151.0' } });
    const b = await aggs({ h: hist, p: { percentiles_bucket: { buckets_path: 'h>v', percents: [50], keyed: false } } });
    expect(b.p).toEqual({ values: [{ key: 50, value: 51 }] });
    const none = await t.client.search({ index: 'prw', size: 0, query: { term: { n: 999 } }, aggs: { h: hist, p: { percentiles_bucket: { buckets_path: 'h>v', percents: [50] } } } as never });
    expect((none.aggregations as Json).p).toEqual({ values: { '50.0': null } });
  });
});

describe('median_absolute_deviation', () => {
  it('is the median of the absolute deviations from the median', async () => {
    // [1, 51, 101, 151]: median 76; deviations 75, 25, 25, 75 -> median 50
    expect((await aggs({ m: { median_absolute_deviation: { field: 'n' } } })).m).toEqual({ value: 50 });
    expect((await aggs({ m: { median_absolute_deviation: { field: 'nothing' } } })).m).toEqual({ value: null });
    expect((await failure(t.client.search({ index: 'prw', aggs: { m: { median_absolute_deviation: { field: 'n', compression: -1 } } } }))).status).toBe(400);
  });
});

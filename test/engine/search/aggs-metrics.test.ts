import type { estypes } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * Metric aggregations through the real client. Data, index `grades` (one shard):
 *   id  n  tag  d           flag   vals    m
 *   g0  2  b    2024-01-01  true   [1, 3]  1   (and late: 2024-06-01T10:00:00Z, on g0 only)
 *   g1  4  a    2024-01-02  false  [5]     2
 *   g2  4  b    2024-01-03  true   -       3
 *   g3  4  a    2024-01-04  true   -       4
 *   g4  5  b    2024-01-05  false  -       -
 *   g5  5  a    2024-01-06  false  -       -
 *   g6  7  b    2024-01-07  true   -       -
 *   g7  9  a    2024-01-08  false  -       -
 * so n = [2, 4, 4, 4, 5, 5, 7, 9]: count 8, sum 40, mean 5, sum of squares
 * 4+16+16+16+25+25+49+81 = 232, population variance 232/8 - 25 = 4 (std 2), sampling variance
 * (232 - 40*40/8) / 7 = 32/7. Tag a: n = [4, 4, 5, 9], tag b: n = [2, 4, 5, 7].
 */

type Aggs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read freely in tests

async function aggs(aggregations: Record<string, unknown>, opts: { index?: string | string[]; query?: Record<string, unknown> } = {}): Promise<Aggs> {
  const r = await t.client.search({ index: opts.index ?? 'grades', size: 0, ...(opts.query ? { query: opts.query } : {}), aggs: aggregations as Record<string, estypes.AggregationsAggregationContainer> });
  return r.aggregations as Aggs;
}

const NONE = { term: { tag: 'nope' } };

const t = useTestClient(async (client) => {
  const ns = [2, 4, 4, 4, 5, 5, 7, 9];
  const flags = [true, false, true, true, false, false, true, false];
  const docs = ns.map((n, i): [string, Record<string, unknown>] => {
    const src: Record<string, unknown> = { n, tag: i % 2 === 1 ? 'a' : 'b', d: `2024-01-0${i + 1}`, flag: flags[i], title: `grade ${n}` };
    if (i === 0) src.vals = [1, 3];
    if (i === 0) src.late = '2024-06-01T10:00:00Z';
    if (i === 1) src.vals = [5];
    if (i < 4) src.m = i + 1;
    return [`g${i}`, src];
  });
  await createIndexWithDocs(
    client,
    'grades',
    {
      mappings: {
        properties: {
          n: { type: 'integer' },
          tag: { type: 'keyword' },
          d: { type: 'date' },
          flag: { type: 'boolean' },
          vals: { type: 'integer' },
          m: { type: 'integer' },
          late: { type: 'date' },
          title: { type: 'text' },
        },
      },
    },
    docs,
  );

  // sums: 0.1 + 0.2 + 0.3 in one index, and the same values split over two indexes
  await client.indices.create({ index: 'tenths', mappings: { properties: { x: { type: 'double' } } } });
  await client.indices.create({ index: 'tenths2', mappings: { properties: { x: { type: 'double' } } } });
  await client.bulk({
    refresh: true,
    operations: [
      { index: { _index: 'tenths', _id: '1' } },
      { x: 0.1 },
      { index: { _index: 'tenths', _id: '2' } },
      { x: 0.2 },
      { index: { _index: 'tenths', _id: '3' } },
      { x: 0.3 },
      { index: { _index: 'tenths2', _id: '4' } },
      { x: 0.1 },
    ],
  });

  await createIndexWithDocs(client, 'money', { mappings: { properties: { amount: { type: 'double' } } } }, [1000.5, 2000.25, 250.125].map((amount, i) => [String(i), { amount }]));
});

describe('single-value metrics', () => {
  it('computes min, max, avg, sum and value_count of a numeric field', async () => {
    const a = await aggs({
      lo: { min: { field: 'n' } },
      hi: { max: { field: 'n' } },
      mean: { avg: { field: 'n' } },
      total: { sum: { field: 'n' } },
      cnt: { value_count: { field: 'n' } },
    });
    // 2..9, 40 / 8 = 5; RAW format: no value_as_string
    expect(a).toEqual({ lo: { value: 2 }, hi: { value: 9 }, mean: { value: 5 }, total: { value: 40 }, cnt: { value: 8 } });
  });

  it('answers null for an empty min/max/avg, 0 for sum and value_count', async () => {
    const a = await aggs(
      { lo: { min: { field: 'n' } }, hi: { max: { field: 'n' } }, mean: { avg: { field: 'n' } }, total: { sum: { field: 'n' } }, cnt: { value_count: { field: 'n' } } },
      { query: NONE },
    );
    expect(a).toEqual({ lo: { value: null }, hi: { value: null }, mean: { value: null }, total: { value: 0 }, cnt: { value: 0 } });
  });

  it('treats an unmapped field as having no values, unless `missing` gives one', async () => {
    const a = await aggs({
      mean: { avg: { field: 'nope' } },
      total: { sum: { field: 'nope' } },
      cnt: { value_count: { field: 'nope' } },
      st: { stats: { field: 'nope' } },
      filled: { avg: { field: 'nope', missing: 10 } },
    });
    expect(a.mean).toEqual({ value: null });
    expect(a.total).toEqual({ value: 0 });
    expect(a.cnt).toEqual({ value: 0 });
    expect(a.st).toEqual({ count: 0, min: null, max: null, avg: null, sum: 0 });
    // every one of the 8 docs counts as 10
    expect(a.filled).toEqual({ value: 10 });
  });

  it('uses `missing` for the documents without the field', async () => {
    // m = 1, 2, 3, 4 on g0..g3; the other 4 docs count as 0: (1+2+3+4) / 8 = 1.25
    const a = await aggs({ withMissing: { avg: { field: 'm', missing: 0 } }, without: { avg: { field: 'm' } }, cnt: { value_count: { field: 'm', missing: 0 } } });
    expect(a.withMissing).toEqual({ value: 1.25 });
    expect(a.without).toEqual({ value: 2.5 });
    expect(a.cnt).toEqual({ value: 8 });
  });

  it('counts every value of a multi-valued field', async () => {
    // g0 [1, 3], g1 [5]: 3 values, sum 9
    const a = await aggs({ cnt: { value_count: { field: 'vals' } }, total: { sum: { field: 'vals' } }, mean: { avg: { field: 'vals' } }, hi: { max: { field: 'vals' } } });
    expect(a).toEqual({ cnt: { value: 3 }, total: { value: 9 }, mean: { value: 3 }, hi: { value: 5 } });
  });

  it('sums doubles with Kahan summation, per index and across indexes', async () => {
    // naive 0.1 + 0.2 + 0.3 = 0.6000000000000001; the compensated sum carries the lost
    // -2.8e-17 of 0.1 + 0.2 into the next addition and lands on 0.6
    expect(0.1 + 0.2 + 0.3).toBe(0.6000000000000001);
    const one = await aggs({ total: { sum: { field: 'x' } }, mean: { avg: { field: 'x' } } }, { index: 'tenths' });
    expect(one.total).toEqual({ value: 0.6 });
    expect(one.mean).toEqual({ value: 0.6 / 3 });
    // tenths sums to 0.6, tenths2 to 0.1; the reduce adds the shard sums: 0.6 + 0.1 = 0.7
    const two = await aggs({ total: { sum: { field: 'x' } } }, { index: ['tenths', 'tenths2'] });
    expect(two.total).toEqual({ value: 0.7 });
  });
});

describe('formats', () => {
  it('formats with a DecimalFormat pattern, rounding half-even', async () => {
    // amounts 1000.5 + 2000.25 + 250.125 = 3250.875 (exact in binary); avg 1083.625
    const a = await aggs(
      {
        total: { sum: { field: 'amount', format: '#,##0.00' } },
        whole: { sum: { field: 'amount', format: '#,##0' } },
        mean: { avg: { field: 'amount', format: '0.00' } },
        lo: { min: { field: 'amount', format: '000000.0' } },
      },
      { index: 'money' },
    );
    // 3250.875 is a tie at 2 decimals: half-even rounds up to the even 8
    expect(a.total).toEqual({ value: 3250.875, value_as_string: '3,250.88' });
    expect(a.whole).toEqual({ value: 3250.875, value_as_string: '3,251' });
    // 1083.625: tie, the kept digit 2 is even so it stays (HALF_UP would give 1083.63)
    expect(a.mean).toEqual({ value: 1083.625, value_as_string: '1083.62' });
    // 250.125 -> 250.1 (not a tie), padded to 6 integer digits
    expect(a.lo).toEqual({ value: 250.125, value_as_string: '000250.1' });
  });

  it('formats stats with *_as_string companions', async () => {
    const a = await aggs({ st: { stats: { field: 'amount', format: '0.0' } } }, { index: 'money' });
    // min 250.125 -> 250.1, max 2000.25 -> 2000.2 (tie, 2 even), avg 1083.625 -> 1083.6, sum 3250.875 -> 3250.9
    expect(a.st).toEqual({
      count: 3,
      min: 250.125,
      max: 2000.25,
      avg: 1083.625,
      sum: 3250.875,
      min_as_string: '250.1',
      max_as_string: '2000.2',
      avg_as_string: '1083.6',
      sum_as_string: '3250.9',
    });
  });

  it('gives dates a value_as_string in strict_date_optional_time, or in the requested format', async () => {
    const a = await aggs({ first: { min: { field: 'd' } }, last: { max: { field: 'd' } }, mid: { avg: { field: 'd' } }, day: { min: { field: 'd', format: 'yyyy/MM/dd' } } });
    expect(a.first).toEqual({ value: Date.UTC(2024, 0, 1), value_as_string: '2024-01-01T00:00:00.000Z' });
    expect(a.last).toEqual({ value: Date.UTC(2024, 0, 8), value_as_string: '2024-01-08T00:00:00.000Z' });
    // the mean of 8 consecutive midnights is the 4th day plus 12 hours
    expect(a.mid).toEqual({ value: Date.UTC(2024, 0, 4, 12), value_as_string: '2024-01-04T12:00:00.000Z' });
    expect(a.day).toEqual({ value: Date.UTC(2024, 0, 1), value_as_string: '2024/01/01' });
  });

  it('formats boolean values as true/false', async () => {
    // flags: true, false, true, true, false, false, true, false -> 4 of 8 true
    const a = await aggs({ lo: { min: { field: 'flag' } }, mean: { avg: { field: 'flag' } } });
    expect(a.lo).toEqual({ value: 0, value_as_string: 'false' });
    expect(a.mean).toEqual({ value: 0.5, value_as_string: 'true' });
  });
});

describe('values sources', () => {
  it('parses a date `missing` and formats date stats', async () => {
    const a = await aggs({
      hi: { max: { field: 'late', missing: '2025-01-01' } },
      lo: { min: { field: 'late', missing: '2025-01-01' } },
      st: { stats: { field: 'late', format: 'yyyy-MM-dd' } },
    });
    // seven docs without `late` count as 2025-01-01, g0 has 2024-06-01T10:00
    expect(a.hi).toEqual({ value: Date.UTC(2025, 0, 1), value_as_string: '2025-01-01T00:00:00.000Z' });
    expect(a.lo).toEqual({ value: Date.UTC(2024, 5, 1, 10), value_as_string: '2024-06-01T10:00:00.000Z' });
    const v = Date.UTC(2024, 5, 1, 10);
    expect(a.st).toEqual({ count: 1, min: v, max: v, avg: v, sum: v, min_as_string: '2024-06-01', max_as_string: '2024-06-01', avg_as_string: '2024-06-01', sum_as_string: '2024-06-01' });
  });

  it('counts keyword values and keyword `missing` values', async () => {
    const a = await aggs({ cnt: { value_count: { field: 'tag' } }, c: { cardinality: { field: 'tag', missing: 'zzz' } } }, { query: { range: { n: { gte: 5 } } } });
    // n >= 5: g4 (b), g5 (a), g6 (b), g7 (a): 4 values, 2 distinct; no doc lacks a tag
    expect(a).toEqual({ cnt: { value: 4 }, c: { value: 2 } });
  });

  it('aggregates over several indexes, each reduced as a shard', async () => {
    // grades n: 2..9; tenths has no `n` (unmapped there): the result is grades' alone
    const a = await aggs({ lo: { min: { field: 'n' } }, st: { stats: { field: 'n' } }, c: { cardinality: { field: 'n' } } }, { index: ['grades', 'tenths'] });
    expect(a).toEqual({ lo: { value: 2 }, st: { count: 8, min: 2, max: 9, avg: 5, sum: 40 }, c: { value: 5 } });
    // x: tenths 0.1, 0.2, 0.3 and tenths2 0.1: min 0.1, max 0.3, four values
    const x = await aggs({ st: { stats: { field: 'x' } } }, { index: ['tenths', 'tenths2'] });
    expect(x.st).toEqual({ count: 4, min: 0.1, max: 0.3, avg: 0.7 / 4, sum: 0.7 });
  });
});

describe('stats and extended_stats', () => {
  it('computes stats', async () => {
    const a = await aggs({ st: { stats: { field: 'n' } } });
    expect(a.st).toEqual({ count: 8, min: 2, max: 9, avg: 5, sum: 40 });
  });

  it('computes extended_stats with population and sampling variants', async () => {
    const a = await aggs({ es: { extended_stats: { field: 'n' } } });
    const stdSampling = Math.sqrt(32 / 7);
    expect(a.es).toEqual({
      count: 8,
      min: 2,
      max: 9,
      avg: 5,
      sum: 40,
      sum_of_squares: 232,
      variance: 4,
      variance_population: 4,
      variance_sampling: 32 / 7,
      std_deviation: 2,
      std_deviation_population: 2,
      std_deviation_sampling: stdSampling,
      // sigma 2: 5 ± 2*2, and 5 ± 2*sqrt(32/7) for the sampling bounds
      std_deviation_bounds: { upper: 9, lower: 1, upper_population: 9, lower_population: 1, upper_sampling: 5 + 2 * stdSampling, lower_sampling: 5 - 2 * stdSampling },
    });
  });

  it('applies sigma to the bounds', async () => {
    const a = await aggs({ es: { extended_stats: { field: 'n', sigma: 3 } } });
    // 5 ± 3*2
    expect(a.es.std_deviation_bounds).toMatchObject({ upper: 11, lower: -1, upper_population: 11, lower_population: -1 });
  });

  it('writes NaN sampling values for a single value and nulls for none', async () => {
    const one = await aggs({ es: { extended_stats: { field: 'n' } } }, { query: { ids: { values: ['g0'] } } });
    // one value: population variance (4 - 4) / 1 = 0, sampling variance 0 / 0 = NaN, written as "NaN"
    expect(one.es).toMatchObject({ count: 1, variance: 0, variance_sampling: 'NaN', std_deviation_sampling: 'NaN' });
    expect(one.es.std_deviation_bounds).toEqual({ upper: 2, lower: 2, upper_population: 2, lower_population: 2, upper_sampling: 'NaN', lower_sampling: 'NaN' });
    const none = await aggs({ es: { extended_stats: { field: 'n' } } }, { query: NONE });
    expect(none.es).toEqual({
      count: 0,
      min: null,
      max: null,
      avg: null,
      sum: 0,
      sum_of_squares: null,
      variance: null,
      variance_population: null,
      variance_sampling: null,
      std_deviation: null,
      std_deviation_population: null,
      std_deviation_sampling: null,
      std_deviation_bounds: { upper: null, lower: null, upper_population: null, lower_population: null, upper_sampling: null, lower_sampling: null },
    });
  });

  it('formats extended_stats values and bounds', async () => {
    const a = await aggs({ es: { extended_stats: { field: 'n', format: '0.0' } } });
    // sqrt(32/7) = 2.138..., 5 + 2*2.138 = 9.276 -> 9.3
    expect(a.es).toMatchObject({ variance_as_string: '4.0', std_deviation_sampling_as_string: '2.1', sum_of_squares_as_string: '232.0' });
    expect(a.es.std_deviation_bounds_as_string).toEqual({ upper: '9.0', lower: '1.0', upper_population: '9.0', lower_population: '1.0', upper_sampling: '9.3', lower_sampling: '0.7' });
  });
});

describe('cardinality', () => {
  it('counts distinct values exactly, for keywords and numbers', async () => {
    // tags a/b; n has 2, 4, 5, 7, 9; vals 1, 3, 5
    const a = await aggs({ tags: { cardinality: { field: 'tag' } }, ns: { cardinality: { field: 'n', precision_threshold: 100 } }, vs: { cardinality: { field: 'vals' } } });
    expect(a).toEqual({ tags: { value: 2 }, ns: { value: 5 }, vs: { value: 3 } });
  });

  it('is 0 over no documents and counts `missing` as a value', async () => {
    const none = await aggs({ c: { cardinality: { field: 'tag' } } }, { query: NONE });
    expect(none.c).toEqual({ value: 0 });
    // m is 1..4 on four docs, the other four take 0: {0, 1, 2, 3, 4}
    const filled = await aggs({ c: { cardinality: { field: 'm', missing: 0 } } });
    expect(filled.c).toEqual({ value: 5 });
  });
});

describe('percentiles', () => {
  it('interpolates between sorted values at q * (n - 1)', async () => {
    const a = await aggs({ p: { percentiles: { field: 'n', percents: [0, 25, 50, 75, 100] } } });
    // sorted [2, 4, 4, 4, 5, 5, 7, 9], n - 1 = 7
    //   0: index 0 -> 2;  25: index 1.75 -> 4 + 0.75*(4-4) = 4;  50: index 3.5 -> 4 + 0.5*(5-4) = 4.5
    //   75: index 5.25 -> 5 + 0.25*(7-5) = 5.5;  100: index 7 -> 9
    expect(a.p).toEqual({ values: { '0.0': 2, '25.0': 4, '50.0': 4.5, '75.0': 5.5, '100.0': 9 } });
  });

  it('uses the default percents, keyed as Java prints doubles', async () => {
    const a = await aggs({ p: { percentiles: { field: 'n' } } }, { query: { ids: { values: ['g0', 'g1', 'g4', 'g6', 'g7'] } } });
    // values [2, 4, 5, 7, 9], n - 1 = 4: p1 index 0.04 -> 2 + 0.04*2 = 2.08; p5 0.2 -> 2.4;
    // p25 1 -> 4; p50 2 -> 5; p75 3 -> 7; p95 3.8 -> 7 + 0.8*2 = 8.6; p99 3.96 -> 7 + 0.96*2 = 8.92
    // (each computed as lo + (index - floor) * (hi - lo), in doubles)
    const v = (q: number, lo: number, hi: number): number => {
      const index = q * 4;
      return lo + (index - Math.floor(index)) * (hi - lo);
    };
    expect(a.p.values).toEqual({ '1.0': v(0.01, 2, 4), '5.0': v(0.05, 2, 4), '25.0': 4, '50.0': 5, '75.0': 7, '95.0': v(0.95, 7, 9), '99.0': v(0.99, 7, 9) });
    expect(Object.keys(a.p.values)).toEqual(['1.0', '5.0', '25.0', '50.0', '75.0', '95.0', '99.0']);
    expect(a.p.values['95.0']).toBeCloseTo(8.6, 12);
  });

  it('renders keyed: false as an array of key/value, percents sorted', async () => {
    const a = await aggs({ p: { percentiles: { field: 'n', percents: [75, 50], keyed: false } } });
    expect(a.p).toEqual({ values: [{ key: 50, value: 4.5 }, { key: 75, value: 5.5 }] });
  });

  it('gives null values over no documents, and *_as_string with a format', async () => {
    const none = await aggs({ p: { percentiles: { field: 'n', percents: [50, 99.9] } } }, { query: NONE });
    expect(none.p).toEqual({ values: { '50.0': null, '99.9': null } });
    const f = await aggs({ p: { percentiles: { field: 'n', percents: [50], format: '0.00' } } });
    expect(f.p).toEqual({ values: { '50.0': 4.5, '50.0_as_string': '4.50' } });
  });

  it('rejects a percent outside [0, 100]', async () => {
    const f = await failure(t.client.search({ index: 'grades', aggs: { p: { percentiles: { field: 'n', percents: [101] } } } }));
    expect(f.status).toBe(400);
    expect(JSON.stringify(f.error)).toContain('percent must be in [0,100], got [101.0]');
  });
});

describe('top_hits', () => {
  it('returns the top documents by a field sort with _source filtering', async () => {
    const a = await aggs({ top: { top_hits: { size: 2, sort: [{ n: { order: 'desc' } }], _source: { includes: ['n'] } } } });
    // n desc: g7 (9), g6 (7); sorted by a field: no scores
    expect(a.top).toEqual({
      hits: {
        total: { value: 8, relation: 'eq' },
        max_score: null,
        hits: [
          { _index: 'grades', _id: 'g7', _score: null, _source: { n: 9 }, sort: [9] },
          { _index: 'grades', _id: 'g6', _score: null, _source: { n: 7 }, sort: [7] },
        ],
      },
    });
  });

  it('ranks by score by default, 3 hits, ties in index order', async () => {
    const a = await aggs({ top: { top_hits: { _source: false } } }, { query: { match: { title: 'grade' } } });
    const hits = a.top.hits.hits as Aggs[];
    // every title is "grade <n>": equal scores, so the first three docs in index order
    expect(hits.map((h) => h._id)).toEqual(['g0', 'g1', 'g2']);
    expect(hits[0]).not.toHaveProperty('sort');
    expect(hits[0]).not.toHaveProperty('_source');
    expect(typeof hits[0]?._score).toBe('number');
    expect(a.top.hits.max_score).toBe(hits[0]?._score);
  });

  it('pages with from and breaks sort ties by document order', async () => {
    // n asc: g0 (2), g1 (4), g2 (4), g3 (4), ...: from 1 size 2 -> g1, g2
    const a = await aggs({ top: { top_hits: { from: 1, size: 2, sort: ['n'], _source: ['tag'] } } });
    expect((a.top.hits.hits as Aggs[]).map((h) => [h._id, h._source, h.sort])).toEqual([
      ['g1', { tag: 'a' }, [4]],
      ['g2', { tag: 'b' }, [4]],
    ]);
  });

  it('runs per bucket as a sub-aggregation of terms', async () => {
    const a = await aggs({ by: { terms: { field: 'tag' }, aggs: { best: { top_hits: { size: 1, sort: [{ n: 'desc' }], _source: ['n'] } } } } });
    // tag a: n [4, 4, 5, 9] -> g7; tag b: n [2, 4, 5, 7] -> g6
    const best = (a.by.buckets as Aggs[]).map((b) => [b.key, b.best.hits.total.value, b.best.hits.hits[0]._id, b.best.hits.hits[0]._source]);
    expect(best).toEqual([
      ['a', 4, 'g7', { n: 9 }],
      ['b', 4, 'g6', { n: 7 }],
    ]);
  });

  it('is empty over no documents', async () => {
    const a = await aggs({ top: { top_hits: {} } }, { query: NONE });
    expect(a.top).toEqual({ hits: { total: { value: 0, relation: 'eq' }, max_score: null, hits: [] } });
  });

  it('highlights, explains and returns the hits the search explains and highlights alike', async () => {
    const query = { match: { title: 'grade' } };
    const a = await aggs({ top: { top_hits: { size: 2, explain: true, highlight: { fields: { title: {} } }, _source: false } } }, { query });
    const r = await t.client.search({ index: 'grades', size: 2, query, explain: true, highlight: { fields: { title: {} } }, _source: false });
    const strip = (h: Aggs): Aggs => ({ _id: h._id, _score: h._score, highlight: h.highlight, _explanation: h._explanation, _shard: h._shard });
    expect((a.top.hits.hits as Aggs[]).map(strip)).toEqual((r.hits.hits as Aggs[]).map(strip));
    expect(a.top.hits.hits[0].highlight).toEqual({ title: ['<em>grade</em> 2'] });
    // highlight_query replaces the search's query for the highlighter
    const b = await aggs({ top: { top_hits: { size: 1, highlight: { fields: { title: { highlight_query: { match: { title: '2' } } } } } } } }, { query });
    expect(b.top.hits.hits[0].highlight).toEqual({ title: ['grade <em>2</em>'] });
  });

  it('returns stored_fields (and no _source unless asked)', async () => {
    const a = await aggs({ top: { top_hits: { size: 1, sort: ['n'], stored_fields: ['n'], docvalue_fields: ['tag'] } } });
    // n is not stored: no value; the docvalue field still comes, and _source is left out
    expect(a.top.hits.hits[0]).toEqual({ _index: 'grades', _id: 'g0', _score: null, fields: { tag: ['b'] }, sort: [2] });
  });

  it('rejects a window larger than index.max_inner_result_window', async () => {
    const f = await failure(t.client.search({ index: 'grades', aggs: { top: { top_hits: { from: 95, size: 10 } } } }));
    expect(f.status).toBe(400);
    expect(JSON.stringify(f.error)).toContain("the top hits aggregator [top]'s from + size must be less than or equal to: [100] but was [105]");
  });
});

describe('metrics as sub-aggregations', () => {
  it('computes one result per terms bucket', async () => {
    const a = await aggs({ by: { terms: { field: 'tag' }, aggs: { mean: { avg: { field: 'n' } }, st: { stats: { field: 'n' } }, p: { percentiles: { field: 'n', percents: [50] } } } } });
    // a: [4, 4, 5, 9] sum 22, mean 5.5, median index 1.5 -> 4.5; b: [2, 4, 5, 7] sum 18, mean 4.5, median 4.5
    const rows = (a.by.buckets as Aggs[]).map((b) => [b.key, b.doc_count, b.mean.value, b.st, b.p.values['50.0']]);
    expect(rows).toEqual([
      ['a', 4, 5.5, { count: 4, min: 4, max: 9, avg: 5.5, sum: 22 }, 4.5],
      ['b', 4, 4.5, { count: 4, min: 2, max: 7, avg: 4.5, sum: 18 }, 4.5],
    ]);
  });
});

describe('errors', () => {
  it('rejects scripts with a 400 naming the limitation', async () => {
    const f = await failure(t.client.search({ index: 'grades', aggs: { s: { sum: { script: { source: "doc['n'].value * 2" } } } } }));
    expect(f.status).toBe(400);
    expect(f.error.type).toBe('illegal_argument_exception');
    expect(f.error.reason).toContain('[script] in aggregation [s] of type [sum] is not supported by the indexkit embedded engine');
  });

  it('rejects a text field with the fielddata error', async () => {
    const f = await failure(t.client.search({ index: 'grades', aggs: { s: { max: { field: 'title' } } } }));
    expect(f.status).toBe(400);
    expect(JSON.stringify(f.error)).toContain('Text fields are not optimised for operations that require per-document field data');
  });

  it('rejects a keyword field for a numeric metric', async () => {
    const f = await failure(t.client.search({ index: 'grades', aggs: { s: { avg: { field: 'tag' } } } }));
    expect(f.status).toBe(400);
    expect(JSON.stringify(f.error)).toContain('Field [tag] of type [keyword] is not supported for aggregation [avg]');
  });

  it('rejects unknown options, a missing field and a negative sigma', async () => {
    const unknown = await failure(t.client.search({ index: 'grades', aggs: { s: { avg: JSON.parse('{ "field": "n", "feild": "x" }') as Record<string, string> } } }));
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.error)).toContain('[avg] unknown field [feild]');
    const noField = await failure(t.client.search({ index: 'grades', aggs: { s: { min: {} } } }));
    expect(JSON.stringify(noField.error)).toContain('Required one of fields [field, script], but none were specified.');
    const sigma = await failure(t.client.search({ index: 'grades', aggs: { s: { extended_stats: { field: 'n', sigma: -1 } } } }));
    expect(JSON.stringify(sigma.error)).toContain('[sigma] must be greater than or equal to 0. Found [-1.0] in [s]');
  });
});

import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';
import * as MovingFunctions from '../../../src/engine/search/script/moving-functions.js';

/**
 * derivative and moving_fn through the real client. Index `series`, one doc an hour from
 * 2022-01-01T00:00 with v = 1, 2, 1, 4, 5, 9 and n = 10, 20, ... 60; index `holes` skips 03:00.
 */

type Aggs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read freely in tests

const V = [1, 2, 1, 4, 5, 9];

const t = useTestClient(async (client) => {
  const docs = V.map((v, i): [string, Record<string, unknown>] => [`d${i}`, { '@timestamp': `2022-01-01T0${i}:00:00Z`, v, n: (i + 1) * 10 }]);
  const mappings = { properties: { '@timestamp': { type: 'date' }, v: { type: 'double' }, n: { type: 'long' } } } as const;
  await createIndexWithDocs(client, 'series', { mappings }, docs);
  await createIndexWithDocs(client, 'holes', { mappings }, docs.filter(([id]) => id !== 'd3'));
});

async function hourly(subs: Record<string, unknown>, index = 'series', histo: Record<string, unknown> = {}): Promise<Aggs[]> {
  const r = await t.client.search({ index, size: 0, aggs: { h: { date_histogram: { field: '@timestamp', fixed_interval: '1h', ...histo }, aggs: subs } } as never });
  return (r.aggregations as Aggs).h.buckets as Aggs[];
}

describe('derivative', () => {
  it('divides by the key distance in `unit` for normalized_value, and formats both', async () => {
    const b = await hourly({ v: { avg: { field: 'v' } }, d: { derivative: { buckets_path: 'v', unit: '1m', format: '0.000' } } });
    expect(b[0]?.d).toBeUndefined();
    expect(b[1]?.d).toEqual({ value: 1, value_as_string: '1.000', normalized_value: 1 / 60, normalized_value_as_string: '0.017' });
    expect(b[3]?.d.normalized_value).toBeCloseTo(3 / 60, 12);
  });

  it('takes a calendar unit by its base duration and a day as 24 hours', async () => {
    const b = await hourly({ v: { avg: { field: 'v' } }, d: { derivative: { buckets_path: 'v', unit: 'day' } } });
    expect(b[5]?.d.normalized_value).toBeCloseTo(4 * 24, 9);
  });

  it('refuses a fractional time value as TimeValue does', async () => {
    const f = await failure(hourly({ v: { avg: { field: 'v' } }, d: { derivative: { buckets_path: 'v', unit: '1.5h' } } }));
    expect(f.status).toBe(400);
    expect(f.error.reason).toContain('failed to parse [1.5h], fractional time values are not supported');
  });

  it('runs a derivative of a derivative after it, whatever the request order', async () => {
    const b = await hourly({ v: { avg: { field: 'v' } }, d2: { derivative: { buckets_path: 'd1' } }, d1: { derivative: { buckets_path: 'v' } } });
    // d1: -, 1, -1, 3, 1, 4; d2: -, -, -2, 4, -2, 3
    expect(b.map((x) => x.d2?.value ?? null)).toEqual([null, null, -2, 4, -2, 3]);
  });

  it('differentiates the doc count and a named value of a multi-value metric', async () => {
    const b = await hourly({ st: { stats: { field: 'n' } }, dc: { derivative: { buckets_path: '_count' } }, dm: { derivative: { buckets_path: 'st.max' } } });
    expect(b.slice(1).map((x) => [x.dc.value, x.dm.value])).toEqual([
      [0, 10],
      [0, 10],
      [0, 10],
      [0, 10],
      [0, 10],
    ]);
  });

  it('writes value null after a gap under skip, a difference with zero under insert_zeros', async () => {
    const skip = await hourly({ v: { avg: { field: 'v' } }, d: { derivative: { buckets_path: 'v' } } }, 'holes');
    expect(skip.map((x) => (x.d === undefined ? 'none' : x.d.value))).toEqual(['none', 1, -1, null, null, 4]);
    const zeros = await hourly({ v: { avg: { field: 'v' } }, d: { derivative: { buckets_path: 'v', gap_policy: 'insert_zeros' } } }, 'holes');
    expect(zeros.map((x) => x.d?.value ?? 'none')).toEqual(['none', 1, -1, -1, 5, 4]);
  });

  it('answers the validation errors Elasticsearch words', async () => {
    const minDocCount = await failure(hourly({ d: { derivative: { buckets_path: '_count' } } }, 'series', { min_doc_count: 1 }));
    expect(minDocCount.error.reason).toBe('Validation Failed: 1: parent histogram of derivative aggregation [d] must have min_doc_count of 0;');
    const terms = await failure(t.client.search({ index: 'series', size: 0, aggs: { t: { terms: { field: 'n' }, aggs: { d: { derivative: { buckets_path: '_count' } } } } } }));
    expect(terms.error.reason).toBe('Validation Failed: 1: derivative aggregation [d] must have a histogram, date_histogram or auto_date_histogram as parent;');
    const top = await failure(t.client.search({ index: 'series', size: 0, aggs: { c: { cumulative_sum: { buckets_path: '_count' } } } }));
    expect(top.error.reason).toBe("Validation Failed: 1: cumulative_sum aggregation [c] must have a histogram, date_histogram or auto_date_histogram as parent but doesn't have a parent;");
    const number = await failure(hourly({ d: { derivative: { buckets_path: '_count', unit: 5 } } }));
    expect(number.error.reason).toBe('Unexpected token VALUE_NUMBER in [d].');
  });
});

describe('MovingFunctions', () => {
  it('computes what MovingFunctions computes on windows with NaN', () => {
    expect(MovingFunctions.max([])).toBeNaN();
    expect(MovingFunctions.sum([])).toBe(0);
    expect(MovingFunctions.sum([1, Number.NaN, 2])).toBe(3);
    expect(MovingFunctions.unweightedAvg([1, Number.NaN, 2])).toBe(1.5);
    // weights 1, 2 over a total weight of 1 + 1 + 2
    expect(MovingFunctions.linearWeightedAvg([1, 2])).toBe(1.25);
    expect(MovingFunctions.ewma([1, 2, 1], 0.3)).toBeCloseTo(0.3 * 1 + 0.7 * (0.3 * 2 + 0.7 * 1), 15);
    expect(MovingFunctions.stdDev([1, 2], 1.5)).toBe(0.5);
    expect(() => MovingFunctions.holtWinters([1, 2, 3], 0.3, 0.1, 0.1, 2, false)).toThrow('Holt-Winters aggregation requires at least (2 * period == 2 * 2 == 4) data-points to function.  Only [3] were provided.');
  });
});

describe('moving_fn', () => {
  it('passes script params and reads values.length', async () => {
    const b = await hourly({ v: { avg: { field: 'v' } }, m: { moving_fn: { buckets_path: 'v', window: 3, script: { source: 'values.length == 0 ? -1.0 : MovingFunctions.ewma(values, params.a)', params: { a: 1.0 } } } } });
    // alpha 1 keeps the last value of the window: the previous bucket's value
    expect(b.map((x) => x.m.value)).toEqual([-1, 1, 2, 1, 4, 5]);
  });

  it('returns 0.0 when the script returns nothing, and fails on a boolean result', async () => {
    const none = await hourly({ v: { avg: { field: 'v' } }, m: { moving_fn: { buckets_path: 'v', window: 2, script: 'if (values.length > 5) { 1.0 }' } } });
    expect(none.map((x) => x.m.value)).toEqual([0, 0, 0, 0, 0, 0]);
    const bool = await failure(hourly({ v: { avg: { field: 'v' } }, m: { moving_fn: { buckets_path: 'v', window: 2, script: 'values.length > 0' } } }));
    expect(bool.status).toBe(400);
    expect(JSON.stringify(bool.error)).toContain('Cannot cast from [java.lang.Boolean] to [double].');
  });

  it('shifts the window and skips gaps without counting them', async () => {
    const b = await hourly({ v: { avg: { field: 'v' } }, m: { moving_fn: { buckets_path: 'v', window: 2, shift: 1, script: 'MovingFunctions.sum(values)' } } }, 'holes');
    // values without the gap: 1, 2, 1, 5, 9; the bucket at 03:00 has none
    expect(b.map((x) => x.m?.value ?? 'none')).toEqual([1, 3, 3, 'none', 6, 14]);
  });

  it('refuses MovingFunctions outside moving_fn and an unknown helper', async () => {
    const elsewhere = await failure(
      t.client.search({ index: 'series', size: 0, aggs: { h: { date_histogram: { field: '@timestamp', fixed_interval: '1h' }, aggs: { s: { bucket_script: { buckets_path: { c: '_count' }, script: 'MovingFunctions.sum(params.c)' } } } } } }),
    );
    expect(JSON.stringify(elsewhere.error)).toContain('cannot resolve symbol [MovingFunctions]');
    const unknown = await failure(hourly({ m: { moving_fn: { buckets_path: '_count', window: 2, script: 'MovingFunctions.median(values)' } } }));
    expect(JSON.stringify(unknown.error)).toContain('Unknown call [median] on type [MovingFunctions].');
    const missing = await failure(hourly({ m: { moving_fn: { buckets_path: '_count', script: 'MovingFunctions.sum(values)' } } }));
    expect(missing.error.reason).toBe('Required [window]');
  });
});

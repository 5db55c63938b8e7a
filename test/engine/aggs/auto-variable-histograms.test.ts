import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * auto_date_histogram and variable_width_histogram over 3-shard indices, through the real client.
 * The expected buckets are worked out by hand from Elasticsearch's algorithms (documented in the
 * aggregations' reference pages and InternalAutoDateHistogram / InternalVariableWidthHistogram):
 *
 * - `days`: one doc a day, 2020-01-01 .. 2020-01-10. With `buckets: 3` the reduce settles on day
 *   rounding (9 days fit in 3 * 7 day buckets), then merges runs of the first inner interval that
 *   brings 10 buckets within 3: 7 days, so [01-01: 7 docs, 01-08: 3 docs] and interval `7d`.
 * - `nums`: 1, 2, 3, 10, 11, 12, 30. With `buckets: 3` the closest centroids merge in turn:
 *   (1,2), (10,11), then (1.5,3) and (10.5,12): {1..3, key 2}, {10..12, key 11}, {30}.
 */

type Aggs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read freely in tests

const t = useTestClient(async (client) => {
  const days = Array.from({ length: 10 }, (_, i): [string, Record<string, unknown>] => [`d${i}`, { at: `2020-01-${String(i + 1).padStart(2, '0')}`, v: i + 1 }]);
  await createIndexWithDocs(client, 'days', { settings: { number_of_shards: 3 }, mappings: { properties: { at: { type: 'date' }, v: { type: 'long' } } } }, days);
  const nums = [1, 2, 3, 10, 11, 12, 30].map((n, i): [string, Record<string, unknown>] => [`n${i}`, { n }]);
  await createIndexWithDocs(client, 'nums', { settings: { number_of_shards: 3 }, mappings: { properties: { n: { type: 'integer' } } } }, nums);
});

async function aggs(index: string, body: Record<string, unknown>, params: Record<string, unknown> = {}): Promise<Aggs> {
  const r = await t.client.search({ index, size: 0, ...body, ...params });
  return r.aggregations as Aggs;
}

describe('auto_date_histogram', () => {
  it('merges consecutive day buckets into the inner interval that fits the target, and reports it', async () => {
    const a = await aggs('days', { aggs: { h: { auto_date_histogram: { field: 'at', buckets: 3 }, aggs: { s: { sum: { field: 'v' } } } } } }, { typed_keys: true });
    const h = a['auto_date_histogram#h'];
    expect(h.interval).toBe('7d');
    expect(h.buckets.map((b: Aggs) => [b.key_as_string, b.key, b.doc_count, b['sum#s'].value])).toEqual([
      ['2020-01-01T00:00:00.000Z', Date.UTC(2020, 0, 1), 7, 28],
      ['2020-01-08T00:00:00.000Z', Date.UTC(2020, 0, 8), 3, 27],
    ]);
  });

  it('keeps one bucket per day when the target allows, and starts the ladder at minimum_interval', async () => {
    const daily = await aggs('days', { aggs: { h: { auto_date_histogram: { field: 'at', buckets: 10 } } } });
    expect(daily.h.interval).toBe('1d');
    expect(daily.h.buckets).toHaveLength(10);
    const monthly = await aggs('days', { aggs: { h: { auto_date_histogram: { field: 'at', buckets: 3, minimum_interval: 'month', format: 'yyyy-MM' } } } });
    expect(monthly.h.interval).toBe('1M');
    expect(monthly.h.buckets).toEqual([{ key_as_string: '2020-01', key: Date.UTC(2020, 0, 1), doc_count: 10 }]);
  });

  it('refuses a minimum_interval that is not a ladder unit and buckets of 0', async () => {
    expect((await failure(aggs('days', { aggs: { h: { auto_date_histogram: { field: 'at', minimum_interval: 'week' } } } }))).status).toBe(400);
    expect((await failure(aggs('days', { aggs: { h: { auto_date_histogram: { field: 'at', buckets: 0 } } } }))).status).toBe(400);
  });
});

describe('variable_width_histogram', () => {
  it('merges the two closest centroids until the target is reached', async () => {
    const a = await aggs('nums', { aggs: { h: { variable_width_histogram: { field: 'n', buckets: 3 } } } }, { typed_keys: true });
    expect(a['variable_width_histogram#h'].buckets).toEqual([
      { min: 1, key: 2, max: 3, doc_count: 3 },
      { min: 10, key: 11, max: 12, doc_count: 3 },
      { min: 30, key: 30, max: 30, doc_count: 1 },
    ]);
  });

  it('keeps every value apart when the target is larger, and validates shard_size and initial_buffer', async () => {
    const a = await aggs('nums', { aggs: { h: { variable_width_histogram: { field: 'n' } } } });
    expect(a.h.buckets.map((b: Aggs) => b.key)).toEqual([1, 2, 3, 10, 11, 12, 30]);
    const f = await failure(aggs('nums', { aggs: { h: { variable_width_histogram: { field: 'n', buckets: 10, shard_size: 12 } } } }));
    expect(String(f.error.reason)).toBe('3/4 of shard_size must be at least buckets but was [9<10] for [h]');
    const g = await failure(aggs('nums', { aggs: { h: { variable_width_histogram: { field: 'n', buckets: 10, initial_buffer: 5 } } } }));
    expect(String(g.error.reason)).toBe('initial_buffer must be at least buckets but was [5<10] for [h]');
  });
});

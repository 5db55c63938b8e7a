import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from '../helpers.js';

/**
 * The deprecated `interval` of a composite date_histogram source (DateIntervalWrapper's legacy
 * types): accepted with a deprecation Warning header, read as a calendar unit when it names one
 * and as a fixed time (or a number of milliseconds) otherwise; exclusive of calendar_interval and
 * fixed_interval. search.aggregation/230_composite.yml "Composite aggregation with format" runs it.
 */

const t = useTestClient(async (client) => {
  await client.indices.create({ index: 'dates', mappings: { properties: { date: { type: 'date' } } } });
  const dates = ['2017-10-20T03:08:45Z', '2017-10-21T07:00:00Z', '2017-10-21T13:30:00Z', '2017-11-02T00:00:00Z'];
  for (const [i, date] of dates.entries()) await client.index({ index: 'dates', id: String(i), document: { date } });
  await client.indices.refresh({ index: 'dates' });
});

const WARNING = '[interval] on [date_histogram] is deprecated, use [fixed_interval] or [calendar_interval] in the future.';

async function composite(source: Record<string, unknown>): Promise<{ keys: Array<[unknown, number]>; warnings: string[] | null }> {
  const r = await t.client.search({ index: 'dates', size: 0, aggs: { c: { composite: { sources: [{ d: { date_histogram: { field: 'date', ...source } } }] } } } }, { meta: true });
  const buckets = (r.body.aggregations?.c as { buckets: Array<{ key: { d: unknown }; doc_count: number }> }).buckets;
  return { keys: buckets.map((b) => [b.key.d, b.doc_count]), warnings: r.warnings };
}

describe('composite date_histogram source with the deprecated interval', () => {
  it('reads a calendar unit as calendar_interval, and warns', async () => {
    const legacy = await composite({ interval: '1M', format: 'yyyy-MM' });
    expect(legacy.keys).toEqual([['2017-10', 3], ['2017-11', 1]]);
    expect(legacy.warnings).toHaveLength(1);
    expect(legacy.warnings![0]).toMatch(/^299 Elasticsearch-8\.19\.0-\S+ "/);
    expect(legacy.warnings![0]).toContain(WARNING);
    const calendar = await composite({ calendar_interval: '1M', format: 'yyyy-MM' });
    expect(calendar.keys).toEqual(legacy.keys);
    expect(calendar.warnings).toBeNull();
  });

  it('reads any other time as a fixed interval, and a number as milliseconds', async () => {
    const twelveHours = await composite({ interval: '12h' });
    expect(twelveHours.keys).toEqual((await composite({ fixed_interval: '12h' })).keys);
    expect(twelveHours.keys.map(([, n]) => n)).toEqual([1, 1, 1, 1]);
    const millis = await composite({ interval: 43_200_000 });
    expect(millis.keys).toEqual(twelveHours.keys);
    expect(millis.warnings![0]).toContain(WARNING);
  });

  it('refuses an interval it cannot read, and interval with calendar_interval or fixed_interval', async () => {
    const bad = await failure(composite({ interval: '1x' }));
    expect(bad).toMatchObject({ status: 400 });
    expect(JSON.stringify(bad.error)).toContain('Unable to parse interval [1x]');
    const both = await failure(composite({ calendar_interval: '1d', interval: '1d' }));
    expect(JSON.stringify(both.error)).toContain('Cannot use [interval] with [fixed_interval] or [calendar_interval] configuration options.');
    const zero = await failure(composite({ interval: 0 }));
    expect(JSON.stringify(zero.error)).toContain('[interval] must be 1 or greater for aggregation [date_histogram]');
  });
});

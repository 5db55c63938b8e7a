import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * histogram, date_histogram, range and date_range through the real client. Data:
 *   h1 n 1        at 2024-01-01T10:00Z
 *   h2 n 7        at 2024-01-01T23:30Z
 *   h3 n 12       at 2024-01-03T05:00Z
 *   h4 n [21, 24] at 2024-02-15T00:00Z
 *   h5 n 48       at 2024-03-31T00:30Z
 *   h6 (neither)
 * and, in `dst`, instants around Europe/Berlin's 2024 DST changes (31 March, 27 October).
 */

type Aggs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read freely in tests

async function aggs(body: Record<string, unknown>, index = 'h'): Promise<Aggs> {
  const r = await t.client.search({ index, size: 0, ...body });
  return r.aggregations as Aggs;
}
const pairs = (a: Aggs): Array<[unknown, number]> => (a.buckets as Aggs[]).map((b) => [b.key_as_string ?? b.key, b.doc_count as number]);
const H = 3_600_000;

const t = useTestClient(async (client) => {
  const docs = [
    { id: 'h1', n: 1, at: '2024-01-01T10:00:00Z' },
    { id: 'h2', n: 7, at: '2024-01-01T23:30:00Z' },
    { id: 'h3', n: 12, at: '2024-01-03T05:00:00Z' },
    { id: 'h4', n: [21, 24], at: '2024-02-15T00:00:00Z' },
    { id: 'h5', n: 48, at: '2024-03-31T00:30:00Z' },
    { id: 'h6', tag: 'none' },
  ];
  await createIndexWithDocs(client, 'h', { mappings: { properties: { n: { type: 'long' }, at: { type: 'date' }, tag: { type: 'keyword' } } } }, docs.map(({ id, ...src }) => [id, src]));
  await client.indices.create({ index: 'dst', mappings: { properties: { at: { type: 'date' } } } });
  const instants = [
    '2024-03-31T00:30:00Z', // 01:30 CET, 31 March
    '2024-03-31T01:30:00Z', // 03:30 CEST, 31 March (02:00-03:00 does not exist)
    '2024-03-31T22:30:00Z', // 00:30 CEST, 1 April
    '2024-10-27T00:30:00Z', // 02:30 CEST, the first 02:xx of 27 October
    '2024-10-27T01:30:00Z', // 02:30 CET, the repeated 02:xx
  ];
  const ops = instants.flatMap((at) => [{ index: { _index: 'dst' } }, { at }]);
  expect((await client.bulk({ operations: ops, refresh: true })).errors).toBe(false);
});

describe('histogram', () => {
  it('buckets by interval, counts a multi-valued doc once per bucket and fills empty buckets', async () => {
    // 1, 7 -> 0; 12 -> 10; 21, 24 -> 20 (one doc); 48 -> 40; 30 is empty
    const a = await aggs({ aggs: { n: { histogram: { field: 'n', interval: 10 } } } });
    expect(a.n).toEqual({
      buckets: [
        { key: 0, doc_count: 2 },
        { key: 10, doc_count: 1 },
        { key: 20, doc_count: 1 },
        { key: 30, doc_count: 0 },
        { key: 40, doc_count: 1 },
      ],
    });
  });

  it('shifts buckets by offset', async () => {
    // key = floor((v - 5) / 10) * 10 + 5: 1 -> -5; 7, 12 -> 5; 21, 24 -> 15; 48 -> 45
    const a = await aggs({ aggs: { n: { histogram: { field: 'n', interval: 10, offset: 5 } } } });
    expect(pairs(a.n)).toEqual([
      [-5, 1],
      [5, 2],
      [15, 1],
      [25, 0],
      [35, 0],
      [45, 1],
    ]);
  });

  it('drops empty buckets with min_doc_count and widens with extended_bounds', async () => {
    expect(pairs((await aggs({ aggs: { n: { histogram: { field: 'n', interval: 10, min_doc_count: 1 } } } })).n)).toEqual([
      [0, 2],
      [10, 1],
      [20, 1],
      [40, 1],
    ]);
    // -20 .. 65 rounds to -20 .. 60
    const e = await aggs({ aggs: { n: { histogram: { field: 'n', interval: 10, extended_bounds: { min: -20, max: 65 } } } } });
    expect(pairs(e.n)).toEqual([
      [-20, 0],
      [-10, 0],
      [0, 2],
      [10, 1],
      [20, 1],
      [30, 0],
      [40, 1],
      [50, 0],
      [60, 0],
    ]);
  });

  it('ignores values outside hard_bounds', async () => {
    // 0 (1, 7) and 40 (48) fall outside [10, 30]; empty buckets only between the remaining keys
    const a = await aggs({ aggs: { n: { histogram: { field: 'n', interval: 10, hard_bounds: { min: 10, max: 30 } } } } });
    expect(pairs(a.n)).toEqual([
      [10, 1],
      [20, 1],
    ]);
  });

  it('renders keyed buckets under the Java double key, orders by count and uses missing', async () => {
    const a = await aggs({
      aggs: {
        keyed: { histogram: { field: 'n', interval: 20, keyed: true } },
        byCount: { histogram: { field: 'n', interval: 10, order: { _count: 'desc' } } },
        missing: { histogram: { field: 'n', interval: 10, missing: 30, min_doc_count: 1 } },
      },
    });
    // 1, 7, 12 -> 0; 21/24 -> 20; 48 -> 40
    expect(a.keyed.buckets).toEqual({
      '0.0': { key: 0, doc_count: 3 },
      '20.0': { key: 20, doc_count: 1 },
      '40.0': { key: 40, doc_count: 1 },
    });
    // 0 has 2; 10, 20, 40 have 1 (by key); 30 has 0
    expect(pairs(a.byCount)).toEqual([
      [0, 2],
      [10, 1],
      [20, 1],
      [40, 1],
      [30, 0],
    ]);
    // h6 has no n: counted under 30
    expect(pairs(a.missing)).toEqual([
      [0, 2],
      [10, 1],
      [20, 1],
      [30, 1],
      [40, 1],
    ]);
  });

  it('buckets a date field by a millisecond interval, with dates in key_as_string', async () => {
    // one-day interval: 1 Jan h1 h2, 2 Jan empty, 3 Jan h3
    const a = await aggs({ query: { range: { at: { lt: '2024-01-04' } } }, aggs: { d: { histogram: { field: 'at', interval: 86_400_000 } } } });
    expect(a.d.buckets).toEqual([
      { key_as_string: '2024-01-01T00:00:00.000Z', key: Date.UTC(2024, 0, 1), doc_count: 2 },
      { key_as_string: '2024-01-02T00:00:00.000Z', key: Date.UTC(2024, 0, 2), doc_count: 0 },
      { key_as_string: '2024-01-03T00:00:00.000Z', key: Date.UTC(2024, 0, 3), doc_count: 1 },
    ]);
  });

  it('rejects a missing or non-positive interval and keyword fields', async () => {
    const f = await failure(t.client.search({ index: 'h', aggs: { n: { histogram: { field: 'n', interval: 0 } } } }));
    expect(f.status).toBe(400);
    expect(f.error.reason).toBe('[1:1] [histogram] failed to parse field [interval]');
    expect((f.error.caused_by as Aggs).reason).toBe('[interval] must be >0 for histogram aggregation [n]');
    const g = await failure(t.client.search({ index: 'h', aggs: { n: { histogram: { field: 'tag', interval: 10 } } } }));
    expect((g.error.root_cause as Aggs[])[0]?.reason).toBe('Field [tag] of type [keyword] is not supported for aggregation [histogram]');
  });
});

describe('search.max_buckets (65,536)', () => {
  const limit = {
    type: 'too_many_buckets_exception',
    reason: 'Trying to create too many buckets. Must be less than or equal to: [65536]. This limit can be set by changing the [search.max_buckets] cluster level setting.',
    max_buckets: 65536,
  };

  it('refuses one histogram of more buckets', async () => {
    // interval 1 with extended_bounds 0..70000 and min_doc_count 0: 70,001 buckets
    const { status, error } = await failure(t.client.search({ index: 'h', size: 0, aggs: { a: { histogram: { field: 'n', interval: 1, min_doc_count: 0, extended_bounds: { min: 0, max: 70_000 } } } } }));
    expect(status).toBe(400);
    expect(JSON.stringify(error)).toContain(limit.reason);
  });

  it('counts the buckets of the whole response: two histograms of 40,001 each are too many together', async () => {
    const wide = { histogram: { field: 'n', interval: 1, min_doc_count: 0, extended_bounds: { min: 0, max: 40_000 } } };
    const one = await aggs({ aggs: { a: wide } });
    expect(one.a.buckets).toHaveLength(40_001);
    const { status, error } = await failure(t.client.search({ index: 'h', size: 0, aggs: { a: wide, b: wide } }));
    expect(status).toBe(400);
    expect(error).toMatchObject(limit);
  });
});

describe('date_histogram', () => {
  it('buckets by calendar month with key_as_string, filling empty months', async () => {
    const a = await aggs({ aggs: { m: { date_histogram: { field: 'at', calendar_interval: 'month' } } } });
    // January h1 h2 h3, February h4, March h5
    expect(a.m.buckets).toEqual([
      { key_as_string: '2024-01-01T00:00:00.000Z', key: Date.UTC(2024, 0, 1), doc_count: 3 },
      { key_as_string: '2024-02-01T00:00:00.000Z', key: Date.UTC(2024, 1, 1), doc_count: 1 },
      { key_as_string: '2024-03-01T00:00:00.000Z', key: Date.UTC(2024, 2, 1), doc_count: 1 },
    ]);
  });

  it('fills empty days and honours min_doc_count', async () => {
    const days = await aggs({ query: { range: { at: { lt: '2024-01-04' } } }, aggs: { d: { date_histogram: { field: 'at', calendar_interval: '1d' } } } });
    // 1 Jan h1 h2, 2 Jan empty, 3 Jan h3
    expect(pairs(days.d)).toEqual([
      ['2024-01-01T00:00:00.000Z', 2],
      ['2024-01-02T00:00:00.000Z', 0],
      ['2024-01-03T00:00:00.000Z', 1],
    ]);
    const sparse = await aggs({ aggs: { d: { date_histogram: { field: 'at', calendar_interval: 'day', min_doc_count: 1 } } } });
    expect(sparse.d.buckets).toHaveLength(4);
  });

  it('rounds in a fixed-offset time zone and writes the offset in key_as_string', async () => {
    // +01:00: h2 23:30Z is 00:30 on 2 January locally
    const a = await aggs({ query: { range: { at: { lt: '2024-01-04' } } }, aggs: { d: { date_histogram: { field: 'at', calendar_interval: 'day', time_zone: '+01:00' } } } });
    expect(a.d.buckets).toEqual([
      { key_as_string: '2024-01-01T00:00:00.000+01:00', key: Date.UTC(2024, 0, 1) - H, doc_count: 1 },
      { key_as_string: '2024-01-02T00:00:00.000+01:00', key: Date.UTC(2024, 0, 2) - H, doc_count: 1 },
      { key_as_string: '2024-01-03T00:00:00.000+01:00', key: Date.UTC(2024, 0, 3) - H, doc_count: 1 },
    ]);
  });

  it('follows DST in an IANA time zone: a 23-hour day and a repeated hour', async () => {
    const days = await aggs({ query: { range: { at: { lt: '2024-04-02' } } }, aggs: { d: { date_histogram: { field: 'at', calendar_interval: 'day', time_zone: 'Europe/Berlin' } } } }, 'dst');
    // 31 March starts at 23:00Z on the 30th (CET), 1 April at 22:00Z on the 31st (CEST)
    expect(days.d.buckets).toEqual([
      { key_as_string: '2024-03-31T00:00:00.000+01:00', key: Date.UTC(2024, 2, 30, 23), doc_count: 2 },
      { key_as_string: '2024-04-01T00:00:00.000+02:00', key: Date.UTC(2024, 2, 31, 22), doc_count: 1 },
    ]);
    const hours = await aggs({ query: { range: { at: { gte: '2024-10-01' } } }, aggs: { h: { date_histogram: { field: 'at', calendar_interval: 'hour', time_zone: 'Europe/Berlin' } } } }, 'dst');
    // 02:30 CEST and 02:30 CET are an hour apart: two buckets, both local 02:00
    expect(hours.h.buckets).toEqual([
      { key_as_string: '2024-10-27T02:00:00.000+02:00', key: Date.UTC(2024, 9, 27, 0), doc_count: 1 },
      { key_as_string: '2024-10-27T02:00:00.000+01:00', key: Date.UTC(2024, 9, 27, 1), doc_count: 1 },
    ]);
  });

  it('buckets by fixed_interval from the epoch', async () => {
    // 90 minutes divide a day: 10:00 -> 09:00, 23:30 -> 22:30
    const a = await aggs({ query: { range: { at: { lt: '2024-01-02' } } }, aggs: { f: { date_histogram: { field: 'at', fixed_interval: '90m', min_doc_count: 1 } } } });
    expect(pairs(a.f)).toEqual([
      ['2024-01-01T09:00:00.000Z', 1],
      ['2024-01-01T22:30:00.000Z', 1],
    ]);
    const h12 = await aggs({ query: { range: { at: { lt: '2024-01-02' } } }, aggs: { f: { date_histogram: { field: 'at', fixed_interval: '12h' } } } });
    expect(pairs(h12.f)).toEqual([
      ['2024-01-01T00:00:00.000Z', 1],
      ['2024-01-01T12:00:00.000Z', 1],
    ]);
  });

  it('applies offset, format, keyed, extended_bounds and missing', async () => {
    const a = await aggs({
      aggs: {
        off: { date_histogram: { field: 'at', calendar_interval: 'day', offset: '+6h', min_doc_count: 1, format: "yyyy-MM-dd'T'HH" } },
        keyed: { date_histogram: { field: 'at', calendar_interval: 'month', format: 'yyyy-MM', keyed: true } },
        wide: { date_histogram: { field: 'at', calendar_interval: 'month', format: 'yyyy-MM-dd', extended_bounds: { min: '2023-11-01', max: '2024-04-30' } } },
        missing: { date_histogram: { field: 'at', calendar_interval: 'month', missing: '2024-01-15' } },
      },
    });
    // days start at 06:00: 10:00 and 23:30 on 1 Jan -> 1 Jan 06:00; 05:00 on 3 Jan -> 2 Jan 06:00
    expect(pairs(a.off).slice(0, 2)).toEqual([
      ['2024-01-01T06', 2],
      ['2024-01-02T06', 1],
    ]);
    expect(a.keyed.buckets).toEqual({
      '2024-01': { key_as_string: '2024-01', key: Date.UTC(2024, 0, 1), doc_count: 3 },
      '2024-02': { key_as_string: '2024-02', key: Date.UTC(2024, 1, 1), doc_count: 1 },
      '2024-03': { key_as_string: '2024-03', key: Date.UTC(2024, 2, 1), doc_count: 1 },
    });
    expect(pairs(a.wide)).toEqual([
      ['2023-11-01', 0],
      ['2023-12-01', 0],
      ['2024-01-01', 3],
      ['2024-02-01', 1],
      ['2024-03-01', 1],
      ['2024-04-01', 0],
    ]);
    // h6 counts in January
    expect(pairs(a.missing)[0]).toEqual(['2024-01-01T00:00:00.000Z', 4]);
  });

  it('rejects the removed `interval`, bad calendar intervals and keyword fields', async () => {
    const f = await failure(t.client.search({ index: 'h', aggs: { d: { date_histogram: { field: 'at', interval: 'day' } as never } } }));
    expect(f.error.reason).toBe('[1:1] [date_histogram] unknown field [interval]');
    const g = await failure(t.client.search({ index: 'h', aggs: { d: { date_histogram: { field: 'at', calendar_interval: '2d' as never } } } }));
    expect((g.error.caused_by as Aggs).reason).toBe('The supplied interval [2d] could not be parsed as a calendar interval.');
    const h = await failure(t.client.search({ index: 'h', aggs: { d: { date_histogram: { field: 'at' } } } }));
    expect(h.error.reason).toBe('Invalid interval specified, must be non-null and non-empty');
    const k = await failure(t.client.search({ index: 'h', aggs: { d: { date_histogram: { field: 'tag', calendar_interval: 'day' } } } }));
    expect((k.error.root_cause as Aggs[])[0]?.reason).toBe('Field [tag] of type [keyword] is not supported for aggregation [date_histogram]');
  });
});

describe('range', () => {
  it('counts from (inclusive) to (exclusive), keyed by Java doubles', async () => {
    const a = await aggs({ aggs: { r: { range: { field: 'n', ranges: [{ to: 10 }, { from: 10, to: 20 }, { from: 20 }] } } } });
    // 1, 7 | 12 | [21, 24] (once), 48
    expect(a.r.buckets).toEqual([
      { key: '*-10.0', to: 10, doc_count: 2 },
      { key: '10.0-20.0', from: 10, to: 20, doc_count: 1 },
      { key: '20.0-*', from: 20, doc_count: 2 },
    ]);
  });

  it('sorts ranges by from, names them with key, renders keyed and uses missing', async () => {
    const a = await aggs({
      aggs: {
        r: { range: { field: 'n', keyed: true, missing: 0, ranges: [{ from: 20, key: 'high' }, { key: 'low', to: 10 }, { from: 5, to: 25 }] } },
      },
    });
    // low: 1, 7 and h6's missing 0 -> 3; 5-25: 7, 12, [21, 24] -> 3; high: [21, 24], 48 -> 2
    expect(a.r.buckets).toEqual({
      low: { to: 10, doc_count: 3 },
      '5.0-25.0': { from: 5, to: 25, doc_count: 3 },
      high: { from: 20, doc_count: 2 },
    });
  });

  it('formats from/to with a decimal format', async () => {
    const a = await aggs({ aggs: { r: { range: { field: 'n', format: '0.00', ranges: [{ from: 1.5, to: 12 }] } } } });
    // 7 only
    expect(a.r.buckets).toEqual([{ key: '1.50-12.00', from: 1.5, from_as_string: '1.50', to: 12, to_as_string: '12.00', doc_count: 1 }]);
  });
});

describe('date_range', () => {
  it('range over a date field takes dates and writes them in from_as_string/to_as_string', async () => {
    const a = await aggs({ aggs: { r: { range: { field: 'at', ranges: [{ from: '2024-02-01' }] } } } });
    // h4 (15 Feb), h5 (31 Mar)
    expect(a.r.buckets).toEqual([{ key: '2024-02-01T00:00:00.000Z-*', from: Date.UTC(2024, 1, 1), from_as_string: '2024-02-01T00:00:00.000Z', doc_count: 2 }]);
  });


  it('parses dates and date math and writes from_as_string/to_as_string', async () => {
    const a = await aggs({
      aggs: { r: { date_range: { field: 'at', ranges: [{ to: '2024-01-03' }, { from: '2024-01-03', to: '2024-02-01||+1M' }, { from: '2024-03-01' }] } } },
    });
    // h1 h2 | h3 h4 (up to 1 March) | h5
    expect(a.r.buckets).toEqual([
      { key: '*-2024-01-03T00:00:00.000Z', to: Date.UTC(2024, 0, 3), to_as_string: '2024-01-03T00:00:00.000Z', doc_count: 2 },
      {
        key: '2024-01-03T00:00:00.000Z-2024-03-01T00:00:00.000Z',
        from: Date.UTC(2024, 0, 3),
        from_as_string: '2024-01-03T00:00:00.000Z',
        to: Date.UTC(2024, 2, 1),
        to_as_string: '2024-03-01T00:00:00.000Z',
        doc_count: 2,
      },
      { key: '2024-03-01T00:00:00.000Z-*', from: Date.UTC(2024, 2, 1), from_as_string: '2024-03-01T00:00:00.000Z', doc_count: 1 },
    ]);
  });

  it('reads and writes dates in format and time_zone, and resolves now', async () => {
    const a = await aggs({
      aggs: {
        z: { date_range: { field: 'at', format: 'yyyy-MM-dd', time_zone: '+01:00', ranges: [{ to: '2024-01-02' }] } },
        now: { date_range: { field: 'at', ranges: [{ to: 'now-1000y' }, { from: 'now-1000y', to: 'now+1d/d' }] } },
      },
    });
    // local midnight of 2 January is 23:00Z on the 1st: h1 (10:00Z) only, h2 (23:30Z) is after
    expect(a.z.buckets).toEqual([{ key: '*-2024-01-02', to: Date.UTC(2024, 0, 1, 23), to_as_string: '2024-01-02', doc_count: 1 }]);
    expect(a.now.buckets.map((b: Aggs) => b.doc_count)).toEqual([0, 5]);
  });
});

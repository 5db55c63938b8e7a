import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * Pipeline aggregations through the real client. Data, index `sales`:
 *   id  type   price  qty
 *   s1  hat    10     1
 *   s2  hat    30     3
 *   s3  bag    50     -
 *   s4  shoe   20     2
 *   s5  shoe   40     4
 *   s6  scarf  40     -
 * terms on type (count desc, then key asc): hat (2), shoe (2), bag (1), scarf (1), with
 *   total = sum(price): hat 40, shoe 60, bag 50, scarf 40
 *   avg_qty = avg(qty):  hat 2,  shoe 3,  bag null, scarf null (buckets with docs but no value)
 */

type Aggs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read freely in tests

const SUBS = { total: { sum: { field: 'price' } }, avg_qty: { avg: { field: 'qty' } }, st: { stats: { field: 'price' } }, pct: { percentiles: { field: 'price', percents: [50] } } };

/** `by` (terms on type with SUBS and `extra` sub-aggregations) plus `siblings` next to it. */
async function run(extra: Record<string, unknown>, siblings: Record<string, unknown> = {}, query?: Record<string, unknown>): Promise<Aggs> {
  const r = await t.client.search({
    index: 'sales',
    size: 0,
    ...(query ? { query } : {}),
    aggs: { by: { terms: { field: 'type' }, aggs: { ...SUBS, ...extra } }, ...siblings },
  });
  return r.aggregations as Aggs;
}

const keys = (a: Aggs): unknown[] => (a.by.buckets as Aggs[]).map((b) => b.key);

const t = useTestClient(async (client) => {
  const docs = [
    { id: 's1', type: 'hat', price: 10, qty: 1 },
    { id: 's2', type: 'hat', price: 30, qty: 3 },
    { id: 's3', type: 'bag', price: 50 },
    { id: 's4', type: 'shoe', price: 20, qty: 2 },
    { id: 's5', type: 'shoe', price: 40, qty: 4 },
    { id: 's6', type: 'scarf', price: 40 },
  ];
  await createIndexWithDocs(client, 'sales', { mappings: { properties: { type: { type: 'keyword' }, price: { type: 'double' }, qty: { type: 'integer' } } } }, docs.map(({ id, ...src }) => [id, src]));
});

describe('the data', () => {
  it('has the buckets the other tests work from', async () => {
    const a = await run({});
    expect((a.by.buckets as Aggs[]).map((b) => [b.key, b.doc_count, b.total.value, b.avg_qty.value])).toEqual([
      ['hat', 2, 40, 2],
      ['shoe', 2, 60, 3],
      ['bag', 1, 50, null],
      ['scarf', 1, 40, null],
    ]);
  });
});

describe('sibling bucket metrics', () => {
  it('sums, averages and finds the max and min of a metric over the buckets', async () => {
    const a = await run(
      {},
      {
        sum_total: { sum_bucket: { buckets_path: 'by>total' } },
        avg_total: { avg_bucket: { buckets_path: 'by>total' } },
        max_total: { max_bucket: { buckets_path: 'by>total' } },
        min_count: { min_bucket: { buckets_path: 'by>_count' } },
      },
    );
    // 40 + 60 + 50 + 40 = 190; 190 / 4 = 47.5; max 60 (shoe); min count 1 (bag, scarf)
    expect(a.sum_total).toEqual({ value: 190 });
    expect(a.avg_total).toEqual({ value: 47.5 });
    expect(a.max_total).toEqual({ value: 60, keys: ['shoe'] });
    expect(a.min_count).toEqual({ value: 1, keys: ['bag', 'scarf'] });
  });

  it('lists every tied bucket key of max_bucket and min_bucket', async () => {
    const a = await run({}, { max_count: { max_bucket: { buckets_path: 'by>_count' } }, min_total: { min_bucket: { buckets_path: 'by>total' } } });
    // counts 2, 2, 1, 1: hat and shoe tie; totals 40, 60, 50, 40: hat and scarf tie
    expect(a.max_count).toEqual({ value: 2, keys: ['hat', 'shoe'] });
    expect(a.min_total).toEqual({ value: 40, keys: ['hat', 'scarf'] });
  });

  it('reads multi-value metrics through .metric and [percent] paths', async () => {
    const a = await run({}, { max_of_max: { min_bucket: { buckets_path: 'by>st.max' } }, median: { max_bucket: { buckets_path: 'by>pct[50.0]' } }, median2: { max_bucket: { buckets_path: 'by>pct.50' } } });
    // stats max per bucket: hat 30, shoe 40, bag 50, scarf 40 -> min 30 (hat)
    expect(a.max_of_max).toEqual({ value: 30, keys: ['hat'] });
    // medians: hat [10, 30] -> 20, shoe [20, 40] -> 30, bag 50, scarf 40 -> max 50 (bag)
    expect(a.median).toEqual({ value: 50, keys: ['bag'] });
    expect(a.median2).toEqual({ value: 50, keys: ['bag'] });
  });

  it('skips gaps by default and counts them as zeros with insert_zeros', async () => {
    const a = await run(
      {},
      {
        skip: { avg_bucket: { buckets_path: 'by>avg_qty' } },
        zeros: { avg_bucket: { buckets_path: 'by>avg_qty', gap_policy: 'insert_zeros' } },
        minZeros: { min_bucket: { buckets_path: 'by>avg_qty', gap_policy: 'insert_zeros' } },
      },
    );
    // skip: (2 + 3) / 2 = 2.5; insert_zeros: (2 + 3 + 0 + 0) / 4 = 1.25, min 0 at bag and scarf
    expect(a.skip).toEqual({ value: 2.5 });
    expect(a.zeros).toEqual({ value: 1.25 });
    expect(a.minZeros).toEqual({ value: 0, keys: ['bag', 'scarf'] });
  });

  it('formats the value with `format`', async () => {
    const a = await run({}, { s: { sum_bucket: { buckets_path: 'by>total', format: '#,##0.00' } }, m: { max_bucket: { buckets_path: 'by>total', format: '0.0' } } });
    expect(a.s).toEqual({ value: 190, value_as_string: '190.00' });
    expect(a.m).toEqual({ value: 60, value_as_string: '60.0', keys: ['shoe'] });
  });

  it('answers 0 for sum_bucket and null for the others over no buckets', async () => {
    const a = await run(
      {},
      { s: { sum_bucket: { buckets_path: 'by>total' } }, avg: { avg_bucket: { buckets_path: 'by>total' } }, mx: { max_bucket: { buckets_path: 'by>total' } }, mn: { min_bucket: { buckets_path: 'by>total' } } },
      { term: { type: 'nope' } },
    );
    expect(a.s).toEqual({ value: 0 });
    expect(a.avg).toEqual({ value: null });
    expect(a.mx).toEqual({ value: null, keys: [] });
    expect(a.mn).toEqual({ value: null, keys: [] });
  });

  it('prints numeric terms keys as longs', async () => {
    const r = await t.client.search({
      index: 'sales',
      size: 0,
      aggs: { byQty: { terms: { field: 'qty' }, aggs: { total: { sum: { field: 'price' } } } }, top: { max_bucket: { buckets_path: 'byQty>total' } } },
    });
    // qty 4 -> s5 price 40 is the largest total
    expect((r.aggregations as Aggs).top).toEqual({ value: 40, keys: ['4'] });
  });

  it('runs inside buckets, over a sibling at that level', async () => {
    const r = await t.client.search({
      index: 'sales',
      size: 0,
      aggs: {
        outer: {
          terms: { field: 'type', include: ['hat', 'shoe'] },
          aggs: { byQty: { terms: { field: 'qty' }, aggs: { total: { sum: { field: 'price' } } } }, best: { max_bucket: { buckets_path: 'byQty>total' } } },
        },
      },
    });
    // hat: qty 1 -> 10, qty 3 -> 30; shoe: qty 2 -> 20, qty 4 -> 40
    const rows = ((r.aggregations as Aggs).outer.buckets as Aggs[]).map((b) => [b.key, b.best]);
    expect(rows).toEqual([
      ['hat', { value: 30, keys: ['3'] }],
      ['shoe', { value: 40, keys: ['4'] }],
    ]);
  });
});

describe('over a histogram', () => {
  /**
   * histogram of price, interval 10, extended_bounds 0..50: keys 0 (no docs), 10 (s1), 20 (s4),
   * 30 (s2), 40 (s5, s6), 50 (s3); total = 0, 10, 20, 30, 80, 50; mean = null, 10, 20, 30, 40, 50.
   */
  async function histo(extra: Record<string, unknown>, siblings: Record<string, unknown> = {}): Promise<Aggs> {
    const r = await t.client.search({
      index: 'sales',
      size: 0,
      aggs: {
        h: { histogram: { field: 'price', interval: 10, extended_bounds: { min: 0, max: 50 } }, aggs: { total: { sum: { field: 'price' } }, mean: { avg: { field: 'price' } }, ...extra } },
        ...siblings,
      },
    });
    return r.aggregations as Aggs;
  }

  it('treats an empty bucket as a gap: skipped, zero, or kept with keep_values', async () => {
    const a = await histo(
      {},
      {
        skip: { min_bucket: { buckets_path: 'h>total' } },
        keep: { min_bucket: { buckets_path: 'h>total', gap_policy: 'keep_values' } },
        avgSkip: { avg_bucket: { buckets_path: 'h>mean' } },
        avgZeros: { avg_bucket: { buckets_path: 'h>mean', gap_policy: 'insert_zeros' } },
        avgKeep: { avg_bucket: { buckets_path: 'h>mean', gap_policy: 'keep_values' } },
      },
    );
    expect((a.h.buckets as Aggs[]).map((b) => [b.key, b.doc_count])).toEqual([
      [0, 0],
      [10, 1],
      [20, 1],
      [30, 1],
      [40, 2],
      [50, 1],
    ]);
    // skip: the empty bucket 0 is a gap, so the min total is 10; keep_values keeps its sum 0.
    // histogram keys are doubles, printed as Java does: "10.0"
    expect(a.skip).toEqual({ value: 10, keys: ['10.0'] });
    expect(a.keep).toEqual({ value: 0, keys: ['0.0'] });
    // means 10..50: skip (10+20+30+40+50)/5 = 30; insert_zeros 150/6 = 25; keep_values has no
    // value to keep in the empty bucket (avg is NaN there), so 30
    expect(a.avgSkip).toEqual({ value: 30 });
    expect(a.avgZeros).toEqual({ value: 25 });
    expect(a.avgKeep).toEqual({ value: 30 });
  });

  it('finds the busiest histogram bucket and filters and sorts histogram buckets', async () => {
    const a = await histo(
      {
        nonEmpty: { bucket_selector: { buckets_path: { c: '_count' }, script: 'params.c > 0' } },
        byTotal: { bucket_sort: { sort: [{ total: 'desc' }], size: 2 } },
      },
      { busiest: { max_bucket: { buckets_path: 'h>_count' } } },
    );
    expect(a.busiest).toEqual({ value: 2, keys: ['40.0'] });
    // totals 10, 20, 30, 80, 50 after the selector: 40 (80) then 50 (50)
    expect((a.h.buckets as Aggs[]).map((b) => b.key)).toEqual([40, 50]);
  });
});

/** The detail of a script_exception (its caused_by reason). */
const causeOf = (error: Record<string, unknown>): string => String((error.caused_by as Record<string, unknown> | undefined)?.reason);

describe('bucket_selector', () => {
  it('keeps the buckets for which the script is true', async () => {
    const a = await run({ sel: { bucket_selector: { buckets_path: { t: 'total' }, script: 'params.t > 45' } } });
    // totals 40, 60, 50, 40
    expect(keys(a)).toEqual(['shoe', 'bag']);
  });

  it('combines variables with &&, ||, !, comparisons and arithmetic', async () => {
    const both = await run({ sel: { bucket_selector: { buckets_path: { t: 'total', c: '_count' }, script: 'params.t >= 40 && params.c > 1' } } });
    expect(keys(both)).toEqual(['hat', 'shoe']);
    // average price per doc: hat 20, shoe 30, bag 50, scarf 40
    const perDoc = await run({ sel: { bucket_selector: { buckets_path: { t: 'total', c: '_count' }, script: { source: 'params.t / params.c > 35 || !(params.c != 2)' } } } });
    // > 35: bag, scarf; count == 2: hat, shoe -> all four
    expect(keys(perDoc)).toEqual(['hat', 'shoe', 'bag', 'scarf']);
    const arith = await run({ sel: { bucket_selector: { buckets_path: { t: 'total', c: '_count' }, script: '(params.t - 10) * 2 == 60 + params.c % 2' } } });
    // hat (40-10)*2 = 60 == 60 + 0; scarf (40-10)*2 = 60 != 60 + 1
    expect(keys(arith)).toEqual(['hat']);
  });

  it('uses Java int arithmetic for integer literals', async () => {
    // 7 / 2 is 3 in Java (JavaScript would give 3.5), so every bucket passes
    const a = await run({ sel: { bucket_selector: { buckets_path: { t: 'total' }, script: 'params.t > 0 && 7 / 2 == 3' } } });
    expect(keys(a)).toEqual(['hat', 'shoe', 'bag', 'scarf']);
  });

  it('reads bare variable names in expression scripts', async () => {
    const a = await run({ sel: { bucket_selector: { buckets_path: { t: 'total' }, script: { source: 't < 45', lang: 'expression' } } } });
    expect(keys(a)).toEqual(['hat', 'scarf']);
    const painless = await failure(run({ sel: { bucket_selector: { buckets_path: { t: 'total' }, script: 't < 45' } } }));
    expect(painless.error.reason).toBe('compile error');
    expect(causeOf(painless.error)).toContain('cannot resolve symbol [t]');
  });

  it('reads script params next to the buckets_path variables', async () => {
    const a = await run({ sel: { bucket_selector: { buckets_path: { t: 'total' }, script: { source: 'params.t > params.threshold', lang: 'painless', params: { threshold: 45 } } } } });
    expect(keys(a)).toEqual(['shoe', 'bag']);
  });

  it('passes a gap as NaN with skip, and as 0 with insert_zeros', async () => {
    // avg_qty is null in bag and scarf: NaN > 0 is false, and !(NaN > 0) true
    const pos = await run({ sel: { bucket_selector: { buckets_path: { q: 'avg_qty' }, script: 'params.q > 0' } } });
    expect(keys(pos)).toEqual(['hat', 'shoe']);
    const neg = await run({ sel: { bucket_selector: { buckets_path: { q: 'avg_qty' }, script: '!(params.q > 0)' } } });
    expect(keys(neg)).toEqual(['bag', 'scarf']);
    const zeros = await run({ sel: { bucket_selector: { buckets_path: { q: 'avg_qty' }, gap_policy: 'insert_zeros', script: 'params.q == 0' } } });
    expect(keys(zeros)).toEqual(['bag', 'scarf']);
  });

  it('runs the Painless interpreter: Math, statements; doc, unknown variables and non-boolean results are 400s', async () => {
    const math = await run({ sel: { bucket_selector: { buckets_path: { t: 'total' }, script: 'Math.abs(params.t) > 45' } } });
    expect(keys(math)).toEqual(['shoe', 'bag']);
    const statements = await run({ sel: { bucket_selector: { buckets_path: { t: 'total' }, script: 'double limit = 40; limit += 5; return params.t > limit;' } } });
    expect(keys(statements)).toEqual(['shoe', 'bag']);
    const docAccess = await failure(run({ sel: { bucket_selector: { buckets_path: { t: 'total' }, script: "doc['price'].value > 10" } } }));
    expect(docAccess.status).toBe(400);
    expect(docAccess.error.type).toBe('script_exception');
    expect(causeOf(docAccess.error)).toContain('cannot resolve symbol [doc]');
    const unknownVar = await failure(run({ sel: { bucket_selector: { buckets_path: { t: 'total' }, script: 'params.x > 10' } } }));
    expect(causeOf(unknownVar.error)).toContain('variable [x] is neither a buckets_path entry nor a script param');
    const notBoolean = await failure(run({ sel: { bucket_selector: { buckets_path: { t: 'total' }, script: 'params.t + 1' } } }));
    expect(causeOf(notBoolean.error)).toContain('the script must return a boolean, not a java.lang.Double');
  });
});

describe('bucket_script', () => {
  it('adds the script value to every bucket, computed from its buckets_path variables', async () => {
    const a = await run({ ratio: { bucket_script: { buckets_path: { t: 'total', c: '_count' }, script: 'params.t / params.c', format: '0.00' } } });
    const buckets = (a.by as Aggs).buckets as Aggs[];
    expect(buckets.length).toBeGreaterThan(1);
    for (const b of buckets) {
      const expected = (b.total as Aggs).value / (b.doc_count as number);
      expect(b.ratio.value).toBeCloseTo(expected, 10);
      expect(b.ratio.value_as_string).toBe(expected.toFixed(2));
    }
  });

  it('leaves a bucket without a value when a variable is a gap (skip) or the script returns null', async () => {
    const a = await run({ q2: { bucket_script: { buckets_path: { q: 'avg_qty' }, script: 'params.q * 2' } }, nothing: { bucket_script: { buckets_path: { t: 'total' }, script: 'if (params.t > 45) { return params.t } return null' } } });
    for (const b of (a.by as Aggs).buckets as Aggs[]) {
      const q = (b.avg_qty as Aggs).value as number | null;
      if (q === null) expect(b.q2).toBeUndefined();
      else expect(b.q2.value).toBe(q * 2);
      if ((b.total as Aggs).value > 45) expect(b.nothing.value).toBe((b.total as Aggs).value);
      else expect(b.nothing).toBeUndefined();
    }
  });
});

describe('bucket_sort', () => {
  it('sorts by a metric and truncates to size', async () => {
    const a = await run({ s: { bucket_sort: { sort: [{ total: { order: 'desc' } }], size: 2 } } });
    expect(keys(a)).toEqual(['shoe', 'bag']);
  });

  it('sorts by _key and pages with from', async () => {
    const a = await run({ s: { bucket_sort: { sort: ['_key'], from: 1 } } });
    // bag, hat, scarf, shoe -> from 1
    expect(keys(a)).toEqual(['hat', 'scarf', 'shoe']);
  });

  it('sorts on several keys, ties kept in bucket order', async () => {
    const a = await run({ s: { bucket_sort: { sort: [{ _count: 'asc' }, { total: 'desc' }] } } });
    // count 1: bag (50), scarf (40); count 2: shoe (60), hat (40)
    expect(keys(a)).toEqual(['bag', 'scarf', 'shoe', 'hat']);
  });

  it('drops buckets with no sort value under skip, sorts them as 0 under insert_zeros', async () => {
    const skip = await run({ s: { bucket_sort: { sort: [{ avg_qty: 'desc' }] } } });
    expect(keys(skip)).toEqual(['shoe', 'hat']);
    const zeros = await run({ s: { bucket_sort: { sort: [{ avg_qty: 'desc' }], gap_policy: 'insert_zeros' } } });
    // shoe 3, hat 2, then bag and scarf at 0 in their original order
    expect(keys(zeros)).toEqual(['shoe', 'hat', 'bag', 'scarf']);
  });

  it('only truncates when no sort is given', async () => {
    const a = await run({ s: { bucket_sort: { size: 2 } } });
    expect(keys(a)).toEqual(['hat', 'shoe']);
    const past = await run({ s: { bucket_sort: { from: 10 } } });
    expect(keys(past)).toEqual([]);
  });

  it('composes with bucket_selector in request order', async () => {
    const a = await run({
      sel: { bucket_selector: { buckets_path: { c: '_count' }, script: 'params.c == 1' } },
      s: { bucket_sort: { sort: [{ total: 'asc' }] } },
    });
    // count 1: bag (50), scarf (40) -> by total asc
    expect(keys(a)).toEqual(['scarf', 'bag']);
  });

  it('rejects a bucket_sort that does nothing and a size of 0', async () => {
    const nothing = await failure(run({ s: { bucket_sort: {} } }));
    expect(nothing.status).toBe(400);
    expect(nothing.error.reason).toBe('Validation Failed: 1: [s] is configured to perform nothing. Please set either of [sort, size, from] to use bucket_sort;');
    const zero = await failure(run({ s: { bucket_sort: { size: 0 } } }));
    expect(zero.error.reason).toBe('[size] must be a positive integer: [0]');
  });
});

describe('buckets_path errors', () => {
  it('rejects a path to an aggregation that does not exist', async () => {
    const sibling = await failure(run({}, { m: { max_bucket: { buckets_path: 'nope>total' } } }));
    expect(sibling.status).toBe(400);
    expect(sibling.error.reason).toBe('Validation Failed: 1: buckets_path aggregation does not exist for aggregation [m]: nope>total;');
    const inner = await failure(run({}, { m: { max_bucket: { buckets_path: 'by>nope' } } }));
    expect(inner.status).toBe(400);
    // the request's validation, as search.aggregation/500_max_bucket "bad path" expects
    expect(inner.error.reason).toBe('Validation Failed: 1: No aggregation [nope] found for path [by>nope];');
    const parent = await failure(run({ sel: { bucket_selector: { buckets_path: { x: 'nope' }, script: 'params.x > 1' } } }));
    expect(parent.error.reason).toBe('Validation Failed: 1: No aggregation found for path [nope];');
  });

  it('rejects a path to a multi-value metric without a value name', async () => {
    const f = await failure(run({}, { m: { max_bucket: { buckets_path: 'by>st' } } }));
    expect(f.status).toBe(400);
    expect(f.error.reason).toBe('buckets_path must reference either a number value or a single value numeric metric aggregation, but [st] contains multiple values. Please specify which to use.');
  });

  it('rejects a sibling path that does not start at a multi-bucket aggregation', async () => {
    const r = t.client.search({ index: 'sales', size: 0, aggs: { total: { sum: { field: 'price' } }, m: { max_bucket: { buckets_path: 'total' } } } });
    const f = await failure(r);
    expect(f.status).toBe(400);
    expect(f.error.reason).toContain('The first aggregation in buckets_path must be a multi-bucket aggregation for aggregation [m]');
  });

  it('rejects a missing buckets_path, an unknown option and an unknown gap policy', async () => {
    const missing = await failure(run({}, { m: { max_bucket: {} } }));
    expect(missing.error.reason).toBe('Missing required field [buckets_path] for aggregation [m]');
    const unknown = await failure(run({}, { m: { max_bucket: { buckets_path: 'by>total', sort: 'x' } } }));
    expect(unknown.error.reason).toBe('Unknown key for a VALUE_STRING in [m]: [sort].');
    const gap = await failure(run({}, { m: { max_bucket: { buckets_path: 'by>total', gap_policy: 'fill' } } }));
    expect(gap.error.reason).toBe('Invalid gap policy: [fill], accepted values: [insert_zeros, skip, keep_values]');
  });
});

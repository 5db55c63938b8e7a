import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * The aggregation framework and terms, through the real client. Data (tags per doc):
 *   p1 [a, b]  price 10  cat x  sold true   at 2024-01-01
 *   p2 [a]     price 20  cat x  sold false  at 2024-01-02
 *   p3 [b, c]  price 30  cat y  sold true   at 2024-01-02
 *   p4 [a, c]  price 40  cat y              at 2024-02-01
 *   p5 (none)  price 50  cat z
 *   p6 [d]     price 5                      at 2024-03-15
 * so a: 3 (p1 p2 p4), b: 2 (p1 p3), c: 2 (p3 p4), d: 1 (p6); 8 tag values in all.
 */

type Aggs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read freely in tests

async function aggs(body: Record<string, unknown>, index: string | string[] = 'shop', params: Record<string, unknown> = {}): Promise<Aggs> {
  const r = await t.client.search({ index, size: 0, ...body, ...params });
  return r.aggregations as Aggs;
}

const keys = (a: Aggs): unknown[] => (a.buckets as Aggs[]).map((b) => b.key);
const counts = (a: Aggs): Array<[unknown, number]> => (a.buckets as Aggs[]).map((b) => [b.key, b.doc_count as number]);

const t = useTestClient(async (client) => {
  const docs = [
    { id: 'p1', tag: ['a', 'b'], price: 10, weight: 1.5, cat: 'x', sold: true, at: '2024-01-01', title: 'red shoe' },
    { id: 'p2', tag: ['a'], price: 20, weight: 2.5, cat: 'x', sold: false, at: '2024-01-02', title: 'blue shoe' },
    { id: 'p3', tag: ['b', 'c'], price: 30, weight: 1.5, cat: 'y', sold: true, at: '2024-01-02', title: 'red hat' },
    { id: 'p4', tag: ['a', 'c'], price: 40, cat: 'y', at: '2024-02-01', title: 'green hat' },
    { id: 'p5', price: 50, cat: 'z', title: 'scarf' },
    { id: 'p6', tag: ['d'], price: 5, at: '2024-03-15', title: 'sock' },
  ];
  await createIndexWithDocs(
    client,
    'shop',
    {
      mappings: {
        properties: {
          tag: { type: 'keyword' },
          price: { type: 'long' },
          weight: { type: 'double' },
          cat: { type: 'keyword' },
          sold: { type: 'boolean' },
          at: { type: 'date' },
          title: { type: 'text' },
        },
      },
    },
    docs.map(({ id, ...src }) => [id, src]),
  );

  // two indexes for the shard reduce: s1 has a×3 b×2 c×1, s2 has b×3 c×2 a×1
  for (const [index, spec] of [
    ['s1', { a: 3, b: 2, c: 1 }],
    ['s2', { b: 3, c: 2, a: 1 }],
  ] as const) {
    await client.indices.create({ index, mappings: { properties: { k: { type: 'keyword' } } } });
    const ops = Object.entries(spec).flatMap(([k, n]) => Array.from({ length: n }, () => [{ index: { _index: index } }, { k }]).flat());
    expect((await client.bulk({ operations: ops, refresh: true })).errors).toBe(false);
  }
});

describe('terms', () => {
  it('counts keyword values, most frequent first, ties by key ascending', async () => {
    const a = await aggs({ aggs: { tags: { terms: { field: 'tag' } } } });
    // b and c both have 2: key order breaks the tie
    expect(a.tags).toEqual({
      doc_count_error_upper_bound: 0,
      sum_other_doc_count: 0,
      buckets: [
        { key: 'a', doc_count: 3 },
        { key: 'b', doc_count: 2 },
        { key: 'c', doc_count: 2 },
        { key: 'd', doc_count: 1 },
      ],
    });
  });

  it('reports what size leaves out in sum_other_doc_count', async () => {
    const a = await aggs({ aggs: { tags: { terms: { field: 'tag', size: 2 } } } });
    // 8 values in all, a 3 + b 2 returned: 3 left over; one index, so no error bound
    expect(a.tags.sum_other_doc_count).toBe(3);
    expect(a.tags.doc_count_error_upper_bound).toBe(0);
    expect(counts(a.tags)).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
  });

  it('orders by _key, _count asc and legacy _term', async () => {
    expect(keys((await aggs({ aggs: { t: { terms: { field: 'tag', order: { _key: 'desc' } } } } })).t)).toEqual(['d', 'c', 'b', 'a']);
    expect(keys((await aggs({ aggs: { t: { terms: { field: 'tag', order: { _term: 'asc' } } } } })).t)).toEqual(['a', 'b', 'c', 'd']);
    // d 1, then b 2 and c 2 (tie by key), then a 3
    expect(keys((await aggs({ aggs: { t: { terms: { field: 'tag', order: { _count: 'asc' } } } } })).t)).toEqual(['d', 'b', 'c', 'a']);
    // an array of orders: count desc, then key desc for the b/c tie
    expect(keys((await aggs({ aggs: { t: { terms: { field: 'tag', order: [{ _count: 'desc' }, { _key: 'desc' }] } } } })).t)).toEqual(['a', 'c', 'b', 'd']);
  });

  it('orders by a single-bucket sub-aggregation path', async () => {
    // docs with price < 25 per tag: a {p1,p2} 2, b {p1} 1, c 0, d {p6} 1 -> a, then b/d by key, then c
    const a = await aggs({
      aggs: { t: { terms: { field: 'tag', order: { cheap: 'desc' } }, aggs: { cheap: { filter: { range: { price: { lt: 25 } } } } } } },
    });
    expect(keys(a.t)).toEqual(['a', 'b', 'd', 'c']);
    expect(a.t.buckets[0]).toEqual({ key: 'a', doc_count: 3, cheap: { doc_count: 2 } });
  });

  it('rejects an order path naming no sub-aggregation', async () => {
    const f = await failure(t.client.search({ index: 'shop', size: 0, aggs: { t: { terms: { field: 'tag', order: { nope: 'desc' } } } } }));
    expect(f.status).toBe(400);
    expect(f.error.type).toBe('search_phase_execution_exception');
    expect((f.error.root_cause as Aggs[])[0]?.reason).toBe(
      'Invalid aggregation order path [nope]. The provided aggregation [nope] either does not exist, or is a pipeline aggregation and cannot be used to sort the buckets.',
    );
  });

  it('rejects order paths through multi-bucket aggregations or to a multi-value metric without a name', async () => {
    const reason = async (order: Record<string, string>, sub: Record<string, unknown>): Promise<unknown> => {
      const f = await failure(t.client.search({ index: 'shop', size: 0, aggs: { t: { terms: { field: 'tag', order }, aggs: { s: sub } } } as never }));
      return (f.error.root_cause as Aggs[])[0]?.reason;
    };
    expect(await reason({ s: 'desc' }, { terms: { field: 'cat' } })).toBe(
      'Invalid aggregation order path [s]. Buckets can only be sorted on a sub-aggregator path that is built out of zero or more single-bucket aggregations within the path and a final single-bucket or a metrics aggregation at the path end.',
    );
    expect(await reason({ s: 'desc' }, { stats: { field: 'price' } })).toBe(
      'Invalid aggregation order path [s]. When ordering on a multi-value metrics aggregation a metric name must be specified.',
    );
  });

  it('orders by a metric under a single-bucket path (a>b)', async () => {
    // max price among sold docs: a p1 10; b p1 10, p3 30 -> 30; c p3 30; d none (null sorts last)
    const a = await aggs({
      aggs: { t: { terms: { field: 'tag', order: { 'sold>top': 'desc' } }, aggs: { sold: { filter: { term: { sold: true } }, aggs: { top: { max: { field: 'price' } } } } } } },
    });
    expect(keys(a.t)).toEqual(['b', 'c', 'a', 'd']);
    // ascending, the empty max of d is -Infinity in ES and sorts first; an empty avg (NaN) sorts last either way
    const asc = await aggs({
      aggs: { t: { terms: { field: 'tag', order: { 'sold>top': 'asc' } }, aggs: { sold: { filter: { term: { sold: true } }, aggs: { top: { max: { field: 'price' } } } } } } },
    });
    expect(keys(asc.t)).toEqual(['d', 'a', 'b', 'c']);
    const avg = await aggs({
      aggs: { t: { terms: { field: 'tag', order: { 'sold>m': 'asc' } }, aggs: { sold: { filter: { term: { sold: true } }, aggs: { m: { avg: { field: 'price' } } } } } } },
    });
    // avg of sold prices: a 10, b (10+30)/2 = 20, c 30, d none
    expect(keys(avg.t)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('min_doc_count 0 adds every term of the field with a zero count', async () => {
    // cat x matches p1, p2: a 2, b 1, and c, d with 0, in key order after the counted ones
    const a = await aggs({ query: { term: { cat: 'x' } }, aggs: { t: { terms: { field: 'tag', min_doc_count: 0 } } } });
    expect(counts(a.t)).toEqual([
      ['a', 2],
      ['b', 1],
      ['c', 0],
      ['d', 0],
    ]);
  });

  it('min_doc_count filters small buckets without adding them to sum_other_doc_count', async () => {
    const a = await aggs({ aggs: { t: { terms: { field: 'tag', min_doc_count: 2 } } } });
    expect(counts(a.t)).toEqual([
      ['a', 3],
      ['b', 2],
      ['c', 2],
    ]);
    expect(a.t.sum_other_doc_count).toBe(0);
  });

  it('puts docs without the field under the missing value', async () => {
    const a = await aggs({ aggs: { t: { terms: { field: 'tag', missing: 'none' } } } });
    expect(counts(a.t)).toEqual([
      ['a', 3],
      ['b', 2],
      ['c', 2],
      ['d', 1],
      ['none', 1],
    ]);
  });

  it('filters terms with include/exclude regexes and value arrays', async () => {
    expect(keys((await aggs({ aggs: { t: { terms: { field: 'tag', include: 'a|c' } } } })).t)).toEqual(['a', 'c']);
    expect(keys((await aggs({ aggs: { t: { terms: { field: 'tag', exclude: ['a', 'd'] } } } })).t)).toEqual(['b', 'c']);
    expect(keys((await aggs({ aggs: { t: { terms: { field: 'tag', include: '[a-c]', exclude: 'b' } } } })).t)).toEqual(['a', 'c']);
    expect(keys((await aggs({ aggs: { t: { terms: { field: 'price', include: [10, 40] } } } })).t)).toEqual([10, 40]);
  });

  it('splits terms into disjoint partitions that cover them all', async () => {
    const parts = await Promise.all(
      [0, 1, 2].map(async (partition) => keys((await aggs({ aggs: { t: { terms: { field: 'tag', include: { partition, num_partitions: 3 } } } } })).t) as string[]),
    );
    expect(parts.flat().sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(parts.some((p) => p.length > 0 && p.length < 4)).toBe(true);
  });

  it('keys numbers as numbers, dates with key_as_string, booleans as 1/0 with true/false', async () => {
    const a = await aggs({
      aggs: {
        price: { terms: { field: 'price', size: 2, order: { _key: 'asc' } } },
        weight: { terms: { field: 'weight' } },
        sold: { terms: { field: 'sold' } },
        at: { terms: { field: 'at', size: 1 } },
        fmt: { terms: { field: 'price', size: 1, order: { _key: 'asc' }, format: '000.0' } },
      },
    });
    expect(a.price.buckets).toEqual([
      { key: 5, doc_count: 1 },
      { key: 10, doc_count: 1 },
    ]);
    // 1.5 on p1 and p3, 2.5 on p2
    expect(a.weight.buckets).toEqual([
      { key: 1.5, doc_count: 2 },
      { key: 2.5, doc_count: 1 },
    ]);
    expect(a.sold.buckets).toEqual([
      { key: 1, key_as_string: 'true', doc_count: 2 },
      { key: 0, key_as_string: 'false', doc_count: 1 },
    ]);
    // 2024-01-02 has p2 and p3
    expect(a.at.buckets).toEqual([{ key: Date.UTC(2024, 0, 2), key_as_string: '2024-01-02T00:00:00.000Z', doc_count: 2 }]);
    expect(a.fmt.buckets).toEqual([{ key: 5, key_as_string: '005.0', doc_count: 1 }]);
  });

  it('names result types for typed_keys (sterms, lterms, dterms) and renders meta first', async () => {
    const r = await t.client.search({
      index: 'shop',
      size: 0,
      typed_keys: true,
      aggs: {
        tags: { terms: { field: 'tag', size: 1 }, meta: { color: 'blue' }, aggs: { prices: { terms: { field: 'price', size: 1 } } } },
        weights: { terms: { field: 'weight', size: 1 } },
      },
    });
    const a = r.aggregations as Aggs;
    expect(Object.keys(a)).toEqual(['sterms#tags', 'dterms#weights']);
    expect(Object.keys(a['sterms#tags'])[0]).toBe('meta');
    expect(a['sterms#tags'].meta).toEqual({ color: 'blue' });
    // a: p1 10, p2 20, p4 40 -> one each, 10 first by key
    expect(a['sterms#tags'].buckets[0]['lterms#prices'].buckets).toEqual([{ key: 10, doc_count: 1 }]);
  });

  it('computes the per-index top shard_size and reduces as Elasticsearch does across two indexes', async () => {
    // shard_size 2: s1 returns a3 b2 (left out: c1, error bound = last count 2),
    // s2 returns b3 c2 (left out: a1, error bound 2). Reduced: b 5, a 3, c 2 -> size 2 keeps b, a;
    // sum_other = 1 + 1 + c's 2 = 4; error bound = 2 + 2 = 4. Per bucket: b came from both (4 - 4 = 0),
    // a from s1 only (4 - 2 = 2).
    const a = await aggs({ aggs: { k: { terms: { field: 'k', size: 2, shard_size: 2, show_term_doc_count_error: true } } } }, ['s1', 's2']);
    expect(a.k).toEqual({
      doc_count_error_upper_bound: 4,
      sum_other_doc_count: 4,
      buckets: [
        { key: 'b', doc_count: 5, doc_count_error_upper_bound: 0 },
        { key: 'a', doc_count: 3, doc_count_error_upper_bound: 2 },
      ],
    });
    // default shard_size (2 * 1.5 + 10 = 13) sees every term: exact counts a 4, b 5, c 3
    const exact = await aggs({ aggs: { k: { terms: { field: 'k', size: 2 } } } }, ['s1', 's2']);
    expect(exact.k).toEqual({
      doc_count_error_upper_bound: 0,
      sum_other_doc_count: 3,
      buckets: [
        { key: 'b', doc_count: 5 },
        { key: 'a', doc_count: 4 },
      ],
    });
  });

  it('runs the sub-aggregations of a bucket over the docs of the indexes that returned it', async () => {
    // as above, a came back from s1 only (3 of its 4 docs), b from both (s1 2, s2 3)
    const a = await aggs({ aggs: { k: { terms: { field: 'k', size: 2, shard_size: 2 }, aggs: { idx: { terms: { field: '_index' } } } } } }, ['s1', 's2']);
    const [b, aa] = a.k.buckets as Aggs[];
    expect(counts(b?.idx)).toEqual([
      ['s2', 3],
      ['s1', 2],
    ]);
    expect(counts(aa?.idx)).toEqual([['s1', 3]]);
  });

  it('reports an unbounded error (-1) when ordering by count ascending across indexes with truncation', async () => {
    // each index returns its 2 smallest: s1 c1 b2 (left out a3), s2 a1 c2 (left out b3); both full
    // and not ordered by count desc, so each error is -1 (unbounded)
    const a = await aggs({ aggs: { k: { terms: { field: 'k', size: 1, shard_size: 2, order: { _count: 'asc' } } } } }, ['s1', 's2']);
    // merged: a 1, b 2, c 3 -> a; sum_other = 3 + 3 left on the shards + b 2 + c 3 = 11
    expect(a.k.doc_count_error_upper_bound).toBe(-1);
    expect(counts(a.k)).toEqual([['a', 1]]);
    expect(a.k.sum_other_doc_count).toBe(11);
  });

  it('renders an unmapped field as empty sterms', async () => {
    const a = await aggs({ aggs: { t: { terms: { field: 'nope' } } } }, 'shop', { typed_keys: true });
    expect(a).toEqual({ 'sterms#t': { doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets: [] } });
  });
});

describe('the aggregation framework', () => {
  it('nests sub-aggregations three deep', async () => {
    const a = await aggs({
      aggs: {
        cats: {
          terms: { field: 'cat', size: 1 },
          aggs: { tags: { terms: { field: 'tag' }, aggs: { h: { histogram: { field: 'price', interval: 20 }, aggs: { sold: { filter: { term: { sold: true } } } } } } } },
        },
      },
    });
    // x (p1 [a, b] 10 sold, p2 [a] 20 not sold) ties y on 2 docs and wins by key; a: p1 -> 0, p2 -> 20
    expect(a.cats.sum_other_doc_count).toBe(3);
    expect(a.cats.buckets).toEqual([
      {
        key: 'x',
        doc_count: 2,
        tags: {
          doc_count_error_upper_bound: 0,
          sum_other_doc_count: 0,
          buckets: [
            {
              key: 'a',
              doc_count: 2,
              h: {
                buckets: [
                  { key: 0, doc_count: 1, sold: { doc_count: 1 } },
                  { key: 20, doc_count: 1, sold: { doc_count: 0 } },
                ],
              },
            },
            { key: 'b', doc_count: 1, h: { buckets: [{ key: 0, doc_count: 1, sold: { doc_count: 1 } }] } },
          ],
        },
      },
    ]);
  });

  it('orders terms by a metric sub-aggregation and by a multi-value metric key', async () => {
    // avg price: a (10+20+40)/3 = 23.3, b (10+30)/2 = 20, c (30+40)/2 = 35, d 5
    const a = await aggs({ aggs: { t: { terms: { field: 'tag', order: { avg_price: 'desc' } }, aggs: { avg_price: { avg: { field: 'price' } } } } } });
    expect(keys(a.t)).toEqual(['c', 'a', 'b', 'd']);
    expect(a.t.buckets[0].avg_price).toEqual({ value: 35 });
    // max price: a 40, b 30, c 40, d 5 -> d, b, then a and c tied on 40 by key
    const s = await aggs({ aggs: { t: { terms: { field: 'tag', order: { 'st.max': 'asc' } }, aggs: { st: { stats: { field: 'price' } } } } } });
    expect(keys(s.t)).toEqual(['d', 'b', 'a', 'c']);
  });

  it('applies parent pipelines to the buckets and sibling pipelines after their level, with typed keys', async () => {
    const r = await t.client.search({
      index: 'shop',
      size: 0,
      typed_keys: true,
      aggs: {
        tags: {
          terms: { field: 'tag' },
          aggs: { avg_price: { avg: { field: 'price' } }, top2: { bucket_sort: { sort: [{ avg_price: { order: 'desc' } }], size: 2 } } },
        },
        best: { max_bucket: { buckets_path: 'tags>avg_price' } },
        docs: { sum_bucket: { buckets_path: 'tags>_count' } },
      },
    });
    const a = r.aggregations as Aggs;
    expect(Object.keys(a)).toEqual(['sterms#tags', 'bucket_metric_value#best', 'simple_value#docs']);
    // bucket_sort keeps c (35) and a (23.3); the siblings read what it kept: max 35 on c, 2 + 3 docs
    expect(keys(a['sterms#tags'])).toEqual(['c', 'a']);
    expect(Object.keys(a['sterms#tags'].buckets[0])).toEqual(['key', 'doc_count', 'avg#avg_price']);
    expect(a['bucket_metric_value#best']).toEqual({ value: 35, keys: ['c'] });
    expect(a['simple_value#docs']).toEqual({ value: 5 });
  });

  it('aggregates over the matches before post_filter', async () => {
    const r = await t.client.search({ index: 'shop', post_filter: { term: { cat: 'x' } }, aggs: { cats: { terms: { field: 'cat' } } } });
    expect(r.hits.hits.map((h) => h._id).sort()).toEqual(['p1', 'p2']);
    expect(counts(r.aggregations?.cats as Aggs)).toEqual([
      ['x', 2],
      ['y', 2],
      ['z', 1],
    ]);
  });

  it('renders empty buckets when nothing matches', async () => {
    const a = await aggs({ query: { term: { cat: 'nothing' } }, aggs: { t: { terms: { field: 'tag' } } } });
    expect(a.t).toEqual({ doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets: [] });
  });

  it('accepts `aggregations` as well as `aggs`', async () => {
    const r = await t.client.search({ index: 'shop', size: 0, aggregations: { t: { terms: { field: 'cat', size: 1 } } } });
    expect(counts(r.aggregations?.t as Aggs)).toEqual([['x', 2]]);
  });

  it('fails on a text field with the fielddata error, as a shard failure', async () => {
    const f = await failure(t.client.search({ index: 'shop', aggs: { t: { terms: { field: 'title' } } } }));
    expect(f.status).toBe(400);
    expect(f.error.type).toBe('search_phase_execution_exception');
    const cause = (f.error.root_cause as Aggs[])[0];
    expect(cause?.type).toBe('illegal_argument_exception');
    expect(cause?.reason).toContain('Text fields are not optimised for operations that require per-document field data');
    expect(cause?.reason).toContain('set fielddata=true on [title]');
  });

  it('rejects an unknown aggregation type with a suggestion', async () => {
    const f = await failure(t.client.search({ index: 'shop', aggs: { t: { term: { field: 'tag' } } } as never }));
    expect(f.status).toBe(400);
    expect(f.error.type).toBe('parsing_exception');
    expect(f.error.reason).toBe('Unknown aggregation type [term] did you mean [terms]?');
    expect((f.error.caused_by as Aggs).type).toBe('named_object_not_found_exception');
    const g = await failure(t.client.search({ index: 'shop', aggs: { t: { zzzzzz: {} } } as never }));
    expect(g.error.reason).toBe('Unknown aggregation type [zzzzzz]');
  });

  it('rejects sub-aggregations under a metric', async () => {
    const f = await failure(t.client.search({ index: 'shop', aggs: { m: { avg: { field: 'price' }, aggs: { t: { terms: { field: 'tag' } } } } } }));
    expect(f.status).toBe(400);
    expect(f.error.type).toBe('illegal_argument_exception');
    expect(f.error.reason).toBe('Aggregator [m] of type [avg] cannot accept sub-aggregations');
  });

  it('rejects malformed trees as parsing errors', async () => {
    const bad = async (aggsBody: unknown): Promise<string> => {
      const f = await failure(t.client.search({ index: 'shop', aggs: aggsBody as Record<string, never> }));
      expect(f.status).toBe(400);
      return `${f.error.type as string}: ${f.error.reason as string}`;
    };
    expect(await bad({ 'a>b': { terms: { field: 'tag' } } })).toBe(
      "parsing_exception: Invalid aggregation name [a>b]. Aggregation names can contain any character except '[', ']', and '>'",
    );
    expect(await bad({ t: { terms: { field: 'tag' }, histogram: { field: 'price', interval: 10 } } })).toBe(
      'parsing_exception: Found two aggregation type definitions in [t]: [terms] and [histogram]',
    );
    expect(await bad({ t: { meta: { a: 1 } } })).toBe('parsing_exception: Missing definition for aggregation [t]');
    expect(await bad({ t: { terms: 'tag' } })).toBe('parsing_exception: Expected [START_OBJECT] under [terms], but got a [VALUE_STRING] in [t]');
    expect(await bad({ t: { terms: { field: 'tag', bogus: 1 } } })).toBe('x_content_parse_exception: [1:1] [terms] unknown field [bogus]');
    expect(await bad({ t: { terms: { field: 'tag', size: 0 } } })).toBe('x_content_parse_exception: [1:1] [terms] failed to parse field [size]');
    expect(await bad({ t: { terms: {} } })).toBe('illegal_argument_exception: Required one of fields [field, script], but none were specified.');
  });
});

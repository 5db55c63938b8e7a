import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * ip aggregations (terms on ip, ip_range, ip_prefix), sampler/diversified_sampler, matrix_stats
 * and the cumulative_sum/serial_diff pipelines through the real client. Data, index `net`
 * (one shard):
 *   n1  ip 10.0.0.1              v 1  who a  at 00:00  tags "rare"
 *   n2  ip 10.0.0.200            v 2  who a  at 01:00  tags "common"
 *   n3  ip 10.1.0.5              v 4  who b  at 01:00  tags "common"
 *   n4  ip 2001:db8::1           v 8  who a  at 03:00  tags "common"
 *   n5  ip [10.0.0.1, 10.0.0.9]  v 16 who c  at 03:00  tags "common"
 */

type Aggs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read freely in tests

async function aggs(body: Record<string, unknown>, index = 'net'): Promise<Aggs> {
  const r = await t.client.search({ index, size: 0, ...body });
  return r.aggregations as Aggs;
}

const t = useTestClient(async (client) => {
  const docs = [
    { id: 'n1', ip: '10.0.0.1', v: 1, w: 10, who: 'a', at: '2024-01-01T00:00:00Z', tags: 'rare' },
    { id: 'n2', ip: '10.0.0.200', v: 2, w: 20, who: 'a', at: '2024-01-01T01:00:00Z', tags: 'common' },
    { id: 'n3', ip: '10.1.0.5', v: 4, w: 41, who: 'b', at: '2024-01-01T01:00:00Z', tags: 'common' },
    { id: 'n4', ip: '2001:db8::1', v: 8, w: 79, who: 'a', at: '2024-01-01T03:00:00Z', tags: 'common' },
    { id: 'n5', ip: ['10.0.0.1', '10.0.0.9'], v: 16, w: 160, who: 'c', at: '2024-01-01T03:00:00Z', tags: 'common' },
  ];
  const mappings = { properties: { ip: { type: 'ip' as const }, v: { type: 'double' as const }, w: { type: 'double' as const }, who: { type: 'keyword' as const }, at: { type: 'date' as const }, tags: { type: 'text' as const } } };
  await createIndexWithDocs(client, 'net', { settings: { number_of_shards: 1 }, mappings }, docs.map(({ id, ...src }) => [id, src]));
});

describe('terms on an ip field', () => {
  it('keys buckets by address, ties in address byte order (IPv4 is ::ffff:a.b.c.d, after ::/IPv6 below it)', async () => {
    const a = await aggs({ aggs: { t: { terms: { field: 'ip', order: { _key: 'asc' } } } } });
    expect(a.t.buckets.map((b: Aggs) => [b.key, b.doc_count])).toEqual([
      ['10.0.0.1', 2],
      ['10.0.0.9', 1],
      ['10.0.0.200', 1],
      ['10.1.0.5', 1],
      ['2001:db8::1', 1],
    ]);
    expect(a.t.buckets[0].key_as_string).toBeUndefined();
  });

  it('takes addresses in include lists and refuses regular expressions with a 500, as AggregationExecutionException', async () => {
    const a = await aggs({ aggs: { t: { terms: { field: 'ip', include: ['10.0.0.9', '2001:db8:0::1'] } } } });
    expect(a.t.buckets.map((b: Aggs) => b.key)).toEqual(['10.0.0.9', '2001:db8::1']);
    const f = await failure(aggs({ aggs: { t: { terms: { field: 'ip', exclude: '10.*' } } } }));
    expect(f.status).toBe(500);
    expect(JSON.stringify(f.error)).toContain('cannot support regular expression style include/exclude');
  });
});

describe('composite terms on an ip field', () => {
  it('pages addresses in byte order, after_key and after as addresses', async () => {
    const first = await aggs({ aggs: { c: { composite: { size: 2, sources: [{ ip: { terms: { field: 'ip' } } }] } } } });
    expect(first.c.buckets).toEqual([
      { key: { ip: '10.0.0.1' }, doc_count: 2 },
      { key: { ip: '10.0.0.9' }, doc_count: 1 },
    ]);
    expect(first.c.after_key).toEqual({ ip: '10.0.0.9' });
    const next = await aggs({ aggs: { c: { composite: { size: 5, after: first.c.after_key, sources: [{ ip: { terms: { field: 'ip' } } }] } } } });
    expect(next.c.buckets.map((b: Aggs) => b.key.ip)).toEqual(['10.0.0.200', '10.1.0.5', '2001:db8::1']);
  });
});

describe('ip_range', () => {
  it('counts a doc once per range, sorts ranges by from then to, and keys masks by the mask', async () => {
    const a = await aggs({
      aggs: {
        r: {
          ip_range: {
            field: 'ip',
            ranges: [{ from: '10.0.0.100' }, { to: '10.0.0.100' }, { mask: '10.0.0.0/8' }, { mask: '::/0', key: 'all' }],
          },
        },
      },
    });
    // open from first; on equal from, open to last (BinaryRangeAggregator.RANGE_COMPARATOR)
    expect(a.r.buckets).toEqual([
      { key: '*-10.0.0.100', to: '10.0.0.100', doc_count: 2 },
      { key: 'all', doc_count: 5 },
      { key: '10.0.0.0/8', from: '10.0.0.0', to: '11.0.0.0', doc_count: 4 },
      { key: '10.0.0.100-*', from: '10.0.0.100', doc_count: 3 },
    ]);
  });

  it('answers keyed buckets and sub-aggregations', async () => {
    const a = await aggs({ aggs: { r: { ip_range: { field: 'ip', keyed: true, ranges: [{ mask: '10.0.0.0/24' }] }, aggs: { s: { sum: { field: 'v' } } } } } });
    expect(a.r.buckets['10.0.0.0/24']).toEqual({ from: '10.0.0.0', to: '10.0.1.0', doc_count: 3, s: { value: 19 } });
  });

  it('refuses a field that is not an ip', async () => {
    const f = await failure(aggs({ aggs: { r: { ip_range: { field: 'who', ranges: [{ to: '10.0.0.1' }] } } } }));
    expect(f.status).toBe(400);
    expect(JSON.stringify(f.error)).toContain('Field [who] of type [keyword] is not supported for aggregation [ip_range]');
  });
});

describe('ip_prefix', () => {
  it('groups IPv4 networks with their netmask, a doc once per network', async () => {
    const a = await aggs({ aggs: { p: { ip_prefix: { field: 'ip', prefix_length: 24 } } } });
    expect(a.p.buckets).toEqual([
      // 2001:db8::1's low four bytes are 0.0.0.1
      { key: '0.0.0.0', netmask: '255.255.255.0', doc_count: 1, is_ipv6: false, prefix_length: 24 },
      { key: '10.0.0.0', netmask: '255.255.255.0', doc_count: 3, is_ipv6: false, prefix_length: 24 },
      { key: '10.1.0.0', netmask: '255.255.255.0', doc_count: 1, is_ipv6: false, prefix_length: 24 },
    ]);
  });

  it('groups IPv6 networks over the 16 bytes, with append_prefix_length and min_doc_count', async () => {
    const a = await aggs({ aggs: { p: { ip_prefix: { field: 'ip', is_ipv6: true, prefix_length: 32, append_prefix_length: true, min_doc_count: 2 } } } });
    // the IPv4 addresses are ::ffff:a.b.c.d: their first 32 bits are zero
    expect(a.p.buckets).toEqual([{ key: '::/32', doc_count: 4, is_ipv6: true, prefix_length: 32 }]);
  });

  it('refuses a prefix longer than the address', async () => {
    const f = await failure(aggs({ aggs: { p: { ip_prefix: { field: 'ip', prefix_length: 33 } } } }));
    expect(f.status).toBe(400);
    expect(JSON.stringify(f.error)).toContain('[prefix_length] must be in range [0, 32] while value is [33]');
  });
});

describe('cumulative_sum and serial_diff', () => {
  it('run over a date_histogram, empty buckets included', async () => {
    const a = await aggs({
      aggs: {
        h: {
          date_histogram: { field: 'at', fixed_interval: '1h' },
          aggs: { s: { sum: { field: 'v' } }, c: { cumulative_sum: { buckets_path: 's' } }, d: { serial_diff: { buckets_path: 's' } } },
        },
      },
    });
    const rows = a.h.buckets.map((b: Aggs) => [b.s.value, b.c.value, b.d?.value]);
    // sums 1, 6, 0 (empty: a gap for serial_diff), 24
    expect(rows).toEqual([
      [1, 1, undefined],
      [6, 7, 5],
      [0, 7, undefined],
      [24, 31, undefined],
    ]);
  });

  it('must sit under a histogram', async () => {
    const f = await failure(aggs({ aggs: { t: { terms: { field: 'who' }, aggs: { c: { cumulative_sum: { buckets_path: '_count' } } } } } }));
    expect(f.status).toBe(400);
    expect(JSON.stringify(f.error)).toContain('cumulative_sum aggregation [c] must have a histogram, date_histogram or auto_date_histogram as parent');
  });
});

describe('sampler and diversified_sampler', () => {
  const query = { match: { tags: 'rare common' } };

  it('keep the shard_size best-scoring docs', async () => {
    const a = await aggs({ query, aggs: { s: { sampler: { shard_size: 1 }, aggs: { m: { max: { field: 'v' } } } } } });
    // "rare" is the rarer term: n1 scores highest
    expect(a.s).toEqual({ doc_count: 1, m: { value: 1 } });
  });

  it('keep at most max_docs_per_value docs per value', async () => {
    const a = await aggs({ query, aggs: { s: { diversified_sampler: { field: 'who' }, aggs: { n: { value_count: { field: 'v' } }, m: { min: { field: 'v' } } } } } });
    // one doc each for a (n1, the best), b and c
    expect(a.s.doc_count).toBe(3);
    expect(a.s.m.value).toBe(1);
  });

  it('refuse to sample where the search computes no scores', async () => {
    const f = await failure(t.client.search({ index: 'net', size: 0, aggs: { g: { global: {}, aggs: { s: { sampler: {} } } } } }));
    expect(f.status).toBe(400);
  });
});

describe('matrix_stats', () => {
  it('gives the moments, covariance and correlation of the fields', async () => {
    const a = await aggs({ aggs: { m: { matrix_stats: { fields: ['v', 'w'] } } } });
    const byName = Object.fromEntries(a.m.fields.map((f: Aggs) => [f.name, f]));
    const v = [1, 2, 4, 8, 16];
    const w = [10, 20, 41, 79, 160];
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    const cov = (xs: number[], ys: number[]): number => xs.reduce((s, x, i) => s + (x - mean(xs)) * ((ys[i] as number) - mean(ys)), 0) / (xs.length - 1);
    expect(a.m.doc_count).toBe(5);
    expect(byName.v.count).toBe(5);
    expect(byName.v.mean).toBeCloseTo(mean(v), 12);
    expect(byName.v.variance).toBeCloseTo(cov(v, v), 10);
    expect(byName.v.covariance.w).toBeCloseTo(cov(v, w), 9);
    expect(byName.w.covariance.v).toBe(byName.v.covariance.w);
    expect(byName.v.correlation.w).toBeCloseTo(cov(v, w) / Math.sqrt(cov(v, v) * cov(w, w)), 12);
    expect(byName.v.correlation.v).toBe(1);
  });
});

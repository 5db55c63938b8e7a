import { errors } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { useTestClient } from '../helpers.js';

/**
 * Failures Elasticsearch confines to one shard: the response is a 200 with that shard listed in
 * `_shards.failures` and the other shards' hits and aggregations reduced, read through the real
 * @elastic/elasticsearch client.
 */
const shared = useTestClient(async (client) => {
  await client.indices.create({ index: 'ip_as_keyword', settings: { number_of_shards: 1 }, mappings: { properties: { ip: { type: 'keyword' } } } });
  await client.indices.create({ index: 'ip_as_ip', settings: { number_of_shards: 1 }, mappings: { properties: { ip: { type: 'ip' } } } });
  await client.bulk({
    refresh: true,
    operations: [
      { index: { _index: 'ip_as_keyword' } },
      { ip: '10.0.0.9' },
      { index: { _index: 'ip_as_ip' } },
      { ip: '10.0.0.1' },
      { index: { _index: 'ip_as_ip' } },
      { ip: '10.0.0.2' },
    ],
  });
  // three shards: ids routed so that the negative value sits on a shard with another document
  await client.indices.create({ index: 'latency', settings: { number_of_shards: 3 }, mappings: { properties: { ms: { type: 'integer' } } } });
  const operations: object[] = [];
  for (let i = 1; i <= 12; i++) operations.push({ index: { _index: 'latency', _id: String(i) } }, { ms: i === 7 ? -5 : i * 10 });
  await client.bulk({ refresh: true, operations });
});

describe('partial shard failures', () => {
  it('drops the shard whose field contradicts value_type and reduces the others', async () => {
    const res = await shared.client.search({ index: 'ip_as_keyword,ip_as_ip', size: 10, aggs: { ips: { terms: { field: 'ip', value_type: 'ip' } } } });
    expect(res._shards).toMatchObject({ total: 2, successful: 1, skipped: 0, failed: 1 });
    expect(res._shards.failures).toEqual([
      {
        shard: 0,
        index: 'ip_as_keyword',
        node: expect.any(String),
        reason: { type: 'illegal_argument_exception', reason: 'Field type [keyword] is incompatible with specified value_type [ip]' },
      },
    ]);
    // the failed shard's hit is not returned either: its whole query phase failed
    expect(res.hits.hits.map((h) => h._index)).toEqual(['ip_as_ip', 'ip_as_ip']);
    expect((res.aggregations?.ips as { buckets: Array<{ key: string }> }).buckets.map((b) => b.key)).toEqual(['10.0.0.1', '10.0.0.2']);
  });

  it('answers all shards failed when every shard fails', async () => {
    const err = await shared.client.search({ index: 'ip_as_keyword', size: 0, aggs: { ips: { terms: { field: 'ip', value_type: 'ip' } } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.ResponseError);
    const body = (err as errors.ResponseError).body as { status: number; error: { type: string; reason: string; root_cause: Array<{ type: string }> } };
    expect(body.status).toBe(400);
    expect(body.error.type).toBe('search_phase_execution_exception');
    expect(body.error.reason).toBe('all shards failed');
    expect(body.error.root_cause[0]?.type).toBe('illegal_argument_exception');
  });

  it('fails the hdr percentiles shard that holds a negative value, and only that one', async () => {
    const all = await shared.client.search({ index: 'latency', size: 20, aggs: { p: { percentiles: { field: 'ms', hdr: {} } } } });
    expect(all._shards.failed).toBe(1);
    expect(all._shards.failures?.[0]?.reason).toEqual({ type: 'array_index_out_of_bounds_exception', reason: 'Negative values cannot be recorded' });
    const failedShard = all._shards.failures?.[0]?.shard;
    // the surviving hits are exactly the documents of the other two shards
    const perShard = await Promise.all([0, 1, 2].map((s) => shared.client.search({ index: 'latency', size: 20, preference: `_shards:${s}` })));
    const survivors = perShard.filter((_, s) => s !== failedShard).flatMap((r) => r.hits.hits.map((h) => h._id));
    expect(all.hits.hits.map((h) => h._id).sort()).toEqual(survivors.sort());
    expect(perShard[failedShard as number]?.hits.hits.map((h) => h._id)).toContain('7');
    // a query that does not match the negative value's document fails no shard
    const filtered = await shared.client.search({ index: 'latency', size: 0, query: { range: { ms: { gte: 0 } } }, aggs: { p: { percentiles: { field: 'ms', hdr: {} } } } });
    expect(filtered._shards).toMatchObject({ total: 3, successful: 3, failed: 0 });
  });

  it('refuses partial results when allow_partial_search_results is false', async () => {
    const err = await shared.client
      .search({ index: 'latency', size: 0, allow_partial_search_results: false, aggs: { p: { percentiles: { field: 'ms', hdr: {} } } } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.ResponseError);
    const body = (err as errors.ResponseError).body as { status: number; error: { type: string; reason: string } };
    expect(body.error.type).toBe('search_phase_execution_exception');
    expect(body.error.reason).toBe('Partial shards failure');
    expect(body.status).toBe(500);
  });
});

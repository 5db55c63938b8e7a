import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from './helpers.js';

const t = useTestClient();

/**
 * MurmurHash3 x86_32 (seed 0) over a string's UTF-16 code units as little-endian bytes, what
 * Elasticsearch's Murmur3HashFunction.hash(String) computes: written here from the published
 * algorithm, apart from the engine's, and pinned below to values Lucene's StringHelper gives.
 */
function murmur(text: string): number {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) bytes.push(text.charCodeAt(i) & 0xff, text.charCodeAt(i) >>> 8);
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = 0;
  const rounded = bytes.length & ~3;
  for (let i = 0; i < rounded; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = bytes.length & 3;
  if (tail > 0) {
    let k = 0;
    for (let i = tail - 1; i >= 0; i--) k = (k << 8) | bytes[rounded + i]!;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, c2);
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

const floorMod = (a: number, n: number): number => ((a % n) + n) % n;

/** IndexRouting.Partitioned: floorMod(hash(routing) + floorMod(hash(id), p), routingShards) / (routingShards / shards), the sum a Java int. */
function expectedShard(id: string, routing: string, shards: number, routingShards: number, partition: number): number {
  const sum = (murmur(routing) + floorMod(murmur(id), partition)) | 0;
  return Math.floor(floorMod(sum, routingShards) / (routingShards / shards));
}

describe('index.routing_partition_size', () => {
  it('hashes as Lucene does (values from StringHelper.murmurhash3_x86_32)', () => {
    expect(murmur('tenant-a')).toBe(-1985789287);
    expect(murmur('doc-1')).toBe(43139562);
    expect(murmur('é日')).toBe(-274084047);
  });

  it('spreads one routing value over its partition, by _id, and searches with the routing read only those shards', async () => {
    const settings = { number_of_shards: 6, number_of_routing_shards: 6, routing_partition_size: 3, number_of_replicas: 0 };
    await t.client.indices.create({ index: 'part', settings, mappings: { _routing: { required: true }, properties: { n: { type: 'long' } } } });
    const ids = Array.from({ length: 40 }, (_, i) => `doc-${i}`);
    await t.client.bulk({ refresh: true, operations: ids.flatMap((id, n) => [{ index: { _index: 'part', _id: id, routing: 'tenant-a' } }, { n }]) });
    const expected = new Map<number, number>();
    for (const id of ids) {
      const shard = expectedShard(id, 'tenant-a', 6, 6, 3);
      expected.set(shard, (expected.get(shard) ?? 0) + 1);
    }
    // the partition: three consecutive slots from hash(tenant-a)
    const base = floorMod(murmur('tenant-a'), 6);
    expect([...expected.keys()].sort()).toEqual([base, (base + 1) % 6, (base + 2) % 6].sort());
    const cat = (await t.client.cat.shards({ index: 'part', format: 'json', h: 'shard,docs' })) as Array<{ shard: string; docs: string }>;
    for (const row of cat) expect(Number(row.docs), `shard ${row.shard}`).toBe(expected.get(Number(row.shard)) ?? 0);
    const routed = await t.client.search({ index: 'part', routing: 'tenant-a', size: 0 });
    expect(routed._shards.total).toBe(3);
    expect((routed.hits.total as { value: number }).value).toBe(40);
    for (const id of ids.slice(0, 5)) {
      const got = await t.client.get({ index: 'part', id, routing: 'tenant-a' });
      expect(got.found).toBe(true);
    }
    const missing = await failure(t.client.get({ index: 'part', id: 'doc-1' }));
    expect(missing.error.type).toBe('routing_missing_exception');
  });

  it('routes over the default routing shards as Elasticsearch does (adjacent slots mostly land in one shard)', async () => {
    await t.client.indices.create({ index: 'part-default', settings: { number_of_shards: 3, routing_partition_size: 2, number_of_replicas: 0 }, mappings: { _routing: { required: true } } });
    const ids = Array.from({ length: 12 }, (_, i) => `d${i}`);
    await t.client.bulk({ refresh: true, operations: ids.flatMap((id) => [{ index: { _index: 'part-default', _id: id, routing: 'é日' } }, {}]) });
    const cat = (await t.client.cat.shards({ index: 'part-default', format: 'json', h: 'shard,docs' })) as Array<{ shard: string; docs: string }>;
    for (const row of cat) {
      // 3 shards route over 768 slots, 256 per shard
      const want = ids.filter((id) => expectedShard(id, 'é日', 3, 768, 2) === Number(row.shard)).length;
      expect(Number(row.docs)).toBe(want);
    }
  });

  it('validates the setting and the mapping as Elasticsearch does', async () => {
    const tooBig = await failure(t.client.indices.create({ index: 'p-bad', settings: { number_of_shards: 2, number_of_routing_shards: 4, routing_partition_size: 4 } }));
    expect(tooBig.error.reason).toBe('routing partition size [4] should be a positive number less than the number of routing shards [4] for [p-bad]');
    const zero = await failure(t.client.indices.create({ index: 'p-bad', settings: { routing_partition_size: 0 } }));
    expect(zero.error.reason).toBe('Failed to parse value [0] for setting [index.routing_partition_size] must be >= 1');
    const notRequired = await failure(t.client.indices.create({ index: 'p-bad', settings: { number_of_shards: 3, routing_partition_size: 2 }, mappings: { properties: { a: { type: 'keyword' } } } }));
    expect(notRequired.status).toBe(400);
    expect(notRequired.error.type).toBe('illegal_argument_exception');
    expect(notRequired.error.reason).toBe('mapping type [_doc] must have routing required for partitioned index [p-bad]');
    expect(await t.client.indices.exists({ index: 'p-bad' })).toBe(false);
    // without a mapping the index is created; its first document needs routing, and its mapping then needs routing required
    await t.client.indices.create({ index: 'p-empty', settings: { number_of_shards: 3, routing_partition_size: 2 } });
    const noRouting = await failure(t.client.index({ index: 'p-empty', id: '1', document: { a: 1 } }));
    expect(noRouting.error.reason).toBe('A routing value is required for gets from a partitioned index');
    const dynamic = await failure(t.client.index({ index: 'p-empty', id: '1', routing: 'r', document: { a: 1 } }));
    expect(dynamic.error.reason).toBe('mapping type [_doc] must have routing required for partitioned index [p-empty]');
    const put = await failure(t.client.indices.putMapping({ index: 'p-empty', properties: { a: { type: 'long' } } }));
    expect(put.error.reason).toBe('mapping type [_doc] must have routing required for partitioned index [p-empty]');
    await t.client.indices.putMapping({ index: 'p-empty', _routing: { required: true }, properties: { a: { type: 'long' } } });
    await t.client.index({ index: 'p-empty', id: '1', routing: 'r', document: { a: 1 } });
  });
});

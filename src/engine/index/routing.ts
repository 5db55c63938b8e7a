/**
 * Document routing as Elasticsearch does it (IndexRouting, Murmur3HashFunction): the `_id` (or
 * the `routing` value) hashed with Murmur3 x86_32 (seed 0) over its UTF-16 code units as
 * little-endian bytes, then `floorMod(hash, routing_num_shards) / routing_factor`.
 */

import { illegalArgument } from '../errors.js';
import { murmur3x86_32 } from '../murmur3.js';

/** Murmur3HashFunction.hash(String): each UTF-16 char as two bytes, low byte first. */
export function routingHash(routing: string): number {
  const bytes = new Uint8Array(routing.length * 2);
  for (let i = 0; i < routing.length; i++) {
    const c = routing.charCodeAt(i);
    bytes[i * 2] = c & 0xff;
    bytes[i * 2 + 1] = c >>> 8;
  }
  return murmur3x86_32(bytes);
}

/** MetadataCreateIndexService.calculateNumRoutingShards (indices created on or after 7.0). */
export function calculateNumRoutingShards(numShards: number): number {
  const log2MaxNumShards = 10;
  const log2NumShards = 32 - Math.clz32(numShards - 1);
  const numSplits = Math.max(1, log2MaxNumShards - log2NumShards);
  return numShards * 2 ** numSplits;
}

function floorMod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/**
 * The shard layout of one index: `number_of_shards` over `routing_num_shards`, and
 * `routing_partition_size` (IndexRouting.Partitioned when above 1: a routing value spreads over
 * that many consecutive hash slots, the document's `_id` picking one).
 */
export class IndexRouting {
  readonly routingFactor: number;

  constructor(
    readonly numShards: number,
    readonly routingNumShards: number = calculateNumRoutingShards(numShards),
    readonly partitionSize = 1,
  ) {
    this.routingFactor = routingNumShards / numShards;
  }

  /**
   * IndexRouting.shardId: the shard of a document by its id, or by its custom routing; in a
   * partitioned index `hash(routing) + floorMod(hash(_id), partition_size)` (a Java int sum,
   * wrapping), which a routing value must give.
   */
  shardId(id: string, routing?: string): number {
    if (this.partitionSize > 1) {
      if (routing === undefined) throw illegalArgument('A routing value is required for gets from a partitioned index');
      const offset = floorMod(routingHash(id), this.partitionSize);
      return this.numShards === 1 ? 0 : this.hashToShard((routingHash(routing) + offset) | 0);
    }
    if (this.numShards === 1) return 0;
    return this.hashToShard(routingHash(routing ?? id));
  }

  private hashToShard(hash: number): number {
    return Math.floor(floorMod(hash, this.routingNumShards) / this.routingFactor);
  }

  /** The shards a search with `routing` (comma-separated values) reads: each value's partition. */
  searchShards(routing: string): number[] {
    const out = new Set<number>();
    for (const value of routing.split(',')) {
      const hash = routingHash(value.trim());
      for (let i = 0; i < this.partitionSize; i++) out.add(this.numShards === 1 ? 0 : this.hashToShard((hash + i) | 0));
    }
    return [...out].sort((a, b) => a - b);
  }
}

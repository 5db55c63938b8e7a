import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';
import { SplittableRandom, bitMix, sampledDocs } from '../../../src/engine/search/aggs/buckets/random-sampling.js';

/**
 * random_sampler. The sampling is RandomSamplingQuery's; the expected doc ids below were printed
 * by java.util.SplittableRandom (JDK 17) driving a Java transcription of FastGeometric with
 * Java's float arithmetic, for maxDoc 200, p 0.1, seed 42, hash 7. Index `many`: 200 docs
 * indexed in one bulk (one segment, doc id = position), n = position, one shard.
 */

type Aggs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read freely in tests

const JAVA_SAMPLE = [12, 13, 37, 42, 75, 82, 85, 98, 99, 102, 141, 156, 167, 173, 189];

const t = useTestClient(async (client) => {
  const docs = Array.from({ length: 200 }, (_, i): [string, Record<string, unknown>] => [`d${i}`, { n: i, kind: i % 2 === 0 ? 'even' : 'odd' }]);
  await createIndexWithDocs(client, 'many', { settings: { number_of_shards: 1 }, mappings: { properties: { n: { type: 'long' }, kind: { type: 'keyword' } } } }, docs);
});

async function sample(body: Record<string, unknown>, subs: Record<string, unknown>): Promise<Aggs> {
  const r = await t.client.search({ index: 'many', size: 0, aggs: { s: { random_sampler: body, aggs: subs } } as never });
  return (r.aggregations as Aggs).s as Aggs;
}

describe('random sampling', () => {
  it('draws what java.util.SplittableRandom draws', () => {
    // new SplittableRandom(BitMixer.mix(7 ^ 42)).nextInt() five times, on JDK 17
    const r = new SplittableRandom(BigInt(bitMix(7 ^ 42)));
    expect([r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt()]).toEqual([368067751, -914290619, 80673593, 814568233, -395062438]);
  });

  it('samples the doc ids RandomSamplingQuery samples', () => {
    expect(sampledDocs(200, 0.1, 42, 7)).toEqual(JAVA_SAMPLE);
    expect(sampledDocs(200, 0.01, 0, 0)).toEqual([164]);
  });
});

describe('random_sampler', () => {
  it('samples with seed and shard_seed and scales counts and sums back', async () => {
    const s = await sample({ probability: 0.1, seed: 42, shard_seed: 7 }, { ns: { terms: { field: 'n', size: 100, order: { _key: 'asc' } } }, c: { value_count: { field: 'n' } }, total: { sum: { field: 'n' } }, mean: { avg: { field: 'n' } } });
    expect(s.seed).toBe(42);
    expect(s.shard_seed).toBe(7);
    expect(s.doc_count).toBe(JAVA_SAMPLE.length);
    expect(s.ns.buckets.map((b: Aggs) => b.key)).toEqual(JAVA_SAMPLE);
    // each bucket of one doc counts for 1 / 0.1 docs
    expect(s.ns.buckets.every((b: Aggs) => b.doc_count === 10)).toBe(true);
    expect(s.c.value).toBe(150);
    const sum = JAVA_SAMPLE.reduce((a, b) => a + b, 0);
    expect(s.total.value).toBeCloseTo(sum / 0.1, 9);
    expect(s.mean.value).toBeCloseTo(sum / JAVA_SAMPLE.length, 9);
  });

  it('is the same sample on every run, and everything at probability 1', async () => {
    const a = await sample({ probability: 0.2 }, { c: { value_count: { field: 'n' } } });
    const b = await sample({ probability: 0.2 }, { c: { value_count: { field: 'n' } } });
    expect(a).toEqual(b);
    expect(a.seed).toBe(0);
    const all = await sample({ probability: 1.0 }, { k: { terms: { field: 'kind' } } });
    expect(all.doc_count).toBe(200);
    expect(all.k.buckets).toEqual([
      { key: 'even', doc_count: 100 },
      { key: 'odd', doc_count: 100 },
    ]);
  });

  it('refuses what it cannot scale, with a 400 naming it', async () => {
    const pipeline = await failure(sample({ probability: 0.1 }, { h: { histogram: { field: 'n', interval: 50 } }, m: { max_bucket: { buckets_path: 'h>_count' } } }));
    expect(pipeline.status).toBe(400);
    expect(pipeline.error.reason).toContain('pipeline aggregation [m] inside a random_sampler');
    const missing = await failure(sample({}, { c: { value_count: { field: 'n' } } }));
    expect(missing.error.reason).toBe('[random_sampler] aggregation [s] must have [probability] set');
  });
});

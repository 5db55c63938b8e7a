import { EngineError, unsupported } from '../../../errors.js';
import type { AggContext, AggSpec, BucketResult, BucketType, DocSet } from '../agg-types.js';
import { byTarget, fieldReaders } from '../values-source.js';
import { checkKeys, optInt, optString, positive, requireField } from './options.js';
import { bucketSubs } from './subs.js';

/**
 * `sampler` and `diversified_sampler` (SamplerAggregator, BestDocsDeferringCollector,
 * DiversifiedTopDocsCollector): on each shard, the sub-aggregations run over the `shard_size`
 * (default 100) best-scoring docs of the bucket only, ties to the lower doc id, as Lucene's
 * top-docs collectors keep them; the diversified one keeps at most `max_docs_per_value` (default 1)
 * docs per value of `field` (a single-valued field; docs without a value share one key). The
 * result is one bucket: `doc_count` (the docs sampled over all shards) and the sub-aggregations,
 * which replay the sampled docs in doc order.
 *
 * The sample needs the query's scores: where the search did not compute them (sorted by a field,
 * or under `global`) the engine refuses with a 400 rather than pick documents ES would not.
 */

interface SamplerOptions {
  shardSize: number;
  diversify?: { field: string; maxPerValue: number };
}

function options(spec: AggSpec): SamplerOptions {
  const diversified = spec.type === 'diversified_sampler';
  checkKeys(spec, diversified ? ['shard_size', 'field', 'max_docs_per_value', 'execution_hint', 'script', 'missing', 'value_type'] : ['shard_size']);
  const shardSize = positive(spec, 'shard_size', optInt(spec, 'shard_size') ?? 100);
  if (!diversified) return { shardSize };
  const field = requireField(spec);
  if (spec.body.missing !== undefined) throw unsupported('diversified_sampler [missing]');
  const hint = optString(spec, 'execution_hint');
  if (hint !== undefined && !['map', 'global_ordinals', 'bytes_hash'].includes(hint)) {
    throw new EngineError(400, 'illegal_argument_exception', `Unknown execution_hint: [${hint}], expected any of [map, global_ordinals, bytes_hash]`);
  }
  const maxPerValue = positive(spec, 'max_docs_per_value', optInt(spec, 'max_docs_per_value') ?? 1);
  return { shardSize, diversify: { field, maxPerValue } };
}

/** The positions of one shard's sample: best score first (lower doc first on ties), capped per value. */
function sampleShard(docs: DocSet, positions: Int32Array, o: SamplerOptions, keyOf?: (p: number) => unknown): number[] {
  const ranked = Array.from(positions).sort((a, b) => (docs.score[b] as number) - (docs.score[a] as number) || (docs.doc[a] as number) - (docs.doc[b] as number));
  const perKey = new Map<unknown, number>();
  const out: number[] = [];
  for (const p of ranked) {
    if (out.length >= o.shardSize) break;
    if (keyOf && o.diversify) {
      const key = keyOf(p);
      const n = perKey.get(key) ?? 0;
      if (n >= o.diversify.maxPerValue) continue;
      perKey.set(key, n + 1);
    }
    out.push(p);
  }
  return out;
}

function collectSample(spec: AggSpec, docs: DocSet, ctx: AggContext): BucketResult {
  const o = options(spec);
  for (let i = 0; i < docs.count; i++) {
    if (Number.isNaN(docs.score[i] as number)) throw unsupported(`${spec.type} where the search does not compute scores (a sort by field, or under global)`);
  }
  let keyOf: ((p: number) => unknown) | undefined;
  if (o.diversify) {
    const field = o.diversify.field;
    const readers = fieldReaders(docs, field);
    keyOf = (p) => {
      const values = readers[docs.leaf[p] as number]?.values(docs.doc[p] as number);
      if (!values || values.length === 0) return null;
      if (values.length > 1) throw new EngineError(400, 'illegal_argument_exception', 'Sample diversifying key must be a single valued-field');
      return values[0];
    };
  }
  const sampled: number[] = [];
  for (const [, positions] of byTarget(docs, ctx.exec.states.length)) sampled.push(...sampleShard(docs, positions, o, keyOf));
  // replayed in doc order (collection order), as BestDocsDeferringCollector sorts the kept docs
  sampled.sort((a, b) => a - b);
  return { typed: 'sampler', result: { doc_count: sampled.length, ...bucketSubs(spec, docs, sampled, ctx) } };
}

export const samplerAgg: BucketType = {
  validate(spec) {
    options(spec);
  },
  collect: collectSample,
};

export const diversifiedSamplerAgg: BucketType = samplerAgg;

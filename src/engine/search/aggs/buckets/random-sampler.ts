import { EngineError, unsupported } from '../../../errors.js';
import type { AggContext, AggSpec, BucketResult, BucketType, DocSet } from '../agg-types.js';
import { docRangeSteps, pacedBucket } from '../doc-steps.js';
import { JsonDouble } from '../../float-format.js';
import { compileDecimalFormat, javaDouble } from '../value-format.js';
import { subset } from '../values-source.js';
import { xContentError } from './options.js';
import { sampledDocs } from './random-sampling.js';
import { isPipeline } from './subs.js';

/**
 * `random_sampler` (RandomSamplerAggregator): the sub-aggregations run over a random sample of
 * the query's documents, each kept with `probability` (at most 0.5, or exactly 1.0: no
 * sampling). The sample is RandomSamplingQuery's (random-sampling.ts): per segment, a geometric
 * walk over the doc ids seeded by `seed` and the shard's hash, so that the same request over the
 * same segments samples the same documents. `doc_count` is the sampled count; the
 * sub-aggregations' results are scaled back as their finalizeSampling does (doc counts and
 * value_count rounded from count / probability, sums divided by it; averages, min, max,
 * percentiles, cardinality and top hits unchanged).
 *
 * Deviations from Elasticsearch, chosen for determinism: the default `seed` is 0 (Elasticsearch
 * draws a random one per request), and the default shard hash is the shard's request index
 * (Elasticsearch's shardRandomSeed mixes in the index UUID). Given `seed` and `shard_seed`, the
 * sample is Elasticsearch's for the same Lucene doc ids. Below probability 1.0, sub-aggregations
 * whose scaling is not built here, and pipelines inside the sampler, are refused with a 400.
 */

/** Sub-aggregation types RandomSamplerAggregationBuilder accepts (their builders' supportsSampling()). */
const SAMPLING: Record<string, 'same' | 'sum' | 'count' | 'stats' | 'buckets' | 'terms' | 'single'> = {
  avg: 'same',
  min: 'same',
  max: 'same',
  cardinality: 'same',
  percentiles: 'same',
  percentile_ranks: 'same',
  median_absolute_deviation: 'same',
  weighted_avg: 'same',
  scripted_metric: 'same',
  top_hits: 'same',
  sum: 'sum',
  value_count: 'count',
  stats: 'stats',
  terms: 'terms',
  histogram: 'buckets',
  date_histogram: 'buckets',
  range: 'buckets',
  date_range: 'buckets',
  ip_range: 'buckets',
  filters: 'buckets',
  filter: 'single',
  missing: 'single',
  nested: 'single',
  reverse_nested: 'single',
};

/** Builders whose supportsSampling() is false: Elasticsearch's own refusal. */
const NOT_SAMPLING = new Set(['sampler', 'diversified_sampler', 'random_sampler']);

interface SamplerOptions {
  probability: number;
  seed: number;
  shardSeed?: number;
}

function intField(spec: AggSpec, key: string): number | undefined {
  const v = spec.body[key];
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw xContentError(`[random_sampler] failed to parse field [${key}]`);
  if (!Number.isInteger(n) || n > 2147483647 || n < -2147483648) {
    throw xContentError(`[random_sampler] failed to parse field [${key}]`, new EngineError(400, 'illegal_argument_exception', `Value [${String(v)}] is out of range for an integer`));
  }
  return n;
}

/** RandomSamplerAggregationBuilder.PARSER and its setters. */
function options(spec: AggSpec): SamplerOptions {
  for (const k of Object.keys(spec.body)) if (!['probability', 'seed', 'shard_seed'].includes(k)) throw xContentError(`[random_sampler] unknown field [${k}]`);
  const raw = spec.body.probability;
  let probability = 0;
  if (raw !== undefined) {
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof n !== 'number' || Number.isNaN(n)) throw xContentError('[random_sampler] failed to parse field [probability]');
    const fail = (reason: string): never => {
      throw xContentError('[random_sampler] failed to parse field [probability]', new EngineError(400, 'illegal_argument_exception', reason));
    };
    if (n <= 0) fail(`[probability] must be greater than 0.0, was [${javaDouble(n)}]`);
    if (n > 0.5 && n !== 1.0) fail(`[probability] must be between 0.0 and 0.5 or exactly 1.0, was [${javaDouble(n)}]`);
    probability = n;
  }
  const shardSeed = intField(spec, 'shard_seed');
  return { probability, seed: intField(spec, 'seed') ?? 0, ...(shardSeed !== undefined ? { shardSeed } : {}) };
}

/** RandomSamplerAggregationBuilder.doBuild's checks: top level, sub-aggregations that support sampling. */
export function validateRandomSampler(spec: AggSpec, parent: AggSpec | undefined): void {
  const illegal = (reason: string): never => {
    throw new EngineError(400, 'illegal_argument_exception', reason);
  };
  if (parent !== undefined) illegal(`[random_sampler] aggregation [${spec.name}] cannot have a parent aggregation`);
  const aggs = spec.subs.filter((s) => !isPipeline(s.type));
  if (aggs.length === 0) illegal(`[random_sampler] aggregation [${spec.name}] must have sub-aggregations`);
  if (options(spec).probability === 0) illegal(`[random_sampler] aggregation [${spec.name}] must have [probability] set`);
  const sampled = options(spec).probability < 1;
  const check = (subs: AggSpec[]): void => {
    for (const s of subs) {
      if (isPipeline(s.type)) {
        if (sampled) throw unsupported(`pipeline aggregation [${s.name}] inside a random_sampler with a probability below 1.0`);
        continue;
      }
      if (NOT_SAMPLING.has(s.type)) illegal(`[random_sampler] aggregation [${spec.name}] does not support sampling [${s.type}] aggregation [${s.name}]`);
      if (!Object.hasOwn(SAMPLING, s.type)) throw unsupported(`[${s.type}] aggregation [${s.name}] inside a random_sampler`);
      check(s.subs);
    }
  };
  check(spec.subs);
}

/** SamplingContext.scaleUp(long): Math.round(value * (1.0 / p)) (JavaScript's round is Java's: half up). */
const scaleCount = (v: number, p: number): number => Math.round(v * (1.0 / p));

/** A rendered number: a plain number (a long) or a JsonDouble (a double). */
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : v instanceof JsonDouble ? v.value : undefined);

function reformat(spec: AggSpec, out: Record<string, unknown>, key: string): void {
  const asString = `${key}_as_string`;
  if (!Object.hasOwn(out, asString)) return;
  const f = spec.body.format;
  if (typeof f !== 'string') throw unsupported(`[${spec.type}] aggregation [${spec.name}] of a non-numeric field inside a random_sampler with a probability below 1.0`);
  const v = num(out[key]);
  if (v !== undefined) out[asString] = compileDecimalFormat(f)(v);
}

/** Scales a bucket in place (the rendered objects keep their identity: typed_keys reads it). */
function scaleBucket(bucket: Record<string, unknown>, subs: AggSpec[], p: number): Record<string, unknown> {
  const docCount = num(bucket.doc_count);
  if (docCount !== undefined) bucket.doc_count = scaleCount(docCount, p);
  const error = num(bucket.doc_count_error_upper_bound);
  if (error !== undefined) bucket.doc_count_error_upper_bound = scaleCount(error, p);
  for (const s of subs) {
    const sub = bucket[s.name];
    if (sub !== null && typeof sub === 'object') scaleResult(s, sub as Record<string, unknown>, p);
  }
  return bucket;
}

/** InternalAggregation.finalizeSampling of one rendered result, in place. */
function scaleResult(spec: AggSpec, out: Record<string, unknown>, p: number): void {
  switch (SAMPLING[spec.type]) {
    case 'same':
    case undefined:
      return;
    case 'sum': {
      const v = num(out.value);
      if (v !== undefined) out.value = new JsonDouble(v / p);
      reformat(spec, out, 'value');
      return;
    }
    case 'count': {
      const v = num(out.value);
      if (v !== undefined) out.value = scaleCount(v, p);
      reformat(spec, out, 'value');
      return;
    }
    case 'stats': {
      const count = scaleCount(num(out.count) ?? 0, p);
      out.count = count;
      const sum = num(out.sum);
      if (sum !== undefined) {
        out.sum = new JsonDouble(sum / p);
        out.avg = count === 0 ? null : new JsonDouble(sum / p / count);
      }
      reformat(spec, out, 'sum');
      reformat(spec, out, 'avg');
      return;
    }
    case 'single':
      scaleBucket(out, spec.subs, p);
      return;
    case 'terms': {
      const error = num(out.doc_count_error_upper_bound);
      if (error !== undefined) out.doc_count_error_upper_bound = scaleCount(error, p);
      const other = num(out.sum_other_doc_count);
      if (other !== undefined) out.sum_other_doc_count = scaleCount(other, p);
      scaleBuckets(spec, out, p);
      return;
    }
    case 'buckets':
      scaleBuckets(spec, out, p);
  }
}

function scaleBuckets(spec: AggSpec, out: Record<string, unknown>, p: number): void {
  const b = out.buckets;
  if (Array.isArray(b)) for (const x of b) scaleBucket(x as Record<string, unknown>, spec.subs, p);
  else if (b !== null && typeof b === 'object') for (const x of Object.values(b as Record<string, Record<string, unknown>>)) scaleBucket(x, spec.subs, p);
}

function* collectSteps(spec: AggSpec, docs: DocSet, ctx: AggContext): Generator<void, BucketResult> {
  const o = options(spec);
  let sample: DocSet = docs;
  if (o.probability < 1) {
    // RandomSamplingQuery per segment: a fresh SplittableRandom for each leaf, seeded alike
    const kept = new Map<number, Set<number>>();
    const picked: number[] = [];
    yield* docRangeSteps(docs.count, (from, to) => {
      for (let i = from; i < to; i++) {
        const li = docs.leaf[i] as number;
        let set = kept.get(li);
        if (set === undefined) {
          const leaf = docs.leaves[li];
          set = leaf === undefined ? new Set() : new Set(sampledDocs(leaf.segment.maxDoc, o.probability, o.seed, o.shardSeed ?? leaf.shard));
          kept.set(li, set);
        }
        if (set.has(docs.doc[i] as number)) picked.push(i);
      }
    });
    sample = subset(docs, picked);
  }
  const subs = yield* ctx.runSubsSteps(spec.subs, sample);
  if (o.probability < 1) {
    for (const s of spec.subs) {
      const r = subs[s.name];
      if (r !== null && typeof r === 'object') scaleResult(s, r as Record<string, unknown>, o.probability);
    }
  }
  const head: Record<string, unknown> = { seed: o.seed };
  if (o.shardSeed !== undefined) head.shard_seed = o.shardSeed;
  head.probability = new JsonDouble(o.probability);
  return { typed: 'random_sampler', result: { ...head, doc_count: sample.count, ...subs } };
}

export const randomSamplerAgg: BucketType = pacedBucket({
  validate(spec) {
    options(spec);
  },
  steps: collectSteps,
});

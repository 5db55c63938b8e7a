import { EngineError } from '../../../errors.js';
import { JsonDouble } from '../../float-format.js';
import { runSteps } from '../../paced-run.js';
import type { AggContext, AggSpec, BucketResult, BucketType, DocSet } from '../agg-types.js';
import { MAX_BUCKETS } from '../max-buckets.js';
import { byTarget, commonKind, fieldReaders, subset } from '../values-source.js';
import type { FieldReader } from '../values-source.js';
import { checkKeys, optInt, requireField, xContentError } from './options.js';
import { hasBucketSubs } from './subs.js';

/**
 * `variable_width_histogram` (VariableWidthHistogramAggregator, InternalVariableWidthHistogram),
 * step for step: each shard buffers its first `initial_buffer` values (default
 * `min(10 * shard_size, 50000)`, `shard_size` default `buckets * 50`), then clusters the sorted
 * buffer into `shard_size * 3 / 4` runs of equal size (the buffered docs' bucket counts follow ES's
 * merge map, which maps the i-th collected value by the sorted position of the i-th smallest), and
 * places every later value in the nearest cluster (BinarySearcher over the centroids) unless it is
 * more than twice the average centroid distance away and there is room for a new cluster. The reduce
 * merges equal centroids across shards, then repeatedly the two closest adjacent centroids until
 * `buckets` remain, merges buckets with the same min, and moves overlapping bounds to their midpoint.
 */

interface Plan {
  field: string;
  numBuckets: number;
  shardSize: number;
  initialBuffer: number;
}

function plan(spec: AggSpec): Plan {
  checkKeys(spec, ['field', 'buckets', 'shard_size', 'initial_buffer', 'missing', 'format', 'script', 'value_type']);
  const field = requireField(spec);
  const fail = (key: string, reason: string): never => {
    throw xContentError(`[${spec.type}] failed to parse field [${key}]`, new EngineError(400, 'illegal_argument_exception', reason));
  };
  const numBuckets = optInt(spec, 'buckets') ?? 10;
  if (numBuckets <= 0) fail('buckets', `buckets must be greater than [0] for [${spec.name}]`);
  const explicitShard = optInt(spec, 'shard_size');
  if (explicitShard !== undefined && explicitShard <= 1) fail('shard_size', `shard_size must be greater than [1] for [${spec.name}]`);
  const explicitBuffer = optInt(spec, 'initial_buffer');
  if (explicitBuffer !== undefined && explicitBuffer <= 0) fail('initial_buffer', `initial_buffer must be greater than [0] for [${spec.name}]`);
  if (numBuckets > MAX_BUCKETS) throw new EngineError(400, 'illegal_argument_exception', `buckets must be less than ${MAX_BUCKETS}`);
  const shardSize = explicitShard ?? numBuckets * 50;
  const initialBuffer = explicitBuffer ?? Math.min(10 * shardSize, 50000);
  if (initialBuffer < numBuckets) {
    throw new EngineError(400, 'illegal_argument_exception', `initial_buffer must be at least buckets but was [${initialBuffer}<${numBuckets}] for [${spec.name}]`);
  }
  const mergePhaseInit = mergePhaseInitialBucketCount(shardSize);
  if (mergePhaseInit < numBuckets) {
    throw new EngineError(400, 'illegal_argument_exception', `3/4 of shard_size must be at least buckets but was [${mergePhaseInit}<${numBuckets}] for [${spec.name}]`);
  }
  return { field, numBuckets, shardSize, initialBuffer };
}

const mergePhaseInitialBucketCount = (shardSize: number): number => Math.floor((shardSize * 3) / 4);

interface Cluster {
  min: number;
  max: number;
  centroid: number;
  size: number;
  /** bucketDocCount of the cluster's ordinal, and the docs (positions) collected into it. */
  docCount: number;
  pos: number[];
}

/** BinarySearcher.search over the centroids: the index of the closest one. */
function nearest(clusters: Cluster[], value: number): number {
  if (clusters.length === 0) return -1;
  const compare = (i: number): number => Math.sign((clusters[i] as Cluster).centroid - value);
  const distance = (i: number): number => Math.abs((clusters[i] as Cluster).centroid - value);
  const closest = (a: number, b: number): number => (distance(a) < distance(b) ? a : b);
  let from = 0;
  let to = clusters.length - 1;
  while (from < to) {
    const mid = (from + to) >>> 1;
    const c = compare(mid);
    if (c === 0) return mid;
    if (c < 0) {
      if (mid < to) {
        if (compare(mid + 1) > 0) return closest(mid, mid + 1);
      } else if (mid === to) return mid;
      from = mid + 1;
    } else {
      if (mid > from) {
        if (compare(mid - 1) < 0) return closest(mid, mid - 1);
      } else if (mid === 0) return mid;
      to = mid - 1;
    }
  }
  return from;
}

/** One shard's collection: the buffer phase, then the merge phase. */
function collectShard(p: Plan, docs: DocSet, readers: ReadonlyArray<FieldReader | null>, positions: Int32Array): Cluster[] {
  const buffer: Array<{ value: number; pos: number }> = [];
  let clusters: Cluster[] | undefined;
  let avgDistance = 0;
  const updateAvg = (c: Cluster[]): void => {
    avgDistance = ((c[c.length - 1] as Cluster).centroid - (c[0] as Cluster).centroid) / (c.length - 1);
  };
  const startMerging = (): Cluster[] => {
    const numBuckets = mergePhaseInitialBucketCount(p.shardSize);
    const order = buffer.map((_, i) => i).sort((a, b) => (buffer[a] as { value: number }).value - (buffer[b] as { value: number }).value);
    const docsPerBucket = Math.ceil(buffer.length / numBuckets);
    const out: Cluster[] = [];
    order.forEach((bi, i) => {
      const value = (buffer[bi] as { value: number }).value;
      const ord = Math.floor(i / docsPerBucket);
      const c = out[ord];
      if (!c) out.push({ min: value, max: value, centroid: value, size: 1, docCount: 0, pos: [] });
      else addTo(c, value);
    });
    // ES's merge map sends the b-th buffered value to the bucket of the b-th smallest value's buffer index
    buffer.forEach((entry, b) => {
      const c = out[Math.floor((order[b] as number) / docsPerBucket)];
      if (c) {
        c.docCount++;
        c.pos.push(entry.pos);
      }
    });
    if (buffer.length > 1) updateAvg(out);
    return out;
  };
  const collect = (value: number, pos: number): void => {
    if (!clusters) {
      if (buffer.length < p.initialBuffer) buffer.push({ value, pos });
      if (buffer.length === p.initialBuffer) clusters = startMerging();
      return;
    }
    let ord = nearest(clusters, value);
    const distance = ord === -1 ? Infinity : Math.abs((clusters[ord] as Cluster).centroid - value);
    if (ord === -1 || (distance > 2 * avgDistance && clusters.length < p.shardSize)) {
      const fresh: Cluster = { min: value, max: value, centroid: value, size: 1, docCount: 1, pos: [pos] };
      if (ord === -1) ord = 0;
      else if (value > (clusters[ord] as Cluster).centroid) ord += 1;
      clusters.splice(ord, 0, fresh);
      updateAvg(clusters);
    } else {
      const c = clusters[ord] as Cluster;
      addTo(c, value);
      c.docCount++;
      c.pos.push(pos);
      if (ord === 0 || ord === clusters.length - 1) updateAvg(clusters);
    }
  };
  for (const pos of positions) {
    const vals = readers[docs.leaf[pos] as number]?.values(docs.doc[pos] as number) as readonly number[] | undefined;
    if (!vals) continue;
    let prev = -Infinity;
    for (const v of vals) {
      if (v === prev) continue;
      prev = v;
      collect(v, pos);
    }
  }
  clusters ??= startMerging();
  return clusters.sort((a, b) => a.centroid - b.centroid);
}

function addTo(c: Cluster, value: number): void {
  c.max = Math.max(c.max, value);
  c.min = Math.min(c.min, value);
  c.centroid = (c.centroid * c.size + value) / (c.size + 1);
  c.size++;
}

interface Bucket {
  centroid: number;
  min: number;
  max: number;
  docCount: number;
  pos: number[];
}

/** InternalVariableWidthHistogram.reduceBucket over the buckets in the order given. */
function reduceBucket(buckets: Bucket[]): Bucket {
  let docCount = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  const pos: number[] = [];
  for (const b of buckets) {
    docCount += b.docCount;
    min = Math.min(min, b.min);
    max = Math.max(max, b.max);
    sum += b.docCount * b.centroid;
    pos.push(...b.pos);
  }
  return { centroid: sum / docCount, min, max, docCount, pos };
}

/** mergeBucketsWithPlan: each range of adjacent buckets becomes one (merged from its last bucket down to its first). */
function mergeWithPlan(buckets: Bucket[], ranges: Array<{ start: number; end: number }>): Bucket[] {
  return ranges.map(({ start, end }) => {
    if (start === end) return buckets[start] as Bucket;
    const toMerge: Bucket[] = [];
    for (let i = end; i > start; i--) toMerge.push(buckets[i] as Bucket);
    toMerge.push(buckets[start] as Bucket);
    return reduceBucket(toMerge);
  });
}

/** mergeBucketsIfNeeded: merge the two closest adjacent centroids until `target` remain. */
function mergeToTarget(buckets: Bucket[], target: number): Bucket[] {
  const ranges = buckets.map((b, i) => ({ start: i, end: i, centroid: b.centroid, docCount: b.docCount }));
  while (ranges.length > target) {
    let closest = 0;
    let smallest = Infinity;
    for (let i = 0; i < ranges.length - 1; i++) {
      const d = (ranges[i + 1] as { centroid: number }).centroid - (ranges[i] as { centroid: number }).centroid;
      if (d < smallest) {
        closest = i;
        smallest = d;
      }
    }
    const a = ranges[closest] as (typeof ranges)[number];
    const b = ranges[closest + 1] as (typeof ranges)[number];
    a.start = Math.min(a.start, b.start);
    a.end = Math.max(a.end, b.end);
    if (a.docCount + b.docCount > 0) {
      a.centroid = (a.centroid * a.docCount + b.centroid * b.docCount) / (a.docCount + b.docCount);
      a.docCount += b.docCount;
    }
    ranges.splice(closest + 1, 1);
  }
  return mergeWithPlan(buckets, ranges);
}

function mergeSameMin(buckets: Bucket[]): Bucket[] {
  const ranges: Array<{ start: number; end: number; min: number }> = [];
  buckets.forEach((b, i) => {
    const last = ranges[ranges.length - 1];
    if (last && last.min === b.min) last.end = i;
    else ranges.push({ start: i, end: i, min: b.min });
  });
  return mergeWithPlan(buckets, ranges);
}

function* variableWidthSteps(spec: AggSpec, docs: DocSet, ctx: AggContext): Generator<void, BucketResult> {
  const p = plan(spec);
  const readers = fieldReaders(docs, p.field);
  const kind = commonKind(readers);
  if (kind !== undefined && kind !== 'number') {
    const info = (readers.find((r) => r !== null) as FieldReader).info;
    throw new EngineError(400, 'illegal_argument_exception', `Field [${p.field}] of type [${info.type}] is not supported for aggregation [${spec.type}]`);
  }
  const shardBuckets: Bucket[] = [];
  for (const [, positions] of byTarget(docs, ctx.exec.states.length)) {
    shardBuckets.push(...collectShard(p, docs, readers, positions));
    yield;
  }
  // reduceBuckets: shards' buckets in centroid order, equal centroids reduced together
  shardBuckets.sort((a, b) => a.centroid - b.centroid);
  const reduced: Bucket[] = [];
  for (let i = 0; i < shardBuckets.length; ) {
    let j = i + 1;
    while (j < shardBuckets.length && (shardBuckets[j] as Bucket).centroid === (shardBuckets[i] as Bucket).centroid) j++;
    reduced.push(reduceBucket(shardBuckets.slice(i, j)));
    i = j;
  }
  const buckets = mergeSameMin(mergeToTarget(reduced, p.numBuckets));
  // adjustBoundsForOverlappingBuckets
  for (let i = 1; i < buckets.length; i++) {
    const cur = buckets[i] as Bucket;
    const prev = buckets[i - 1] as Bucket;
    if (cur.min < prev.max) {
      cur.min = (prev.max + cur.min) / 2;
      prev.max = cur.min;
    }
  }
  const withSubs = hasBucketSubs(spec.subs);
  const out: Array<Record<string, unknown>> = [];
  for (const b of buckets) {
    const rendered: Record<string, unknown> = { min: new JsonDouble(b.min), key: new JsonDouble(b.centroid), max: new JsonDouble(b.max), doc_count: b.docCount };
    if (withSubs) Object.assign(rendered, yield* ctx.runSubsSteps(spec.subs, subset(docs, Int32Array.from(new Set(b.pos)).sort())));
    out.push(rendered);
  }
  return { typed: 'variable_width_histogram', result: {}, buckets: out };
}

export const variableWidthHistogramAgg: BucketType = {
  validate(spec) {
    plan(spec);
  },
  collect(spec, docs, ctx) {
    return runSteps(variableWidthSteps(spec, docs, ctx));
  },
  steps: variableWidthSteps,
};

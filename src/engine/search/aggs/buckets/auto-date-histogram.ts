import { EngineError } from '../../../errors.js';
import { UTC, parseTimeZone } from '../../date-math.js';
import type { TimeZone } from '../../date-math.js';
import { runSteps } from '../../paced-run.js';
import type { AggContext, AggSpec, BucketResult, BucketType, DocSet } from '../agg-types.js';
import { MAX_BUCKETS } from '../max-buckets.js';
import { dateFormatter } from '../value-format.js';
import { byTarget, commonKind, fieldReaders, subset } from '../values-source.js';
import type { FieldReader } from '../values-source.js';
import { calendarRounding, parseDateValue } from './date-rounding.js';
import type { Rounding } from './date-rounding.js';
import { checkKeys, optInt, optString, requireField, xContentError } from './options.js';
import { hasBucketSubs } from './subs.js';

/**
 * `auto_date_histogram` (AutoDateHistogramAggregationBuilder, AutoDateHistogramAggregator.FromSingle,
 * InternalAutoDateHistogram): the rounding ladder second, minute, hour, day, month, year (from
 * `minimum_interval` up), each with its inner intervals and rough duration. Each shard collects
 * its docs in order at the finest rounding and moves up the ladder (re-rounding its buckets)
 * whenever a new bucket makes the count exceed `buckets * max inner interval` or the key range
 * exceed `buckets * rough duration * max inner interval`. The reduce re-rounds every shard's
 * buckets at the coarsest shard rounding, merges up while there are too many, picks the rounding
 * that covers the range (getAppropriateRounding), fills the empty buckets, merges again if
 * needed, and finally merges runs of consecutive buckets by the first inner interval that brings
 * the count within `buckets`: the `interval` reported is that inner interval and the unit (`7d`).
 *
 * Every shard runs FromSingle's algorithm, also under a multi-bucket parent (where ES's FromMany
 * picks the shard rounding from the final counts; the reduce then picks the same rounding unless
 * FromSingle went further up the ladder).
 */

interface RoundingInfo {
  unit: string;
  abbreviation: string;
  roughMs: number;
  inner: number[];
}

const LADDER: RoundingInfo[] = [
  { unit: 'second', abbreviation: 's', roughMs: 1000, inner: [1, 5, 10, 30] },
  { unit: 'minute', abbreviation: 'm', roughMs: 60_000, inner: [1, 5, 10, 30] },
  { unit: 'hour', abbreviation: 'h', roughMs: 3_600_000, inner: [1, 3, 12] },
  { unit: 'day', abbreviation: 'd', roughMs: 86_400_000, inner: [1, 7] },
  { unit: 'month', abbreviation: 'M', roughMs: 30 * 86_400_000, inner: [1, 3] },
  { unit: 'year', abbreviation: 'y', roughMs: 365 * 86_400_000, inner: [1, 5, 10, 20, 50, 100] },
];

const maxInner = (r: RoundingInfo): number => r.inner[r.inner.length - 1] as number;

interface Plan {
  field: string;
  target: number;
  ladder: Array<RoundingInfo & { rounding: Rounding }>;
  zone: TimeZone;
  format?: string;
  missing?: number;
}

function plan(spec: AggSpec, nowMs: number): Plan {
  checkKeys(spec, ['field', 'buckets', 'minimum_interval', 'format', 'time_zone', 'missing', 'script', 'value_type']);
  const field = requireField(spec);
  const target = optInt(spec, 'buckets') ?? 10;
  if (target <= 0) {
    throw xContentError(`[${spec.type}] failed to parse field [buckets]`, new EngineError(400, 'illegal_argument_exception', `buckets must be greater than 0 for [${spec.name}]`));
  }
  const minimum = optString(spec, 'minimum_interval');
  const from = minimum === undefined ? 0 : LADDER.findIndex((r) => r.unit === minimum);
  if (from < 0) {
    throw xContentError(
      `[${spec.type}] failed to parse field [minimum_interval]`,
      new EngineError(400, 'illegal_argument_exception', 'minimum_interval must be one of [second, minute, hour, day, month, year]'),
    );
  }
  const zoneId = optString(spec, 'time_zone');
  const zone = zoneId !== undefined ? parseTimeZone(zoneId) : UTC;
  const ladder = LADDER.slice(from).map((r) => ({ ...r, rounding: calendarRounding(r.unit, zone, 0) }));
  // AutoDateHistogramAggregationBuilder: at most max_buckets / the largest inner interval below the last rounding
  const largest = Math.max(...ladder.slice(0, -1).flatMap((r) => r.inner), 1);
  const ceiling = Math.floor(MAX_BUCKETS / largest);
  if (target > ceiling) throw new EngineError(400, 'illegal_argument_exception', `buckets must be less than ${ceiling}`);
  const format = optString(spec, 'format');
  const missing = spec.body.missing;
  return {
    field,
    target,
    ladder,
    zone,
    ...(format !== undefined ? { format } : {}),
    ...(missing !== undefined && missing !== null ? { missing: parseDateValue(missing, nowMs, zone, format) } : {}),
  };
}

interface Bucket {
  key: number;
  count: number;
  pos: number[];
}

interface ShardHistogram {
  idx: number;
  /** Ascending keys. */
  buckets: Bucket[];
}

/** FromSingle: collection in doc order, climbing the ladder whenever a new bucket breaks the budget. */
function collectShard(p: Plan, docs: DocSet, readers: ReadonlyArray<FieldReader | null>, positions: Int32Array): ShardHistogram {
  let idx = 0;
  let buckets = new Map<number, Bucket>();
  let min = Infinity;
  let max = -Infinity;
  const last = p.ladder.length - 1;
  const budget = (i: number): { count: number; range: number } => {
    const r = p.ladder[i] as RoundingInfo;
    return { count: p.target * maxInner(r), range: p.target * r.roughMs * maxInner(r) };
  };
  const climb = (rounded: number): void => {
    if (idx >= last) return;
    min = Math.min(min, rounded);
    max = Math.max(max, rounded);
    const within = (): boolean => buckets.size <= budget(idx).count && max - min <= budget(idx).range;
    if (within()) return;
    do {
      idx++;
      const { round } = (p.ladder[idx] as Plan['ladder'][number]).rounding;
      const merged = new Map<number, Bucket>();
      for (const b of buckets.values()) {
        const key = round(b.key);
        const m = merged.get(key);
        if (m) {
          m.count += b.count;
          m.pos.push(...b.pos);
        } else merged.set(key, { key, count: b.count, pos: b.pos });
      }
      buckets = merged;
    } while (idx < last && !within());
  };
  for (const pos of positions) {
    const vals = readers[docs.leaf[pos] as number]?.values(docs.doc[pos] as number);
    const values = vals && vals.length > 0 ? (vals as readonly number[]) : p.missing !== undefined ? [p.missing] : [];
    let previous: number | undefined;
    for (const v of values) {
      const rounded = (p.ladder[idx] as Plan['ladder'][number]).rounding.round(v);
      if (rounded === previous) continue;
      previous = rounded;
      const b = buckets.get(rounded);
      if (b) {
        b.count++;
        b.pos.push(pos);
        continue;
      }
      buckets.set(rounded, { key: rounded, count: 1, pos: [pos] });
      climb(rounded);
    }
  }
  return { idx, buckets: [...buckets.values()].sort((a, b) => a.key - b.key) };
}

/** Merges ascending buckets whose keys round together (keys become the rounded key). */
function mergeBuckets(buckets: Bucket[], round: (t: number) => number): Bucket[] {
  const out: Bucket[] = [];
  for (const b of buckets) {
    const key = round(b.key);
    const lastBucket = out[out.length - 1];
    if (lastBucket && lastBucket.key === key) {
      lastBucket.count += b.count;
      lastBucket.pos = lastBucket.pos.concat(b.pos);
    } else out.push({ key, count: b.count, pos: b.pos });
  }
  return out;
}

/** InternalAutoDateHistogram.getAppropriateRounding. */
function appropriateRounding(minKey: number, maxKey: number, roundingIdx: number, ladder: Plan['ladder'], target: number): number {
  if (roundingIdx === ladder.length - 1) return roundingIdx;
  let current = roundingIdx;
  for (let i = current + 1; i < ladder.length; i++) {
    const r = ladder[i] as RoundingInfo;
    // Java long division of the duration by the rough estimate
    if (Math.trunc((maxKey - minKey) / r.roughMs) < target * maxInner(r)) {
      current = i - 1;
      break;
    } else if (i === roundingIdx - 1) {
      current = i;
      break;
    }
  }
  let required: number;
  do {
    const { next } = (ladder[current] as Plan['ladder'][number]).rounding;
    let key = minKey;
    required = 0;
    while (key < maxKey) {
      required++;
      key = next(key);
    }
    current++;
  } while (required > target * maxInner(ladder[current - 1] as RoundingInfo) && current < ladder.length);
  return current - 1;
}

function* autoDateHistogramSteps(spec: AggSpec, docs: DocSet, ctx: AggContext): Generator<void, BucketResult> {
  const p = plan(spec, ctx.nowMs);
  const readers = fieldReaders(docs, p.field, 'millis');
  const kind = commonKind(readers);
  if (kind !== undefined && kind !== 'date' && kind !== 'number') {
    const info = (readers.find((r) => r !== null) as FieldReader).info;
    throw new EngineError(400, 'illegal_argument_exception', `Field [${p.field}] of type [${info.type}] is not supported for aggregation [${spec.type}]`);
  }
  const shards: ShardHistogram[] = [];
  for (const [, positions] of byTarget(docs, ctx.exec.states.length)) {
    shards.push(collectShard(p, docs, readers, positions));
    yield;
  }
  // reduceBuckets: every shard's buckets at the coarsest shard rounding
  let idx = Math.max(0, ...shards.map((s) => s.idx));
  let buckets = mergeBuckets(
    shards.flatMap((s) => s.buckets).sort((a, b) => a.key - b.key),
    (p.ladder[idx] as Plan['ladder'][number]).rounding.round,
  );
  const mergeIfNeeded = (): void => {
    while (buckets.length > p.target * maxInner(p.ladder[idx] as RoundingInfo) && idx < p.ladder.length - 1) {
      idx++;
      buckets = mergeBuckets(buckets, (p.ladder[idx] as Plan['ladder'][number]).rounding.round);
    }
  };
  mergeIfNeeded();
  let innerInterval = 1;
  if (buckets.length > 0) {
    // addEmptyBuckets
    idx = appropriateRounding((buckets[0] as Bucket).key, (buckets[buckets.length - 1] as Bucket).key, idx, p.ladder, p.target);
    const rounding = (p.ladder[idx] as Plan['ladder'][number]).rounding;
    const merged = mergeBuckets(buckets, rounding.round);
    buckets = [];
    for (const b of merged) {
      const prev = buckets[buckets.length - 1];
      if (prev) for (let key = rounding.next(prev.key); key < b.key; key = rounding.next(key)) buckets.push({ key, count: 0, pos: [] });
      buckets.push(b);
    }
    mergeIfNeeded();
    // maybeMergeConsecutiveBuckets
    if (buckets.length > p.target) {
      const info = p.ladder[idx] as Plan['ladder'][number];
      const interval = info.inner.find((n) => Math.ceil(buckets.length / n) <= p.target);
      if (interval !== undefined) {
        const runs: Bucket[] = [];
        buckets.forEach((b, i) => {
          if (i % interval === 0) runs.push({ key: info.rounding.round(b.key), count: 0, pos: [] });
          const run = runs[runs.length - 1] as Bucket;
          run.count += b.count;
          run.pos = run.pos.concat(b.pos);
        });
        buckets = runs;
        innerInterval = interval;
      }
    }
  }
  const format = dateFormatter(p.format, p.zone);
  const withSubs = hasBucketSubs(spec.subs);
  const out: Array<Record<string, unknown>> = [];
  for (const b of buckets) {
    const rendered: Record<string, unknown> = { key_as_string: format(b.key), key: b.key, doc_count: b.count };
    if (withSubs) Object.assign(rendered, yield* ctx.runSubsSteps(spec.subs, subset(docs, Int32Array.from(new Set(b.pos)).sort())));
    out.push(rendered);
  }
  const unit = (p.ladder[idx] as RoundingInfo).abbreviation;
  const result: BucketResult = { typed: 'auto_date_histogram', result: { interval: `${innerInterval}${unit}` }, buckets: out };
  SURVIVING_BUCKETS.set(result, shards.reduce((n, s) => n + s.buckets.length, 0));
  return result;
}

/** The buckets the shards held when collection ended (FromSingle's `surviving_buckets`), for the profile. */
export const SURVIVING_BUCKETS = new WeakMap<BucketResult, number>();

export const autoDateHistogramAgg: BucketType = {
  validate(spec) {
    plan(spec, Date.now());
  },
  collect(spec, docs, ctx) {
    return runSteps(autoDateHistogramSteps(spec, docs, ctx));
  },
  steps: autoDateHistogramSteps,
};

import { EngineError } from '../../../errors.js';
import { UTC, parseTimeZone } from '../../date-math.js';
import type { TimeZone } from '../../date-math.js';
import { parseTimeValue } from '../../time-value.js';
import type { AggContext, AggSpec, BucketResult, BucketType, DocSet } from '../agg-types.js';
import { commonKind, fieldReaders } from '../values-source.js';
import type { FieldReader } from '../values-source.js';
import { CALENDAR_UNITS, calendarRounding, fixedRounding, parseDateValue } from './date-rounding.js';
import type { Rounding } from './date-rounding.js';
import { dateFormatter, compileDecimalFormat, javaDouble } from '../value-format.js';
import { checkKeys, optBoolean, optInt, optNumber, optString, positive, requireField, xContentError } from './options.js';
import { bucketComparator, parseOrder, validateOrderPaths } from './order.js';
import type { BucketOrder } from './order.js';
import { bucketSubsSteps, isPipeline } from './subs.js';
import { docRangeSteps, mapSteps, pacedBucket } from '../doc-steps.js';
import { sortSteps } from '../../paced-sort.js';
import { MAX_BUCKETS, tooManyBuckets } from '../max-buckets.js';
import { checkRangeHistogram, rangeKeys, rangeReaders } from './range-histogram.js';

/**
 * `histogram` and `date_histogram` (AbstractHistogramAggregator, InternalHistogram,
 * InternalDateHistogram): one bucket per rounded value, each doc counted once per bucket;
 * with min_doc_count 0 (the default) the empty buckets between the first and last key, widened
 * to `extended_bounds` and clipped to `hard_bounds`, are filled in. Keys are ordered ascending
 * unless `order` says otherwise.
 */


export interface HistogramPlan {
  field: string;
  rounding: Rounding;
  minDocCount: number;
  orders: BucketOrder[];
  keyed: boolean;
  missing?: number;
  extended?: { min?: number; max?: number };
  hard?: { min?: number; max?: number };
  keyAsString?: (key: number) => string;
  /** The request's `format`, for a histogram over a date field. */
  format?: string;
  date: boolean;
}

const COMMON_KEYS = ['field', 'min_doc_count', 'extended_bounds', 'hard_bounds', 'keyed', 'order', 'missing', 'format', 'offset', 'script'];

function bounds(spec: AggSpec, key: string, parse: (v: unknown) => number): { min?: number; max?: number } | undefined {
  const v = spec.body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw xContentError(`[${spec.type}] failed to parse field [${key}]`);
  const o = v as Record<string, unknown>;
  const out: { min?: number; max?: number } = {};
  if (o.min !== undefined && o.min !== null) out.min = parse(o.min);
  if (o.max !== undefined && o.max !== null) out.max = parse(o.max);
  if (out.min !== undefined && out.max !== undefined && out.min > out.max) {
    const what = key === 'extended_bounds' ? 'extended_bounds' : 'hard_bounds';
    throw new EngineError(400, 'illegal_argument_exception', `[${what}.min][${out.min}] cannot be greater than [${what}.max][${out.max}] for histogram aggregation [${spec.name}]`);
  }
  return out;
}

function numberPlan(spec: AggSpec): HistogramPlan {
  checkKeys(spec, [...COMMON_KEYS, 'interval']);
  const field = requireField(spec);
  const interval = optNumber(spec, 'interval') ?? 0;
  if (!(interval > 0)) {
    throw xContentError(`[histogram] failed to parse field [interval]`, new EngineError(400, 'illegal_argument_exception', `[interval] must be >0 for histogram aggregation [${spec.name}]`));
  }
  const offset = optNumber(spec, 'offset') ?? 0;
  const num = (v: unknown): number => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw xContentError(`[histogram] failed to parse field [extended_bounds]`);
    return n;
  };
  const format = optString(spec, 'format');
  const missing = optNumber(spec, 'missing');
  const extended = bounds(spec, 'extended_bounds', num);
  const hard = bounds(spec, 'hard_bounds', num);
  return {
    field,
    rounding: {
      round: (v) => Math.floor((v - offset) / interval) * interval + offset,
      // InternalHistogram.nextKey: round(key + interval * 1.5), immune to accumulated float error
      next: (k) => Math.floor((k + interval + interval / 2 - offset) / interval) * interval + offset,
    },
    minDocCount: positive(spec, 'min_doc_count', optInt(spec, 'min_doc_count') ?? 0, true),
    orders: parseOrder(spec, spec.body.order, [{ kind: 'key', asc: true }]),
    keyed: optBoolean(spec, 'keyed') ?? false,
    ...(missing !== undefined ? { missing } : {}),
    ...(extended ? { extended } : {}),
    ...(hard ? { hard } : {}),
    ...(format !== undefined ? { keyAsString: compileDecimalFormat(format), format } : {}),
    date: false,
  };
}

function signedTime(text: string, setting: string): number {
  const t = text.trim();
  return t.startsWith('+') ? parseTimeValue(t.slice(1), setting) : t.startsWith('-') ? -parseTimeValue(t.slice(1), setting) : parseTimeValue(t, setting);
}

export function datePlan(spec: AggSpec, nowMs: number): HistogramPlan {
  checkKeys(spec, [...COMMON_KEYS, 'calendar_interval', 'fixed_interval', 'time_zone']);
  const field = requireField(spec);
  const zoneId = optString(spec, 'time_zone');
  const zone: TimeZone = zoneId !== undefined ? parseTimeZone(zoneId) : UTC;
  const offsetRaw = spec.body.offset;
  const offset = offsetRaw === undefined ? 0 : typeof offsetRaw === 'number' ? offsetRaw : signedTime(String(offsetRaw), 'date_histogram.offset');
  const cal = optString(spec, 'calendar_interval');
  const fixed = optString(spec, 'fixed_interval');
  if (cal !== undefined && fixed !== undefined) throw new EngineError(400, 'illegal_argument_exception', 'Cannot use [fixed_interval] with [calendar_interval] configuration option.');
  let rounding: Rounding;
  if (cal !== undefined) {
    const unit = CALENDAR_UNITS[cal];
    if (unit === undefined) {
      throw xContentError(
        '[date_histogram] failed to parse field [calendar_interval]',
        new EngineError(400, 'illegal_argument_exception', `The supplied interval [${cal}] could not be parsed as a calendar interval.`),
      );
    }
    rounding = calendarRounding(unit, zone, offset);
  } else if (fixed !== undefined) {
    let ms: number;
    try {
      ms = parseTimeValue(fixed, `${spec.type}.fixedInterval`);
    } catch {
      throw xContentError(
        '[date_histogram] failed to parse field [fixed_interval]',
        new EngineError(400, 'illegal_argument_exception', `failed to parse setting [date_histogram.fixedInterval] with value [${fixed}] as a time value: unit is missing or unrecognized`),
      );
    }
    if (!(ms > 0)) throw new EngineError(400, 'illegal_argument_exception', `Zero or negative time interval not supported`);
    rounding = fixedRounding(ms, zone, offset);
  } else {
    throw new EngineError(400, 'illegal_argument_exception', 'Invalid interval specified, must be non-null and non-empty');
  }
  const format = optString(spec, 'format');
  const parse = (v: unknown): number => parseDateValue(v, nowMs, zone, format);
  const extended = bounds(spec, 'extended_bounds', parse);
  const hard = bounds(spec, 'hard_bounds', parse);
  const missing = spec.body.missing;
  return {
    field,
    rounding,
    minDocCount: positive(spec, 'min_doc_count', optInt(spec, 'min_doc_count') ?? 0, true),
    orders: parseOrder(spec, spec.body.order, [{ kind: 'key', asc: true }]),
    keyed: optBoolean(spec, 'keyed') ?? false,
    ...(missing !== undefined && missing !== null ? { missing: parse(missing) } : {}),
    ...(extended ? { extended } : {}),
    ...(hard ? { hard } : {}),
    keyAsString: dateFormatter(format, zone),
    ...(format !== undefined ? { format } : {}),
    date: true,
  };
}

/** The histogram's buckets as steps: pauses between ranges of docs, in the key sort and between runs of buckets (doc-steps.ts). */
function* histogramSteps(spec: AggSpec, plan: HistogramPlan, docs: DocSet, ctx: AggContext, typed: string): Generator<void, BucketResult> {
  validateOrderPaths(spec, plan.orders, isPipeline);
  const ranges = rangeReaders(docs, plan.field);
  if (ranges) checkRangeHistogram(spec, ranges, plan.date);
  const readers = ranges ? [] : fieldReaders(docs, plan.field, plan.date ? 'millis' : 'refuse');
  const kind = ranges ? (ranges.find((r) => r !== null)?.type === 'date_range' ? 'date' : 'number') : commonKind(readers);
  // histogram: numbers, dates, booleans; date_histogram: dates and numbers (ValuesSourceRegistry)
  if (kind === 'keyword' || (kind === 'boolean' && plan.date)) {
    const info = (readers.find((r) => r !== null) as FieldReader).info;
    throw new EngineError(400, 'illegal_argument_exception', `Field [${plan.field}] of type [${info.type}] is not supported for aggregation [${spec.type}]`);
  }
  // key_as_string follows the field's DocValueFormat: dates always, numbers only with a `format`
  let keyAsString = plan.keyAsString;
  if (kind === 'date' && !plan.date) keyAsString = dateFormatter(plan.format);
  else if (kind === 'number' && plan.date) keyAsString = plan.format !== undefined ? compileDecimalFormat(plan.format) : undefined;
  else if (kind === 'boolean' && plan.format === undefined) keyAsString = (k) => (k === 0 ? 'false' : 'true');
  const { round } = plan.rounding;
  const hard = plan.hard;
  // key -> slot; counts per slot in a growing typed array (one Map lookup per value)
  const slots = new Map<number, number>();
  let slotCounts = new Int32Array(64);
  const positions: number[][] = [];
  const withSubs = spec.subs.length > 0;
  const add = (key: number, p: number): void => {
    // the range aggregators clip each range to hard_bounds instead of dropping keys
    if (hard && !ranges && ((hard.min !== undefined && key < hard.min) || (hard.max !== undefined && key > hard.max))) return;
    let slot = slots.get(key);
    if (slot === undefined) {
      slot = slots.size;
      slots.set(key, slot);
      if (slot === slotCounts.length) {
        const bigger = new Int32Array(slot * 2);
        bigger.set(slotCounts);
        slotCounts = bigger;
      }
      if (withSubs) positions.push([]);
    }
    slotCounts[slot] = (slotCounts[slot] as number) + 1;
    if (withSubs) (positions[slot] as number[]).push(p);
  };
  const leafOf = docs.leaf;
  const docOf = docs.doc;
  let lastLeaf = -1;
  let reader: FieldReader | null | undefined = null;
  const collectRanges = (from: number, to: number): void => {
    for (let i = from; ranges && i < to; i++) {
      const docRanges = ranges[leafOf[i] as number]?.ranges(docOf[i] as number);
      if (docRanges) rangeKeys(docRanges, plan.rounding, hard, (key) => add(key, i));
    }
  };
  const collectValues = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const li = leafOf[i] as number;
      if (li !== lastLeaf) {
        reader = readers[li];
        lastLeaf = li;
      }
      const vals = reader ? (reader.values(docOf[i] as number) as readonly number[] | undefined) : undefined;
      if (!vals || vals.length === 0) {
        if (plan.missing !== undefined) add(round(plan.missing), i);
        continue;
      }
      if (vals.length === 1) {
        add(round(vals[0] as number), i);
        continue;
      }
      let prev = Number.NaN;
      for (let j = 0; j < vals.length; j++) {
        const key = round(vals[j] as number);
        if (key === prev) continue;
        prev = key;
        add(key, i);
      }
    }
  };
  yield* docRangeSteps(docs.count, ranges ? collectRanges : collectValues);
  const countOf = (key: number): number => {
    const slot = slots.get(key);
    return slot === undefined ? 0 : (slotCounts[slot] as number);
  };
  yield;
  let keys = yield* sortSteps([...slots.keys()], (a, b) => a - b);
  if (plan.minDocCount === 0) keys = ranges ? fillKeeping(keys, plan) : fill(keys, plan);
  else keys = keys.filter((k) => countOf(k) >= plan.minDocCount);
  if (keys.length > MAX_BUCKETS) throw tooManyBuckets();
  const fmt = keyAsString;
  let buckets = yield* mapSteps(keys, function* (key) {
    const b: Record<string, unknown> = {};
    if (fmt) b.key_as_string = fmt(key);
    b.key = key;
    b.doc_count = countOf(key);
    const slot = slots.get(key);
    return Object.assign(b, yield* bucketSubsSteps(spec, docs, slot === undefined ? [] : (positions[slot] ?? []), ctx));
  });
  const first = plan.orders[0];
  if (!(first?.kind === 'key' && first.asc)) {
    const cmp = bucketComparator<{ key: number; count: number; b: Record<string, unknown>; rendered: () => Record<string, unknown> }>(plan.orders, spec);
    yield;
    const sorted = yield* sortSteps(
      buckets.map((b) => ({ key: b.key as number, count: b.doc_count as number, b, rendered: () => b })),
      cmp,
    );
    buckets = sorted.map((w) => w.b);
  }
  const result: BucketResult = { typed, result: {}, buckets };
  if (plan.keyed) result.keyed = (b) => [typeof b.key_as_string === 'string' ? b.key_as_string : javaDouble(b.key as number), b];
  return result;
}

/** min_doc_count 0: every key from the first (or extended_bounds.min) to the last (or extended_bounds.max), within hard_bounds. */
function fill(keys: number[], plan: HistogramPlan): number[] {
  const { round, next } = plan.rounding;
  const boundKey = plan.rounding.boundKey ?? round;
  let lo = keys[0];
  let hi = keys[keys.length - 1];
  const ext = plan.extended;
  if (ext?.min !== undefined) lo = lo === undefined ? boundKey(ext.min) : Math.min(lo, boundKey(ext.min));
  if (ext?.max !== undefined) hi = hi === undefined ? boundKey(ext.max) : Math.max(hi, boundKey(ext.max));
  if (lo === undefined || hi === undefined) return keys;
  const hard = plan.hard;
  if (hard?.min !== undefined) lo = Math.max(lo, round(hard.min) < hard.min ? next(round(hard.min)) : round(hard.min));
  if (hard?.max !== undefined) hi = Math.min(hi, round(hard.max));
  const out: number[] = [];
  for (let k = lo; k <= hi; k = next(k)) {
    out.push(k);
    if (out.length > MAX_BUCKETS) break;
  }
  return out;
}

/** fill, keeping the keys a range clipped to hard_bounds gave below the first whole bucket inside them. */
function fillKeeping(keys: number[], plan: HistogramPlan): number[] {
  const filled = fill(keys, plan);
  const seen = new Set(filled);
  const extra = keys.filter((k) => !seen.has(k));
  return extra.length === 0 ? filled : [...new Set([...filled, ...extra])].sort((a, b) => a - b);
}

export const histogramAgg: BucketType = pacedBucket({
  validate(spec) {
    numberPlan(spec);
  },
  steps(spec, docs, ctx) {
    return histogramSteps(spec, numberPlan(spec), docs, ctx, 'histogram');
  },
});

export const dateHistogramAgg: BucketType = pacedBucket({
  validate(spec) {
    datePlan(spec, Date.now());
  },
  steps(spec, docs, ctx) {
    return histogramSteps(spec, datePlan(spec, ctx.nowMs), docs, ctx, 'date_histogram');
  },
});

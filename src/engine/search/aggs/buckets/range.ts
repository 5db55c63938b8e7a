import { EngineError } from '../../../errors.js';
import { UTC, parseTimeZone } from '../../date-math.js';
import type { TimeZone } from '../../date-math.js';
import type { AggContext, AggSpec, BucketResult, BucketType, DocSet } from '../agg-types.js';
import { commonKind, fieldReaders } from '../values-source.js';
import type { FieldReader } from '../values-source.js';
import { parseDateValue } from './date-rounding.js';
import { dateFormatter, compileDecimalFormat, javaDouble } from '../value-format.js';
import { checkKeys, optBoolean, optString, requireField, xContentError } from './options.js';
import { bucketSubsSteps } from './subs.js';
import { docRangeSteps, mapSteps, pacedBucket } from '../doc-steps.js';
import { runSteps } from '../../paced-run.js';

/**
 * `range` and `date_range` (RangeAggregator, InternalRange): `from` inclusive, `to` exclusive,
 * a doc counted once per range any of its values falls in. Ranges are sorted by from then to,
 * as RangeAggregator sorts them; a range without `key` is keyed `from-to` with `*` for an open
 * end, numbers written as Java doubles (`*-100.0`) or through `format`, dates in their format.
 */

export interface RangeDef {
  key?: string;
  from: number;
  to: number;
}

interface RangePlan {
  field: string;
  ranges: RangeDef[];
  keyed: boolean;
  missing?: number;
  /** Formats from/to: numbers only with `format`, dates always. */
  format?: (v: number) => string;
  date: boolean;
  zone: TimeZone;
}

/**
 * `fieldParse`: the field's own date parser; without an aggregation `format`, Elasticsearch parses
 * `from`/`to`/`missing` with the field's format (epoch_second: 1000 is 1000 seconds), date math aside.
 */
function plan(spec: AggSpec, nowMs: number, fieldParse?: (value: unknown) => number): RangePlan {
  const date = spec.type === 'date_range';
  checkKeys(spec, ['field', 'ranges', 'keyed', 'missing', 'format', 'script', ...(date ? ['time_zone'] : [])]);
  const field = requireField(spec);
  const zoneId = optString(spec, 'time_zone');
  const zone = zoneId !== undefined ? parseTimeZone(zoneId) : UTC;
  const formatOpt = optString(spec, 'format');
  const value = (v: unknown, what: string): number => {
    if (date) {
      const plainValue = typeof v === 'number' || (typeof v === 'string' && !v.includes('||') && !v.startsWith('now'));
      if (formatOpt === undefined && fieldParse && plainValue) return fieldParse(v);
      return parseDateValue(v, nowMs, zone, formatOpt);
    }
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    // a `range` over a date field takes dates too (the field's format parses them)
    if (!Number.isFinite(n) && typeof v === 'string') return parseDateValue(v, nowMs, zone, formatOpt);
    if (!Number.isFinite(n)) throw xContentError(`[${what}] failed to parse field [${what}]`);
    return n;
  };
  const given = spec.body.ranges;
  // ObjectParser.declareObjectArray: a single object is a list of one
  const raw = given !== null && typeof given === 'object' && !Array.isArray(given) ? [given] : given;
  if (!Array.isArray(raw) || raw.length === 0) throw new EngineError(400, 'illegal_argument_exception', `No [ranges] specified for the [${spec.name}] aggregation`);
  const ranges = raw.map((r): RangeDef => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw xContentError(`[${spec.type}] failed to parse field [ranges]`);
    const o = r as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!['from', 'to', 'key'].includes(k)) throw xContentError(`[range] unknown field [${k}]`);
    const from = o.from === undefined || o.from === null ? -Infinity : value(o.from, 'from');
    const to = o.to === undefined || o.to === null ? Infinity : value(o.to, 'to');
    return { ...(o.key !== undefined && o.key !== null ? { key: String(o.key) } : {}), from, to };
  });
  ranges.sort((a, b) => a.from - b.from || a.to - b.to);
  const missing = spec.body.missing;
  let format: ((v: number) => string) | undefined;
  if (date) format = dateFormatter(formatOpt, zone);
  else if (formatOpt !== undefined) format = compileDecimalFormat(formatOpt);
  return {
    field,
    ranges,
    keyed: optBoolean(spec, 'keyed') ?? false,
    ...(missing !== undefined && missing !== null ? { missing: value(missing, 'missing') } : {}),
    ...(format ? { format } : {}),
    date,
    zone,
  };
}

function* rangeSteps(spec: AggSpec, p: RangePlan, docs: DocSet, ctx: AggContext): Generator<void, BucketResult> {
  const readers = fieldReaders(docs, p.field);
  const kind = commonKind(readers);
  if (kind === 'keyword') {
    const info = (readers.find((r) => r !== null) as FieldReader).info;
    throw new EngineError(400, 'illegal_argument_exception', `Field [${p.field}] of type [${info.type}] is not supported for aggregation [${spec.type}]`);
  }
  // RangeAggregator compares in the field's stored precision (NumberType.reduceToStoredPrecision):
  // a float field's endpoints are floats, a scaled_float's are scaled (0.04 -> 0.03999999910593033).
  const info = readers.find((r) => r !== null)?.info;
  const reduce = info?.type === 'float' ? Math.fround : info?.type === 'scaled_float' ? (v: number) => Math.round(v * (info.scalingFactor ?? 1)) / (info.scalingFactor ?? 1) : undefined;
  const bounds = reduce ? p.ranges.map((r) => ({ from: Number.isFinite(r.from) ? reduce(r.from) : r.from, to: Number.isFinite(r.to) ? reduce(r.to) : r.to })) : p.ranges;
  // from_as_string/to_as_string follow the field's DocValueFormat: a date field formats as a date
  // without an aggregation `format`, a date field formats with its own (DocValueFormat of the field)
  const fieldFormat = info?.type === 'date' && optString(spec, 'format') === undefined ? info.dateFormat : undefined;
  const format = kind === 'date' && (!p.date || fieldFormat !== undefined) ? dateFormatter(optString(spec, 'format') ?? fieldFormat, p.zone) : p.format;
  const text = (v: number): string => (format ? format(v) : javaDouble(v));
  const valuesAt = (i: number): readonly number[] | undefined => {
    const r = readers[docs.leaf[i] as number];
    const vals = r ? (r.values(docs.doc[i] as number) as readonly number[] | undefined) : undefined;
    return (!vals || vals.length === 0) && p.missing !== undefined ? [p.missing] : vals;
  };
  const buckets = yield* rangeBucketsSteps(spec, p.ranges, bounds, docs, ctx, valuesAt, text, format);
  const result: BucketResult = { typed: p.date ? 'date_range' : 'range', result: {}, buckets };
  if (p.keyed) result.keyed = keyedByKey;
  return result;
}

/** `keyed: true` rendering of range buckets: each under its key, the key kept out of the bucket. */
export function keyedByKey(b: Record<string, unknown>): [string, Record<string, unknown>] {
  const { key, ...rest } = b;
  return [String(key), rest];
}

/**
 * The buckets of RangeAggregator: `bounds` (the ranges in the field's stored precision) decide,
 * `ranges` are rendered; `text` writes an end into a key, `format` into `from_as_string`.
 * Collected per batch of documents and built a bucket at a time (paced steps).
 */
export function* rangeBucketsSteps(
  spec: AggSpec,
  ranges: readonly RangeDef[],
  bounds: ReadonlyArray<{ from: number; to: number }>,
  docs: DocSet,
  ctx: AggContext,
  valuesAt: (i: number) => readonly number[] | undefined,
  text: (v: number) => string,
  format?: (v: number) => string,
): Generator<void, Array<Record<string, unknown>>> {
  const n = ranges.length;
  const pos: number[][] = ranges.map(() => []);
  const counts = new Int32Array(n);
  const withSubs = spec.subs.length > 0;
  const hit = new Uint8Array(n);
  const collect = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const vals = valuesAt(i);
      if (!vals || vals.length === 0) continue;
      hit.fill(0);
      for (const v of vals) {
        for (let k = 0; k < n; k++) {
          const range = bounds[k]!;
          if (hit[k] === 0 && v >= range.from && v < range.to) hit[k] = 1;
        }
      }
      for (let k = 0; k < n; k++) {
        if (hit[k] === 0) continue;
        counts[k] = (counts[k] as number) + 1;
        if (withSubs) (pos[k] as number[]).push(i);
      }
    }
  };
  yield* docRangeSteps(docs.count, collect);
  return yield* mapSteps(ranges, function* (range, k) {
    const key = range.key ?? `${range.from === -Infinity ? '*' : text(range.from)}-${range.to === Infinity ? '*' : text(range.to)}`;
    const b: Record<string, unknown> = { key };
    if (range.from !== -Infinity) {
      b.from = range.from;
      if (format) b.from_as_string = format(range.from);
    }
    if (range.to !== Infinity) {
      b.to = range.to;
      if (format) b.to_as_string = format(range.to);
    }
    b.doc_count = counts[k];
    return Object.assign(b, yield* bucketSubsSteps(spec, docs, pos[k] as number[], ctx));
  });
}

/** rangeBucketsSteps run to the end in one go. */
export const rangeBuckets = (...args: Parameters<typeof rangeBucketsSteps>): Array<Record<string, unknown>> => runSteps(rangeBucketsSteps(...args));

export const rangeAgg: BucketType = pacedBucket({
  validate(spec) {
    plan(spec, Date.now());
  },
  steps(spec, docs, ctx) {
    const info = typeof spec.body.field === 'string' ? fieldReaders(docs, spec.body.field).find((r) => r !== null)?.info : undefined;
    const fieldParse = info?.type === 'date' && info.parseDate ? info.parseDate.bind(info) : undefined;
    return rangeSteps(spec, plan(spec, ctx.nowMs, fieldParse), docs, ctx);
  },
});

export const dateRangeAgg: BucketType = rangeAgg;

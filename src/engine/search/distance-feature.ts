import type { SegmentView } from '../contract.js';
import { decodeNanos, nanosField } from '../date-nanos.js';
import { EngineError, parsingError } from '../errors.js';
import type { FieldInfo } from '../contract.js';
import { pointReader } from '../geo/geo-doc-values.js';
import { parseGeoPoint } from '../geo/parse-point.js';
import { arcDistance } from '../geo/sloppy-math.js';
import { distanceMeters } from './geo/parse-geo-queries.js';
import { toDateMillis, toDateNanos } from './field-values.js';
import { commonOption, expectObject, unknownParam } from './parse-util.js';
import { NONE } from './primitive.js';
import type { Primitive } from './primitive.js';
import type { DistanceFeatureQuery } from './query.js';
import { scanDocs } from './rewrite-context.js';
import type { RewriteContext } from './rewrite-context.js';

/**
 * `distance_feature` (DistanceFeatureQueryBuilder) on date and date_nanos fields: every doc with a
 * value, scored `boost * pivot / (pivot + distance)` in float with the distance of its value
 * closest to `origin` (Lucene's LongDistanceFeatureQuery), in the field's resolution (millis or
 * nanos). The origin is parsed rounding up, as DateFieldType.distanceFeatureQuery does. On a
 * geo_point field (LatLonPointDistanceFeatureQuery) the distance is SloppyMath's haversine in meters
 * from `origin` to the doc's nearest quantized point, the pivot a distance (`1km`, meters without a unit).
 */

export function parseDistanceFeature(body: unknown): DistanceFeatureQuery {
  const name = 'distance_feature';
  const spec = expectObject(name, body);
  const q: Partial<DistanceFeatureQuery> & { kind: 'distance_feature'; boost: number } = { kind: 'distance_feature', boost: 1 };
  for (const [key, v] of Object.entries(spec)) {
    if (key === 'field') q.field = String(v);
    else if (key === 'origin') q.origin = v;
    else if (key === 'pivot') q.pivot = String(v);
    else if (!commonOption(name, q, key, v)) throw unknownParam(name, key);
  }
  const missing = (['field', 'origin', 'pivot'] as const).filter((k) => q[k] === undefined);
  if (missing.length > 0) throw parsingError(`[distance_feature] failed to parse: Required [${missing.join(', ')}]`);
  return q as DistanceFeatureQuery;
}

const UNIT_NANOS: Record<string, number> = { nanos: 1, micros: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9, d: 86400e9 };

/** TimeValue.parseTimeValue, in nanoseconds. */
function pivotNanos(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(nanos|micros|ms|s|m|h|d)$/.exec(text.trim());
  if (!m) {
    throw new EngineError(400, 'parse_exception', `failed to parse setting [distance_feature.pivot] with value [${text}] as a time value: unit is missing or unrecognized`);
  }
  return Math.round(Number(m[1]) * (UNIT_NANOS[m[2] as string] as number));
}

export function rewriteDistanceFeature(q: DistanceFeatureQuery, ctx: RewriteContext): Primitive {
  const f = ctx.field(q.field);
  if (!f) return NONE;
  if (f.type === 'geo_point') return geoDistanceFeature(q, f);
  if (f.type !== 'date' && f.type !== 'date_nanos') {
    const reason = `Illegal data type of [${f.type}]! [distance_feature] query can only be run on a date, date_nanos or geo_point field type!`;
    return ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
  }
  ctx.requireSearchable(f);
  const pivot = pivotNanos(q.pivot);
  let distance: (seg: SegmentView, doc: number) => number | undefined;
  let pivotDistance: number;
  if (f.type === 'date_nanos') {
    const origin = toDateNanos(ctx, f, q.origin, true);
    pivotDistance = pivot;
    const column = nanosField(f.path);
    distance = (seg, doc) => closest(seg.keywordValues(column, doc)?.map((v) => decodeNanos(v) - origin));
  } else {
    const origin = toDateMillis(ctx, f, q.origin, true);
    pivotDistance = Math.trunc(pivot / 1e6);
    distance = (seg, doc) => closest(seg.numericValues(f.path, doc)?.map((v) => v - origin));
  }
  return {
    op: 'docs',
    boost: q.boost,
    label: `DistanceFeatureQuery(field=${f.path},origin=${String(q.origin)},pivotDistance=${pivotDistance})`,
    match: (seg) => scanDocs(seg, (d) => distance(seg, d) !== undefined),
    score: (seg) => (doc, boost) => Math.fround(boost * (pivotDistance / (pivotDistance + (distance(seg, doc) ?? 0)))),
  };
}

/** The smallest absolute difference (a value's distance to the origin), as a double. */
function closest(diffs: Array<number | bigint> | undefined): number | undefined {
  if (!diffs || diffs.length === 0) return undefined;
  let best = Infinity;
  for (const d of diffs) {
    const abs = Math.abs(Number(d));
    if (abs < best) best = abs;
  }
  return best;
}

/** GeoPointFieldType.distanceFeatureQuery: LatLonPoint.newDistanceFeatureQuery over the quantized points. */
function geoDistanceFeature(q: DistanceFeatureQuery, f: FieldInfo): Primitive {
  if (typeof q.origin !== 'string' && (typeof q.origin !== 'object' || q.origin === null)) {
    throw new EngineError(400, 'illegal_argument_exception', `Illegal type [class java.lang.Long] for [origin]! Must be of type [geo_point] or [string] for geo_point fields!`);
  }
  const origin = parseGeoPoint(q.origin);
  const pivot = distanceMeters(q.pivot, 1);
  const distance = (seg: SegmentView, doc: number): number | undefined => {
    const points = pointReader(seg, f)(doc);
    if (!points || points.length === 0) return undefined;
    let best = Infinity;
    for (const p of points) best = Math.min(best, arcDistance(origin.lat, origin.lon, p.lat, p.lon));
    return best;
  };
  return {
    op: 'docs',
    boost: q.boost,
    label: `LatLonPointDistanceFeatureQuery(field=${f.path},originLat=${origin.lat},originLon=${origin.lon},pivotDistance=${pivot})`,
    match: (seg) => scanDocs(seg, (d) => distance(seg, d) !== undefined),
    score: (seg) => (doc, boost) => Math.fround(boost * (pivot / (pivot + (distance(seg, doc) ?? 0)))),
  };
}

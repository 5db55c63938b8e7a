import { EngineError } from '../../../errors.js';
import { parseGeoPoint } from '../../../geo/parse-point.js';
import { arcDistance, planeDistance } from '../../../geo/sloppy-math.js';
import { distanceType, distanceUnitMeters } from '../../geo/parse-geo-queries.js';
import type { AggSpec, BucketType } from '../agg-types.js';
import { checkKeys, optBoolean, optString, xContentError } from '../buckets/options.js';
import { keyedByKey, rangeBuckets } from '../buckets/range.js';
import type { RangeDef } from '../buckets/range.js';
import { javaDouble } from '../value-format.js';
import { geoField, geoReaders, pointsAt } from './geo-source.js';

/**
 * The `geo_distance` aggregation (GeoDistanceAggregationBuilder): a range aggregation over each
 * point's distance from `origin` (GeoDistance.calculate: `arc` is SloppyMath's haversine, `plane`
 * GeoUtils.planeDistance, both of the quantized point), in `unit` (meters by default).
 */

interface Plan {
  origin: { lat: number; lon: number };
  unitMeters: number;
  type: 'arc' | 'plane';
  ranges: RangeDef[];
  keyed: boolean;
}

function plan(spec: AggSpec): Plan {
  checkKeys(spec, ['field', 'missing', 'origin', 'point', 'center', 'unit', 'distance_type', 'ranges', 'keyed', 'script', 'value_type']);
  geoField(spec);
  const rawOrigin = spec.body.origin ?? spec.body.point ?? spec.body.center;
  if (rawOrigin === undefined) throw new EngineError(400, 'illegal_argument_exception', `Missing [origin] in geo_distance aggregator [${spec.name}]`);
  const origin = parseGeoPoint(rawOrigin);
  const unit = optString(spec, 'unit');
  const type = spec.body.distance_type === undefined ? 'arc' : distanceType(spec.body.distance_type);
  const raw = spec.body.ranges;
  if (!Array.isArray(raw) || raw.length === 0) throw new EngineError(400, 'illegal_argument_exception', `No [ranges] specified for the [${spec.name}] aggregation`);
  const num = (v: unknown, what: string): number => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (Number.isNaN(n)) throw xContentError(`[${spec.type}] failed to parse field [${what}]`);
    return n;
  };
  const ranges = raw.map((r): RangeDef => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw xContentError(`[${spec.type}] failed to parse field [ranges]`);
    const o = r as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!['from', 'to', 'key'].includes(k)) throw xContentError(`[range] unknown field [${k}]`);
    return {
      ...(o.key !== undefined && o.key !== null ? { key: String(o.key) } : {}),
      from: o.from === undefined || o.from === null ? -Infinity : num(o.from, 'from'),
      to: o.to === undefined || o.to === null ? Infinity : num(o.to, 'to'),
    };
  });
  ranges.sort((a, b) => a.from - b.from || a.to - b.to);
  return { origin, unitMeters: unit === undefined ? 1 : distanceUnitMeters(unit), type, ranges, keyed: optBoolean(spec, 'keyed') ?? false };
}

export const geoDistanceAgg: BucketType = {
  validate: (spec) => void plan(spec),
  collect(spec, docs, ctx) {
    const p = plan(spec);
    const readers = geoReaders(spec, docs, geoField(spec));
    const distance = p.type === 'arc' ? arcDistance : planeDistance;
    const { lat, lon } = p.origin;
    // DistanceUnit.fromMeters: meters * METERS.meters / unit.meters
    const toUnit = (meters: number): number => meters / p.unitMeters;
    // `missing`: the point a doc without one stands for (ValuesSourceConfig, a GeoPoint from its string)
    const missing = spec.body.missing === undefined || spec.body.missing === null ? undefined : [parseGeoPoint(String(spec.body.missing))];
    const valuesAt = (i: number): number[] | undefined => {
      const found = pointsAt(readers, docs, i);
      return (found && found.length > 0 ? found : missing)?.map((pt) => toUnit(distance(lat, lon, pt.lat, pt.lon))).sort((a, b) => a - b);
    };
    const buckets = rangeBuckets(spec, p.ranges, p.ranges, docs, ctx, valuesAt, javaDouble);
    return { typed: 'geo_distance', result: {}, buckets, ...(p.keyed ? { keyed: keyedByKey } : {}) };
  },
};

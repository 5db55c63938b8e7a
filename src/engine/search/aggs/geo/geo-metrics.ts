import type { GeoPoint } from '../../../geo/geo-encoding.js';
import type { PointReader } from '../../../geo/geo-doc-values.js';
import { parseGeoPoint } from '../../../geo/parse-point.js';
import type { AggSpec, DocSet, MetricType } from '../agg-types.js';
import { checkKeys, optBoolean } from '../buckets/options.js';
import { CompensatedSum } from '../metrics/metric-source.js';
import { geoField, geoReaders, pointsAt, shardPositions } from './geo-source.js';

/**
 * geo_bounds (GeoBoundsAggregator, InternalGeoBounds) and geo_centroid (GeoCentroidAggregator,
 * InternalGeoCentroid) over the quantized points: per shard, then reduced in shard order.
 * - geo_bounds keeps the top and bottom latitudes and, apart, the extremes of the positive and of
 *   the negative longitudes, and with `wrap_longitude` (default true) picks the narrower of the
 *   box through the dateline and the box through Greenwich.
 * - geo_centroid: each shard's Kahan sums of the latitudes and longitudes divided by its count of
 *   values; the reduce sums `count * centroid` with Kahan again and divides by the total count.
 */

/** Each shard's points of the DocSet, with `missing` for docs without one. */
function shardPoints(spec: AggSpec, docs: DocSet, each: (shard: number, p: GeoPoint) => void): void {
  const readers: Array<PointReader | null> = geoReaders(spec, docs, geoField(spec));
  const missing = spec.body.missing === undefined || spec.body.missing === null ? undefined : parseGeoPoint(String(spec.body.missing));
  shardPositions(docs).forEach((positions, shard) => {
    for (const i of positions) {
      const points = pointsAt(readers, docs, i);
      if (points && points.length > 0) for (const p of points) each(shard, p);
      else if (missing) each(shard, missing);
    }
  });
}

interface Bounds {
  top: number;
  bottom: number;
  posLeft: number;
  posRight: number;
  negLeft: number;
  negRight: number;
}

const emptyBounds = (): Bounds => ({ top: -Infinity, bottom: Infinity, posLeft: Infinity, posRight: -Infinity, negLeft: Infinity, negRight: -Infinity });

const corner = (lat: number, lon: number): Record<string, number> => ({ lat, lon });

/** InternalGeoBounds.resolveGeoBoundingBox. */
function boundingBox(b: Bounds, wrap: boolean): Record<string, unknown> | undefined {
  if (!Number.isFinite(b.top)) return undefined;
  let left: number;
  let right: number;
  if (!Number.isFinite(b.posLeft)) [left, right] = [b.negLeft, b.negRight];
  else if (!Number.isFinite(b.negLeft)) [left, right] = [b.posLeft, b.posRight];
  else if (wrap) {
    const unwrappedWidth = b.posRight - b.negLeft;
    const wrappedWidth = 180 - b.posLeft - (-180 - b.negRight);
    [left, right] = unwrappedWidth <= wrappedWidth ? [b.negLeft, b.posRight] : [b.posLeft, b.negRight];
  } else [left, right] = [b.negLeft, b.posRight];
  return { top_left: corner(b.top, left), bottom_right: corner(b.bottom, right) };
}

export const geoBounds: MetricType = {
  validate(spec) {
    checkKeys(spec, ['field', 'missing', 'script', 'value_type', 'wrap_longitude']);
    optBoolean(spec, 'wrap_longitude');
    geoField(spec);
  },
  collect(spec, docs) {
    const shards: Bounds[] = [];
    shardPoints(spec, docs, (shard, { lat, lon }) => {
      const b = (shards[shard] ??= emptyBounds());
      b.top = Math.max(b.top, lat);
      b.bottom = Math.min(b.bottom, lat);
      if (lon >= 0) {
        b.posLeft = Math.min(b.posLeft, lon);
        b.posRight = Math.max(b.posRight, lon);
      } else {
        b.negLeft = Math.min(b.negLeft, lon);
        b.negRight = Math.max(b.negRight, lon);
      }
    });
    const total = emptyBounds();
    for (const b of shards) {
      if (!b) continue;
      total.top = Math.max(total.top, b.top);
      total.bottom = Math.min(total.bottom, b.bottom);
      total.posLeft = Math.min(total.posLeft, b.posLeft);
      total.posRight = Math.max(total.posRight, b.posRight);
      total.negLeft = Math.min(total.negLeft, b.negLeft);
      total.negRight = Math.max(total.negRight, b.negRight);
    }
    const box = boundingBox(total, optBoolean(spec, 'wrap_longitude') ?? true);
    return box ? { bounds: box } : {};
  },
};

export const geoCentroid: MetricType = {
  validate(spec) {
    checkKeys(spec, ['field', 'missing', 'script', 'value_type']);
    geoField(spec);
  },
  collect(spec, docs) {
    const shards: Array<{ lat: CompensatedSum; lon: CompensatedSum; count: number }> = [];
    shardPoints(spec, docs, (shard, { lat, lon }) => {
      const s = (shards[shard] ??= { lat: new CompensatedSum(), lon: new CompensatedSum(), count: 0 });
      s.lat.add(lat);
      s.lon.add(lon);
      s.count++;
    });
    const lat = new CompensatedSum();
    const lon = new CompensatedSum();
    let count = 0;
    for (const s of shards) {
      if (!s || s.count === 0) continue;
      count += s.count;
      lat.add(s.count * (s.lat.value / s.count));
      lon.add(s.count * (s.lon.value / s.count));
    }
    return count > 0 ? { location: { lat: lat.value / count, lon: lon.value / count }, count } : { count: 0 };
  },
};

import type { FieldInfo, SegmentView } from '../../contract.js';
import { EngineError } from '../../errors.js';
import { decodeLatitude, decodeLongitude, encodeLatitude, encodeLatitudeCeil, encodeLongitude, encodeLongitudeCeil } from '../../geo/geo-encoding.js';
import type { GeoPoint } from '../../geo/geo-encoding.js';
import { pointReader } from '../../geo/geo-doc-values.js';
import { geohashCell, geotileCell, parseGeotile } from '../../geo/grid-cells.js';
import { distanceQuerySortKey, haversinSortKey } from '../../geo/sloppy-math.js';
import { javaDouble } from '../aggs/value-format.js';
import { NONE } from '../primitive.js';
import type { Primitive } from '../primitive.js';
import { scanDocs } from '../rewrite-context.js';
import type { RewriteContext } from '../rewrite-context.js';
import type { GeoBoundingBoxQuery, GeoDistanceQuery, GeoGridQuery, GeoPolygonQuery, ValidationMethod } from './geo-queries.js';
import { normalizeGeoPoint } from './normalize.js';

/**
 * The geo queries on a geo_point field, matching what LatLonPoint's queries (and their doc-values
 * twins) match: the doc's quantized points against the query's shape in double precision.
 * - geo_distance: LatLonPointDistanceQuery, `haversinSortKey(doc, centre) <= distanceQuerySortKey(radius)`
 *   (Lucene's DistancePredicate; its grid of pre-classified cells only saves work).
 * - geo_bounding_box: LatLonPoint.newBoxQuery, the bounds encoded (min rounded up, max down), two
 *   ranges of longitude when the box crosses the dateline.
 * - geo_polygon: LatLonPointInPolygonQuery, a crossing-number test on the quantized point; a point on
 *   an edge or vertex is inside.
 * - geo_grid: a box query on the cell, its edges made half-open in the encoding (GeoGridQueryBuilder).
 */

export type Test = (p: GeoPoint) => boolean;

/** The geo_point field of a geo query, or undefined (match none) for an ignored unmapped field. */
function geoField(ctx: RewriteContext, query: string, field: string, ignoreUnmapped: boolean): FieldInfo | undefined {
  const f = ctx.field(field);
  if (!f) {
    if (ignoreUnmapped) return undefined;
    return ctx.fail(`failed to find geo field [${field}]`);
  }
  if (f.type !== 'geo_point') ctx.fail(`Field [${field}] is of unsupported type [${f.type}] for [${query}] query`);
  if (!f.indexed && !f.docValues) {
    const reason = `Cannot search on field [${field}] since it is not indexed nor has doc values.`;
    ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
  }
  return f;
}

export function pointsQuery(f: FieldInfo, boost: number, label: string, test: Test): Primitive {
  return {
    op: 'docs',
    boost,
    label,
    match: (seg: SegmentView) => {
      const read = pointReader(seg, f);
      return scanDocs(seg, (d) => read(d)?.some(test) === true);
    },
  };
}

/** QueryShardException "couldn't validate latitude/ longitude values" with its validation errors. */
function validationFailure(ctx: RewriteContext, errors: string[]): never {
  const reason = `Validation Failed: ${errors.map((e, i) => `${i + 1}: ${e};`).join('')}`;
  return ctx.fail(`couldn't validate latitude/ longitude values`, { type: 'query_validation_exception', reason });
}

const validLat = (lat: number): boolean => Number.isFinite(lat) && lat >= -90 && lat <= 90;
const validLon = (lon: number): boolean => Number.isFinite(lon) && lon >= -180 && lon <= 180;

/** Lucene's GeoUtils.checkLatitude / checkLongitude (ignore_malformed lets such values through). */
function checkLucene(lat: number, lon: number): void {
  if (!validLat(lat)) throw new EngineError(400, 'illegal_argument_exception', `invalid latitude ${javaDouble(lat)}; must be between -90.0 and 90.0`);
  if (!validLon(lon)) throw new EngineError(400, 'illegal_argument_exception', `invalid longitude ${javaDouble(lon)}; must be between -180.0 and 180.0`);
}

export function rewriteGeoDistance(q: GeoDistanceQuery, ctx: RewriteContext): Primitive {
  const f = geoField(ctx, q.kind, q.field, q.ignoreUnmapped);
  if (!f) return NONE;
  let center = q.center;
  if (q.validation !== 'ignore_malformed') {
    const errors: string[] = [];
    if (!validLat(center.lat)) errors.push(`center point latitude is invalid: ${javaDouble(center.lat)}`);
    if (!validLon(center.lon)) errors.push(`center point longitude is invalid: ${javaDouble(center.lon)}`);
    if (errors.length > 0 && q.validation === 'strict') validationFailure(ctx, errors);
  }
  if (q.validation === 'coerce') center = normalizeGeoPoint(center, true, true);
  checkLucene(center.lat, center.lon);
  if (!Number.isFinite(q.distance)) throw new EngineError(400, 'illegal_argument_exception', `radiusMeters: '${javaDouble(q.distance)}' is invalid`);
  const key = distanceQuerySortKey(q.distance);
  const { lat, lon } = center;
  return pointsQuery(f, q.boost, `${f.path}:${lat},${lon} +/- ${q.distance} meters`, (p) => haversinSortKey(p.lat, p.lon, lat, lon) <= key);
}

/** LatLonPoint.newBoxQuery over the encoded points. */
export function boxTest(minLat: number, maxLat: number, minLon: number, maxLon: number): Test | undefined {
  if (minLat === 90) return undefined;
  if (minLon === 180) {
    if (maxLon === 180) return undefined;
    if (maxLon < minLon) minLon = -180;
  }
  const latLo = encodeLatitudeCeil(minLat);
  const latHi = encodeLatitude(maxLat);
  const lonLo = encodeLongitudeCeil(minLon);
  const lonHi = encodeLongitude(maxLon);
  const latIn = (p: GeoPoint): boolean => {
    const e = encodeLatitude(p.lat);
    return e >= latLo && e <= latHi;
  };
  if (maxLon < minLon) {
    return (p) => {
      const e = encodeLongitude(p.lon);
      return latIn(p) && (e >= lonLo || e <= lonHi);
    };
  }
  return (p) => {
    const e = encodeLongitude(p.lon);
    return latIn(p) && e >= lonLo && e <= lonHi;
  };
}

function strictBox(ctx: RewriteContext, q: GeoBoundingBoxQuery, validation: ValidationMethod): void {
  if (validation === 'ignore_malformed') return;
  const errors: string[] = [];
  if (!validLat(q.top)) errors.push(`top latitude is invalid: ${javaDouble(q.top)}`);
  if (!validLon(q.left)) errors.push(`left longitude is invalid: ${javaDouble(q.left)}`);
  if (!validLat(q.bottom)) errors.push(`bottom latitude is invalid: ${javaDouble(q.bottom)}`);
  if (!validLon(q.right)) errors.push(`right longitude is invalid: ${javaDouble(q.right)}`);
  if (errors.length > 0 && validation === 'strict') validationFailure(ctx, errors);
}

export function rewriteGeoBoundingBox(q: GeoBoundingBoxQuery, ctx: RewriteContext): Primitive {
  const f = geoField(ctx, q.kind, q.field, q.ignoreUnmapped);
  if (!f) return NONE;
  strictBox(ctx, q, q.validation);
  let topLeft = { lat: q.top, lon: q.left };
  let bottomRight = { lat: q.bottom, lon: q.right };
  if (q.validation === 'coerce') {
    // the whole longitude range when right - left is a multiple of 360 (and right > left)
    const complete = (q.right - q.left) % 360 === 0 && q.right > q.left;
    topLeft = normalizeGeoPoint(topLeft, true, !complete);
    bottomRight = normalizeGeoPoint(bottomRight, true, !complete);
    if (complete) {
      topLeft.lon = -180;
      bottomRight.lon = 180;
    }
  }
  if (topLeft.lat < bottomRight.lat) throw new EngineError(400, 'illegal_argument_exception', 'max y cannot be less than min y');
  checkLucene(topLeft.lat, topLeft.lon);
  checkLucene(bottomRight.lat, bottomRight.lon);
  const test = boxTest(bottomRight.lat, topLeft.lat, topLeft.lon, bottomRight.lon);
  if (!test) return NONE;
  return pointsQuery(f, q.boost, `${f.path}:[${bottomRight.lat} TO ${topLeft.lat}],[${topLeft.lon} TO ${bottomRight.lon}]`, test);
}

/** Crossing-number point-in-polygon over (lon, lat); a point on the boundary is inside. */
export function inPolygon(ring: readonly GeoPoint[]): Test {
  let minLat = Infinity;
  let maxLat = -Infinity;
  let minLon = Infinity;
  let maxLon = -Infinity;
  for (const p of ring) {
    minLat = Math.min(minLat, p.lat);
    maxLat = Math.max(maxLat, p.lat);
    minLon = Math.min(minLon, p.lon);
    maxLon = Math.max(maxLon, p.lon);
  }
  return ({ lat: y, lon: x }) => {
    if (y < minLat || y > maxLat || x < minLon || x > maxLon) return false;
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i] as GeoPoint;
      const b = ring[j] as GeoPoint;
      // on the segment a-b
      const cross = (b.lon - a.lon) * (y - a.lat) - (b.lat - a.lat) * (x - a.lon);
      if (cross === 0 && x >= Math.min(a.lon, b.lon) && x <= Math.max(a.lon, b.lon) && y >= Math.min(a.lat, b.lat) && y <= Math.max(a.lat, b.lat)) return true;
      if (a.lat > y !== b.lat > y && x < ((b.lon - a.lon) * (y - a.lat)) / (b.lat - a.lat) + a.lon) inside = !inside;
    }
    return inside;
  };
}

export function rewriteGeoPolygon(q: GeoPolygonQuery, ctx: RewriteContext): Primitive {
  const f = geoField(ctx, q.kind, q.field, q.ignoreUnmapped);
  if (!f) return NONE;
  let ring = q.points.map((p) => ({ ...p }));
  if (q.validation !== 'ignore_malformed') {
    for (const p of ring) {
      if (!validLat(p.lat)) ctx.fail(`illegal latitude value [${javaDouble(p.lat)}] for [geo_polygon]`);
      if (!validLon(p.lon)) ctx.fail(`illegal longitude value [${javaDouble(p.lon)}] for [geo_polygon]`);
    }
  }
  if (q.validation === 'coerce') ring = ring.map((p) => normalizeGeoPoint(p, true, true));
  for (const p of ring) checkLucene(p.lat, p.lon);
  return pointsQuery(f, q.boost, `${f.path}:Polygon(${ring.length} points)`, inPolygon(ring));
}

/**
 * GeoGridQueryBuilder.getQueryHash / getQueryTile: the cell's box with its encoded edges made
 * half-open (a geohash excludes its top and right edges, a tile its bottom and right edges, except
 * at the encodings' ends), then a box query.
 */
export function rewriteGeoGrid(q: GeoGridQuery, ctx: RewriteContext): Primitive {
  const f = geoField(ctx, q.kind, q.field, q.ignoreUnmapped);
  if (!f) return NONE;
  const MAX = 2 ** 31 - 1;
  let minLat: number;
  let maxLat: number;
  let minLon: number;
  let maxLon: number;
  if (q.grid === 'geohash') {
    const c = geohashCell(q.cell);
    const maxX = encodeLongitude(c.maxLon);
    const maxY = encodeLatitude(c.maxLat);
    minLon = decodeLongitude(encodeLongitude(c.minLon));
    maxLon = decodeLongitude(maxX === MAX ? maxX : maxX - 1);
    maxLat = decodeLatitude(maxY === MAX ? maxY : maxY - 1);
    minLat = decodeLatitude(encodeLatitude(c.minLat));
  } else {
    const c = geotileCell(...parseGeotile(q.cell));
    const minY = encodeLatitude(c.minLat);
    const maxX = encodeLongitude(c.maxLon);
    minLon = decodeLongitude(encodeLongitude(c.minLon));
    maxLon = decodeLongitude(maxX === MAX ? maxX : maxX - 1);
    maxLat = decodeLatitude(encodeLatitude(c.maxLat));
    minLat = decodeLatitude(minY === ENCODED_NEGATIVE_LATITUDE_MASK ? minY : minY + 1);
  }
  const test = boxTest(minLat, maxLat, minLon, maxLon);
  if (!test) return NONE;
  return pointsQuery(f, q.boost, `${f.path}:${q.grid}(${q.cell})`, test);
}

/** GeoTileUtils.ENCODED_NEGATIVE_LATITUDE_MASK: the encoded bottom edge of the tile grid. */
const ENCODED_NEGATIVE_LATITUDE_MASK = encodeLatitude(-85.0511287798066);

import { EngineError, indexNotFound, parsingError, unsupported } from '../../errors.js';
import type { GeoPoint } from '../../geo/geo-encoding.js';
import { quantize } from '../../geo/geo-encoding.js';
import { pointReader } from '../../geo/geo-doc-values.js';
import { distanceQuerySortKey, haversinSortKey } from '../../geo/sloppy-math.js';
import { parseShape } from '../../geo/parse-shape.js';
import type { Geometry } from '../../geo/parse-shape.js';
import { NONE } from '../primitive.js';
import type { Primitive } from '../primitive.js';
import { asBoolean, asString, commonOption, expectObject, isObject } from '../parse-util.js';
import { scanDocs } from '../rewrite-context.js';
import type { RewriteContext } from '../rewrite-context.js';
import { boxTest, inPolygon } from './rewrite-geo-queries.js';
import type { Test } from './rewrite-geo-queries.js';

/**
 * The geo_shape query on a geo_point field (GeoShapeQueryBuilder; GeoPointFieldMapper's
 * geoShapeQuery): the shape, given inline or fetched from another index's document
 * (indexed_shape), becomes Lucene geometries (GeoShapeUtils.toLuceneGeometry: points quantized,
 * envelopes as rectangles) and LatLonPoint.newGeometryQuery tests the document's quantized points
 * against them. The geo_shape field type itself (x-pack spatial) is not built.
 */

export const SHAPE_RELATIONS = ['intersects', 'disjoint', 'within', 'contains'] as const;
export type ShapeRelation = (typeof SHAPE_RELATIONS)[number];

export interface IndexedShape {
  id: string;
  index: string;
  path: string;
  routing?: string;
}

export interface GeoShapeQuery {
  kind: 'geo_shape';
  boost: number;
  name?: string;
  field: string;
  shape?: Geometry;
  indexed?: IndexedShape;
  relation: ShapeRelation;
  ignoreUnmapped: boolean;
}

const NAME = 'geo_shape';

function parseIndexedShape(v: unknown): IndexedShape {
  const spec = expectObject(NAME, v);
  // AbstractGeometryQueryBuilder.DEFAULT_SHAPE_INDEX_NAME / DEFAULT_SHAPE_FIELD_NAME
  const out: IndexedShape = { id: '', index: 'shapes', path: 'shape' };
  let id: string | undefined;
  for (const [k, x] of Object.entries(spec)) {
    if (k === 'id') id = asString(NAME, k, x);
    else if (k === 'index') out.index = asString(NAME, k, x);
    else if (k === 'path') out.path = asString(NAME, k, x);
    else if (k === 'routing') out.routing = asString(NAME, k, x);
    else throw parsingError(`[${NAME}] query does not support [${k}]`);
  }
  if (id === undefined) throw new EngineError(400, 'illegal_argument_exception', 'either shape or indexedShapeId is required');
  out.id = id;
  return out;
}

/** AbstractGeometryQueryBuilder.parsedParamsFromXContent. */
export function parseGeoShape(body: unknown): GeoShapeQuery {
  const spec = expectObject(NAME, body);
  const q: GeoShapeQuery = { kind: NAME, boost: 1, field: '', relation: 'intersects', ignoreUnmapped: false };
  let field: string | undefined;
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(NAME, q, key, v)) continue;
    if (key === 'ignore_unmapped') {
      q.ignoreUnmapped = asBoolean(NAME, key, v);
      continue;
    }
    if (!isObject(v)) throw parsingError(`[${NAME}] query does not support [${key}]`);
    if (field !== undefined) throw parsingError(`[${NAME}] point specified twice. [${key}]`);
    field = key;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'shape') q.shape = parseShape(x);
      else if (k === 'indexed_shape') q.indexed = parseIndexedShape(x);
      else if (k === 'relation') {
        const r = String(x).toLowerCase();
        const hit = SHAPE_RELATIONS.find((s) => s === r);
        if (!hit) throw parsingError(`Unknown shape operation [${String(x)} ]`);
        q.relation = hit;
      } else if (k === 'strategy') throw unsupported(`[${NAME}] strategy (a legacy geo_shape field option)`);
      else throw parsingError(`[${NAME}] query does not support [${k}]`);
    }
  }
  if (field === undefined) throw new EngineError(400, 'illegal_argument_exception', 'fieldName is required');
  if (!q.shape && !q.indexed) throw new EngineError(400, 'illegal_argument_exception', 'either shape or indexedShapeId is required');
  q.field = field;
  return q;
}

/** One Lucene geometry of the query, as Component2D.contains tests a document's decoded point. */
type Component = { point: GeoPoint } | { test: Test };

/** Lucene's Line2D.contains: the point on one of the line's segments, exactly. */
function onLine(line: readonly GeoPoint[]): Test {
  return ({ lat: y, lon: x }) => {
    for (let i = 1; i < line.length; i++) {
      const a = line[i - 1] as GeoPoint;
      const b = line[i] as GeoPoint;
      if (x < Math.min(a.lon, b.lon) || x > Math.max(a.lon, b.lon) || y < Math.min(a.lat, b.lat) || y > Math.max(a.lat, b.lat)) continue;
      if ((b.lat - a.lat) * (x - b.lon) - (b.lon - a.lon) * (y - b.lat) === 0) return true;
    }
    return false;
  };
}

/** Lucene's Polygon2D.contains: inside the shell (its boundary included) and in no hole (nor on its boundary). */
function inPolygonWithHoles(rings: readonly GeoPoint[][]): Test {
  const [shell, ...holes] = rings.map((r) => inPolygon(r));
  return (p) => (shell as Test)(p) && !holes.some((h) => h(p));
}

function lonRange(points: readonly GeoPoint[]): number {
  let min = Infinity;
  let max = -Infinity;
  for (const p of points) {
    min = Math.min(min, p.lon);
    max = Math.max(max, p.lon);
  }
  return max - min;
}

/**
 * GeoShapeUtils.toLuceneGeometry after GeometryNormalizer: the shape's parts as Lucene geometries.
 * A polygon spanning more than 180 degrees of longitude, or a line with a segment that long,
 * would be split at the dateline by the normalizer: not built, refused.
 */
function components(ctx: RewriteContext, field: string, g: Geometry, relation: ShapeRelation, out: Component[]): void {
  switch (g.type) {
    case 'empty':
      return;
    case 'point':
      out.push({ point: quantize(g.point.lat, g.point.lon) });
      return;
    case 'multipoint':
      for (const p of g.points) out.push({ point: quantize(p.lat, p.lon) });
      return;
    case 'linestring':
    case 'multilinestring':
      for (const line of g.type === 'linestring' ? [g.points] : g.lines) {
        // Lucene has no WITHIN for lines; Elasticsearch refuses it for every field kind
        if (relation === 'within') ctx.fail(`Field [${field}] found an unsupported shape Line`);
        for (let i = 1; i < line.length; i++) {
          if (Math.abs((line[i] as GeoPoint).lon - (line[i - 1] as GeoPoint).lon) > 180) throw unsupported(`[geo_shape] query with a line crossing the dateline`);
        }
        out.push({ test: onLine(line) });
      }
      return;
    case 'polygon':
    case 'multipolygon':
      for (const rings of g.type === 'polygon' ? [g.rings] : g.polygons) {
        if (rings.some((r) => lonRange(r) > 180)) throw unsupported(`[geo_shape] query with a polygon crossing the dateline`);
        out.push({ test: inPolygonWithHoles(rings) });
      }
      return;
    case 'envelope': {
      // Lucene's Rectangle2D quantizes the box as LatLonPoint.newBoxQuery does
      const test = boxTest(g.minLat, g.maxLat, g.minLon, g.maxLon);
      out.push({ test: test ?? (() => false) });
      return;
    }
    case 'circle': {
      // Lucene's Circle2D (haversine): the distance query's sort-key test
      if (!Number.isFinite(g.radius) || g.radius < 0) throw new EngineError(400, 'illegal_argument_exception', `radiusMeters: '${g.radius}' is invalid`);
      const key = distanceQuerySortKey(g.radius);
      const { lat, lon } = g.center;
      out.push({ test: (p) => haversinSortKey(p.lat, p.lon, lat, lon) <= key });
      return;
    }
    case 'geometrycollection':
      for (const c of g.geometries) components(ctx, field, c, relation, out);
      return;
  }
}

/** AbstractGeometryQueryBuilder.fetch: the shape at `path` of the indexed document. */
function fetchShape(ctx: RewriteContext, s: IndexedShape): Geometry {
  const lookup = ctx.documents;
  if (!lookup) throw unsupported('[geo_shape] indexed_shape in this context');
  if (lookup.indexExists?.(s.index) === false) throw indexNotFound(s.index);
  const source = lookup.source(s.index, s.id, s.routing);
  if (source === undefined) throw new EngineError(400, 'illegal_argument_exception', `Shape with ID [${s.id}] not found`);
  if (source === null) throw new EngineError(400, 'illegal_argument_exception', `Shape with ID [${s.id}] source disabled`);
  let at: unknown = source;
  for (const part of s.path.split('.')) {
    at = isObject(at) ? at[part] : undefined;
    if (at === undefined) break;
  }
  if (at === undefined) throw new EngineError(500, 'illegal_state_exception', `Shape with name [${s.id}] found but missing ${s.path} field`);
  return parseShape(at);
}

const matchesPoint = (q: GeoPoint) => (p: GeoPoint): boolean => p.lat === q.lat && p.lon === q.lon;

export function rewriteGeoShape(q: GeoShapeQuery, ctx: RewriteContext): Primitive {
  const shape = q.shape ?? fetchShape(ctx, q.indexed as IndexedShape);
  const f = ctx.field(q.field);
  if (!f) {
    if (q.ignoreUnmapped) return NONE;
    return ctx.fail(`failed to find type for field [${q.field}]`);
  }
  if (f.type !== 'geo_point') return ctx.fail(`Field [${q.field}] is of unsupported type [${f.type}] for [${NAME}] query`);
  if (!f.indexed && !f.docValues) {
    const reason = `Cannot search on field [${q.field}] since it is not indexed nor has doc values.`;
    return ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
  }
  const parts: Component[] = [];
  components(ctx, q.field, shape, q.relation, parts);
  if (parts.length === 0) return NONE;
  const tests: Test[] = parts.map((c) => ('point' in c ? matchesPoint(c.point) : c.test));
  const any: Test = (p) => tests.some((t) => t(p));
  let docTest: (points: readonly GeoPoint[]) => boolean;
  switch (q.relation) {
    case 'intersects':
      docTest = (points) => points.some(any);
      break;
    case 'within':
      docTest = (points) => points.every(any);
      break;
    case 'disjoint':
      docTest = (points) => !points.some(any);
      break;
    case 'contains': {
      // LatLonPoint.newGeometryQuery: a set of points can only contain points, each of them
      if (parts.some((c) => !('point' in c))) return NONE;
      docTest = (points) => tests.every((t) => points.some(t));
      break;
    }
  }
  return {
    op: 'docs',
    boost: q.boost,
    label: `${f.path}:${q.relation}(${shape.type})`,
    match: (seg) => {
      const read = pointReader(seg, f);
      return scanDocs(seg, (d) => {
        const points = read(d);
        return points !== undefined && points.length > 0 && docTest(points);
      });
    },
  };
}

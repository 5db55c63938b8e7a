import { EngineError, illegalArgument, parsingError } from '../../errors.js';
import type { GeoPoint } from '../../geo/geo-encoding.js';
import { parseDistanceMeters } from '../../geohash.js';
import { geohashCell } from '../../geo/grid-cells.js';
import { parseBounds } from '../../geo/parse-bounds.js';
import type { Bounds } from '../../geo/parse-bounds.js';
import { parseException, parseGeoPoint } from '../../geo/parse-point.js';
import { javaDouble } from '../aggs/value-format.js';
import { asBoolean, asString, commonOption, expectObject, isObject } from '../parse-util.js';
import { VALIDATION_METHODS } from './geo-queries.js';
import type { GeoBoundingBoxQuery, GeoDistanceQuery, GeoGridQuery, GeoPolygonQuery, ValidationMethod } from './geo-queries.js';

/**
 * The geo queries' request parsing, as GeoDistanceQueryBuilder, GeoBoundingBoxQueryBuilder
 * (GeoBoundingBox's BoundsParser), GeoPolygonQueryBuilder and GeoGridQueryBuilder read them,
 * with their messages.
 */

/** GeoValidationMethod.fromString. */
export function validationMethod(v: unknown): ValidationMethod {
  const s = String(v).toLowerCase();
  const hit = VALIDATION_METHODS.find((m) => m === s);
  if (!hit) throw illegalArgument(`operator needs to be either [COERCE, IGNORE_MALFORMED, STRICT], but not [${String(v)}]`);
  return hit;
}

/** DistanceUnit.fromString. */
export function distanceUnitMeters(unit: string): number {
  const meters = parseDistanceMeters(`1${unit}`);
  if (meters === undefined || !/[a-zA-Z]$/.test(unit)) throw illegalArgument(`No distance unit match [${unit}]`);
  return meters;
}

/** DistanceUnit.parse(text, unit, METERS): a number with an optional unit suffix, in meters. */
export function distanceMeters(text: string, defaultUnitMeters: number): number {
  const bare = Number(text);
  if (text.trim() !== '' && !Number.isNaN(bare)) return bare * defaultUnitMeters;
  const meters = parseDistanceMeters(text);
  if (meters === undefined) throw new EngineError(400, 'number_format_exception', `For input string: "${text}"`);
  return meters;
}

/** GeoDistance.fromString. */
export function distanceType(v: unknown): 'arc' | 'plane' {
  const s = String(v).toLowerCase();
  if (s === 'arc' || s === 'plane') return s;
  throw illegalArgument(`No geo distance for [${String(v)}]`);
}

export function parseGeoDistance(body: unknown): GeoDistanceQuery {
  const name = 'geo_distance';
  const spec = expectObject(name, body);
  const q: GeoDistanceQuery = { kind: name, boost: 1, field: '', center: { lat: NaN, lon: NaN }, distance: 0, validation: 'strict', ignoreUnmapped: false };
  let field: string | undefined;
  let rawDistance: unknown;
  let unit = 1;
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(name, q, key, v)) continue;
    if (Array.isArray(v)) {
      field = key;
      q.center = parseGeoPoint(v);
    } else if (isObject(v)) {
      if (field !== undefined) throw parsingError(`[${name}] query doesn't support multiple fields, found [${field}] and [${key}]`);
      field = key;
      for (const [k, x] of Object.entries(v)) {
        if (k === 'lat') q.center.lat = Number(x);
        else if (k === 'lon') q.center.lon = Number(x);
        else if (k === 'geohash') q.center = parseGeoPoint({ geohash: x });
        else throw parsingError(`[${name}] query does not support [${key}]`);
      }
    } else if (key === 'distance') rawDistance = v;
    else if (key === 'unit') unit = distanceUnitMeters(asString(name, key, v));
    else if (key === 'distance_type') distanceType(v);
    else if (key.endsWith('.lat')) {
      q.center.lat = Number(v);
      field = key.slice(0, -4);
    } else if (key.endsWith('.lon')) {
      q.center.lon = Number(v);
      field = key.slice(0, -4);
    } else if (key === 'ignore_unmapped') q.ignoreUnmapped = asBoolean(name, key, v);
    else if (key === 'validation_method') q.validation = validationMethod(v);
    else if (field === undefined) {
      field = key;
      q.center = parseGeoPoint(String(v));
    } else throw parsingError(`failed to parse [${name}] query. unexpected field [${key}]`);
  }
  if (rawDistance === undefined) throw parsingError(`geo_distance requires 'distance' to be specified`);
  if (field === undefined) throw illegalArgument('fieldName must not be null or empty');
  const text = typeof rawDistance === 'number' ? javaDouble(rawDistance) : String(rawDistance);
  if (text === '') throw illegalArgument('distance must not be null or empty');
  q.distance = distanceMeters(text, unit);
  if (!(q.distance > 0)) throw illegalArgument('distance must be greater than zero');
  q.field = field;
  return q;
}

export function parseGeoBoundingBox(body: unknown): GeoBoundingBoxQuery {
  const name = 'geo_bounding_box';
  const spec = expectObject(name, body);
  const q: GeoBoundingBoxQuery = { kind: name, boost: 1, field: '', top: NaN, left: NaN, bottom: NaN, right: NaN, validation: 'strict', ignoreUnmapped: false };
  let bounds: Bounds | undefined;
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(name, q, key, v)) continue;
    if (isObject(v)) {
      try {
        bounds = parseBounds(v);
      } catch (e) {
        throw parseException(`failed to parse [${name}] query. [${e instanceof Error ? e.message : String(e)}]`);
      }
      q.field = key;
    } else if (key === 'validation_method') q.validation = validationMethod(v);
    else if (key === 'ignore_unmapped') q.ignoreUnmapped = asBoolean(name, key, v);
    else throw parsingError(`failed to parse [${name}] query. unexpected field [${key}]`);
  }
  if (!bounds) throw parseException(`failed to parse [${name}] query. bounding box not provided`);
  // GeoBoundingBoxQueryBuilder.setCorners runs before the validation method is set: always strict
  const checks: Array<[number, string]> = [
    [bounds.top, 'top latitude'],
    [bounds.left, 'left longitude'],
    [bounds.bottom, 'bottom latitude'],
    [bounds.right, 'right longitude'],
  ];
  for (const [value, what] of checks) if (!Number.isFinite(value)) throw illegalArgument(`${what} is invalid: ${javaDouble(value)}`);
  if (bounds.top < bounds.bottom) throw illegalArgument(`top is below bottom corner: ${javaDouble(bounds.top)} vs. ${javaDouble(bounds.bottom)}`);
  return { ...q, ...bounds };
}

export function parseGeoPolygon(body: unknown): GeoPolygonQuery {
  const name = 'geo_polygon';
  const spec = expectObject(name, body);
  const q: GeoPolygonQuery = { kind: name, boost: 1, field: '', points: [], validation: 'strict', ignoreUnmapped: false };
  let shell: GeoPoint[] | undefined;
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(name, q, key, v)) continue;
    if (isObject(v)) {
      q.field = key;
      for (const [k, x] of Object.entries(v)) {
        if (!Array.isArray(x)) throw parsingError(`[${name}] query does not support token type [${tokenType(x)}] under [${k}]`);
        if (k !== 'points') throw parsingError(`[${name}] query does not support [${k}]`);
        shell = x.map((p) => parseGeoPoint(p));
      }
    } else if (Array.isArray(v)) throw parsingError(`[${name}] unexpected token type [START_ARRAY]`);
    else if (key === 'ignore_unmapped') q.ignoreUnmapped = asBoolean(name, key, v);
    else if (key === 'validation_method') q.validation = validationMethod(v);
    else throw parsingError(`[${name}] query does not support [${key}]`);
  }
  const points = shell ?? [];
  if (q.field === '') throw illegalArgument('fieldName must not be null');
  if (points.length < 3) throw illegalArgument('too few points defined for geo_polygon query');
  const first = points[0] as GeoPoint;
  const last = points[points.length - 1] as GeoPoint;
  if (first.lat === last.lat && first.lon === last.lon) {
    if (points.length < 4) throw illegalArgument('too few points defined for geo_polygon query');
  } else points.push({ ...first });
  return { ...q, points };
}

function tokenType(v: unknown): string {
  if (typeof v === 'string') return 'VALUE_STRING';
  if (typeof v === 'number') return 'VALUE_NUMBER';
  if (typeof v === 'boolean') return 'VALUE_BOOLEAN';
  if (v === null) return 'VALUE_NULL';
  return 'START_OBJECT';
}

export function parseGeoGrid(body: unknown): GeoGridQuery {
  const name = 'geo_grid';
  const spec = expectObject(name, body);
  const q: GeoGridQuery = { kind: name, boost: 1, field: '', grid: 'geohash', cell: '', ignoreUnmapped: false };
  let grid: string | undefined;
  let cell: string | undefined;
  for (const [key, v] of Object.entries(spec)) {
    if (isObject(v)) {
      q.field = key;
      for (const [g, id] of Object.entries(v)) {
        if (grid !== undefined) throw parsingError(`failed to parse [${name}] query. unexpected field [${g}]`);
        if (g !== 'geohash' && g !== 'geotile' && g !== 'geohex') throw parseException(`failed to parse [${name}] query. Invalid grid name [${g}]`);
        grid = g;
        if (typeof id !== 'string' && typeof id !== 'number' && typeof id !== 'boolean') throw parsingError(`failed to parse [${name}] query. unexpected field [${g}]`);
        cell = String(id);
      }
    } else if (Array.isArray(v)) throw parsingError(`failed to parse [${name}] query. unexpected field [${key}]`);
    else if (key === 'ignore_unmapped') q.ignoreUnmapped = asBoolean(name, key, v);
    else if (!commonOption(name, q, key, v)) throw parsingError(`failed to parse [${name}] query. unexpected field [${key}]`);
  }
  if (grid === undefined) throw parseException(`failed to parse [${name}] query. grid name not provided`);
  if (cell === undefined) throw parseException(`failed to parse [${name}] query. grid id not provided`);
  // the H3 grid needs the licensed H3 library of x-pack spatial
  if (grid === 'geohex') throw new EngineError(400, 'illegal_argument_exception', `[geohex] grid of the [geo_grid] query is not supported by the indexkit embedded engine (a licensed feature)`);
  q.grid = grid as 'geohash' | 'geotile';
  q.cell = cell;
  // Grid.validate: a geohash's symbols, a tile's three integers (the range is checked by the query)
  if (grid === 'geohash') geohashCell(cell);
  else geotileKeyFormat(cell);
  return q;
}

/** GeoTileUtils.parseHash(String): three integers. */
function geotileKeyFormat(key: string): void {
  const parts = key.split('/');
  if (parts.length !== 3 || !parts.every((p) => /^[+-]?\d+$/.test(p) && Math.abs(Number(p)) <= 2 ** 31 - 1)) {
    throw illegalArgument(`Invalid geotile_grid hash string of ${key}. Must be three integers in a form "zoom/x/y".`);
  }
}

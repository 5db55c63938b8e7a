import type { FieldInfo, IndexView, SegmentView } from '../../contract.js';
import { EngineError, parsingError, unsupported } from '../../errors.js';
import { pointReader } from '../../geo/geo-doc-values.js';
import type { GeoPoint } from '../../geo/geo-encoding.js';
import { parseException, parseGeoPoint } from '../../geo/parse-point.js';
import { arcDistance, planeDistance } from '../../geo/sloppy-math.js';
import { javaDouble } from '../aggs/value-format.js';
import { isObject } from '../parse-util.js';
import { distanceType, distanceUnitMeters, validationMethod } from './parse-geo-queries.js';
import type { ValidationMethod } from './geo-queries.js';
import { normalizeGeoPoint } from './normalize.js';

/**
 * The `_geo_distance` sort (GeoDistanceSortBuilder): every distance from each of the doc's
 * (quantized) points to each of the sort's points, in `unit`, sorted, the `mode` picking one (min
 * ascending, max descending by default; `sum` refused as ES refuses it). A doc without a point
 * sorts as +Infinity in both orders, and reports `"Infinity"` as its sort value.
 */

export interface GeoSort {
  points: GeoPoint[];
  unitMeters: number;
  type: 'arc' | 'plane';
  ignoreUnmapped: boolean;
  validation: ValidationMethod;
}

export interface GeoSortSpecPart {
  field: string;
  order: 'asc' | 'desc';
  mode?: 'min' | 'max' | 'avg' | 'median';
  geo: GeoSort;
}

/** GeoDistanceSortBuilder.parseGeoPoints: an array of points, or of numbers read as lon, lat pairs. */
function parsePoints(values: unknown[]): GeoPoint[] {
  if (values.length > 0 && values.every((v) => typeof v === 'number')) {
    const out: GeoPoint[] = [];
    for (let i = 0; i < values.length; i += 2) {
      if (typeof values[i + 1] !== 'number') throw parseException('geo point parsing: expected second number but got [END_ARRAY] instead');
      out.push({ lon: values[i] as number, lat: values[i + 1] as number });
    }
    return out;
  }
  return values.map((v) => parseGeoPoint(v));
}

export function parseGeoDistanceSort(body: unknown): GeoSortSpecPart {
  if (!isObject(body)) throw parsingError('[_geo_distance] sort must be an object');
  let field: string | undefined;
  const points: GeoPoint[] = [];
  const out: GeoSortSpecPart = { field: '', order: 'asc', geo: { points, unitMeters: 1, type: 'arc', ignoreUnmapped: false, validation: 'strict' } };
  const setField = (name: string): void => {
    if (field !== undefined && field !== name) throw parsingError(`Trying to reset fieldName to [${name}], already set to [${field}].`);
    field = name;
  };
  for (const [key, v] of Object.entries(body)) {
    if (key === 'nested') throw unsupported('nested [_geo_distance] sort');
    if (Array.isArray(v)) {
      setField(key);
      points.push(...parsePoints(v));
    } else if (isObject(v)) {
      setField(key);
      points.push(parseGeoPoint(v));
    } else if (key === 'order') {
      const o = String(v).toLowerCase();
      if (o !== 'asc' && o !== 'desc') throw new EngineError(400, 'illegal_argument_exception', `Unknown SortOrder [${String(v)}]`);
      out.order = o;
    } else if (key === 'unit') out.geo.unitMeters = distanceUnitMeters(String(v));
    else if (key === 'distance_type') out.geo.type = distanceType(v);
    else if (key === 'validation_method') out.geo.validation = validationMethod(v);
    else if (key === 'mode' || key === 'sort_mode') {
      const m = String(v).toLowerCase();
      if (m === 'sum') throw new EngineError(400, 'illegal_argument_exception', 'sort_mode [sum] isn\'t supported for sorting by geo distance');
      if (m !== 'min' && m !== 'max' && m !== 'avg' && m !== 'median') throw new EngineError(400, 'illegal_argument_exception', `Unknown MultiValueMode [${String(v)}]`);
      out.mode = m;
    } else if (key === 'ignore_unmapped') out.geo.ignoreUnmapped = v === true || v === 'true';
    else {
      setField(key);
      points.push(parseGeoPoint(String(v)));
    }
  }
  if (field === undefined) throw parsingError('[_geo_distance] requires a field with points');
  out.field = field;
  return out;
}

/** GeoDistanceSortBuilder.build's checks for one index: the points, the field. */
export function geoSortField(field: string, geo: GeoSort, view: IndexView): FieldInfo | undefined {
  if (geo.validation !== 'ignore_malformed') {
    for (const p of geo.points) {
      if (!(p.lat >= -90 && p.lat <= 90)) throw new EngineError(400, 'parse_exception', `illegal latitude value [${javaDouble(p.lat)}] for [GeoDistanceSort] for field [${field}].`);
      if (!(p.lon >= -180 && p.lon <= 180)) throw new EngineError(400, 'parse_exception', `illegal longitude value [${javaDouble(p.lon)}] for [GeoDistanceSort] for field [${field}].`);
    }
  }
  const info = view.mapping.field(field);
  if (!info) {
    if (geo.ignoreUnmapped) return undefined;
    throw new EngineError(400, 'illegal_argument_exception', `failed to find mapper for [${field}] for geo distance based sort`);
  }
  if (info.type !== 'geo_point') throw new EngineError(400, 'illegal_argument_exception', `unable to apply geo distance sort to field [${field}] of type [${info.type}]`);
  return info;
}

/** The sort value of one doc: the mode's pick of its distances, +Infinity without a point. */
export function geoSortKey(geo: GeoSort, mode: 'min' | 'max' | 'avg' | 'median' | 'sum', info: FieldInfo, seg: SegmentView, doc: number): number {
  const points = pointReader(seg, info)(doc);
  if (!points || points.length === 0) return Infinity;
  const from = geo.validation === 'coerce' ? geo.points.map((p) => normalizeGeoPoint(p, true, true)) : geo.points;
  const distance = geo.type === 'arc' ? arcDistance : planeDistance;
  const values: number[] = [];
  for (const p of points) for (const f of from) values.push(distance(f.lat, f.lon, p.lat, p.lon) / geo.unitMeters);
  values.sort((a, b) => a - b);
  const n = values.length;
  switch (mode) {
    case 'min':
      return values[0] as number;
    case 'max':
      return values[n - 1] as number;
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / n;
    case 'median':
      return n % 2 === 1 ? (values[n >>> 1] as number) : ((values[(n >>> 1) - 1] as number) + (values[n >>> 1] as number)) / 2;
  }
}

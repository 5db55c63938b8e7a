import { EngineError } from '../errors.js';
import { geohashCell } from './grid-cells.js';
import type { GeoPoint } from './geo-encoding.js';

/**
 * GeoUtils.parseGeoPoint for points given in requests (query centres, box corners, sort and
 * aggregation origins): `{lat, lon}`, `{geohash}`, GeoJSON `{type: Point, coordinates}`,
 * `[lon, lat]`, `"lat,lon"`, `"POINT (lon lat)"` and a geohash string, whose cell gives the
 * corner `effective` names (its bottom-left corner by default, as GeoPoint.parseGeoHash).
 */

export type EffectivePoint = 'top_left' | 'top_right' | 'bottom_left' | 'bottom_right';

export const parseException = (reason: string): EngineError => new EngineError(400, 'parse_exception', reason);

function toDouble(v: unknown, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  if (typeof v === 'string') throw parseException(`[${what}] must be a valid double value`);
  throw parseException(`${what} must be a number`);
}

/** Parses one point; `zOk`: a third coordinate is accepted (ignore_z_value). */
export function parseGeoPoint(value: unknown, effective: EffectivePoint = 'bottom_left'): GeoPoint {
  if (Array.isArray(value)) {
    if (!value.every((v) => typeof v === 'number')) throw parseException('numeric value expected');
    if (value.length > 3) throw parseException('[geo_point] field type does not accept > 3 dimensions');
    return { lon: value[0] ?? NaN, lat: value[1] ?? NaN };
  }
  if (typeof value === 'string') return pointFromString(value, effective);
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    const known = ['lat', 'lon', 'z', 'type', 'coordinates', 'geohash'];
    for (const k of Object.keys(o)) if (!known.includes(k)) throw parseException(`field [${k}] not supported - must be one of: lat, lon, z, type, coordinates, geohash`);
    const lat = o.lat === undefined ? NaN : toDouble(o.lat, 'latitude');
    const lon = o.lon === undefined ? NaN : toDouble(o.lon, 'longitude');
    const xy = !Number.isNaN(lat) && !Number.isNaN(lon);
    const geojson = o.coordinates !== undefined && o.type !== undefined;
    const found = [o.geohash !== undefined ? 'geohash' : '', xy ? 'lat/lon' : '', geojson ? 'GeoJSON' : ''].filter((s) => s !== '');
    if (found.length > 1) throw parseException(`fields matching more than one point format found: [${found.join(', ')}]`);
    if (o.geohash !== undefined) {
      if (typeof o.geohash !== 'string') throw parseException('[geohash] must be a string');
      if (!Number.isNaN(lat) || !Number.isNaN(lon) || o.type !== undefined || o.coordinates !== undefined) throw parseException('field must be either lat/lon, geohash string or type/coordinates');
      return pointFromGeohash(o.geohash, effective);
    }
    if (geojson) {
      if (String(o.type).toLowerCase() !== 'point') throw parseException(`[type] for geo_point can only be 'Point'`);
      const c = o.coordinates;
      if (!Array.isArray(c)) throw parseException('[coordinates] must be an array');
      const nums = c.map((v) => toDouble(v, 'coordinates'));
      if (nums.length < 2) throw parseException('[coordinates] must contain at least two values');
      if (nums.length > 3) throw parseException('[geo_point] field type does not accept > 3 dimensions');
      return { lon: nums[0] as number, lat: nums[1] as number };
    }
    if (found.length === 0) {
      if (!Number.isNaN(lat)) throw parseException('Required [lon]');
      if (!Number.isNaN(lon)) throw parseException('Required [lat]');
      if (o.coordinates !== undefined) throw parseException('Required [type]');
      if (o.type !== undefined) throw parseException('Required [coordinates]');
      throw parseException('field must be either lat/lon, geohash string or type/coordinates');
    }
    return { lat, lon };
  }
  throw parseException('geo_point expected');
}

/** GeoPoint.resetFromString. */
function pointFromString(text: string, effective: EffectivePoint): GeoPoint {
  if (text.toLowerCase().includes('point')) {
    const m = /^\s*POINT\s*\(\s*(\S+)\s+([^\s)]+)(?:\s+[^\s)]+)?\s*\)\s*$/i.exec(text);
    const lon = m ? Number(m[1]) : NaN;
    const lat = m ? Number(m[2]) : NaN;
    if (!m || Number.isNaN(lon) || Number.isNaN(lat)) throw parseException(`failed to parse WKT point [${text}]`);
    return { lat, lon };
  }
  if (text.includes(',')) {
    const parts = text.split(',');
    if (parts.length > 3) throw parseException(`failed to parse [${text}], expected 2 or 3 coordinates but found: [${parts.length}]`);
    const lat = Number((parts[0] as string).trim());
    if ((parts[0] as string).trim() === '' || Number.isNaN(lat)) throw parseException('latitude must be a number');
    const lon = Number((parts[1] as string).trim());
    if ((parts[1] as string).trim() === '' || Number.isNaN(lon)) throw parseException('longitude must be a number');
    return { lat, lon };
  }
  return pointFromGeohash(text, effective);
}

function pointFromGeohash(hash: string, effective: EffectivePoint): GeoPoint {
  const box = geohashCell(hash);
  const top = effective === 'top_left' || effective === 'top_right';
  const right = effective === 'top_right' || effective === 'bottom_right';
  return { lat: top ? box.maxLat : box.minLat, lon: right ? box.maxLon : box.minLon };
}

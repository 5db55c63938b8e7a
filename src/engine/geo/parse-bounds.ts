import type { GeoPoint } from './geo-encoding.js';
import { geohashCell, geotileCell, parseGeotile } from './grid-cells.js';
import { parseException, parseGeoPoint } from './parse-point.js';
import type { EffectivePoint } from './parse-point.js';

/**
 * GeoBoundingBox.parseBoundingBox (BoundsParser): the boxes of the geo_bounding_box query and of
 * the grid aggregations' `bounds`. Missing edges stay NaN (an unbounded box for the aggregations).
 */

export interface Bounds {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** WKT `BBOX (minLon, maxLon, maxLat, minLat)` (an ENVELOPE; any other geometry is refused). */
function wktEnvelope(text: string): Bounds {
  const m = /^\s*BBOX\s*\(\s*([^,\s]+)\s*,\s*([^,\s]+)\s*,\s*([^,\s]+)\s*,\s*([^,\s)]+)\s*\)\s*$/i.exec(text);
  if (!m) {
    const type = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase();
    const known = ['POINT', 'MULTIPOINT', 'LINESTRING', 'MULTILINESTRING', 'POLYGON', 'MULTIPOLYGON', 'GEOMETRYCOLLECTION', 'CIRCLE'];
    if (type !== undefined && known.includes(type)) throw parseException(`failed to parse WKT bounding box. [${type}] found. expected [ENVELOPE]`);
    throw parseException('failed to parse WKT bounding box');
  }
  const [minLon, maxLon, maxLat, minLat] = m.slice(1).map(Number) as [number, number, number, number];
  return { top: maxLat, left: minLon, bottom: minLat, right: maxLon };
}

/** GeoBoundingBox.parseBoundingBox (top_left/bottom_right, top_right/bottom_left, top/left/bottom/right, wkt, geohash, geotile). */
export function parseBounds(o: Record<string, unknown>): Bounds {
  const b: Bounds = { top: NaN, left: NaN, bottom: NaN, right: NaN };
  let envelope: Bounds | undefined;
  const corner = (v: unknown, e: EffectivePoint): GeoPoint => parseGeoPoint(v, e);
  const num = (v: unknown): number => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (Number.isNaN(n)) throw parseException(`failed to parse bounding box. [${String(v)}] is not a number`);
    return n;
  };
  for (const [key, v] of Object.entries(o)) {
    if (key === 'wkt') envelope = wktEnvelope(String(v));
    else if (key === 'geohash') {
      const c = geohashCell(String(v));
      envelope = { top: c.maxLat, left: c.minLon, bottom: c.minLat, right: c.maxLon };
    } else if (key === 'geotile') {
      const c = geotileCell(...parseGeotile(String(v)));
      envelope = { top: c.maxLat, left: c.minLon, bottom: c.minLat, right: c.maxLon };
    } else if (key === 'top') b.top = num(v);
    else if (key === 'bottom') b.bottom = num(v);
    else if (key === 'left') b.left = num(v);
    else if (key === 'right') b.right = num(v);
    else if (key === 'top_left') ({ lat: b.top, lon: b.left } = corner(v, 'top_left'));
    else if (key === 'bottom_right') ({ lat: b.bottom, lon: b.right } = corner(v, 'bottom_right'));
    else if (key === 'top_right') ({ lat: b.top, lon: b.right } = corner(v, 'top_right'));
    else if (key === 'bottom_left') ({ lat: b.bottom, lon: b.left } = corner(v, 'bottom_left'));
    else throw parseException(`failed to parse bounding box. unexpected field [${key}]`);
  }
  if (envelope) {
    if (![b.top, b.bottom, b.left, b.right].every(Number.isNaN)) throw parseException('failed to parse bounding box. Conflicting definition found using well-known text and explicit corners.');
    return envelope;
  }
  return b;
}


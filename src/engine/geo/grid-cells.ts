import { illegalArgument } from '../errors.js';
import { hashOfCell } from '../geohash.js';
import { sloppyCos, toDegrees, toRadians } from './sloppy-math.js';
import { encodeLatitude, encodeLongitude } from './geo-encoding.js';

/**
 * The cells of the geohash and geotile grids (Elasticsearch's Geohash and GeoTileUtils): the
 * cell of a point, the box of a cell, and cell keys.
 */

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';
export const GEOHASH_MAX_PRECISION = 12;
/** GeoTileUtils.MAX_ZOOM. */
export const GEOTILE_MAX_ZOOM = 29;

export interface CellBox {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

const lonBitsOf = (level: number): number => Math.ceil((5 * level) / 2);
const latBitsOf = (level: number): number => Math.floor((5 * level) / 2);

/** Geohash.toBoundingBox: the cell of a geohash (its last row reaches 90). */
export function geohashCell(hash: string): CellBox {
  if (hash.length === 0) throw illegalArgument('empty geohash');
  const level = Math.min(hash.length, GEOHASH_MAX_PRECISION);
  let x = 0;
  let y = 0;
  let bit = 0;
  for (const ch of hash.slice(0, level)) {
    const value = BASE32.indexOf(ch);
    if (value < 0) throw illegalArgument(`unsupported symbol [${ch}] in geohash [${hash}]`);
    for (let b = 4; b >= 0; b--, bit++) {
      if (bit % 2 === 0) x = x * 2 + ((value >> b) & 1);
      else y = y * 2 + ((value >> b) & 1);
    }
  }
  const latCell = 180 / 2 ** latBitsOf(level);
  const lonCell = 360 / 2 ** lonBitsOf(level);
  const lastRow = y === 2 ** latBitsOf(level) - 1;
  return { minLat: y * latCell - 90, maxLat: lastRow ? 90 : (y + 1) * latCell - 90, minLon: x * lonCell - 180, maxLon: (x + 1) * lonCell - 180 };
}

/**
 * Geohash.stringEncode of a doc value: the top bits of the point's 32-bit encodings (offset to
 * unsigned), longitude first, five bits a character.
 */
export function geohashOfPoint(lat: number, lon: number, level: number): string {
  const lonBits = lonBitsOf(level);
  const latBits = latBitsOf(level);
  const x = Math.floor((encodeLongitude(lon) + 2 ** 31) / 2 ** (32 - lonBits));
  const y = Math.floor((encodeLatitude(lat) + 2 ** 31) / 2 ** (32 - latBits));
  return hashOfCell(x, y, level);
}

/** GeoUtils.normalizeLon / normalizeLat / centeredModulus. */
export function centeredModulus(dividend: number, divisor: number): number {
  let rtn = dividend % divisor;
  if (rtn <= 0) rtn += divisor;
  if (rtn > divisor / 2) rtn -= divisor;
  return rtn;
}
export function normalizeLon(lon: number): number {
  return (lon > 180 || lon <= -180 ? centeredModulus(lon, 360) : lon) + 0;
}
export function normalizeLat(lat: number): number {
  if (lat > 90 || lat < -90) {
    lat = centeredModulus(lat, 360);
    if (lat < -90) lat = -180 - lat;
    else if (lat > 90) lat = 180 - lat;
  }
  return lat + 0;
}

/** GeoTileUtils.getXTile. */
export function tileX(lon: number, tiles: number): number {
  if (lon === -180) return 0;
  const x = Math.floor(((normalizeLon(lon) + 180) / 360) * tiles);
  return x < 0 ? 0 : x >= tiles ? tiles - 1 : x;
}

/** GeoTileUtils.getYTile (SloppyMath.cos for the sine). */
export function tileY(lat: number, tiles: number): number {
  const latSin = sloppyCos(Math.PI / 2 - toRadians(normalizeLat(lat)));
  const y = Math.floor((0.5 - Math.log((1 + latSin) / (1 - latSin)) / (4 * Math.PI)) * tiles);
  return y < 0 ? 0 : y >= tiles ? tiles - 1 : y;
}

/** GeoTileUtils.checkPrecisionRange. */
export function checkTilePrecision(precision: number): number {
  if (precision < 0 || precision > GEOTILE_MAX_ZOOM) throw illegalArgument(`Invalid geotile_grid precision of ${precision}. Must be between 0 and ${GEOTILE_MAX_ZOOM}.`);
  return precision;
}

/** GeoTileUtils.parseHash of a "zoom/x/y" string, validated (validateZXY). */
export function parseGeotile(key: string): [number, number, number] {
  const parts = key.split('/');
  const bad = (): Error => illegalArgument(`Invalid geotile_grid hash string of ${key}. Must be three integers in a form "zoom/x/y".`);
  if (parts.length !== 3) throw bad();
  const nums = parts.map((p) => (/^[+-]?\d+$/.test(p) ? Number(p) : NaN));
  if (nums.some((n) => Number.isNaN(n) || Math.abs(n) > 2 ** 31 - 1)) throw bad();
  const [z, x, y] = nums as [number, number, number];
  const tiles = 2 ** checkTilePrecision(z);
  if (x < 0 || y < 0 || x >= tiles || y >= tiles) throw illegalArgument(`Zoom/X/Y combination is not valid: ${z}/${x}/${y}`);
  return [z, x, y];
}

/**
 * GeoTileUtils.toBoundingBox. Elasticsearch computes the latitudes with ESSloppyMath's
 * (jafama) atan and sinh; Math.atan and Math.sinh agree with them to about 1e-15 degrees.
 */
export function geotileCell(zoom: number, x: number, y: number): CellBox {
  const tiles = 2 ** zoom;
  const minN = Math.PI - (2.0 * Math.PI * (y + 1)) / tiles;
  const maxN = Math.PI - (2.0 * Math.PI * y) / tiles;
  return {
    minLat: toDegrees(Math.atan(Math.sinh(minN))),
    maxLat: toDegrees(Math.atan(Math.sinh(maxN))),
    minLon: (x / tiles) * 360.0 - 180,
    maxLon: ((x + 1) / tiles) * 360.0 - 180,
  };
}

/**
 * Geohashes as Elasticsearch's Geohash class computes them (base-32 interleaved longitude and
 * latitude bits, longitude first), their neighbours, and GeoUtils.geoHashLevelsForPrecision.
 */

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';
/** Geohash.PRECISION: the longest geohash. */
export const GEOHASH_MAX_LEVEL = 12;

/** The cell indices (longitude, latitude) of a point at `level` characters. */
function cellOf(lat: number, lon: number, level: number): { x: number; y: number; lonBits: number; latBits: number } {
  const lonBits = Math.ceil((5 * level) / 2);
  const latBits = Math.floor((5 * level) / 2);
  const x = Math.min(2 ** lonBits - 1, Math.floor(((lon + 180) / 360) * 2 ** lonBits));
  const y = Math.min(2 ** latBits - 1, Math.floor(((lat + 90) / 180) * 2 ** latBits));
  return { x, y, lonBits, latBits };
}

/** The geohash of cell (x, y) at `level`: bits interleaved longitude first, five per character. */
export function hashOfCell(x: number, y: number, level: number): string {
  const lonBits = Math.ceil((5 * level) / 2);
  const latBits = Math.floor((5 * level) / 2);
  let out = '';
  let value = 0;
  let count = 0;
  let lx = lonBits;
  let ly = latBits;
  for (let i = 0; i < 5 * level; i++) {
    const bit = i % 2 === 0 ? Math.floor(x / 2 ** --lx) % 2 : Math.floor(y / 2 ** --ly) % 2;
    value = value * 2 + bit;
    if (++count === 5) {
      out += BASE32[value];
      value = 0;
      count = 0;
    }
  }
  return out;
}

/** Geohash.stringEncode(lon, lat, level). */
export function geohashOf(lat: number, lon: number, level: number): string {
  const { x, y } = cellOf(lat, lon, level);
  return hashOfCell(x, y, level);
}

/** Decodes a geohash to its cell indices. */
function cellOfHash(hash: string): { x: number; y: number } {
  let x = 0;
  let y = 0;
  let i = 0;
  for (const ch of hash) {
    const value = BASE32.indexOf(ch);
    if (value < 0) throw new Error(`unsupported symbol [${ch}] in geohash [${hash}]`);
    for (let b = 4; b >= 0; b--, i++) {
      const bit = (value >> b) & 1;
      if (i % 2 === 0) x = x * 2 + bit;
      else y = y * 2 + bit;
    }
  }
  return { x, y };
}

/** The centre of a geohash cell: [lat, lon]. */
export function geohashCenter(hash: string): [number, number] {
  const { x, y } = cellOfHash(hash);
  const lonBits = Math.ceil((5 * hash.length) / 2);
  const latBits = Math.floor((5 * hash.length) / 2);
  return [((y + 0.5) / 2 ** latBits) * 180 - 90, ((x + 0.5) / 2 ** lonBits) * 360 - 180];
}

/** Geohash.addNeighbors: the eight cells around (longitude wraps; none beyond the poles). */
export function geohashNeighbors(hash: string): string[] {
  const level = hash.length;
  const { x, y } = cellOfHash(hash);
  const lonCells = 2 ** Math.ceil((5 * level) / 2);
  const latCells = 2 ** Math.floor((5 * level) / 2);
  const out: string[] = [];
  for (const dy of [-1, 0, 1]) {
    for (const dx of [-1, 0, 1]) {
      if (dx === 0 && dy === 0) continue;
      const ny = y + dy;
      if (ny < 0 || ny >= latCells) continue;
      out.push(hashOfCell((x + dx + lonCells) % lonCells, ny, level));
    }
  }
  return out;
}

const EARTH_EQUATOR = 2 * Math.PI * 6378137.0;
const EARTH_POLAR_DISTANCE = Math.PI * 6356752.314245;

/** GeoUtils.geoHashLevelsForPrecision: the levels whose cells do not exceed `meters` (diagonal). */
export function geohashLevelsForPrecision(meters: number): number {
  if (meters === 0) return GEOHASH_MAX_LEVEL;
  const ratio = 1 + EARTH_POLAR_DISTANCE / EARTH_EQUATOR;
  const width = Math.sqrt((meters * meters) / (ratio * ratio));
  const part = Math.ceil(EARTH_EQUATOR / width);
  if (part === 1) return 1;
  const bits = Math.round(Math.ceil(Math.log(part) / Math.log(2)));
  const full = Math.trunc(bits / 5);
  const left = bits - full * 5;
  return full + (left > 0 ? 1 : 0) + full + (left > 3 ? 1 : 0);
}

/** DistanceUnit: meters per unit, by every name Elasticsearch accepts. */
const UNITS: Array<[string[], number]> = [
  [['in', 'inch'], 0.0254],
  [['yd', 'yards'], 0.9144],
  [['ft', 'feet'], 0.3048],
  [['km', 'kilometers'], 1000],
  [['NM', 'nmi', 'nauticalmiles'], 1852],
  [['mm', 'millimeters'], 0.001],
  [['cm', 'centimeters'], 0.01],
  [['mi', 'miles'], 1609.344],
  [['m', 'meters'], 1],
];

/** DistanceUnit.parse of a distance (meters when the unit is absent); undefined when not one. */
export function parseDistanceMeters(text: string): number | undefined {
  for (const [names, meters] of UNITS) {
    for (const name of names) {
      if (text.endsWith(name)) {
        const value = Number(text.slice(0, -name.length));
        return text.length > name.length && Number.isFinite(value) ? value * meters : undefined;
      }
    }
  }
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) ? value : undefined;
}

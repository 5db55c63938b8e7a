import { EngineError } from '../errors.js';
import { parseDistanceMeters } from '../geohash.js';
import type { GeoPoint } from './geo-encoding.js';
import { parseException } from './parse-point.js';

/**
 * The shapes of a geo_shape query, as Elasticsearch's GeometryParser reads them from GeoJSON
 * (`{type, coordinates | geometries, orientation}`) or WKT text, checked as GeographyValidator
 * checks them (latitude in [-90, 90], longitude in [-180, 180]).
 */

export type Geometry =
  | { type: 'point'; point: GeoPoint }
  | { type: 'multipoint'; points: GeoPoint[] }
  | { type: 'linestring'; points: GeoPoint[] }
  | { type: 'multilinestring'; lines: GeoPoint[][] }
  /** rings[0] the shell, the rest holes; each closed (first point repeated last). */
  | { type: 'polygon'; rings: GeoPoint[][] }
  | { type: 'multipolygon'; polygons: GeoPoint[][][] }
  | { type: 'envelope'; minLon: number; maxLon: number; maxLat: number; minLat: number }
  /** radius in meters */
  | { type: 'circle'; center: GeoPoint; radius: number }
  | { type: 'geometrycollection'; geometries: Geometry[] }
  | { type: 'empty' };

const invalid = (reason: string): EngineError => new EngineError(400, 'illegal_argument_exception', reason);

function javaNum(n: number): string {
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}

/** GeographyValidator.checkLatitude / checkLongitude. */
function checkPoint(p: GeoPoint): GeoPoint {
  if (!Number.isFinite(p.lat) || p.lat < -90 || p.lat > 90) throw invalid(`invalid latitude ${javaNum(p.lat)}; must be between -90.0 and 90.0`);
  if (!Number.isFinite(p.lon) || p.lon < -180 || p.lon > 180) throw invalid(`invalid longitude ${javaNum(p.lon)}; must be between -180.0 and 180.0`);
  return p;
}

function checkRing(ring: GeoPoint[]): GeoPoint[] {
  if (ring.length < 4) throw invalid(`at least 4 polygon points required`);
  const first = ring[0] as GeoPoint;
  const last = ring[ring.length - 1] as GeoPoint;
  if (first.lat !== last.lat || first.lon !== last.lon) {
    throw invalid(`first and last points of the linear ring must be the same (it must close itself): x[0]=${javaNum(first.lon)} x[${ring.length - 1}]=${javaNum(last.lon)} y[0]=${javaNum(first.lat)} y[${ring.length - 1}]=${javaNum(last.lat)}`);
  }
  return ring;
}

function checkLine(line: GeoPoint[]): GeoPoint[] {
  if (line.length < 2) throw invalid(`at least two points in the line is required`);
  return line;
}

// ---- GeoJSON

function coordinate(v: unknown): GeoPoint {
  if (!Array.isArray(v) || v.length < 2 || v.length > 3 || !v.every((x) => typeof x === 'number')) throw parseException('expected a [lon, lat] coordinate');
  return checkPoint({ lon: v[0] as number, lat: v[1] as number });
}

function coordinates(v: unknown, depth: number): unknown[] {
  if (!Array.isArray(v)) throw parseException('coordinates must be an array');
  if (depth > 1) for (const x of v) coordinates(x, depth - 1);
  return v;
}

function fromGeoJson(o: Record<string, unknown>): Geometry {
  if (typeof o.type !== 'string') throw parseException('shape type not included');
  const type = o.type.toLowerCase();
  for (const k of Object.keys(o)) {
    if (!['type', 'coordinates', 'geometries', 'orientation', 'radius', 'crs'].includes(k)) throw parseException(`unexpected field [${k}]`);
  }
  if (o.orientation !== undefined && !['right', 'ccw', 'counterclockwise', 'left', 'cw', 'clockwise'].includes(String(o.orientation).toLowerCase())) {
    throw invalid(`Unknown orientation [${String(o.orientation)}]`);
  }
  if (type === 'geometrycollection') {
    if (!Array.isArray(o.geometries)) throw parseException('geometries not included');
    return { type, geometries: o.geometries.map((g) => parseShape(g)) };
  }
  if (o.coordinates === undefined) throw parseException('coordinates not included');
  const c = o.coordinates;
  switch (type) {
    case 'point':
      return { type, point: coordinate(c) };
    case 'multipoint':
      return { type, points: coordinates(c, 1).map(coordinate) };
    case 'linestring':
      return { type, points: checkLine(coordinates(c, 1).map(coordinate)) };
    case 'multilinestring':
      return { type, lines: coordinates(c, 2).map((l) => checkLine((l as unknown[]).map(coordinate))) };
    case 'polygon':
      return { type, rings: coordinates(c, 2).map((r) => checkRing((r as unknown[]).map(coordinate))) };
    case 'multipolygon':
      return { type, polygons: coordinates(c, 3).map((p) => (p as unknown[]).map((r) => checkRing((r as unknown[]).map(coordinate)))) };
    case 'envelope': {
      const pts = coordinates(c, 1).map(coordinate);
      if (pts.length !== 2) throw parseException(`invalid number of points [${pts.length}] provided for geo_shape [envelope] when expecting an array of 2 coordinates`);
      const [tl, br] = pts as [GeoPoint, GeoPoint];
      return envelope(tl.lon, br.lon, tl.lat, br.lat);
    }
    case 'circle': {
      if (o.radius === undefined) throw parseException('radius is not specified');
      return { type, center: coordinate(c), radius: radiusMeters(o.radius) };
    }
    default:
      throw parseException(`unknown geometry type: ${type}`);
  }
}

/** DistanceUnit.Distance.parseDistance: a number with an optional unit, meters by default. */
function radiusMeters(v: unknown): number {
  if (typeof v === 'number') return v;
  const text = String(v).trim();
  const bare = Number(text);
  if (text !== '' && !Number.isNaN(bare)) return bare;
  const m = parseDistanceMeters(text);
  if (m === undefined) throw new EngineError(400, 'number_format_exception', `For input string: "${text}"`);
  return m;
}

function envelope(minLon: number, maxLon: number, maxLat: number, minLat: number): Geometry {
  if (minLat > maxLat) throw invalid(`max y cannot be less than min y`);
  return { type: 'envelope', minLon, maxLon, maxLat, minLat };
}

// ---- WKT

class Wkt {
  private pos = 0;
  constructor(private readonly text: string) {}

  private skip(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
  }

  peek(): string {
    this.skip();
    return this.text[this.pos] ?? '';
  }

  word(): string {
    this.skip();
    const m = /^[A-Za-z]+/.exec(this.text.slice(this.pos));
    if (!m) throw parseException(`expected word but found: ${this.peek() || 'end of text'}`);
    this.pos += m[0].length;
    return m[0].toUpperCase();
  }

  expect(ch: string): void {
    if (this.peek() !== ch) throw parseException(`expected ${ch} but found: ${this.peek() || 'end of text'}`);
    this.pos++;
  }

  number(): number {
    this.skip();
    const m = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(this.text.slice(this.pos));
    if (!m) throw parseException(`expected number but found: ${this.peek() || 'end of text'}`);
    this.pos += m[0].length;
    return Number(m[0]);
  }

  /** `EMPTY` or `(` opening a list. */
  empty(): boolean {
    if (this.peek() === '(') return false;
    if (this.word() !== 'EMPTY') throw parseException(`expected EMPTY or ( but found: ${this.peek()}`);
    return true;
  }

  point(): GeoPoint {
    const lon = this.number();
    const lat = this.number();
    if (/[-+\d.]/.test(this.peek())) this.number(); // z, ignored
    return checkPoint({ lon, lat });
  }

  list<T>(item: () => T): T[] {
    this.expect('(');
    const out = [item()];
    while (this.peek() === ',') {
      this.pos++;
      out.push(item());
    }
    this.expect(')');
    return out;
  }

  done(): void {
    if (this.peek() !== '') throw parseException(`expected end of WKT string but found additional text: ${this.peek()}`);
  }
}

function fromWkt(w: Wkt): Geometry {
  const type = w.word();
  const points = (): GeoPoint[] => w.list(() => w.point());
  switch (type) {
    case 'POINT':
      return w.empty() ? { type: 'empty' } : { type: 'point', point: w.list(() => w.point())[0] as GeoPoint };
    case 'MULTIPOINT':
      // both MULTIPOINT (1 2, 3 4) and MULTIPOINT ((1 2), (3 4))
      return w.empty() ? { type: 'empty' } : { type: 'multipoint', points: w.list(() => (w.peek() === '(' ? (w.list(() => w.point())[0] as GeoPoint) : w.point())) };
    case 'LINESTRING':
      return w.empty() ? { type: 'empty' } : { type: 'linestring', points: checkLine(points()) };
    case 'MULTILINESTRING':
      return w.empty() ? { type: 'empty' } : { type: 'multilinestring', lines: w.list(() => checkLine(points())) };
    case 'POLYGON':
      return w.empty() ? { type: 'empty' } : { type: 'polygon', rings: w.list(() => checkRing(points())) };
    case 'MULTIPOLYGON':
      return w.empty() ? { type: 'empty' } : { type: 'multipolygon', polygons: w.list(() => w.list(() => checkRing(points()))) };
    case 'BBOX':
    case 'ENVELOPE': {
      if (w.empty()) return { type: 'empty' };
      const [minLon, maxLon, maxLat, minLat] = w.list(() => w.number()) as [number, number, number, number];
      checkPoint({ lon: minLon, lat: maxLat });
      checkPoint({ lon: maxLon, lat: minLat });
      return envelope(minLon, maxLon, maxLat, minLat);
    }
    case 'GEOMETRYCOLLECTION':
      return w.empty() ? { type: 'empty' } : { type: 'geometrycollection', geometries: w.list(() => fromWkt(w)) };
    case 'CIRCLE': {
      // CIRCLE (lon lat radius-in-meters)
      if (w.empty()) return { type: 'empty' };
      let center: GeoPoint = { lat: NaN, lon: NaN };
      let radius = NaN;
      w.list(() => {
        const lon = w.number();
        const lat = w.number();
        center = checkPoint({ lon, lat });
        radius = w.number();
      });
      return { type: 'circle', center, radius };
    }
    default:
      throw parseException(`Unknown geometry type: ${type.toLowerCase()}`);
  }
}

/** A query shape given as GeoJSON or WKT. */
export function parseShape(value: unknown): Geometry {
  if (typeof value === 'string') {
    const w = new Wkt(value);
    const g = fromWkt(w);
    w.done();
    return g;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return fromGeoJson(value as Record<string, unknown>);
  throw parseException('shape must be an object consisting of type and coordinates');
}

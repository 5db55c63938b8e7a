import { EngineError } from '../../../errors.js';
import { parseBounds } from '../../../geo/parse-bounds.js';
import { checkTilePrecision, geohashCell, geohashOfPoint, geotileCell, parseGeotile, tileX, tileY } from '../../../geo/grid-cells.js';
import type { CellBox } from '../../../geo/grid-cells.js';
import { geohashLevelsForPrecision, parseDistanceMeters } from '../../../geohash.js';
import type { AggContext, AggSpec, BucketResult, BucketType, DocSet } from '../agg-types.js';
import { checkKeys, optInt, positive, xContentError } from '../buckets/options.js';
import { bucketSubs } from '../buckets/subs.js';
import type { FieldReader } from '../values-source.js';
import { geoField, geoReaders, pointsAt, shardPositions } from './geo-source.js';

/**
 * geohash_grid and geotile_grid (GeoGridAggregationBuilder, GeoHashGridAggregator,
 * GeoTileGridAggregator, InternalGeoGrid): every point of a doc in its cell (a doc counted once per
 * cell), each shard keeping its top `shard_size` cells (default `size * 1.5 + 10`), the reduce
 * summing them and keeping the top `size`; cells ordered by doc count, then by their long hash
 * descending (BucketPriorityQueue). With `bounds`, only the cells that share an interior point
 * with the box count (GeoHashBoundedPredicate, GeoTileBoundedPredicate).
 */

interface Grid {
  kind: 'geohash' | 'geotile';
  precision: number;
  /** The cell key of a point. */
  cellOf(lat: number, lon: number): string;
  /** Orders keys as their long hashes do. */
  compare(a: string, b: string): number;
  /** Whether a cell counts under `bounds`. */
  inBounds?: (key: string) => boolean;
}

/** GeoUtils.parsePrecision for geohash: an integer level 1..12, or a distance. */
function geohashPrecision(spec: AggSpec): number {
  const raw = spec.body.precision;
  if (raw === undefined) return 5;
  let level: number;
  if (typeof raw === 'number') level = raw;
  else {
    const text = String(raw);
    if (/^-?\d+$/.test(text)) level = Number(text);
    else {
      const meters = parseDistanceMeters(text);
      if (meters === undefined) throw xContentError(`[${spec.type}] failed to parse field [precision]`);
      level = geohashLevelsForPrecision(meters);
    }
  }
  if (!Number.isInteger(level) || level < 1 || level > 12) {
    throw xContentError(`[${spec.type}] failed to parse field [precision]`, new EngineError(400, 'illegal_argument_exception', `Invalid geohash aggregation precision of ${level}. Must be between 1 and 12.`));
  }
  return level;
}

function geotilePrecision(spec: AggSpec): number {
  const raw = spec.body.precision;
  if (raw === undefined) return 7;
  const n = typeof raw === 'number' ? raw : Number(String(raw));
  if (!Number.isInteger(n)) throw xContentError(`[${spec.type}] failed to parse field [precision]`);
  try {
    return checkTilePrecision(n);
  } catch (e) {
    throw xContentError(`[${spec.type}] failed to parse field [precision]`, e as EngineError);
  }
}

const tileParts = (key: string): number[] => key.split('/').map(Number);

function boundsOf(spec: AggSpec): { top: number; left: number; bottom: number; right: number } | undefined {
  const raw = spec.body.bounds;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw xContentError(`[${spec.type}] failed to parse field [bounds]`);
  return parseBounds(raw as Record<string, unknown>);
}

function gridOf(spec: AggSpec): Grid {
  const bounds = boundsOf(spec);
  const unbounded = !bounds || [bounds.top, bounds.left, bounds.bottom, bounds.right].some(Number.isNaN);
  if (spec.type === 'geohash_grid') {
    const precision = geohashPrecision(spec);
    const grid: Grid = { kind: 'geohash', precision, cellOf: (lat, lon) => geohashOfPoint(lat, lon, precision), compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0) };
    if (!unbounded && bounds) grid.inBounds = (key) => intersects(bounds, geohashCell(key));
    return grid;
  }
  const precision = geotilePrecision(spec);
  const tiles = 2 ** precision;
  const grid: Grid = {
    kind: 'geotile',
    precision,
    cellOf: (lat, lon) => `${precision}/${tileX(lon, tiles)}/${tileY(lat, tiles)}`,
    compare: (a, b) => {
      const [, ax = 0, ay = 0] = tileParts(a);
      const [, bx = 0, by = 0] = tileParts(b);
      return ax - bx || ay - by;
    },
  };
  if (!unbounded && bounds) grid.inBounds = tilePredicate(bounds, precision);
  return grid;
}

/** GeoHashBoundedPredicate.intersects: touching cells are excluded. */
function intersects(b: { top: number; left: number; bottom: number; right: number }, c: CellBox): boolean {
  if (!(b.top > c.minLat && b.bottom < c.maxLat)) return false;
  if (b.right < b.left) return b.left < c.maxLon || b.right > c.minLon;
  return b.left < c.maxLon && b.right > c.minLon;
}

/** GeoTileBoundedPredicate. */
function tilePredicate(b: { top: number; left: number; bottom: number; right: number }, z: number): (key: string) => boolean {
  const tiles = 2 ** z;
  const crosses = b.right < b.left;
  const minX = tileX(b.left, tiles);
  const minY = tileY(b.top, tiles);
  const minTile = geotileCell(z, minX, minY);
  const leftX = minTile.maxLon === b.left ? minX + 1 : minX;
  const lowY = minTile.minLat === b.top ? minY + 1 : minY;
  const maxX = tileX(b.right, tiles);
  const maxY = tileY(b.bottom, tiles);
  const maxTile = geotileCell(z, maxX, maxY);
  const rightX = maxTile.minLon === b.right ? maxX : maxX + 1;
  const highY = maxTile.maxLat === b.bottom ? maxY : maxY + 1;
  return (key) => {
    const [, x = 0, y = 0] = tileParts(key);
    if (!(lowY <= y && highY > y)) return false;
    return crosses ? leftX <= x || rightX > x : leftX <= x && rightX > x;
  };
}

function validate(spec: AggSpec): { grid: Grid; size: number; shardSize: number } {
  checkKeys(spec, ['field', 'precision', 'bounds', 'size', 'shard_size', 'script', 'missing', 'value_type']);
  geoField(spec);
  if (spec.body.missing !== undefined) throw new EngineError(400, 'illegal_argument_exception', `[missing] of the [${spec.type}] aggregation is not supported by the indexkit embedded engine`);
  const grid = gridOf(spec);
  const size = positive(spec, 'size', optInt(spec, 'size') ?? 10000);
  const explicit = optInt(spec, 'shard_size');
  let shardSize = explicit === undefined || explicit < 0 ? Math.min(2147483647, Math.floor(size * 1.5 + 10)) : explicit;
  if (shardSize === 0) throw new EngineError(500, 'exception', `parameters [required_size] and [shard_size] must be > 0 in ${spec.type} aggregation [${spec.name}].`);
  if (shardSize < size) shardSize = size;
  return { grid, size, shardSize };
}

/** The ranking of InternalGeoGrid's BucketPriorityQueue: doc count descending, then the hash descending. */
function ranked(grid: Grid, counts: Map<string, number>, limit: number): Array<[string, number]> {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || grid.compare(b[0], a[0])).slice(0, limit);
}

function collect(spec: AggSpec, docs: DocSet, ctx: AggContext): BucketResult {
  const { grid, size, shardSize } = validate(spec);
  const readers = geoReaders(spec, docs, geoField(spec));
  const positions = new Map<string, number[]>();
  const total = new Map<string, number>();
  for (const shard of shardPositions(docs)) {
    const counts = new Map<string, number>();
    const shardPos = new Map<string, number[]>();
    for (const i of shard) {
      const points = pointsAt(readers, docs, i);
      if (!points) continue;
      const cells = new Set<string>();
      for (const p of points) {
        const key = grid.cellOf(p.lat, p.lon);
        if (!grid.inBounds || grid.inBounds(key)) cells.add(key);
      }
      for (const key of cells) {
        counts.set(key, (counts.get(key) ?? 0) + 1);
        let list = shardPos.get(key);
        if (!list) shardPos.set(key, (list = []));
        list.push(i);
      }
    }
    for (const [key, count] of ranked(grid, counts, shardSize)) {
      total.set(key, (total.get(key) ?? 0) + count);
      const list = positions.get(key);
      const add = shardPos.get(key) as number[];
      if (list) list.push(...add);
      else positions.set(key, add);
    }
  }
  const buckets = ranked(grid, total, size).map(([key, count]) => ({ key, doc_count: count, ...bucketSubs(spec, docs, (positions.get(key) as number[]).sort((a, b) => a - b), ctx) }));
  return { typed: spec.type, result: {}, buckets };
}

export const geohashGridAgg: BucketType = { validate: (spec) => void validate(spec), collect };
export const geotileGridAgg: BucketType = geohashGridAgg;

/** A tile key that sorts as GeoTileUtils' long hash does at one zoom: x, then y, zero-padded. */
const padTile = (x: number, y: number): string => `${String(x).padStart(9, '0')}/${String(y).padStart(9, '0')}`;

/**
 * The composite aggregation's `geotile_grid` source (GeoTileGridValuesSourceBuilder): each doc's
 * tiles (within `bounds`), ordered as their long hashes, keyed "zoom/x/y".
 */
export function geotileSource(sub: AggSpec): {
  cellReaders: (docs: DocSet) => Array<FieldReader | null>;
  renderKey: (v: string) => string;
  parseAfter: (v: unknown) => string | null;
} {
  const grid = gridOf(sub);
  const zoom = grid.precision;
  return {
    cellReaders: (docs) =>
      geoReaders(sub, docs, geoField(sub)).map((read, li): FieldReader | null => {
        const leaf = docs.leaves[li];
        const info = leaf?.view.mapping.field(geoField(sub));
        if (!read || !info) return null;
        return {
          kind: 'keyword',
          info,
          values: (doc) => {
            const keys = new Set<string>();
            for (const p of read(doc) ?? []) {
              const key = grid.cellOf(p.lat, p.lon);
              if (grid.inBounds && !grid.inBounds(key)) continue;
              const [, x = 0, y = 0] = tileParts(key);
              keys.add(padTile(x, y));
            }
            return keys.size === 0 ? undefined : [...keys].sort();
          },
        };
      }),
    renderKey: (v) => {
      const [x = '', y = ''] = v.split('/');
      return `${zoom}/${Number(x)}/${Number(y)}`;
    },
    parseAfter: (v) => {
      if (v === null) return null;
      const [, x, y] = parseGeotile(String(v));
      return padTile(x, y);
    },
  };
}

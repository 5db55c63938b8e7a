import { describe, expect, it } from 'vitest';
import { decodeLatitude, decodeLongitude, encodeLatitude, encodeLongitude } from '../../src/engine/geo/geo-encoding.js';
import { useTestClient } from '../engine/helpers.js';
import { useLuceneHarness } from './lucene-harness.js';
import { int, pick, rng } from './random-corpus.js';
import type { Random } from './random-corpus.js';

/**
 * The geo_shape query on a geo_point field judged by Lucene 8.7's LatLonPoint.newGeometryQuery:
 * seeded random multi-valued documents and random polygons (with holes), lines, boxes, circles and points,
 * under each relation, must match the same documents. Coordinates are drawn partly from a coarse
 * grid and from the quantized vertices of the shapes so that points fall on edges and vertices,
 * where the boundary rules and the 32-bit encoding decide.
 */

type LatLon = [lat: number, lon: number];
type Relation = 'intersects' | 'within' | 'disjoint' | 'contains';
type LuceneGeometry =
  | { type: 'point'; lat: number; lon: number }
  | { type: 'line'; points: LatLon[] }
  | { type: 'box'; minLat: number; maxLat: number; minLon: number; maxLon: number }
  | { type: 'polygon'; rings: LatLon[][] }
  | { type: 'circle'; lat: number; lon: number; radius: number };

const DOCS = 400;
const QUERIES = 300;
const t = useTestClient();
const lucene = useLuceneHarness();

const quantized = (lat: number, lon: number): LatLon => [decodeLatitude(encodeLatitude(lat)), decodeLongitude(encodeLongitude(lon))];

/** A coordinate: on a 0.5 grid, or anywhere in the area. */
function coord(r: Random, span: number): number {
  return r() < 0.4 ? Math.round((r() * 2 - 1) * span * 2) / 2 : (r() * 2 - 1) * span;
}

/** A star-shaped (so simple) polygon ring around a centre, closed. */
function starRing(r: Random, lat: number, lon: number, radius: number): LatLon[] {
  const n = int(r, 3, 8);
  const angles = Array.from({ length: n }, () => r() * 2 * Math.PI).sort((a, b) => a - b);
  const ring = angles.map((a): LatLon => {
    const d = radius * (0.3 + 0.7 * r());
    const snap = (x: number): number => (r() < 0.5 ? Math.round(x * 2) / 2 : x);
    return [snap(lat + d * Math.sin(a)), snap(lon + d * Math.cos(a))];
  });
  return [...ring, ring[0] as LatLon];
}

function boxRing(minLat: number, maxLat: number, minLon: number, maxLon: number): LatLon[] {
  return [[minLat, minLon], [minLat, maxLon], [maxLat, maxLon], [maxLat, minLon], [minLat, minLon]];
}

function randomGeometry(r: Random, docs: readonly LatLon[][]): LuceneGeometry {
  const kind = pick(r, ['polygon', 'polygon', 'holed', 'line', 'box', 'point', 'circle'] as const);
  const lat = coord(r, 8);
  const lon = coord(r, 8);
  switch (kind) {
    case 'polygon': {
      const ring = starRing(r, lat, lon, 2 + r() * 6);
      if (r() < 0.3) {
        // a box with a document's point on its edge or corner
        const [pl, po] = pick(r, pick(r, docs));
        return { type: 'polygon', rings: [r() < 0.5 ? boxRing(pl, pl + 2, po - 1, po + 1) : boxRing(pl - 2, pl, po, po + 3)] };
      }
      return { type: 'polygon', rings: [ring] };
    }
    case 'holed': {
      const h = 0.5 + r() * 1.5;
      if (r() < 0.4) {
        // a document's point on the hole's edge
        const [pl, po] = pick(r, pick(r, docs));
        return { type: 'polygon', rings: [boxRing(pl - 3, pl + 3, po - 3, po + 3), boxRing(pl, pl + h, po - h, po + h)] };
      }
      return { type: 'polygon', rings: [boxRing(lat - 3, lat + 3, lon - 3, lon + 3), boxRing(lat - h, lat + h, lon - h, lon + h)] };
    }
    case 'line': {
      const roll = r();
      if (roll < 0.3) {
        // through documents' points (vertices on them)
        return { type: 'line', points: Array.from({ length: int(r, 2, 4) }, () => pick(r, pick(r, docs))) };
      }
      if (roll < 0.6) {
        // along a document's latitude or longitude, so that points lie inside a segment
        const [pl, po] = pick(r, pick(r, docs));
        return r() < 0.5 ? { type: 'line', points: [[pl, po - 5 * r() - 0.1], [pl, po + 5 * r() + 0.1]] } : { type: 'line', points: [[pl - 5 * r() - 0.1, po], [pl + 5 * r() + 0.1, po]] };
      }
      return { type: 'line', points: Array.from({ length: int(r, 2, 4) }, (): LatLon => [coord(r, 8), coord(r, 8)]) };
    }
    case 'box': {
      const a = coord(r, 8);
      const b = coord(r, 8);
      return { type: 'box', minLat: Math.min(lat, a), maxLat: Math.max(lat, a), minLon: Math.min(lon, b), maxLon: Math.max(lon, b) };
    }
    case 'point': {
      const [pl, po] = pick(r, pick(r, docs));
      return { type: 'point', lat: pl, lon: po };
    }
    case 'circle': {
      const [pl, po] = r() < 0.5 ? pick(r, pick(r, docs)) : [lat, lon];
      return { type: 'circle', lat: pl, lon: po, radius: Math.round(10_000 + r() * 800_000) };
    }
  }
}

/** The same geometry as GeoJSON ([lon, lat]) for the engine. */
function geoJson(g: LuceneGeometry): Record<string, unknown> {
  const xy = (p: LatLon): [number, number] => [p[1], p[0]];
  switch (g.type) {
    case 'point':
      return { type: 'point', coordinates: [g.lon, g.lat] };
    case 'line':
      return { type: 'linestring', coordinates: g.points.map(xy) };
    case 'box':
      return { type: 'envelope', coordinates: [[g.minLon, g.maxLat], [g.maxLon, g.minLat]] };
    case 'polygon':
      return { type: 'polygon', coordinates: g.rings.map((ring) => ring.map(xy)) };
    case 'circle':
      return { type: 'circle', coordinates: [g.lon, g.lat], radius: `${g.radius}m` };
  }
}

describe('geo_shape on geo_point against LatLonPoint.newGeometryQuery', () => {
  it(`${QUERIES} random shapes and relations match the same documents`, async () => {
    const r = rng(20261205);
    // vertices the shapes may share with the documents: grid points and quantized grid points
    const docs: LatLon[][] = Array.from({ length: DOCS }, () =>
      Array.from({ length: int(r, 1, 3) }, (): LatLon => {
        const lat = coord(r, 10);
        const lon = coord(r, 10);
        return r() < 0.5 ? quantized(lat, lon) : [lat, lon];
      }),
    );
    await t.client.indices.create({ index: 'gs', mappings: { properties: { location: { type: 'geo_point' } } } });
    await t.client.bulk({ index: 'gs', refresh: true, operations: docs.flatMap((points, i) => [{ index: { _id: String(i) } }, { location: points.map(([lat, lon]) => [lon, lat]) }]) });

    const mismatches: string[] = [];
    const byRelation: Record<string, number> = {};
    for (let q = 0; q < QUERIES; q++) {
      const relation = pick(r, ['intersects', 'intersects', 'within', 'disjoint', 'contains'] as const) as Relation;
      // Elasticsearch refuses lines under within (Lucene has no within for them)
      const geometries = Array.from({ length: int(r, 1, 3) }, () => randomGeometry(r, docs)).filter((g) => relation !== 'within' || g.type !== 'line');
      if (geometries.length === 0) continue;
      if (relation === 'contains' && r() < 0.7) {
        // points of one document, so that a set of points can contain them all
        const doc = pick(r, docs);
        geometries.splice(0, geometries.length, ...Array.from({ length: int(r, 1, 2) }, (): LuceneGeometry => {
          const [lat, lon] = pick(r, doc);
          return { type: 'point', lat, lon };
        }));
      }
      const shape = geometries.length === 1 ? geoJson(geometries[0] as LuceneGeometry) : { type: 'geometrycollection', geometries: geometries.map(geoJson) };
      // GeoShapeUtils.toLucenePoint quantizes query points; GeoPointFieldMapper asks a single point's intersects as contains
      const luceneGeometries = geometries.map((g) => (g.type === 'point' ? { ...g, lat: quantized(g.lat, g.lon)[0], lon: quantized(g.lat, g.lon)[1] } : g));
      const luceneRelation: Relation = relation === 'intersects' && geometries.length === 1 && geometries[0]?.type === 'point' ? 'contains' : relation;
      const expected = await lucene.geoShape(docs, luceneRelation, luceneGeometries);
      const res = await t.client.search({ index: 'gs', size: DOCS, query: { geo_shape: { location: { shape, relation } } } as never });
      const got = res.hits.hits.map((h) => Number(h._id)).sort((a, b) => a - b);
      if (got.length > 0 && got.length < DOCS) byRelation[relation] = (byRelation[relation] ?? 0) + 1;
      if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push(`${relation} ${JSON.stringify(shape)}: engine ${JSON.stringify(got)} lucene ${JSON.stringify(expected)}`);
    }
    expect(mismatches).toEqual([]);
    // the queries must discriminate: each relation selects some but not all documents many times
    for (const rel of ['intersects', 'within', 'disjoint', 'contains']) expect(byRelation[rel] ?? 0, `${rel}: ${JSON.stringify(byRelation)}`).toBeGreaterThan(10);
  });
});

describe('geo_shape on geo_point at the ends of the encoding', () => {
  it('points at the poles and the dateline match as Lucene matches them', async () => {
    const docs: LatLon[][] = [[[90, 180]], [[-90, -180]], [[90, 0]], [[0, 180]], [[0, -180]], [[-90, 0]], [[0, 0]], [[89.9999999, 179.9999999]]];
    await t.client.indices.create({ index: 'ends', mappings: { properties: { location: { type: 'geo_point' } } } });
    await t.client.bulk({ index: 'ends', refresh: true, operations: docs.flatMap((points, i) => [{ index: { _id: String(i) } }, { location: points.map(([lat, lon]) => [lon, lat]) }]) });
    const queries: LuceneGeometry[][] = [
      [{ type: 'point', lat: 90, lon: 180 }, { type: 'point', lat: 0, lon: 0 }],
      [{ type: 'point', lat: 0, lon: 180 }, { type: 'point', lat: -90, lon: -180 }],
      [{ type: 'box', minLat: 0, maxLat: 90, minLon: 0, maxLon: 180 }, { type: 'point', lat: -90, lon: 0 }],
      [{ type: 'polygon', rings: [boxRing(-90, 90, -180, 0)] }],
      [{ type: 'polygon', rings: [boxRing(0, 90, 0, 180)] }],
      [{ type: 'line', points: [[90, -180], [90, 0]] }],
      [{ type: 'line', points: [[-90, 180], [90, 180]] }],
      [{ type: 'circle', lat: 90, lon: 0, radius: 1000 }],
    ];
    const mismatches: string[] = [];
    for (const geometries of queries) {
      for (const relation of ['intersects', 'within', 'disjoint', 'contains'] as const) {
        if (relation === 'within' && geometries.some((g) => g.type === 'line')) continue;
        const shape = { type: 'geometrycollection', geometries: geometries.map(geoJson) };
        const luceneGeometries = geometries.map((g) => (g.type === 'point' ? { ...g, lat: quantized(g.lat, g.lon)[0], lon: quantized(g.lat, g.lon)[1] } : g));
        const expected = await lucene.geoShape(docs, relation, luceneGeometries);
        const res = await t.client.search({ index: 'ends', size: 100, query: { geo_shape: { location: { shape, relation } } } as never });
        const got = res.hits.hits.map((h) => Number(h._id)).sort((a, b) => a - b);
        if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push(`${relation} ${JSON.stringify(shape)}: engine ${JSON.stringify(got)} lucene ${JSON.stringify(expected)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

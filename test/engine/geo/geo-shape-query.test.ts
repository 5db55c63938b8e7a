import { describe, expect, it } from 'vitest';
import { decodeLatitude, decodeLongitude, encodeLatitude, encodeLongitude } from '../../../src/engine/geo/geo-encoding.js';
import { failure, useTestClient } from '../helpers.js';

// The geo_shape query on geo_point fields (GeoPointFieldMapper.geoShapeQuery, LatLonPoint.newGeometryQuery).
const DOCS: Record<string, unknown> = {
  amsterdam: { location: 'POINT (4.912350 52.374081)' },
  paris: { location: { lat: 48.861111, lon: 2.336389 } },
  both: { location: ['POINT (4.912350 52.374081)', 'POINT (2.336389 48.861111)'] },
  origin: { location: [0, 0] },
  corner: { location: [10, 10] },
  none: { other: 1 },
};

const t = useTestClient(async (client) => {
  await client.indices.create({ index: 'places', mappings: { properties: { location: { type: 'geo_point' }, other: { type: 'long' } } } });
  await client.indices.create({ index: 'shapes', mappings: { properties: { shape: { type: 'object', enabled: false } } } });
  await client.bulk({
    refresh: true,
    operations: [
      ...Object.entries(DOCS).flatMap(([id, doc]) => [{ index: { _index: 'places', _id: id } }, doc]),
      { index: { _index: 'shapes', _id: 'europe' } },
      { shape: { type: 'envelope', coordinates: [[0, 60], [8, 45]] }, nested: { area: 'BBOX (4, 6, 53, 52)' } },
    ],
  });
});

async function ids(shape: unknown, relation?: string, extra: Record<string, unknown> = {}): Promise<string[]> {
  const res = await t.client.search({ index: 'places', query: { geo_shape: { location: { shape, ...(relation ? { relation } : {}), ...extra } } } as never });
  return res.hits.hits.map((h) => String(h._id)).sort();
}

const EUROPE = { type: 'polygon', coordinates: [[[0, 45], [8, 45], [8, 55], [0, 55], [0, 45]]] };

describe('geo_shape query on a geo_point field', () => {
  it('intersects a polygon, its WKT twin and an envelope alike', async () => {
    expect(await ids(EUROPE)).toEqual(['amsterdam', 'both', 'paris']);
    expect(await ids('POLYGON ((0 45, 8 45, 8 55, 0 55, 0 45))')).toEqual(['amsterdam', 'both', 'paris']);
    expect(await ids({ type: 'envelope', coordinates: [[0, 55], [8, 45]] })).toEqual(['amsterdam', 'both', 'paris']);
    expect(await ids('BBOX (0, 8, 55, 45)')).toEqual(['amsterdam', 'both', 'paris']);
  });

  it('a hole excludes the points in it, a point on the polygon edge is inside', async () => {
    const holed = { type: 'Polygon', coordinates: [[[0, 45], [8, 45], [8, 55], [0, 55], [0, 45]], [[4, 52], [6, 52], [6, 53], [4, 53], [4, 52]]] };
    expect(await ids(holed)).toEqual(['both', 'paris']);
    // (10, 10) lies exactly on the edge; encoded 10.0 decodes to a value just below it
    const lat = decodeLatitude(encodeLatitude(10));
    const lon = decodeLongitude(encodeLongitude(10));
    expect(await ids({ type: 'polygon', coordinates: [[[-1, -1], [lon, -1], [lon, lat], [-1, lat], [-1, -1]]] })).toEqual(['corner', 'origin']);
    expect(await ids({ type: 'polygon', coordinates: [[[-1, -1], [10, -1], [10, 9.9999999], [-1, 9.9999999], [-1, -1]]] })).toEqual(['origin']);
  });

  it('within needs every value inside, disjoint none, and a doc without values matches neither', async () => {
    const amsterdam = { type: 'envelope', coordinates: [[4, 53], [6, 52]] };
    expect(await ids(amsterdam)).toEqual(['amsterdam', 'both']);
    expect(await ids(amsterdam, 'within')).toEqual(['amsterdam']);
    expect(await ids(amsterdam, 'disjoint')).toEqual(['corner', 'origin', 'paris']);
  });

  it('points match the quantized point; contains takes points only', async () => {
    expect(await ids({ type: 'point', coordinates: [0, 0] })).toEqual(['origin']);
    expect(await ids('MULTIPOINT (4.912350 52.374081, 2.336389 48.861111)')).toEqual(['amsterdam', 'both', 'paris']);
    expect(await ids('MULTIPOINT ((4.912350 52.374081), (2.336389 48.861111))', 'contains')).toEqual(['both']);
    expect(await ids(EUROPE, 'contains')).toEqual([]);
    expect(await ids({ type: 'point', coordinates: [0, 0.0000001] })).toEqual([]);
  });

  it('lines match points on them; a line is refused for within', async () => {
    expect(await ids({ type: 'linestring', coordinates: [[-5, 0], [5, 0]] })).toEqual(['origin']);
    expect(await ids('MULTILINESTRING ((-5 -5, 20 20), (100 0, 101 1))')).toEqual(['corner', 'origin']);
    const err = await failure(ids({ type: 'linestring', coordinates: [[-5, 0], [5, 0]] }, 'within'));
    expect(err.status).toBe(400);
    expect(JSON.stringify(err.error)).toContain('Field [location] found an unsupported shape Line');
  });

  it('geometry collections and multipolygons union their parts', async () => {
    const gc = { type: 'geometrycollection', geometries: [{ type: 'point', coordinates: [0, 0] }, { type: 'envelope', coordinates: [[2, 49], [3, 48]] }] };
    expect(await ids(gc)).toEqual(['both', 'origin', 'paris']);
    expect(await ids('MULTIPOLYGON (((-1 -1, 1 -1, 1 1, -1 1, -1 -1)), ((9 9, 11 9, 11 11, 9 11, 9 9)))')).toEqual(['corner', 'origin']);
    expect(await ids('GEOMETRYCOLLECTION EMPTY')).toEqual([]);
  });

  it('indexed_shape reads the shape from another document, by path', async () => {
    const search = (indexed: Record<string, unknown>) => t.client.search({ index: 'places', query: { geo_shape: { location: { indexed_shape: indexed } } } as never });
    const byDefault = await search({ id: 'europe' });
    expect(byDefault.hits.hits.map((h) => h._id).sort()).toEqual(['amsterdam', 'both', 'paris']);
    const byPath = await search({ index: 'shapes', id: 'europe', path: 'nested.area' });
    expect(byPath.hits.hits.map((h) => h._id).sort()).toEqual(['amsterdam', 'both']);
    const missing = await failure(search({ id: 'nope' }));
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.error)).toContain('Shape with ID [nope] not found');
    const noIndex = await failure(search({ index: 'no-such-index', id: 'europe' }));
    expect(noIndex.status).toBe(404);
    expect(JSON.stringify(noIndex.error)).toContain('index_not_found_exception');
  });

  it('scores the boost, names the query, honours ignore_unmapped', async () => {
    const res = await t.client.search({ index: 'places', query: { geo_shape: { location: { shape: 'POINT (0 0)' }, boost: 3, _name: 'here' } } as never });
    expect(res.hits.hits.map((h) => [h._id, h._score, h.matched_queries])).toEqual([['origin', 3, ['here']]]);
    const ignored = await t.client.search({ index: 'places', query: { geo_shape: { missing: { shape: 'POINT (0 0)' }, ignore_unmapped: true } } as never });
    expect(ignored.hits.hits).toEqual([]);
    const unmapped = await failure(t.client.search({ index: 'places', query: { geo_shape: { missing: { shape: 'POINT (0 0)' } } } as never }));
    expect(JSON.stringify(unmapped.error)).toContain('failed to find type for field [missing]');
    const wrongType = await failure(t.client.search({ index: 'places', query: { geo_shape: { other: { shape: 'POINT (0 0)' } } } as never }));
    expect(JSON.stringify(wrongType.error)).toContain('Field [other] is of unsupported type [long] for [geo_shape] query');
  });

  it('a circle is the distance query: haversine over the quantized points', async () => {
    // Amsterdam-Paris is about 430 km
    expect(await ids({ type: 'circle', coordinates: [2.336389, 48.861111], radius: '400km' })).toEqual(['both', 'paris']);
    expect(await ids({ type: 'circle', coordinates: [2.336389, 48.861111], radius: '450km' }, 'within')).toEqual(['amsterdam', 'both', 'paris']);
    expect(await ids('CIRCLE (0 0 2000000)', 'disjoint')).toEqual(['amsterdam', 'both', 'paris']);
  });

  it('refuses dateline-crossing shapes by name rather than answer wrongly', async () => {
    const wide = await failure(ids({ type: 'polygon', coordinates: [[[-170, 0], [170, 0], [170, 10], [-170, 10], [-170, 0]]] }));
    expect(wide.status).toBe(400);
    expect(JSON.stringify(wide.error)).toContain('dateline');
    const bad = await failure(ids({ type: 'point', coordinates: [0, 91] }));
    expect(JSON.stringify(bad.error)).toContain('invalid latitude 91.0; must be between -90.0 and 90.0');
  });
});

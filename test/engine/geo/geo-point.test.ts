import type { Client } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { arcDistance } from '../../../src/engine/geo/sloppy-math.js';
import { decodeLatitude, decodeLongitude, encodeLatitude, encodeLongitude } from '../../../src/engine/geo/geo-encoding.js';
import { failure, useTestClient } from '../helpers.js';

// The museums of Elasticsearch's geo aggregation documentation; the expected numbers below are the
// responses printed there (8.x reference: geo_centroid, geo_bounds, geohash_grid, geotile_grid,
// geo_distance pages).
const MUSEUMS: Array<[string, string, string]> = [
  ['POINT (4.912350 52.374081)', 'Amsterdam', 'NEMO Science Museum'],
  ['POINT (4.901618 52.369219)', 'Amsterdam', 'Museum Het Rembrandthuis'],
  ['POINT (4.914722 52.371667)', 'Amsterdam', 'Nederlands Scheepvaartmuseum'],
  ['POINT (4.405200 51.222900)', 'Antwerp', 'Letterenhuis'],
  ['POINT (2.336389 48.861111)', 'Paris', 'Musée du Louvre'],
  ['POINT (2.327000 48.860000)', 'Paris', "Musée d'Orsay"],
];

async function museums(client: Client, index: string, shards: number): Promise<void> {
  await client.indices.create({
    index,
    settings: { number_of_shards: shards },
    mappings: { properties: { location: { type: 'geo_point' }, city: { type: 'keyword' }, name: { type: 'text' } } },
  });
  await client.bulk({ refresh: true, operations: MUSEUMS.flatMap(([location, city, name], i) => [{ index: { _index: index, _id: String(i + 1) } }, { location, city, name }]) });
}

const t = useTestClient(async (client) => {
  await museums(client, 'museums', 1);
  await museums(client, 'museums3', 3);
});

const ids = (res: { hits: { hits: Array<{ _id?: string | null }> } }): string[] => res.hits.hits.map((h) => String(h._id)).sort();

describe('geo_point aggregations', () => {
  it('geo_centroid gives the documented centroids, also under terms', async () => {
    const res = await t.client.search({
      index: 'museums',
      size: 0,
      aggs: { centroid: { geo_centroid: { field: 'location' } }, cities: { terms: { field: 'city' }, aggs: { centroid: { geo_centroid: { field: 'location' } } } } },
    });
    const aggs = res.aggregations as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response tree read by path
    expect(aggs.centroid).toEqual({ location: { lat: 51.00982965203002, lon: 3.9662131341174245 }, count: 6 });
    expect(aggs.cities.buckets.map((b: any) => [b.key, b.centroid])).toEqual([ // eslint-disable-line @typescript-eslint/no-explicit-any
      ['Amsterdam', { location: { lat: 52.371655656024814, lon: 4.909563297405839 }, count: 3 }],
      ['Paris', { location: { lat: 48.86055548675358, lon: 2.3316944623366 }, count: 2 }],
      ['Antwerp', { location: { lat: 51.22289997059852, lon: 4.40519998781383 }, count: 1 }],
    ]);
  });

  it('geo_bounds gives the quantized corners of the documentation, and nothing without points', async () => {
    const res = await t.client.search({
      index: 'museums',
      size: 0,
      query: { match: { name: 'musée' } },
      aggs: { viewport: { geo_bounds: { field: 'location', wrap_longitude: true } } },
    });
    expect(res.aggregations?.viewport).toEqual({
      bounds: { top_left: { lat: 48.86111099738628, lon: 2.3269999679178 }, bottom_right: { lat: 48.85999997612089, lon: 2.3363889567553997 } },
    });
    const none = await t.client.search({ index: 'museums', size: 0, query: { match_none: {} }, aggs: { b: { geo_bounds: { field: 'location' } }, c: { geo_centroid: { field: 'location' } } } });
    expect(none.aggregations).toEqual({ b: {}, c: { count: 0 } });
  });

  it('geo_bounds wraps the dateline unless wrap_longitude is false', async () => {
    await t.client.indices.create({ index: 'dateline', mappings: { properties: { p: { type: 'geo_point' } } } });
    await t.client.bulk({ refresh: true, operations: [{ index: { _index: 'dateline' } }, { p: [179, 10] }, { index: { _index: 'dateline' } }, { p: [-179, -10] }] });
    const res = await t.client.search({ index: 'dateline', size: 0, aggs: { w: { geo_bounds: { field: 'p' } }, n: { geo_bounds: { field: 'p', wrap_longitude: false } } } });
    const q = (lat: number, lon: number) => ({ lat: decodeLatitude(encodeLatitude(lat)), lon: decodeLongitude(encodeLongitude(lon)) });
    expect(res.aggregations).toEqual({
      w: { bounds: { top_left: q(10, 179), bottom_right: q(-10, -179) } },
      n: { bounds: { top_left: q(10, -179), bottom_right: q(-10, 179) } },
    });
  });

  it('geohash_grid, geotile_grid and their bounds give the documented buckets', async () => {
    const res = await t.client.search({
      index: 'museums',
      size: 0,
      aggs: {
        hash: { geohash_grid: { field: 'location', precision: 3 } },
        tile: { geotile_grid: { field: 'location', precision: 8 } },
        hashBounded: { geohash_grid: { field: 'location', precision: 3, bounds: { top_left: 'POINT (4.21875 53.4375)', bottom_right: 'POINT (5.625 52.03125)' } } },
      },
    });
    const keys = (agg: unknown) => (agg as { buckets: Array<{ key: string; doc_count: number }> }).buckets.map((b) => [b.key, b.doc_count]);
    expect(keys(res.aggregations?.hash)).toEqual([['u17', 3], ['u09', 2], ['u15', 1]]);
    expect(keys(res.aggregations?.tile)).toEqual([['8/131/84', 3], ['8/129/88', 2], ['8/131/85', 1]]);
    expect(keys(res.aggregations?.hashBounded)).toEqual([['u17', 3]]);
  });

  it('geo_distance ranges count the documented docs, in meters or in km', async () => {
    const res = await t.client.search({
      index: 'museums',
      size: 0,
      aggs: {
        rings: { geo_distance: { field: 'location', origin: 'POINT (4.894 52.3760)', ranges: [{ to: 100000 }, { from: 100000, to: 300000 }, { from: 300000 }] } },
        // `keyed` is not in the client's types
        km: { geo_distance: { field: 'location', origin: 'POINT (4.894 52.3760)', unit: 'km', distance_type: 'plane', keyed: true, ranges: [{ to: 100 }, { from: 100, to: 300 }, { from: 300 }] } } as never,
      },
    });
    const rings = (res.aggregations?.rings as { buckets: Array<{ key: string; doc_count: number }> }).buckets;
    expect(rings.map((b) => [b.key, b.doc_count])).toEqual([['*-100000.0', 3], ['100000.0-300000.0', 1], ['300000.0-*', 2]]);
    expect(res.aggregations?.km).toEqual({
      buckets: { '*-100.0': { to: 100, doc_count: 3 }, '100.0-300.0': { from: 100, to: 300, doc_count: 1 }, '300.0-*': { from: 300, doc_count: 2 } },
    });
  });

  it('a 3-shard index reduces to the same buckets and bounds, and a centroid equal to 1e-12', async () => {
    const aggs = {
      hash: { geohash_grid: { field: 'location', precision: 3 } },
      tile: { geotile_grid: { field: 'location', precision: 8, size: 2 } },
      bounds: { geo_bounds: { field: 'location' } },
      centroid: { geo_centroid: { field: 'location' } },
    };
    const one = (await t.client.search({ index: 'museums', size: 0, aggs })).aggregations as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const three = (await t.client.search({ index: 'museums3', size: 0, aggs })).aggregations as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(three.hash).toEqual(one.hash);
    expect(three.tile).toEqual(one.tile);
    expect(three.tile.buckets).toHaveLength(2);
    expect(three.bounds).toEqual(one.bounds);
    expect(three.centroid.count).toBe(6);
    expect(Math.abs(three.centroid.location.lat - 51.00982965203002)).toBeLessThan(1e-12);
    expect(Math.abs(three.centroid.location.lon - 3.9662131341174245)).toBeLessThan(1e-12);
  });

  it('composite pages geotile_grid cells in tile order', async () => {
    const page = await t.client.search({ index: 'museums3', size: 0, aggs: { c: { composite: { size: 2, sources: [{ tile: { geotile_grid: { field: 'location', precision: 8 } } }] } } } });
    const c = page.aggregations?.c as { buckets: Array<{ key: { tile: string }; doc_count: number }>; after_key: { tile: string } };
    expect(c.buckets.map((b) => [b.key.tile, b.doc_count])).toEqual([['8/129/88', 2], ['8/131/84', 3]]);
    const next = await t.client.search({ index: 'museums3', size: 0, aggs: { c: { composite: { size: 2, after: c.after_key, sources: [{ tile: { geotile_grid: { field: 'location', precision: 8 } } }] } } } });
    expect((next.aggregations?.c as typeof c).buckets.map((b) => [b.key.tile, b.doc_count])).toEqual([['8/131/85', 1]]);
  });
});

describe('geo_point queries', () => {
  it('geo_bounding_box takes every corner form and crosses the dateline', async () => {
    const amsterdam = { top_left: { lat: 52.4, lon: 4.8 }, bottom_right: { lat: 52.3, lon: 5.0 } };
    const forms = [
      amsterdam,
      { top_left: [4.8, 52.4], bottom_right: [5.0, 52.3] },
      { top_left: 'POINT (4.8 52.4)', bottom_right: '52.3, 5.0' },
      { top: 52.4, left: 4.8, bottom: 52.3, right: 5.0 },
      { top_right: { lat: 52.4, lon: 5.0 }, bottom_left: { lat: 52.3, lon: 4.8 } },
      { wkt: 'BBOX (4.8, 5.0, 52.4, 52.3)' },
    ];
    for (const box of forms) expect(ids(await t.client.search({ index: 'museums', query: { geo_bounding_box: { location: box } } }))).toEqual(['1', '2', '3']);
    const dateline = await t.client.search({ index: 'dateline', query: { geo_bounding_box: { p: { top_left: [178, 20], bottom_right: [-178, -20] } } } });
    expect(dateline.hits.hits).toHaveLength(2);
    const err = await failure(t.client.search({ index: 'museums', query: { geo_bounding_box: { location: { top: 1, left: 0, bottom: 2, right: 1 } } } }));
    expect(err.error).toMatchObject({ type: 'illegal_argument_exception', reason: 'top is below bottom corner: 1.0 vs. 2.0' });
  });

  it('geo_distance matches on the quantized point up to the radius, in any unit', async () => {
    const nemo = { lat: decodeLatitude(encodeLatitude(52.374081)), lon: decodeLongitude(encodeLongitude(4.91235)) };
    const d = arcDistance(52.3760, 4.894, nemo.lat, nemo.lon);
    const within = async (distance: string | number) => ids(await t.client.search({ index: 'museums', query: { geo_distance: { distance: distance as string, location: { lat: 52.376, lon: 4.894 } } } }));
    // LatLonPointDistanceQuery: the quantized point's haversine against the radius's sort key
    expect(await within(d + 0.001)).toContain('1');
    expect(await within(d - 0.001)).not.toContain('1');
    expect(await within('200km')).toEqual(['1', '2', '3', '4']);
    expect(await within('124.27mi')).toEqual(['1', '2', '3', '4']);
    const err = await failure(t.client.search({ index: 'museums', query: { geo_distance: { distance: '10km', location: { lat: 95, lon: 4.894 } } } }));
    expect(JSON.stringify(err)).toContain('center point latitude is invalid: 95.0');
    // coerce folds the latitude back over the pole
    expect(ids(await t.client.search({ index: 'museums', query: { geo_distance: { distance: '1.5km', validation_method: 'coerce', location: { lat: 127.624, lon: -175.106 } } } }))).toEqual(['1', '2', '3']);
    expect(ids(await t.client.search({ index: 'museums', query: { geo_distance: { distance: '1km', ignore_unmapped: true, nowhere: [0, 0] } } }))).toEqual([]);
  });

  it('geo_polygon and geo_grid select the same docs as the shapes and cells', async () => {
    const paris = await t.client.search({ index: 'museums', query: { geo_polygon: { location: { points: [[2.3, 48.85], [2.34, 48.85], [2.34, 48.87], [2.3, 48.87]] } } } });
    expect(ids(paris)).toEqual(['5', '6']);
    expect(ids(await t.client.search({ index: 'museums', query: { geo_grid: { location: { geohash: 'u17' } } } }))).toEqual(['1', '2', '3']);
    expect(ids(await t.client.search({ index: 'museums', query: { geo_grid: { location: { geotile: '8/131/85' } } } }))).toEqual(['4']);
    // the tile grid stops at 85.0511°: the aggregation clips a polar point into the top tile, the
    // query is a box query on the tile and leaves it out (GeoGridQueryBuilder.getQueryTile)
    await t.client.index({ index: 'dateline', id: 'polar', document: { p: [-10, 89] }, refresh: true });
    const polar = await t.client.search({ index: 'dateline', size: 0, query: { ids: { values: ['polar'] } }, aggs: { t: { geotile_grid: { field: 'p', precision: 1 } } } });
    expect((polar.aggregations?.t as { buckets: Array<{ key: string }> }).buckets.map((b) => b.key)).toEqual(['1/0/0']);
    expect(ids(await t.client.search({ index: 'dateline', query: { geo_grid: { p: { geotile: '1/0/0' } } } }))).toEqual([]);
    expect(ids(await t.client.search({ index: 'dateline', query: { geo_grid: { p: { geohash: 'g' } } } }))).toEqual(['polar']);
    const err = await failure(t.client.search({ index: 'museums', query: { geo_grid: { location: { geohex: '811fbffffffffff' } } } }));
    expect(err.error).toMatchObject({ type: 'illegal_argument_exception' });
  });
});

describe('geo distance sort and distance_feature', () => {
  it('sorts by the nearest of several points, in km, with "Infinity" for a doc without a point', async () => {
    await t.client.index({ index: 'museums', id: 'nowhere', document: { name: 'no location' }, refresh: true });
    const origin = { lat: 52.376, lon: 4.894 };
    const res = await t.client.search({ index: 'museums', sort: [{ _geo_distance: { location: [origin, 'POINT (2.33 48.86)'], unit: 'km' } }], _source: false });
    const sorted = res.hits.hits.map((h) => [h._id, h.sort?.[0]]);
    expect(sorted.map(([id]) => id)).toEqual(['6', '5', '2', '1', '3', '4', 'nowhere']);
    const nemo = { lat: decodeLatitude(encodeLatitude(52.374081)), lon: decodeLongitude(encodeLongitude(4.91235)) };
    expect(sorted[3]).toEqual(['1', arcDistance(origin.lat, origin.lon, nemo.lat, nemo.lon) / 1000]);
    expect(sorted[6]).toEqual(['nowhere', 'Infinity']);
    const desc = await t.client.search({ index: 'museums', sort: [{ _geo_distance: { location: origin, order: 'desc' } }], _source: false });
    // +Infinity in both orders: first when descending
    expect(desc.hits.hits[0]?._id).toBe('nowhere');
    const after = await t.client.search({ index: 'museums', sort: [{ _geo_distance: { location: origin, order: 'desc' } }], search_after: ['Infinity'], _source: false });
    expect(after.hits.hits.map((h) => h._id)).toEqual(desc.hits.hits.slice(1).map((h) => h._id));
    expect(after.hits.hits).toHaveLength(6);
    const rings = await t.client.search({ index: 'museums', size: 0, aggs: { d: { geo_distance: { field: 'location', origin, missing: '52.376,4.894', ranges: [{ to: 1 }] } as never } } });
    // the doc without a point stands at the origin itself
    expect((rings.aggregations?.d as { buckets: Array<{ doc_count: number }> }).buckets[0]?.doc_count).toBe(1);
    const plain = await failure(t.client.search({ index: 'museums', sort: [{ location: 'asc' }] }));
    expect(JSON.stringify(plain.error)).toContain("can't sort on geo_point field without using specific sorting feature, like geo_distance");
    await t.client.delete({ index: 'museums', id: 'nowhere', refresh: true });
  });

  it('distance_feature scores by the distance to the origin', async () => {
    const res = await t.client.search({ index: 'museums', query: { distance_feature: { field: 'location', pivot: '1km', origin: [4.894, 52.376] } } });
    const first = res.hits.hits[0];
    expect(first?._id).toBe('2');
    const two = { lat: decodeLatitude(encodeLatitude(52.369219)), lon: decodeLongitude(encodeLongitude(4.901618)) };
    expect(Math.fround(first?._score ?? 0)).toBe(Math.fround(1000 / (1000 + arcDistance(52.376, 4.894, two.lat, two.lon))));
  });
});

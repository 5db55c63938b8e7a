import { describe, expect, it } from 'vitest';
import { arcDistance, distanceQuerySortKey, haversinMetersOfKey, haversinSortKey, sloppyAsin, sloppyCos } from '../../../src/engine/geo/sloppy-math.js';
import { decodeLatitude, decodeLongitude, encodeLatitude, encodeLatitudeCeil, encodeLongitude } from '../../../src/engine/geo/geo-encoding.js';

// The expectations are Lucene's TestSloppyMath and TestGeoEncodingUtils (with their epsilons).
describe('SloppyMath', () => {
  it('cos and asin stay within the table error of fdlibm', () => {
    for (const a of [0, 1, Math.PI / 2, -Math.PI / 2, Math.PI / 4, (Math.PI * 2) / 3, -Math.PI / 6, 123.456]) expect(Math.abs(sloppyCos(a) - Math.cos(a))).toBeLessThan(1e-15);
    expect(Number.isNaN(sloppyCos(NaN))).toBe(true);
    for (const x of [-1, -0.8660254, -0.5, 0, 0.5, 0.7071068, 0.99, 1]) expect(Math.abs(sloppyAsin(x) - Math.asin(x))).toBeLessThan(1e-7);
    expect(Number.isNaN(sloppyAsin(2))).toBe(true);
  });

  it('haversinMeters gives the distances of Lucene\'s tests', () => {
    // half a circle on the equator, exactly, with the WGS84 mean radius
    expect(arcDistance(0, 0, 0, 180)).toBe(6_371_008.7714 * Math.PI);
    expect(arcDistance(0, -180, 0, 180)).toBe(0);
    expect(arcDistance(90, -180, 90, 180)).toBe(0);
    const cases: Array<[number, number, number, number, number]> = [
      [40.7143528, -74.0059731, 40.759011, -73.9844722, 5_285.89],
      [40.7143528, -74.0059731, 40.718266, -74.007819, 462.1],
      [40.7143528, -74.0059731, 40.7051157, -74.0088305, 1_054.98],
      [40.7143528, -74.0059731, 40.7247222, -74, 1_258.12],
      [40.7143528, -74.0059731, 40.731033, -73.9962255, 2_028.52],
      [40.7143528, -74.0059731, 40.65, -73.95, 8_572.11],
      [40.7143528 + 720, -74.0059731 - 360, 40.65 - 1080, -73.95 + 1440, 8_572.1137],
    ];
    for (const [a, b, c, d, meters] of cases) expect(Math.abs(arcDistance(a, b, c, d) - meters)).toBeLessThan(0.01);
  });

  it('the sort key converts back to the same distance and the query key bounds the radius from above', () => {
    const key = haversinSortKey(40.7143528, -74.0059731, 40.65, -73.95);
    expect(haversinMetersOfKey(key)).toBe(arcDistance(40.7143528, -74.0059731, 40.65, -73.95));
    for (const radius of [1, 462.1, 8572.11, 1e6, 2e7]) {
      const q = distanceQuerySortKey(radius);
      expect(haversinMetersOfKey(q)).toBeGreaterThanOrEqual(radius);
      // the key just below it is not past the radius (a binary search over the doubles as bit patterns)
      const below = new DataView(new ArrayBuffer(8));
      below.setFloat64(0, q);
      below.setBigUint64(0, below.getBigUint64(0) - 1n);
      expect(haversinMetersOfKey(below.getFloat64(0))).toBeLessThanOrEqual(radius);
    }
  });

  it('encodes as GeoEncodingUtils: floor, ceil, and the poles and dateline mapped below the top', () => {
    expect(encodeLatitude(90)).toBe(2 ** 31 - 1);
    expect(encodeLongitude(180)).toBe(2 ** 31 - 1);
    expect(encodeLatitude(-90)).toBe(-(2 ** 31));
    expect(encodeLatitude(45)).toBe(2 ** 30);
    expect(encodeLatitudeCeil(45)).toBe(2 ** 30);
    expect(encodeLatitudeCeil(45.0000001)).toBe(encodeLatitude(45.0000001) + 1);
    // the geo_bounds example of Elasticsearch's documentation prints these quantized values
    expect(decodeLatitude(encodeLatitude(48.861111))).toBe(48.86111099738628);
    expect(decodeLatitude(encodeLatitude(48.86))).toBe(48.85999997612089);
    expect(decodeLongitude(encodeLongitude(2.327))).toBe(2.3269999679178);
    expect(decodeLongitude(encodeLongitude(2.336389))).toBe(2.3363889567553997);
  });
});

/**
 * Lucene's GeoEncodingUtils: a geo_point is indexed as two 32-bit integers (LatLonPoint), and
 * every query, sort and aggregation of Elasticsearch reads the decoded, quantized values.
 */

const LAT_DECODE = 180 / 2 ** 32;
const LON_DECODE = 360 / 2 ** 32;
/** Math.nextDown(90.0) and Math.nextDown(180.0): the encodings' largest inputs. */
const BELOW_90 = 90 - 2 ** -46;
const BELOW_180 = 180 - 2 ** -45;

/** GeoEncodingUtils.encodeLatitude (floor). */
export const encodeLatitude = (lat: number): number => Math.floor((lat === 90 ? BELOW_90 : lat) / LAT_DECODE);
/** GeoEncodingUtils.encodeLongitude (floor). */
export const encodeLongitude = (lon: number): number => Math.floor((lon === 180 ? BELOW_180 : lon) / LON_DECODE);
/** GeoEncodingUtils.encodeLatitudeCeil. */
export const encodeLatitudeCeil = (lat: number): number => Math.ceil((lat === 90 ? BELOW_90 : lat) / LAT_DECODE);
/** GeoEncodingUtils.encodeLongitudeCeil. */
export const encodeLongitudeCeil = (lon: number): number => Math.ceil((lon === 180 ? BELOW_180 : lon) / LON_DECODE);
export const decodeLatitude = (encoded: number): number => encoded * LAT_DECODE;
export const decodeLongitude = (encoded: number): number => encoded * LON_DECODE;

/** A point as stored: both coordinates encoded. */
export interface EncodedPoint {
  lat: number;
  lon: number;
}

/** A decoded point, as Elasticsearch's doc values give it. */
export interface GeoPoint {
  lat: number;
  lon: number;
}

/** The point of `lat`, `lon` once indexed and read back. */
export function quantize(lat: number, lon: number): GeoPoint {
  return { lat: decodeLatitude(encodeLatitude(lat)), lon: decodeLongitude(encodeLongitude(lon)) };
}

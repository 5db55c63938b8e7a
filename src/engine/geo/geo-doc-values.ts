import type { FieldInfo, SegmentView } from '../contract.js';
import { decodeLatitude, decodeLongitude, encodeLatitude, encodeLongitude } from './geo-encoding.js';
import type { GeoPoint } from './geo-encoding.js';
import { geohashCell } from './grid-cells.js';

/**
 * A geo_point field's values in one segment, as LatLonDocValuesField gives them: every point
 * quantized (GeoEncodingUtils), ordered by the encoded long (latitude bits, then longitude bits).
 * The field keeps each value as written (`lat,lon`, or a geohash, whose bottom-left corner is
 * the point, as GeoPoint.resetFromGeoHash); a field without doc values is read from its terms.
 */

export type PointReader = (doc: number) => readonly GeoPoint[] | undefined;

const cache = new WeakMap<SegmentView, Map<string, PointReader>>();

/** The decoded point of one stored value. */
export function storedPoint(text: string): GeoPoint {
  const comma = text.indexOf(',');
  let lat: number;
  let lon: number;
  if (comma < 0) {
    const cell = geohashCell(text);
    lat = cell.minLat;
    lon = cell.minLon;
  } else {
    lat = Number(text.slice(0, comma));
    lon = Number(text.slice(comma + 1));
  }
  return { lat: decodeLatitude(encodeLatitude(lat)), lon: decodeLongitude(encodeLongitude(lon)) };
}

function sortPoints(points: GeoPoint[]): GeoPoint[] {
  // the encoded long orders longitudes as unsigned ints: negative ones after positive ones
  const lonKey = (p: GeoPoint): number => (p.lon < 0 ? p.lon + 1000 : p.lon);
  if (points.length > 1) points.sort((a, b) => a.lat - b.lat || lonKey(a) - lonKey(b));
  return points;
}

/** The reader of `info`'s points in `seg` (cached per segment). */
export function pointReader(seg: SegmentView, info: FieldInfo): PointReader {
  let perSeg = cache.get(seg);
  if (!perSeg) cache.set(seg, (perSeg = new Map()));
  const known = perSeg.get(info.path);
  if (known) return known;
  let reader: PointReader;
  if (info.docValues) {
    const memo = new Map<number, readonly GeoPoint[]>();
    reader = (doc) => {
      const hit = memo.get(doc);
      if (hit) return hit;
      const values = seg.keywordValues(info.path, doc);
      if (!values || values.length === 0) return undefined;
      const points = sortPoints(values.map(storedPoint));
      memo.set(doc, points);
      return points;
    };
  } else {
    const byDoc = new Map<number, GeoPoint[]>();
    for (const term of seg.terms(info.path)) {
      const docs = seg.termDocIds ? seg.termDocIds(info.path, term) : seg.postings(info.path, term)?.docs;
      if (!docs) continue;
      const point = storedPoint(term);
      for (const d of docs) {
        const list = byDoc.get(d);
        if (list) list.push(point);
        else byDoc.set(d, [point]);
      }
    }
    for (const list of byDoc.values()) sortPoints(list);
    reader = (doc) => byDoc.get(doc);
  }
  perSeg.set(info.path, reader);
  return reader;
}

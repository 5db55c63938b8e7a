import type { GeoPoint } from '../../geo/geo-encoding.js';
import { centeredModulus, normalizeLon } from '../../geo/grid-cells.js';

/**
 * GeoUtils.normalizePoint(point, normLat, normLon): a latitude beyond the poles folds back (and
 * shifts the longitude by 180), longitudes wrap into (-180, 180].
 */
export function normalizeGeoPoint(point: GeoPoint, normLatIn: boolean, normLonIn: boolean): GeoPoint {
  let { lat, lon } = point;
  const normLat = normLatIn && (lat > 90 || lat < -90);
  const normLon = normLonIn && (lon > 180 || lon < -180 || normLat);
  if (normLat) {
    lat = centeredModulus(lat, 360);
    let shift = true;
    if (lat < -90) lat = -180 - lat;
    else if (lat > 90) lat = 180 - lat;
    else shift = false;
    if (shift) lon += normLon ? 180 : normalizeLon(lon) > 0 ? -180 : 180;
  }
  if (normLon) lon = centeredModulus(lon, 360);
  return { lat, lon };
}

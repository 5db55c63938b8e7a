/**
 * Lucene's SloppyMath (cos and asin from look-up tables, the haversine sort key) and
 * GeoUtils.distanceQuerySortKey, reproduced bit for bit: the tables are filled with fdlibm's
 * sin/cos/asin, which is what V8's Math functions and Java's StrictMath both are. Elasticsearch's
 * `arc` distances, distance queries and `_geo_distance` sort values are these numbers.
 */

/** Earth's mean radius in meters (SloppyMath.TO_METERS, GeoUtils.EARTH_MEAN_RADIUS). */
export const EARTH_MEAN_RADIUS = 6_371_008.7714;

/** Math.toRadians: one multiplication by Java's DEGREES_TO_RADIANS. */
const DEGREES_TO_RADIANS = 0.017453292519943295;
export const toRadians = (deg: number): number => deg * DEGREES_TO_RADIANS;
export const toDegrees = (rad: number): number => rad * 57.29577951308232;

const bits = new DataView(new ArrayBuffer(8));
function fromBits(hi: number, lo: number): number {
  bits.setUint32(0, hi);
  bits.setUint32(4, lo);
  return bits.getFloat64(0);
}

const ONE_DIV_F2 = 1 / 2.0;
const ONE_DIV_F3 = 1 / 6.0;
const ONE_DIV_F4 = 1 / 24.0;
const PIO2_HI = fromBits(0x3ff921fb, 0x54400000);
const PIO2_LO = fromBits(0x3dd0b461, 0x1a626331);
const TWOPI_HI = 4 * PIO2_HI;
const TWOPI_LO = 4 * PIO2_LO;
const SIN_COS_TABS_SIZE = (1 << 11) + 1;
const SIN_COS_DELTA_HI = TWOPI_HI / (SIN_COS_TABS_SIZE - 1);
const SIN_COS_DELTA_LO = TWOPI_LO / (SIN_COS_TABS_SIZE - 1);
const SIN_COS_INDEXER = 1 / (SIN_COS_DELTA_HI + SIN_COS_DELTA_LO);
const SIN_COS_MAX_VALUE_FOR_INT_MODULO = ((0x7fffffff >> 9) / SIN_COS_INDEXER) * 0.99;
const sinTab = new Float64Array(SIN_COS_TABS_SIZE);
const cosTab = new Float64Array(SIN_COS_TABS_SIZE);

const ASIN_MAX_VALUE_FOR_TABS = Math.sin(73.0 * DEGREES_TO_RADIANS);
const ASIN_TABS_SIZE = (1 << 13) + 1;
const ASIN_DELTA = ASIN_MAX_VALUE_FOR_TABS / (ASIN_TABS_SIZE - 1);
const ASIN_INDEXER = 1 / ASIN_DELTA;
const asinTab = new Float64Array(ASIN_TABS_SIZE);
const asinDer1DivF1Tab = new Float64Array(ASIN_TABS_SIZE);
const asinDer2DivF2Tab = new Float64Array(ASIN_TABS_SIZE);
const asinDer3DivF3Tab = new Float64Array(ASIN_TABS_SIZE);
const asinDer4DivF4Tab = new Float64Array(ASIN_TABS_SIZE);
const ASIN_PIO2_HI = fromBits(0x3ff921fb, 0x54442d18);
const ASIN_PIO2_LO = fromBits(0x3c91a626, 0x33145c07);
const ASIN_PS0 = fromBits(0x3fc55555, 0x55555555);
const ASIN_PS1 = fromBits(0xbfd4d612, 0x03eb6f7d);
const ASIN_PS2 = fromBits(0x3fc9c155, 0x0e884455);
const ASIN_PS3 = fromBits(0xbfa48228, 0xb5688f3b);
const ASIN_PS4 = fromBits(0x3f49efe0, 0x7501b288);
const ASIN_PS5 = fromBits(0x3f023de1, 0x0dfdf709);
const ASIN_QS1 = fromBits(0xc0033a27, 0x1c8a2d4b);
const ASIN_QS2 = fromBits(0x40002ae5, 0x9c598ac8);
const ASIN_QS3 = fromBits(0xbfe6066c, 0x1b8d0159);
const ASIN_QS4 = fromBits(0x3fb3b8c5, 0xb12e9282);

{
  const piIndex = (SIN_COS_TABS_SIZE - 1) / 2;
  for (let i = 0; i < SIN_COS_TABS_SIZE; i++) {
    const angle = i * SIN_COS_DELTA_HI + i * SIN_COS_DELTA_LO;
    let sinAngle = Math.sin(angle);
    let cosAngle = Math.cos(angle);
    if (i === piIndex || i === 2 * piIndex) sinAngle = 0.0;
    else if (i === piIndex / 2 || i === (3 * piIndex) / 2) cosAngle = 0.0;
    sinTab[i] = sinAngle;
    cosTab[i] = cosAngle;
  }
  for (let i = 0; i < ASIN_TABS_SIZE; i++) {
    const x = i * ASIN_DELTA;
    asinTab[i] = Math.asin(x);
    const inv = 1.0 / (1 - x * x);
    const inv05 = Math.sqrt(inv);
    const inv15 = inv05 * inv;
    const inv25 = inv15 * inv;
    const inv35 = inv25 * inv;
    asinDer1DivF1Tab[i] = inv05;
    asinDer2DivF2Tab[i] = x * inv15 * ONE_DIV_F2;
    asinDer3DivF3Tab[i] = (1 + 2 * x * x) * inv25 * ONE_DIV_F3;
    asinDer4DivF4Tab[i] = (5 + 2 * x * (2 + x * (5 - 2 * x))) * inv35 * ONE_DIV_F4;
  }
}

/** SloppyMath.cos. */
export function sloppyCos(angle: number): number {
  let a = angle < 0.0 ? -angle : angle;
  if (a > SIN_COS_MAX_VALUE_FOR_INT_MODULO) return Math.cos(a);
  let index = Math.trunc(a * SIN_COS_INDEXER + 0.5);
  const delta = a - index * SIN_COS_DELTA_HI - index * SIN_COS_DELTA_LO;
  index &= SIN_COS_TABS_SIZE - 2;
  const indexCos = cosTab[index] as number;
  const indexSin = sinTab[index] as number;
  a = indexCos + delta * (-indexSin + delta * (-indexCos * ONE_DIV_F2 + delta * (indexSin * ONE_DIV_F3 + delta * indexCos * ONE_DIV_F4)));
  return a;
}

/** SloppyMath.asin. */
export function sloppyAsin(value: number): number {
  const negate = value < 0.0;
  const a = negate ? -value : value;
  let result: number;
  if (a <= ASIN_MAX_VALUE_FOR_TABS) {
    const index = Math.trunc(a * ASIN_INDEXER + 0.5);
    const delta = a - index * ASIN_DELTA;
    result =
      (asinTab[index] as number) +
      delta * ((asinDer1DivF1Tab[index] as number) + delta * ((asinDer2DivF2Tab[index] as number) + delta * ((asinDer3DivF3Tab[index] as number) + delta * (asinDer4DivF4Tab[index] as number))));
  } else if (a < 1.0) {
    const t = (1.0 - a) * 0.5;
    const p = t * (ASIN_PS0 + t * (ASIN_PS1 + t * (ASIN_PS2 + t * (ASIN_PS3 + t * (ASIN_PS4 + t * ASIN_PS5)))));
    const q = 1.0 + t * (ASIN_QS1 + t * (ASIN_QS2 + t * (ASIN_QS3 + t * ASIN_QS4)));
    const s = Math.sqrt(t);
    const z = s + s * (p / q);
    result = ASIN_PIO2_HI - (z + z - ASIN_PIO2_LO);
  } else if (a === 1.0) {
    result = Math.PI / 2;
  } else {
    return NaN;
  }
  return negate ? -result : result;
}

/** SloppyMath.haversinSortKey: compares as the distance does, the last three mantissa bits cleared. */
export function haversinSortKey(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const x1 = toRadians(lat1);
  const x2 = toRadians(lat2);
  const h1 = 1 - sloppyCos(x1 - x2);
  const h2 = 1 - sloppyCos(toRadians(lon1 - lon2));
  const h = h1 + sloppyCos(x1) * sloppyCos(x2) * h2;
  bits.setFloat64(0, h);
  bits.setUint32(4, bits.getUint32(4) & 0xfffffff8);
  return bits.getFloat64(0);
}

/** SloppyMath.haversinMeters of a sort key. */
export function haversinMetersOfKey(sortKey: number): number {
  return EARTH_MEAN_RADIUS * 2 * sloppyAsin(Math.min(1, Math.sqrt(sortKey * 0.5)));
}

/** SloppyMath.haversinMeters: GeoUtils.arcDistance. */
export function arcDistance(lat1: number, lon1: number, lat2: number, lon2: number): number {
  return haversinMetersOfKey(haversinSortKey(lat1, lon1, lat2, lon2));
}

/** GeoUtils.planeDistance. */
export function planeDistance(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const x = toRadians(lon2 - lon1) * Math.cos(toRadians((lat2 + lat1) / 2.0));
  const y = toRadians(lat2 - lat1);
  return Math.sqrt(x * x + y * y) * EARTH_MEAN_RADIUS;
}

const MAX_VALUE_KEY = haversinMetersOfKey(Number.MAX_VALUE);

/**
 * Lucene GeoUtils.distanceQuerySortKey: the smallest sort key whose distance is >= `radius`
 * (a binary search over the non-negative doubles as 64-bit patterns).
 */
export function distanceQuerySortKey(radius: number): number {
  if (radius >= MAX_VALUE_KEY) return MAX_VALUE_KEY;
  const view = new DataView(new ArrayBuffer(8));
  const toDouble = (n: bigint): number => {
    view.setBigUint64(0, n);
    return view.getFloat64(0);
  };
  view.setFloat64(0, Number.MAX_VALUE);
  let lo = 0n;
  let hi = view.getBigUint64(0);
  while (lo <= hi) {
    const mid = (lo + hi) >> 1n;
    const key = toDouble(mid);
    const midRadius = haversinMetersOfKey(key);
    if (midRadius === radius) return key;
    if (midRadius > radius) hi = mid - 1n;
    else lo = mid + 1n;
  }
  return toDouble(lo);
}

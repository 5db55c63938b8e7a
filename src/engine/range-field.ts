import { illegalArgument } from './errors.js';
import { formatIp, parseCidr, parseIp } from './ip-address.js';

/**
 * Range field types (RangeFieldMapper): integer_range, long_range, float_range, double_range,
 * date_range, ip_range. A value is kept as Elasticsearch indexes it, an inclusive [from, to]:
 * `gt`/`lt` step to the next/previous representable value, a missing bound is the type's
 * minimum/maximum. Doc values hold `from\u0000to` (numbers as their text, dates as epoch millis,
 * ips as 32 hex digits, which compare in address order).
 */

export const RANGE_TYPES = ['integer_range', 'long_range', 'float_range', 'double_range', 'date_range', 'ip_range'] as const;
export type RangeType = (typeof RANGE_TYPES)[number];

export const isRangeType = (type: string): type is RangeType => (RANGE_TYPES as readonly string[]).includes(type);

/** One bound: a number (dates as epoch millis) or 16 ip bytes as 32 hex digits. */
export type Bound = number | string;

export interface StoredRange {
  from: Bound;
  to: Bound;
}

const IP_MIN = '0'.repeat(32);
const IP_MAX = 'f'.repeat(32);

function nextUp(x: number, float: boolean): number {
  if (float) {
    const buf = new Float32Array([x]);
    const bits = new Int32Array(buf.buffer);
    if (x === 0) return 1.401298464324817e-45;
    bits[0]! += x > 0 ? 1 : -1;
    return buf[0]!;
  }
  if (x === 0) return Number.MIN_VALUE;
  const buf = new Float64Array([x]);
  const bits = new BigInt64Array(buf.buffer);
  bits[0]! += x > 0 ? 1n : -1n;
  return buf[0]!;
}

const nextDown = (x: number, float: boolean): number => -nextUp(-x, float);

function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function stepIp(hex: string, up: boolean): string {
  const n = BigInt(`0x${hex}`) + (up ? 1n : -1n);
  return n.toString(16).padStart(32, '0').slice(-32);
}

/** The type's bound after (`up`) or before a bound, for `gt`/`lt`. */
export function step(type: RangeType, v: Bound, up: boolean): Bound {
  if (type === 'ip_range') return stepIp(v as string, up);
  if (type === 'float_range' || type === 'double_range') return up ? nextUp(v as number, type === 'float_range') : nextDown(v as number, type === 'float_range');
  return (v as number) + (up ? 1 : -1);
}

export function minBound(type: RangeType): Bound {
  switch (type) {
    case 'integer_range':
      return -2147483648;
    case 'long_range':
    case 'date_range':
      return -(2 ** 63);
    case 'ip_range':
      return IP_MIN;
    default:
      return -Infinity;
  }
}

export function maxBound(type: RangeType): Bound {
  switch (type) {
    case 'integer_range':
      return 2147483647;
    case 'long_range':
    case 'date_range':
      return 2 ** 63;
    case 'ip_range':
      return IP_MAX;
    default:
      return Infinity;
  }
}

/** A bound of a numeric range type from a JSON value (ES's NumberFieldMapper parsing, with coercion). */
export function numericBound(type: RangeType, value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : Number.NaN;
  if (Number.isNaN(n)) throw illegalArgument(`For input string: "${String(value)}"`);
  if (type === 'integer_range' || type === 'long_range') {
    const t = Math.trunc(n);
    const [lo, hi] = type === 'integer_range' ? [-2147483648, 2147483647] : [-(2 ** 63), 2 ** 63];
    if (t < lo || t > hi) throw illegalArgument(`Value [${String(value)}] is out of range for ${type === 'integer_range' ? 'an integer' : 'a long'}`);
    return t;
  }
  if (type === 'float_range') return Math.fround(n);
  return n;
}

export function ipBound(value: unknown): string {
  const bytes = typeof value === 'string' ? parseIp(value) : undefined;
  if (!bytes) throw illegalArgument(`'${String(value)}' is not an IP string literal.`);
  return hexOf(bytes);
}

export function compareBounds(a: Bound, b: Bound): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * An indexed range from its JSON form: `{gt|gte|from, lt|lte|to}` (ip_range also a CIDR string).
 * `bound` converts one bound value of the field's type.
 */
export function parseRangeValue(type: RangeType, value: unknown, bound: (v: unknown, roundUp: boolean) => Bound): StoredRange {
  if (type === 'ip_range' && typeof value === 'string') {
    const cidr = parseCidr(value);
    if (!cidr) throw illegalArgument(`Expected [ip/prefix] but was [${value}]`);
    return { from: hexOf(cidr[0]), to: hexOf(cidr[1]) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw illegalArgument(`error parsing field, expected an object but got ${typeof value === 'string' ? 'VALUE_STRING' : 'VALUE_NUMBER'}`);
  }
  let from = minBound(type);
  let to = maxBound(type);
  let includeFrom = true;
  let includeTo = true;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null) continue;
    switch (key) {
      case 'gt':
      case 'gte':
      case 'from':
        // RangeType.DATE: an exclusive lower bound parses rounding up, an inclusive upper one too
        from = bound(v, key === 'gt');
        includeFrom = key !== 'gt';
        break;
      case 'lt':
      case 'lte':
      case 'to':
        to = bound(v, key !== 'lt');
        includeTo = key !== 'lt';
        break;
      case 'include_lower':
        includeFrom = v === true || v === 'true';
        break;
      case 'include_upper':
        includeTo = v === true || v === 'true';
        break;
      default:
        throw illegalArgument(`error parsing field, with unknown parameter [${key}]`);
    }
  }
  if (!includeFrom) from = step(type, from, true);
  if (!includeTo) to = step(type, to, false);
  if (compareBounds(from, to) > 0) throw illegalArgument(`min value (${printPlain(type, from)}) is greater than max value (${printPlain(type, to)})`);
  return { from, to };
}

function printPlain(type: RangeType, v: Bound): string {
  return type === 'ip_range' ? formatIp(Uint8Array.from(Buffer.from(v as string, 'hex'))) : String(v);
}

export function encodeRange(r: StoredRange): string {
  return `${String(r.from)}\u0000${String(r.to)}`;
}

export function decodeRange(type: RangeType, text: string): StoredRange {
  const [a, b] = text.split('\u0000') as [string, string];
  return type === 'ip_range' ? { from: a, to: b } : { from: Number(a), to: Number(b) };
}

export const RELATIONS = ['intersects', 'within', 'contains'] as const;
export type Relation = (typeof RELATIONS)[number];

/** ShapeRelation of a doc's range to the query's [lo, hi]: intersects, within (the doc's inside), contains (the query's inside). */
export function relates(r: StoredRange, lo: Bound, hi: Bound, relation: Relation): boolean {
  switch (relation) {
    case 'intersects':
      return compareBounds(r.from, hi) <= 0 && compareBounds(r.to, lo) >= 0;
    case 'within':
      return compareBounds(r.from, lo) >= 0 && compareBounds(r.to, hi) <= 0;
    case 'contains':
      return compareBounds(r.from, lo) <= 0 && compareBounds(r.to, hi) >= 0;
  }
}

/** An ip bound (32 hex digits) as ES prints it. */
export function printIpBound(hex: string): string {
  return formatIp(Uint8Array.from(Buffer.from(hex, 'hex')));
}

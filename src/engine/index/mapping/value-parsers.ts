import { EngineError, illegalArgument } from '../../errors.js';
import { formatIp, parseIp } from '../../ip-address.js';
import type { CompletionEntry } from '../parsed-document.js';
import type { FieldMapper, LeafType } from './mapper-types.js';
import { countTokens } from '../../analysis/token-count.js';
import { encodeRange, ipBound, numericBound, parseRangeValue } from '../../range-field.js';
import type { Bound, RangeType } from '../../range-field.js';
// date_range bounds parse as query bounds do: an upper bound rounds up (`2016-11-01` -> its last millisecond)
import { compileDateFormat as compileQueryDateFormat } from '../../search/date-format.js';
import { UTC } from '../../search/date-math.js';
import { DEFAULT_DATE_FORMAT } from './date-format.js';
import { FEATURE_META_FIELD, checkFeatureValue, encodeFeature, parseFeatureFloat } from '../../rank-feature.js';

/**
 * Converts one JSON value of a leaf field into what gets indexed, per field type, with
 * Elasticsearch's coercion rules. Throws an EngineError (the `caused_by` of a document
 * parsing failure) for malformed values.
 */
export type Converted =
  | { kind: 'text' | 'keyword'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'completion'; value: CompletionEntry[] }
  | { kind: 'date_nanos'; value: bigint }
  /** A FeatureField's term frequency (rank_feature). */
  | { kind: 'feature'; value: number };

type Converter = (mapper: FieldMapper, value: unknown) => Converted;

const INTEGER_RANGES: Partial<Record<LeafType, [number, number, string]>> = {
  long: [-(2 ** 63), 2 ** 63, 'long'],
  integer: [-2147483648, 2147483647, 'integer'],
  short: [-32768, 32767, 'short'],
  byte: [-128, 127, 'byte'],
  unsigned_long: [0, 2 ** 64, 'unsigned_long'],
};

function forInput(value: unknown): EngineError {
  return illegalArgument(`For input string: "${typeof value === 'string' ? value : JSON.stringify(value)}"`);
}

/** Java's Double.parseDouble decimal syntax: a float/double type suffix is allowed (`1.0d`), JS-only forms (`0x10`) are not. */
const JAVA_DOUBLE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;

/** A string as a floating-point field parses it (Double.parseDouble), NaN when it is not a number. */
function javaParseDouble(text: string): number {
  if (!JAVA_DOUBLE.test(text)) return NaN;
  return Number(text.replace(/[fFdD]$/, ''));
}

function toNumber(mapper: FieldMapper, value: unknown, floatingPoint = false): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (!mapper.coerce) throw illegalArgument(`[coerce] is false, can't parse a string value [${value}]`);
    const trimmed = value.trim();
    const n = trimmed === '' ? NaN : floatingPoint ? javaParseDouble(trimmed) : Number(trimmed);
    if (Number.isNaN(n)) throw forInput(value);
    return n;
  }
  if (typeof value === 'boolean') throw illegalArgument(`Current token (VALUE_${String(value).toUpperCase()}) not numeric, can not use numeric value accessors`);
  throw forInput(value);
}

const integer: Converter = (mapper, value) => {
  let n = toNumber(mapper, value);
  if (!Number.isFinite(n)) throw forInput(value);
  if (!Number.isInteger(n)) {
    if (!mapper.coerce) throw illegalArgument(`Value [${String(value)}] has a decimal part`);
    n = Math.trunc(n);
  }
  const range = INTEGER_RANGES[mapper.type];
  if (range && (n < range[0] || n > range[1])) throw illegalArgument(`Value [${String(value)}] is out of range for ${range[2] === 'integer' ? 'an' : 'a'} ${range[2]}`);
  return { kind: 'number', value: n };
};

const floating: Converter = (mapper, value) => {
  let n = toNumber(mapper, value, true);
  if (!Number.isFinite(n)) throw illegalArgument(`[${mapper.type}] supports only finite values, but got [${String(value)}]`);
  if (mapper.type === 'float') n = Math.fround(n);
  return { kind: 'number', value: n };
};

const scaled: Converter = (mapper, value) => {
  const n = toNumber(mapper, value);
  if (!Number.isFinite(n)) throw illegalArgument(`[scaled_float] only supports finite values, but got [${String(value)}]`);
  const factor = mapper.info.scalingFactor ?? 1;
  return { kind: 'number', value: Math.round(n * factor) / factor };
};

const boolean: Converter = (_mapper, value) => {
  if (value === true || value === 'true') return { kind: 'number', value: 1 };
  if (value === false || value === 'false' || value === '') return { kind: 'number', value: 0 };
  throw illegalArgument(`Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`);
};

const date: Converter = (mapper, value) => {
  const parse = mapper.dateParser;
  let millis: number | undefined;
  if (parse && (typeof value === 'number' || typeof value === 'string')) {
    millis = parse(value);
    if (millis === undefined && typeof value === 'number') millis = parse(String(value));
  }
  if (millis === undefined) throw illegalArgument(`failed to parse date field [${String(value)}] with format [${mapper.dateFormat ?? ''}]`);
  return { kind: 'number', value: millis };
};

/** date_nanos: the mapping's format parsed to nanoseconds; instants outside 1970..2262 are refused (DateUtils.toLong). */
const dateNanos: Converter = (mapper, value) => {
  const parse = mapper.info.parseDateNanos;
  if (!parse) throw illegalArgument(`failed to parse date field [${String(value)}] with format [${mapper.dateFormat ?? ''}]`);
  try {
    return { kind: 'date_nanos', value: parse(value) };
  } catch (error) {
    if (error instanceof EngineError && error.type === 'mapper_parsing_exception') throw illegalArgument(error.message);
    throw error;
  }
};

/** A range field: its inclusive [from, to], encoded for doc values (range-field.ts). */
const range: Converter = (mapper, value) => {
  const type = mapper.type as RangeType;
  const dateParse = type === 'date_range' ? compileQueryDateFormat(mapper.dateFormat ?? DEFAULT_DATE_FORMAT) : undefined;
  const bound = (v: unknown, roundUp: boolean): Bound => {
    if (type === 'ip_range') return ipBound(v);
    if (dateParse) {
      if (typeof v === 'number') return Math.trunc(v);
      const millis = dateParse(String(v), roundUp, UTC);
      if (millis === undefined) throw illegalArgument(`failed to parse date field [${String(v)}] with format [${mapper.dateFormat ?? DEFAULT_DATE_FORMAT}]`);
      return millis;
    }
    if (typeof v === 'string' && !mapper.coerce) throw illegalArgument(`[coerce] is false, can't parse a string value [${v}]`);
    return numericBound(type, v);
  };
  return { kind: 'keyword', value: encodeRange(parseRangeValue(type, value, bound)) };
};

const stringish = (kind: 'text' | 'keyword'): Converter => (_mapper, value) => {
  if (typeof value === 'string') return { kind, value };
  if (typeof value === 'number' || typeof value === 'boolean') return { kind, value: String(value) };
  throw illegalArgument(`Can't get text on a START_OBJECT`);
};

const completion: Converter = (_mapper, value) => {
  if (typeof value === 'string') return { kind: 'completion', value: [{ input: value, weight: 1 }] };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const inputs = Array.isArray(record.input) ? record.input : [record.input];
    const weight = record.weight === undefined ? 1 : Number(record.weight);
    if (!Number.isInteger(weight) || weight < 0) throw illegalArgument(`weight must be a non-negative integer, got [${String(record.weight)}]`);
    let given: Record<string, unknown> | undefined;
    if (record.contexts !== undefined) {
      if (!_mapper.info.completion?.contexts) throw illegalArgument(`contexts field is not supported for field: [${_mapper.path}]`);
      if (typeof record.contexts !== 'object' || record.contexts === null || Array.isArray(record.contexts)) throw illegalArgument(`contexts must be an object, got [${JSON.stringify(record.contexts)}]`);
      given = record.contexts as Record<string, unknown>;
    }
    return { kind: 'completion', value: inputs.filter((i): i is string => typeof i === 'string').map((input) => ({ input, weight, ...(given ? { given } : {}) })) };
  }
  throw illegalArgument(`failed to parse completion value [${String(value)}]`);
};

/** binary: a base64 string (Jackson's binaryValue), kept in its canonical padded base64 form. */
const binary: Converter = (_mapper, value) => {
  if (typeof value !== 'string') throw illegalArgument(`Current token (${typeof value === 'number' ? 'VALUE_NUMBER_INT' : 'VALUE_' + String(value).toUpperCase()}) not VALUE_STRING or VALUE_EMBEDDED_OBJECT, can not access as binary`);
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) {
    throw illegalArgument(`Failed to decode VALUE_STRING as base64 (MIME-NO-LINEFEEDS): Illegal character or padding in base64 content`);
  }
  return { kind: 'keyword', value: Buffer.from(compact, 'base64').toString('base64') };
};

/** ip: an IPv4 or IPv6 literal, kept as Elasticsearch prints it back (InetAddresses.toAddrString). */
const ip: Converter = (_mapper, value) => {
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  const bytes = text === undefined ? undefined : parseIp(text);
  if (!bytes) throw illegalArgument(`'${String(value)}' is not an IP string literal.`);
  return { kind: 'keyword', value: formatIp(bytes) };
};

const GEOHASH = /^[0-9b-hjkmnp-z]{1,12}$/;

function latLon(lat: number, lon: number, value: unknown): Converted {
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw illegalArgument(`latitude must be between -90.0 and 90.0, but was ${String(lat)} in [${JSON.stringify(value)}]`);
  if (!Number.isFinite(lon) || lon < -180 || lon > 180) throw illegalArgument(`longitude must be between -180.0 and 180.0, but was ${String(lon)} in [${JSON.stringify(value)}]`);
  return { kind: 'keyword', value: `${lat},${lon}` };
}

/** geo_point: the input forms GeoUtils.parseGeoPoint accepts (object, [lon, lat], "lat,lon", geohash, WKT POINT). */
const geoPoint: Converter = (_mapper, value) => {
  if (Array.isArray(value)) {
    if (value.length < 2 || value.length > 3 || !value.every((v) => typeof v === 'number')) throw illegalArgument(`[geo_point] expected 2 or 3 coordinates but found: [${value.length}]`);
    return latLon(value[1] as number, value[0] as number, value);
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (record.type !== undefined || record.coordinates !== undefined) {
      if (String(record.type).toLowerCase() !== 'point' || !Array.isArray(record.coordinates)) throw illegalArgument(`[type] for geo_point can only be 'Point'`);
      return geoPoint(_mapper, record.coordinates);
    }
    if (record.geohash !== undefined) return geoPoint(_mapper, String(record.geohash));
    const lat = typeof record.lat === 'string' ? Number(record.lat) : record.lat;
    const lon = typeof record.lon === 'string' ? Number(record.lon) : record.lon;
    if (typeof lat !== 'number') throw illegalArgument('field [lat] missing');
    if (typeof lon !== 'number') throw illegalArgument('field [lon] missing');
    return latLon(lat, lon, value);
  }
  if (typeof value === 'string') {
    const text = value.trim();
    const wkt = /^POINT\s*\(\s*(\S+)\s+(\S+)(?:\s+\S+)?\s*\)$/i.exec(text);
    if (wkt) return latLon(Number(wkt[2]), Number(wkt[1]), value);
    const comma = text.split(',');
    if (comma.length === 2 || comma.length === 3) return latLon(Number(comma[0]!.trim()), Number(comma[1]!.trim()), value);
    if (GEOHASH.test(text)) return { kind: 'keyword', value: text };
  }
  throw illegalArgument(`failed to parse [${String(value)}] as geo_point`);
};

/** token_count: the number of positions (or tokens) the field's analyzer gives the value. */
const tokenCount: Converter = (mapper, value) => {
  const analyzer = mapper.info.analyzer;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw illegalArgument(`Can't get text on a START_OBJECT`);
  return { kind: 'number', value: analyzer ? countTokens(analyzer, String(value), mapper.info.enablePositionIncrements !== false) : 0 };
};

/** RankFeatureFieldMapper.parseCreateField: the float (inverted for a negative score impact) as FeatureField's frequency. */
const rankFeature: Converter = (mapper, value) => {
  let v = parseFeatureFloat(value);
  if (mapper.info.positiveScoreImpact === false) v = Math.fround(1 / v);
  return { kind: 'feature', value: encodeFeature(checkFeatureValue(v, mapper.path, FEATURE_META_FIELD)) };
};

/** A geo_point value of any accepted form as `lat,lon` (throws an EngineError for a malformed one). */
export function parseGeoPoint(value: unknown): string {
  const converted = geoPoint(undefined as never, value);
  return converted.kind === 'keyword' ? converted.value : '';
}

export const VALUE_CONVERTERS: Record<LeafType, Converter> = {
  text: stringish('text'),
  match_only_text: stringish('text'),
  search_as_you_type: stringish('text'),
  keyword: stringish('keyword'),
  long: integer,
  integer,
  short: integer,
  byte: integer,
  unsigned_long: integer,
  double: floating,
  float: floating,
  half_float: floating,
  scaled_float: scaled,
  boolean,
  date,
  date_nanos: dateNanos,
  completion,
  binary,
  ip,
  geo_point: geoPoint,
  token_count: tokenCount,
  integer_range: range,
  long_range: range,
  float_range: range,
  double_range: range,
  date_range: range,
  ip_range: range,
  // a flattened object is split into keyword values by flattened-field.ts, never converted as one value
  flattened: () => {
    throw illegalArgument(`a flattened field is parsed as an object`);
  },
  // a percolator query is parsed as a query by the document parser, never converted as a value
  percolator: () => {
    throw illegalArgument(`a percolator field is parsed as a query`);
  },
  rank_feature: rankFeature,
  // a rank_features object is split into its features by document-parser.ts, never converted as one value
  rank_features: () => {
    throw illegalArgument(`a rank_features field is parsed as an object`);
  },
  // a vector is parsed whole by dense-vector.ts, never one value at a time
  dense_vector: () => {
    throw illegalArgument(`a dense_vector field is parsed as one array`);
  },
  // a join value is parsed by join-field.ts (its relation name and the hidden link fields)
  join: () => {
    throw illegalArgument(`a join field is parsed by its mapper`);
  },
  // a constant_keyword value is checked against the mapping by the document parser, never indexed
  constant_keyword: () => {
    throw illegalArgument(`a constant_keyword value is not indexed`);
  },
};

import { EngineError, unsupported } from '../../errors.js';
import { formatIp, parseIp } from '../../ip-address.js';
import { nanosToMillis, subMillisNanos } from '../../date-nanos.js';
import { javaFloat } from '../../search/float-format.js';
import { dateFormatter } from '../../search/aggs/value-format.js';
import { DEFAULT_DATE_FORMAT, DEFAULT_DATE_NANOS_FORMAT } from './date-format.js';
import type { DynamicMode, FieldMapper, LeafType, ObjectMapper } from './mapper-types.js';
import type { Mapping } from './mapping.js';
import { VALUE_CONVERTERS } from './value-parsers.js';
import { flattenLeaves } from './flattened-field.js';

type Json = Record<string, unknown>;

/**
 * Synthetic `_source` (SourceLoader.Synthetic of Elasticsearch 8.19): the source rebuilt from what
 * the index keeps of each field instead of the JSON as sent.
 *
 * - keyword (and ip): the doc values, sorted (by bytes) and de-duplicated, then the values
 *   ignore_above left out (kept in a stored field), in the order they came;
 * - numbers, booleans, dates: the doc values sorted, duplicates kept; dates printed in the field's
 *   format; float and half_float at their precision; malformed values kept by ignore_malformed
 *   after them, as given;
 * - a keyword with `store: true`: its stored values, in the order they came;
 * - text: its stored values when `store: true`; else those of its first keyword sub-field with doc
 *   values (or stored) and no normalizer;
 * - fields without a native loader (no doc values and not stored, a keyword normalizer, text
 *   without store or keyword sub-field, completion): their value as given (`_ignored_source`);
 * - objects: fields named as mapped (`{"a.b": 1}` becomes `{"a": {"b": 1}}`), sorted by name,
 *   arrays of objects merged into one object with arrays at the leaves, empty objects dropped;
 * - nested objects: one object per nested document (an array when there are several);
 * - what the mapping does not index (`enabled: false` objects, fields left unmapped by `dynamic:
 *   false`/`runtime`): kept as given (the `_ignored_source` field).
 *
 * A field shapes the engine cannot rebuild the way Elasticsearch does is refused when the mapping
 * is built ({@link checkSyntheticSupport}), never answered differently.
 */

/** Leaf types whose synthetic values are built here. */
const SUPPORTED = new Set<LeafType>(['text', 'keyword', 'long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long', 'boolean', 'date', 'date_nanos', 'ip', 'geo_point', 'flattened']);

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Refuses (400) the fields of a synthetic-source mapping whose synthetic values the engine does not build. */
export function checkSyntheticSupport(root: ObjectMapper): void {
  const stack: ObjectMapper[] = [root];
  while (stack.length > 0) {
    const object = stack.pop() as ObjectMapper;
    if (!object.enabled) continue;
    for (const mapper of object.properties.values()) {
      if (mapper.kind === 'object') {
        stack.push(mapper);
        continue;
      }
      // a field alias holds no value of its own (documents cannot write to it)
      if (mapper.kind === 'alias') continue;
      const what = `synthetic _source of field [${mapper.path}]`;
      // copy_to targets hold values their own source never had: how ES 8.19 leaves them out is not modelled
      if (mapper.copyTo.length > 0) throw unsupported(`${what} with [copy_to]`);
      // numbers, dates, ip... stored without doc values: which of the stored values or the source 8.19 reads is not modelled
      if (!['keyword', 'text'].includes(mapper.type) && !mapper.info.docValues && mapper.info.stored) throw unsupported(`${what} stored without doc values`);
      if (isFallback(mapper)) continue;
      if (!SUPPORTED.has(mapper.type)) throw unsupported(`${what} of type [${mapper.type}]`);
    }
  }
}

/**
 * The fields without a native synthetic loader (SyntheticSourceSupport.FALLBACK): their value is
 * kept as given in `_ignored_source` and written back as it came. FieldMapper's default, taken by
 * a field with neither doc values nor a stored field, a keyword with a normalizer (its doc values
 * are normalized), a text field without a store or a keyword sub-field, and completion.
 */
function isFallback(mapper: FieldMapper): boolean {
  if (mapper.type === 'completion') return true;
  // ParentJoinFieldMapper has no native loader: its value as given
  if (mapper.type === 'join') return true;
  if (mapper.type === 'keyword' && mapper.info.normalizer) return true;
  if (mapper.type === 'text') return !mapper.info.stored && textDelegate(mapper) === undefined;
  if (mapper.type === 'token_count' || isRangeTypeName(mapper.type)) return false;
  return !mapper.info.docValues && !mapper.info.stored;
}

function isRangeTypeName(type: LeafType): boolean {
  return type.endsWith('_range');
}

/** TextFieldMapper.SyntheticSourceHelper: the first keyword sub-field with doc values (or stored) and no normalizer. */
function textDelegate(mapper: FieldMapper): FieldMapper | undefined {
  for (const sub of mapper.multiFields.values()) {
    if (sub.type === 'keyword' && !sub.info.normalizer && (sub.info.docValues || sub.info.stored)) return sub;
  }
  return undefined;
}

/** What a walk of one source collects: leaf values by field path, values kept as given, nested items. */
interface Collected {
  leaves: Map<string, unknown[]>;
  /** object path -> key -> the values given under that key (one per occurrence). */
  kept: Map<string, Map<string, unknown[]>>;
  nested: Map<string, Json[]>;
}

/**
 * The synthetic `_source` of `source` (already parsed with `mapping`, so dynamic fields are mapped).
 * `fallbacks` false leaves out what Elasticsearch keeps only for synthetic-source indices (values
 * over ignore_above, text without a keyword sub-field, malformed values, unmapped fields): what a
 * document indexed while the source was stored synthesizes to.
 */
export function synthesizeSource(source: Json, mapping: Mapping, fallbacks = true): Json {
  return synthesizeObject(source, mapping.root, mapping, fallbacks);
}

function synthesizeObject(source: Json, root: ObjectMapper, mapping: Mapping, fallbacks: boolean): Json {
  const collected: Collected = { leaves: new Map(), kept: new Map(), nested: new Map() };
  collectObject(source, root, root.path, root.dynamic ?? mapping.rootDynamic, collected, mapping);
  return buildObject(root, collected, mapping, fallbacks);
}

function keep(c: Collected, objectPath: string, key: string, value: unknown): void {
  let byKey = c.kept.get(objectPath);
  if (!byKey) c.kept.set(objectPath, (byKey = new Map()));
  const values = byKey.get(key);
  if (values) values.push(value);
  else byKey.set(key, [value]);
}

/** Walks `object` under `mapper` as DocumentParser does, collecting instead of indexing. */
function collectObject(object: Json, mapper: ObjectMapper, prefix: string, inherited: DynamicMode, c: Collected, mapping: Mapping): void {
  const dynamic = mapper.dynamic ?? inherited;
  for (const key in object) {
    const value = object[key];
    if (key.includes('.')) {
      const dot = key.indexOf('.');
      collectObject({ [key.slice(0, dot)]: { [key.slice(dot + 1)]: value } }, mapper, prefix, inherited, c, mapping);
      continue;
    }
    const path = prefix ? `${prefix}.${key}` : key;
    const child = mapper.properties.get(key) ?? mapping.mapperAt(path);
    if (!child) {
      if (value === null || value === undefined) continue;
      if (dynamic === 'false' || dynamic === 'runtime') keep(c, prefix, key, value);
      continue;
    }
    if (child.kind === 'field') {
      if (isFallback(child)) {
        // whether 8.19 keeps an explicit null of such a field in _ignored_source is not modelled, but for
        // rank_feature, whose null it keeps (mapper-extras rank_feature/30_synthetic_source.yml)
        if (value === null && child.type !== 'rank_feature') throw unsupported(`synthetic _source of field [${child.path}] given null`);
        keep(c, prefix, key, value);
        continue;
      }
      // a flattened field takes its whole value (objects, arrays of them) as DocumentParser does
      if (child.type === 'flattened') {
        if (value !== null && value !== undefined) pushValue(c, child.path, value);
      } else collectLeaf(child, value, c);
      continue;
    }
    if (value === null || value === undefined) continue;
    // the document parser refuses a value for a field alias before the source is synthesized
    if (child.kind === 'alias') continue;
    if (!child.enabled) {
      keep(c, prefix, key, value);
      continue;
    }
    for (const item of (Array.isArray(value) ? value : [value]).flat(Infinity)) {
      if (!isRecord(item)) continue;
      if (child.type === 'nested') {
        const items = c.nested.get(child.path);
        if (items) items.push(item);
        else c.nested.set(child.path, [item]);
      } else collectObject(item, child, path, dynamic, c, mapping);
    }
  }
}

function collectLeaf(mapper: FieldMapper, value: unknown, c: Collected): void {
  // a geo_point given as [lon, lat] is one value, not two (as DocumentParser reads it)
  const onePoint = mapper.type === 'geo_point' && Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number');
  if (Array.isArray(value) && !onePoint) {
    for (const item of value) collectLeaf(mapper, item, c);
    return;
  }
  let actual = value;
  if (actual === null || actual === undefined) {
    if (mapper.nullValue === undefined) return;
    actual = mapper.nullValue;
  }
  pushValue(c, mapper.path, actual);
}

function pushValue(c: Collected, path: string, value: unknown): void {
  const values = c.leaves.get(path);
  if (values) values.push(value);
  else c.leaves.set(path, [value]);
}

function buildObject(mapper: ObjectMapper, c: Collected, mapping: Mapping, fallbacks: boolean): Json {
  const entries = new Map<string, unknown>();
  for (const [name, child] of mapper.properties) {
    let value: unknown;
    if (child.kind === 'field') {
      const values = leafValues(child, c.leaves.get(child.path) ?? [], fallbacks);
      value = values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
    } else if (child.kind === 'alias') {
      continue;
    } else if (child.type === 'nested' && child.enabled) {
      // one object per nested document, empty ones included: inner hits address them by offset
      const docs = (c.nested.get(child.path) ?? []).map((item) => synthesizeObject(item, child, mapping, fallbacks));
      value = docs.length === 0 ? undefined : docs.length === 1 ? docs[0] : docs;
    } else if (child.enabled) {
      const object = buildObject(child, c, mapping, fallbacks);
      value = Object.keys(object).length > 0 ? object : undefined;
    }
    if (value !== undefined) entries.set(name, value);
  }
  if (fallbacks) {
    for (const [key, values] of c.kept.get(mapper.path) ?? []) {
      // the same unmapped key in several objects of an array: how 8.19 merges those entries is not modelled
      if (values.length > 1 || entries.has(key)) throw unsupported(`synthetic _source of unmapped or disabled field [${mapper.path ? `${mapper.path}.` : ''}${key}] given more than once`);
      entries.set(key, values[0]);
    }
  }
  const out: Json = {};
  for (const key of [...entries.keys()].sort()) out[key] = entries.get(key);
  return out;
}

/** UTF-8 byte order (BytesRef), which is code point order. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The synthetic values of one leaf field from the values its source gave it. */
function leafValues(mapper: FieldMapper, raw: unknown[], fallbacks: boolean): unknown[] {
  if (raw.length === 0) return [];
  if (mapper.type === 'text') {
    if (mapper.info.stored) return raw.map(String);
    const delegate = textDelegate(mapper);
    return delegate ? keywordValues(delegate, raw, fallbacks) : [];
  }
  if (mapper.type === 'keyword') return keywordValues(mapper, raw, fallbacks);
  if (mapper.type === 'flattened') return flattenedValues(mapper, raw);
  const good: Array<number | bigint | string> = [];
  const malformed: unknown[] = [];
  for (const value of raw) {
    try {
      const converted = VALUE_CONVERTERS[mapper.type](mapper, value);
      if (converted.kind === 'number' || converted.kind === 'date_nanos' || converted.kind === 'keyword') good.push(converted.value);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      malformed.push(value);
    }
  }
  const docValueOrder = mapper.info.docValues;
  let values: unknown[];
  if (mapper.type === 'geo_point') {
    values = geoPoints(mapper, good as string[]);
  } else if (mapper.type === 'ip') {
    const bytes = good.map((v) => parseIp(String(v))!);
    if (docValueOrder) bytes.sort((a, b) => Buffer.compare(a, b));
    values = bytes.filter((b, i) => !docValueOrder || i === 0 || Buffer.compare(b, bytes[i - 1]!) !== 0).map(formatIp);
  } else if (mapper.type === 'date_nanos') {
    const nanos = good as bigint[];
    if (docValueOrder) nanos.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const format = dateFormatter(mapper.dateFormat ?? DEFAULT_DATE_NANOS_FORMAT);
    values = nanos.map((n) => format(nanosToMillis(n), subMillisNanos(n)));
  } else {
    const numbers = good as number[];
    if (docValueOrder) numbers.sort((a, b) => a - b);
    values = numbers.map(numberPrinter(mapper));
  }
  return fallbacks ? [...values, ...malformed] : values;
}

/** How a numeric doc value prints in the source: dates in the field's format, booleans, floats at their precision. */
function numberPrinter(mapper: FieldMapper): (n: number) => unknown {
  switch (mapper.type) {
    case 'boolean':
      return (n) => n === 1;
    case 'date': {
      const format = dateFormatter(mapper.dateFormat ?? DEFAULT_DATE_FORMAT);
      return (n) => format(n);
    }
    case 'float':
      return javaFloat;
    case 'half_float':
      return (n) => javaFloat(toHalfFloat(n));
    default:
      return (n) => n;
  }
}

/** A keyword field's values: doc values (sorted, unique) or stored ones (as given), then those over ignore_above. */
function keywordValues(mapper: FieldMapper, raw: unknown[], fallbacks: boolean): string[] {
  const kept: string[] = [];
  const ignored: string[] = [];
  const limit = mapper.info.ignoreAbove;
  for (const value of raw) {
    if (isRecord(value)) continue;
    const text = String(value);
    if (limit !== undefined && text.length > limit) ignored.push(text);
    else kept.push(text);
  }
  let values = kept;
  if (!mapper.info.stored) {
    values = [...kept].sort(compareBytes).filter((v, i, all) => i === 0 || v !== all[i - 1]);
  }
  return fallbacks ? [...values, ...ignored] : values;
}

/**
 * A flattened field (FlattenedSortedSetDocValuesSyntheticFieldLoader): its keyed doc values, so
 * every leaf a string, the values of each key sorted and de-duplicated, objects in arrays merged,
 * keys split on dots into objects.
 */
function flattenedValues(mapper: FieldMapper, raw: unknown[]): Json[] {
  const byKey = new Map<string, string[]>();
  for (const value of raw) {
    for (const { key, value: text } of flattenLeaves(mapper, value)) {
      // values over ignore_above are kept apart by 8.19; how it writes them back is not modelled
      if (mapper.info.ignoreAbove !== undefined && text.length > mapper.info.ignoreAbove) throw unsupported(`synthetic _source of flattened field [${mapper.path}] with a value over [ignore_above]`);
      const values = byKey.get(key);
      if (values) values.push(text);
      else byKey.set(key, [text]);
    }
  }
  if (byKey.size === 0) return [];
  const out: Json = {};
  for (const key of [...byKey.keys()].sort(compareBytes)) {
    const parts = key.split('.');
    const conflict = (): EngineError => unsupported(`synthetic _source of flattened field [${mapper.path}] whose key [${key}] is both a value and an object`);
    if (parts.some((part) => part === '')) throw unsupported(`synthetic _source of flattened field [${mapper.path}] with the key [${key}]`);
    let node = out;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (next === undefined) node = node[part] = {};
      else if (isRecord(next)) node = next;
      else throw conflict();
    }
    const last = parts[parts.length - 1]!;
    if (node[last] !== undefined) throw conflict();
    const values = [...byKey.get(key)!].sort(compareBytes).filter((v, i, all) => i === 0 || v !== all[i - 1]);
    node[last] = values.length === 1 ? values[0] : values;
  }
  return [out];
}

const LAT_DECODE = 180 / 2 ** 32;
const LON_DECODE = 360 / 2 ** 32;

/**
 * geo_point doc values (GeoPointFieldMapper): each point quantized as Lucene's GeoEncodingUtils
 * encodes it, sorted by the encoded long (latitude bits, then longitude bits), printed as {lat, lon}.
 */
function geoPoints(mapper: FieldMapper, values: string[]): Json[] {
  const points = values.map((text) => {
    const comma = text.indexOf(',');
    // a geohash input: which point of its cell Elasticsearch keeps is not modelled
    if (comma < 0) throw unsupported(`synthetic _source of geo_point field [${mapper.path}] given as a geohash`);
    const lat = Number(text.slice(0, comma));
    const lon = Number(text.slice(comma + 1));
    return { lat: Math.floor((lat === 90 ? 90 - 2 ** -46 : lat) / LAT_DECODE), lon: Math.floor((lon === 180 ? 180 - 2 ** -45 : lon) / LON_DECODE) };
  });
  points.sort((a, b) => a.lat - b.lat || (a.lon >>> 0) - (b.lon >>> 0));
  return points.map((p) => ({ lat: p.lat * LAT_DECODE, lon: p.lon * LON_DECODE }));
}

/** The half-precision float nearest `n` (round half to even), as HalfFloatPoint keeps it. */
export function toHalfFloat(n: number): number {
  if (!Number.isFinite(n) || n === 0) return n;
  const sign = n < 0 ? -1 : 1;
  const a = Math.abs(n);
  if (a >= 65520) return sign * Infinity;
  // subnormals share the exponent of the smallest normal (2^-14) with 10 fraction bits
  const exponent = Math.max(Math.floor(Math.log2(a)), -14);
  const step = 2 ** (exponent - 10);
  const scaled = a / step;
  const floor = Math.floor(scaled);
  const rest = scaled - floor;
  const rounded = rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  return sign * rounded * step;
}

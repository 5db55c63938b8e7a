import type { FieldInfo, IndexView, SegmentView } from '../contract.js';
import { clampToNanos, decodeNanos, nanosField, nanosToMillis } from '../date-nanos.js';
import { EngineError, parsingError, unsupported } from '../errors.js';
import { parseIp } from '../ip-address.js';
import { formatIpKey, ipKey, keyBytes } from './aggs/buckets/ip-values.js';
import type { Leaf } from './match-set.js';
import { isObject } from './parse-util.js';
import { geoSortField, geoSortKey, parseGeoDistanceSort } from './geo/geo-sort.js';
import type { GeoSort } from './geo/geo-sort.js';

/** The `sort` of a search request, and the per-document sort keys it produces. */

export const SORT_MODES = ['min', 'max', 'avg', 'sum', 'median'] as const;
export type SortMode = (typeof SORT_MODES)[number];

export interface SortSpec {
  kind: 'score' | 'doc' | 'shard_doc' | 'field';
  field: string;
  order: 'asc' | 'desc';
  missing: '_first' | '_last' | number | string;
  mode?: SortMode;
  unmappedType?: string;
  format?: string;
  /** `numeric_type`: `date` or `date_nanos` put the keys of date and date_nanos fields in one resolution. */
  numericType?: string;
  /** `nested`: the values of the document's children under `path` (NestedSortBuilder, one level). */
  nested?: NestedSort;
  /** `_geo_distance`: the distances of the field's points to these points (`field` is the geo_point field). */
  geo?: GeoSort;
}

export interface NestedSort {
  path: string;
  maxChildren?: number;
}

function parseNestedSort(field: string, v: unknown): NestedSort {
  if (!isObject(v)) throw parsingError(`[${field}] [nested] must be an object`);
  let path: string | undefined;
  const out: Partial<NestedSort> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'path') path = String(x);
    else if (k === 'max_children') {
      if (typeof x !== 'number' || !Number.isInteger(x)) throw parsingError('[nested] failed to parse field [max_children]');
      out.maxChildren = x;
    } else if (k === 'filter') throw unsupported('sort nested filter');
    else if (k === 'nested') throw unsupported('multi-level sort nested');
    else throw parsingError(`[nested] unknown field [${k}]`);
  }
  if (path === undefined) throw parsingError('[nested] failed to parse object: [path] is required');
  return { ...out, path };
}

/** A sort key: a number, a bigint (epoch nanos of date_nanos), a string, or null when missing. */
export type SortKey = number | bigint | string | null;

const NUMERIC_TYPES = ['long', 'double', 'date', 'date_nanos'];

// Long.MAX_VALUE as a double (9223372036854775807 is not representable)
const LONG_MAX = 2 ** 63;

function spec(field: string, opts: Record<string, unknown>): SortSpec {
  const kind = field === '_score' ? 'score' : field === '_doc' ? 'doc' : field === '_shard_doc' ? 'shard_doc' : 'field';
  const order = opts.order === undefined ? (kind === 'score' ? 'desc' : 'asc') : String(opts.order).toLowerCase();
  if (order !== 'asc' && order !== 'desc') throw parsingError(`[${field}] unknown sort order [${String(opts.order)}], must be one of [asc, desc]`);
  const s: SortSpec = { kind, field, order, missing: '_last' };
  for (const [k, v] of Object.entries(opts)) {
    switch (k) {
      case 'order':
        break;
      case 'missing':
        s.missing = typeof v === 'number' ? v : String(v);
        break;
      case 'mode': {
        const m = String(v).toLowerCase();
        const hit = SORT_MODES.find((x) => x === m);
        if (!hit) throw new EngineError(400, 'illegal_argument_exception', `Unknown SortMode [${String(v)}]`);
        s.mode = hit;
        break;
      }
      case 'unmapped_type':
        s.unmappedType = String(v);
        break;
      case 'format':
        s.format = String(v);
        break;
      case 'numeric_type': {
        const t = String(v).toLowerCase();
        if (!NUMERIC_TYPES.includes(t)) throw new EngineError(400, 'illegal_argument_exception', `invalid value for [numeric_type], must be [${NUMERIC_TYPES.join(', ')}], got ${String(v)}`);
        s.numericType = t;
        break;
      }
      case 'nested':
        s.nested = parseNestedSort(field, v);
        break;
      default:
        throw parsingError(`[field_sort] unknown field [${k}]`);
    }
  }
  return s;
}

/** `sort` from the body (string, object, array of either) or the `sort` URL parameter (`f:desc,g`). */
export function parseSort(value: unknown): SortSpec[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  const out: SortSpec[] = [];
  for (const item of list) {
    if (typeof item === 'string') {
      out.push(spec(item, {}));
    } else if (isObject(item)) {
      for (const [field, v] of Object.entries(item)) {
        if (field === '_geo_distance') {
          const g = parseGeoDistanceSort(v);
          out.push({ kind: 'field', field: g.field, order: g.order, missing: '_last', geo: g.geo, ...(g.mode ? { mode: g.mode } : {}) });
          continue;
        }
        if (field === '_script') {
          throw new EngineError(400, 'illegal_argument_exception', `[sort ${field}] is not supported by the indexkit embedded engine`);
        }
        if (typeof v === 'string') out.push(spec(field, { order: v }));
        else if (isObject(v)) out.push(spec(field, v));
        else throw parsingError(`[sort] unexpected value for [${field}]`);
      }
    } else {
      throw parsingError(`[sort] malformed sort format, within the sort array, an object, or an actual string are allowed`);
    }
  }
  return out;
}

export function parseSortParam(param: string | string[]): SortSpec[] {
  const parts = (Array.isArray(param) ? param : [param]).flatMap((p) => p.split(','));
  return parts
    .filter((p) => p.trim() !== '')
    .map((p) => {
      const colon = p.lastIndexOf(':');
      return colon > 0 ? spec(p.slice(0, colon), { order: p.slice(colon + 1) }) : spec(p, {});
    });
}

/** How one index reads a field sort: numeric doc values, keyword doc values, or nothing (unmapped_type). */
export type SortSource =
  | { type: 'numeric'; field: string; info: FieldInfo; nanos?: boolean; nested?: NestedSort; geo?: GeoSort }
  | { type: 'keyword'; field: string; nested?: NestedSort; ip?: boolean }
  | { type: 'missing'; numeric: boolean };

const NUMERIC = new Set(['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long', 'token_count', 'date', 'date_nanos', 'boolean']);

/** Whether a date or date_nanos field sorts on epoch nanos: date_nanos unless `numeric_type: date`, date with `numeric_type: date_nanos`. */
function sortsOnNanos(s: SortSpec, info: FieldInfo): boolean {
  if (info.type === 'date_nanos') return s.numericType !== 'date';
  return info.type === 'date' && s.numericType === 'date_nanos';
}

export function fielddataError(field: string): EngineError {
  return new EngineError(
    400,
    'illegal_argument_exception',
    `Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
  );
}

/** Field types whose fielddataBuilder refuses sorting, aggregations and scripts, with their messages. */
const NO_FIELDDATA: Partial<Record<FieldInfo['type'], string>> = {
  rank_feature: '[rank_feature] fields do not support sorting, scripting or aggregating',
  rank_features: '[rank_features] fields do not support sorting, scripting or aggregating',
};

/** MappedFieldType.fielddataBuilder of a metadata field without doc values (`_routing` unless `doc_values: true`), and of the types that have none. */
export function checkFielddata(info: FieldInfo): void {
  // MatchOnlyTextFieldType.fielddataBuilder (scripts read it from _source, which the engine does not)
  if (info.matchOnly) throw new EngineError(400, 'illegal_argument_exception', 'match_only_text fields do not support sorting and aggregations');
  const refused = NO_FIELDDATA[info.type];
  if (refused !== undefined) throw new EngineError(400, 'illegal_argument_exception', refused);
  if (info.metadata !== undefined && !info.docValues) {
    throw new EngineError(400, 'illegal_argument_exception', `Fielddata is not supported on field [${info.path}] of type [${info.metadata}]`);
  }
}

/** Resolves a field sort against one index's mapping; throws the shard-level errors ES reports. */
export function sortSource(s: SortSpec, view: IndexView): SortSource {
  if (s.geo) {
    const geoInfo = geoSortField(s.field, s.geo, view);
    return geoInfo ? { type: 'numeric', field: s.field, info: geoInfo, geo: s.geo } : { type: 'missing', numeric: true };
  }
  if (s.field === '_id') {
    throw new EngineError(
      400,
      'illegal_argument_exception',
      'Fielddata access on the _id field is disallowed, you can re-enable it by updating the dynamic cluster setting: indices.id_field_data.enabled',
    );
  }
  // IndexFieldMapper is a constant field: every document's value is its index name (see withConstantFields)
  if (s.field === '_index') return { type: 'keyword', field: '_index' };
  if (s.nested && !view.mapping.nestedPaths().includes(s.nested.path)) {
    throw new EngineError(400, 'query_shard_exception', `[nested] failed to find nested object under path [${s.nested.path}]`, { index_uuid: view.uuid, index: view.index });
  }
  const info = view.mapping.field(s.field);
  if (s.nested && info && info.nestedPath !== s.nested.path) {
    throw new EngineError(400, 'query_shard_exception', `[nested] nested path [${s.nested.path}] is not a parent of field [${s.field}]`, { index_uuid: view.uuid, index: view.index });
  }
  const nested = s.nested ? { nested: s.nested } : {};
  if (!info) {
    if (s.unmappedType !== undefined) return { type: 'missing', numeric: NUMERIC.has(s.unmappedType) };
    throw new EngineError(400, 'query_shard_exception', `No mapping found for [${s.field}] in order to sort on`, {
      index_uuid: view.uuid,
      index: view.index,
    });
  }
  checkFielddata(info);
  if (info.type === 'text') throw fielddataError(s.field);
  if (NUMERIC.has(info.type)) {
    if (info.type === 'date_nanos' && s.mode !== undefined && s.mode !== 'min' && s.mode !== 'max') throw unsupported(`sort mode [${s.mode}] on date_nanos field [${s.field}]`);
    const nanos = sortsOnNanos(s, info);
    if (s.nested && (nanos || info.type === 'date_nanos')) throw unsupported(`sort nested on date_nanos field [${s.field}]`);
    return nanos ? { type: 'numeric', field: s.field, info, nanos: true } : { type: 'numeric', field: s.field, info, ...nested };
  }
  if (info.type === 'keyword' || info.type === 'constant_keyword' || info.type === 'ip') {
    if (s.mode === 'sum' || s.mode === 'avg' || s.mode === 'median') {
      throw new EngineError(400, 'query_shard_exception', 'we only support AVG, MEDIAN and SUM on number based fields', { index_uuid: view.uuid, index: view.index });
    }
    if (info.type !== 'ip') return { type: 'keyword', field: s.field, ...nested };
    // IpFieldMapper's doc values are SortedSet bytes: the 16-byte encodings sort as BytesRefs (a
    // custom `missing` too: see docSortKey)
    return { type: 'keyword', field: s.field, ip: true, ...nested };
  }
  // AbstractLatLonPointIndexFieldData.sortField
  if (info.type === 'geo_point') throw new EngineError(400, 'illegal_argument_exception', `can't sort on geo_point field without using specific sorting feature, like geo_distance`);
  throw new EngineError(400, 'illegal_argument_exception', `Sorting by field [${s.field}] of type [${info.type}] is not supported`);
}

/** MultiValueMode over a doc's values sorted ascending (min, max, sum, avg, median). */
export function pickMultiValue(values: readonly number[], mode: SortMode): number {
  switch (mode) {
    case 'min':
      return values[0] as number;
    case 'max':
      return values[values.length - 1] as number;
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'median': {
      const n = values.length;
      const mid = n >>> 1;
      return n % 2 === 1 ? (values[mid] as number) : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
    }
  }
}

/** The children of a top-level doc under a nested path, in doc order (they precede it, as in Lucene's block join). */
function nestedChildren(seg: SegmentView, doc: number, nested: NestedSort): number[] {
  const out: number[] = [];
  for (let d = doc - 1; d >= 0 && seg.parentOf(d) === doc && d !== doc; d--) if (seg.nestedPath(d) === nested.path) out.push(d);
  out.reverse();
  return nested.maxChildren !== undefined ? out.slice(0, nested.maxChildren) : out;
}

function docValues(src: SortSource, seg: SegmentView, doc: number): readonly (number | string)[] | undefined {
  if (src.type === 'missing') return undefined;
  const read = (d: number): readonly (number | string)[] | undefined => (src.type === 'numeric' ? seg.numericValues(src.field, d) : seg.keywordValues(src.field, d));
  if (!src.nested) return read(doc);
  const values = nestedChildren(seg, doc, src.nested).flatMap((d) => [...(read(d) ?? [])]);
  return src.type === 'numeric' ? (values as number[]).sort((a, b) => a - b) : values;
}

/** The sort key of one doc for one field sort: a number, a bigint (nanos), a string, or null when missing. */
export function sortKey(s: SortSpec, src: SortSource, seg: SegmentView, doc: number): SortKey {
  const mode = s.mode ?? (s.order === 'asc' ? 'min' : 'max');
  if (src.type === 'numeric' && src.geo) return geoSortKey(src.geo, mode, src.info, seg, doc);
  if (src.type === 'numeric' && src.info.type === 'date_nanos') {
    // the exact values, ascending as their fixed-width digits
    const vs = seg.keywordValues(nanosField(src.field), doc);
    if (!vs || vs.length === 0) return null;
    const v = decodeNanos((mode === 'max' ? vs[vs.length - 1] : vs[0]) as string);
    return src.nanos ? v : nanosToMillis(v);
  }
  if (src.type === 'numeric' && src.nanos) {
    const vs = seg.numericValues(src.field, doc);
    if (!vs || vs.length === 0) return null;
    return clampToNanos(pickMultiValue(vs, mode), 0);
  }
  if (src.type === 'numeric') {
    const vs = docValues(src, seg, doc) as readonly number[] | undefined;
    if (!vs || vs.length === 0) return null;
    const v = pickMultiValue(vs, mode);
    return src.info.type === 'long' || src.info.type === 'date' || src.info.type === 'integer' ? (mode === 'avg' || mode === 'median' ? Math.round(v) : v) : v;
  }
  if (src.type === 'keyword') {
    const printed = docValues(src, seg, doc) as readonly string[] | undefined;
    if (!printed || printed.length === 0) return null;
    // an ip sorts on its bytes (as hex, which compares as the bytes do); sortValues prints it back
    const vs = src.ip ? printed.map((v) => ipKey(parseIp(v) ?? new Uint8Array(16))) : printed;
    const sorted = vs.length > 1 ? [...vs].sort() : vs;
    return (mode === 'max' ? sorted[sorted.length - 1] : sorted[0]) as string;
  }
  return null;
}

/** A sort key as a hit's `sort` prints it: an ip's bytes (kept as hex to compare) as its address (DocValueFormat.IP). */
export function printedSortKey(src: SortSource | null | undefined, key: SortKey): SortKey {
  if (typeof key !== 'string' || src?.type !== 'keyword' || src.ip !== true) return key;
  // DocValueFormat.IP decodes the bytes with InetAddress.getByAddress: 4 or 16 bytes. A custom
  // `missing` of another length cannot be printed: Elasticsearch fails the search while it sets
  // the hit's sort values ("encoded bytes are of incorrect length"); refused here instead.
  if (key.length !== 8 && key.length !== 32) throw unsupported(`printing the sort value of a doc sorted by the [missing] value of an ip field (the bytes of [${new TextDecoder().decode(keyBytes(key))}] are no address)`);
  return formatIpKey(key);
}

/** The value ES reports in `sort` for a missing value (Long.MAX_VALUE-style sentinels, or null for keywords). */
export function missingSortValue(s: SortSpec, numeric: boolean, integral: boolean, int32 = false): number | string | null {
  const last = s.missing === '_last';
  const first = s.missing === '_first';
  if (!last && !first) return typeof s.missing === 'string' && numeric ? Number(s.missing) : s.missing;
  if (!numeric) return null;
  const high = (s.order === 'asc') === last;
  // integer, short and byte fields sort on int values: Integer.MAX_VALUE/MIN_VALUE stand in for missing
  if (int32) return high ? 2147483647 : -2147483648;
  if (integral) return high ? LONG_MAX : -LONG_MAX;
  return high ? Number.MAX_VALUE : -Number.MAX_VALUE;
}

/** Field types whose sort values are ints (Elasticsearch 8.19: int_sort_for_int_short_byte_fields). */
export const INT32_SORT_TYPES: ReadonlySet<string> = new Set(['integer', 'short', 'byte']);

/** A sort value as the response reports it: the Long.MAX/MIN_VALUE sentinels exactly (as bigint). */
export function exactSortValue(v: SortKey): SortKey {
  if (v === LONG_MAX) return 9223372036854775807n;
  if (v === -LONG_MAX) return -9223372036854775808n;
  return v;
}

/** Compares two keys in a sort's order, missing values (null) placed per `missing`. */
export function compareKeys(a: SortKey, b: SortKey, s: SortSpec): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    const missingFirst = s.missing === '_first';
    return a === null ? (missingFirst ? -1 : 1) : missingFirst ? 1 : -1;
  }
  const c = a < b ? -1 : a > b ? 1 : 0;
  return s.order === 'asc' ? c : -c;
}

const UTF8 = new TextEncoder();

/** The sort key of one doc for a `_doc`, `_shard_doc` or field clause (a field's `missing` applied); scores are the caller's. */
export function docSortKey(s: SortSpec, src: SortSource | null | undefined, leaf: Leaf, doc: number): SortKey {
  switch (s.kind) {
    case 'doc':
      return leaf.docBase + doc;
    case 'shard_doc':
      return leaf.shard * 4294967296 + leaf.docBase + doc;
    case 'field': {
      const key = src ? sortKey(s, src, leaf.segment, doc) : null;
      if (key !== null || s.missing === '_first' || s.missing === '_last') return key;
      // FieldSortBuilder hands `missing` to the ip field's BytesRefFieldComparatorSource as it is
      // given: missingObject makes it `new BytesRef(missing.toString())`, its UTF-8 bytes (not the
      // address they spell), which sort among the 16-byte encodings byte by byte, as hex does
      if (src?.type === 'keyword' && src.ip === true) return ipKey(UTF8.encode(String(s.missing)));
      const numeric = src?.type === 'numeric' || (src?.type === 'missing' && src.numeric);
      return numeric ? Number(s.missing) : s.missing;
    }
    default:
      return null;
  }
}

/**
 * Hits of indices where one sort field is `date` here and `date_nanos` there merge only in one
 * resolution, which `numeric_type` names; without it the engine refuses the sort (ES would merge
 * millis with nanos).
 */
export function checkDateResolutions(sort: readonly SortSpec[], sources: ReadonlyArray<ReadonlyArray<SortSource | null>>): void {
  sort.forEach((s, k) => {
    if (s.kind !== 'field' || s.numericType !== undefined) return;
    const types = new Set(sources.map((row) => row[k]).flatMap((src) => (src?.type === 'numeric' && (src.info.type === 'date' || src.info.type === 'date_nanos') ? [src.info.type] : [])));
    if (types.size > 1) throw unsupported(`sort on [${s.field}] across date and date_nanos fields without [numeric_type]`);
  });
}

/** Lucene's SortField.Type of a shard's sort source (IndexNumericFieldData.NumericType's sort type for numbers). */
function luceneSortType(src: SortSource): string | undefined {
  if (src.type === 'keyword') return 'STRING';
  if (src.type === 'missing') return undefined;
  const t = src.info.type;
  if (t === 'double' || t === 'scaled_float') return 'DOUBLE';
  if (t === 'float' || t === 'half_float') return 'FLOAT';
  // INT and LONG mix (SearchPhaseController rewrites them to LONG), so they are one family here
  return 'LONG';
}

/**
 * SearchPhaseController.checkSameSortTypes: the shards that returned hits must sort a field with
 * one Lucene sort type, else the whole search fails (a keyword in one index, a long in another).
 */
export function checkSameSortTypes(sort: readonly SortSpec[], sources: ReadonlyArray<ReadonlyArray<SortSource | null>>): void {
  sort.forEach((s, k) => {
    if (s.kind !== 'field') return;
    let first: string | undefined;
    for (const row of sources) {
      const src = row[k];
      const type = src ? luceneSortType(src) : undefined;
      if (type === undefined) continue;
      if (first === undefined) first = type;
      else if (type !== first) {
        const reason = `Can't sort on field [${s.field}]; the field has incompatible sort types: [${first}] and [${type}] across shards!`;
        throw new EngineError(400, 'search_phase_execution_exception', '', { phase: 'fetch', grouped: true, failed_shards: [] }, new EngineError(400, 'illegal_argument_exception', reason));
      }
    }
  });
}

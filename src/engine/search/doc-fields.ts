import { parseFeatureFloat } from '../rank-feature.js';
import { DEFAULT_DATE_FORMAT } from '../index/mapping/date-format.js';
import { decodeRange, isRangeType, printIpBound } from '../range-field.js';
import type { Bound, RangeType } from '../range-field.js';
import { decodeNanos, nanosField, nanosToMillis, subMillisNanos } from '../date-nanos.js';
import type { FieldInfo, IndexView, MappingLookup, SegmentView } from '../contract.js';
import { UTC, formatIsoDate, parseIsoDate } from './date-math.js';
import { isObject } from './parse-util.js';
import { simpleMatcher } from '../automaton/simple-match.js';
import { checkFielddata, fielddataError } from './sort.js';
import { compileDecimalFormat, dateFormatter, javaDouble } from './aggs/value-format.js';
import { quantize } from '../geo/geo-encoding.js';
import { EngineError, unsupported } from '../errors.js';
import { formatIp, parseIp } from '../ip-address.js';
import { countTokens } from '../analysis/token-count.js';
import { JsonDouble, javaFloat } from './float-format.js';
import { UnmappedFieldWalker } from './unmapped-fields.js';
import { flattenedFetchValue } from '../index/mapping/flattened-field.js';
import { parseGeoPoint } from '../index/mapping/value-parsers.js';
import { indexScriptValues } from './script/index-script-fetch.js';

/**
 * `fields` (values read from _source through the mapping, as arrays) and `docvalue_fields`
 * (values from doc values; dates formatted as strict_date_optional_time, or epoch_millis).
 */
export interface FieldRequest {
  field: string;
  format?: string;
  /** `include_unmapped`: values of a field the mapping does not know, read from _source. */
  includeUnmapped?: boolean;
}

export function parseFieldRequests(v: unknown): FieldRequest[] {
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => {
    if (!isObject(x)) return { field: String(x) };
    const req: FieldRequest = { field: String(x.field), ...(x.format !== undefined ? { format: String(x.format) } : {}) };
    if (x.include_unmapped === true || x.include_unmapped === 'true') req.includeUnmapped = true;
    return req;
  });
}

/**
 * The fields a request names, each with the name it answers under: a field alias answers under its
 * own name with its target's values, and `*` patterns match aliases too (FieldFetcher over
 * getMatchingFieldNames).
 */
function expand(view: IndexView, req: FieldRequest): Array<FieldInfo & { name: string }> {
  const paths = req.field.includes('*') ? [...view.mapping.fieldPaths(), ...(view.mapping.aliasPaths?.() ?? [])].filter((p) => simpleMatcher(req.field).test(p)) : [req.field];
  const out: Array<FieldInfo & { name: string }> = [];
  for (const name of paths) {
    const f = view.mapping.field(name);
    if (f && f.type !== 'object' && f.type !== 'nested') out.push({ ...f, name });
  }
  return out;
}

export function formatDate(ms: number, format: string | undefined): unknown {
  if (format === 'epoch_millis') return String(ms);
  if (format === 'epoch_second') return String(Math.floor(ms / 1000));
  // any other format (a java-time pattern or a named one) prints as the date formats of aggregations do
  return format === undefined ? formatIsoDate(ms) : dateFormatter(format)(ms);
}

/** FetchDocValuesContext: the resolved docvalue_fields may not exceed index.max_docvalue_fields_search (default 100). */
export function checkDocValueFieldsLimit(view: IndexView, reqs: FieldRequest[]): void {
  if (reqs.length === 0) return;
  const max = Number(view.setting?.('index.max_docvalue_fields_search') ?? 100);
  let count = 0;
  for (const req of reqs) count += expand(view, req).length;
  if (count > max) {
    throw new EngineError(
      400,
      'illegal_argument_exception',
      `Trying to retrieve too many docvalue_fields. Must be less than or equal to: [${max}] but was [${count}]. This limit can be set by changing the [index.max_docvalue_fields_search] index level setting.`,
    );
  }
}

/** docvalue_fields: explicit text fields fail with the fielddata error, wildcards skip them. */
export function docValueFields(view: IndexView, seg: SegmentView, doc: number, reqs: FieldRequest[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const req of reqs) {
    // _seq_no is kept as doc values (SeqNoFieldMapper); asked by name, not matched by patterns
    if (req.field === '_seq_no') {
      out._seq_no = [seg.seqNo(doc)];
      continue;
    }
    for (const f of expand(view, req)) {
      if (f.type === 'text') {
        if (f.matchOnly && !req.field.includes('*')) checkFielddata(f);
        if (!req.field.includes('*')) throw fielddataError(f.path);
        continue;
      }
      // PercolatorFieldType has no doc values: MappedFieldType.fielddataBuilder refuses it
      if (f.type === 'percolator') {
        if (!req.field.includes('*')) throw new EngineError(400, 'illegal_argument_exception', `Fielddata is not supported on field [${f.path}] of type [percolator]`);
        continue;
      }
      checkFielddata(f);
      let values: unknown[] | undefined;
      if (f.type === 'geo_point') {
        // DocValueFormat.GEOHASH's neighbour for points: "lat, lon" of each point as indexed (encoded), in doc-value order
        const points = (seg.keywordValues(f.path, doc) ?? []).map((text) => {
          const [lat, lon] = text.split(',').map(Number) as [number, number];
          return quantize(lat, lon);
        });
        points.sort((a, b) => a.lat - b.lat || a.lon - b.lon);
        if (points.length > 0) out[f.name] = points.map((p) => `${javaDouble(p.lat)}, ${javaDouble(p.lon)}`);
        continue;
      }
      // ip doc values are kept in their printed form, binary ones as base64 (DocValueFormat.IP, BINARY)
      if (f.type === 'keyword' || f.type === 'constant_keyword' || f.type === 'ip' || f.type === 'binary') values = seg.keywordValues(f.path, doc)?.slice();
      else if (isRangeType(f.type)) values = seg.keywordValues(f.path, doc)?.map((v) => rangeDocValue(f, f.type as RangeType, v, req.format));
      else if (f.type === 'date_nanos') values = seg.keywordValues(nanosField(f.path), doc)?.map((v) => formatNanos(f, decodeNanos(v), req.format));
      else {
        const nums = seg.numericValues(f.path, doc);
        if (nums) {
          // a numeric field's `format` is a java DecimalFormat pattern (DocValueFormat.Decimal): "#.0" -> "1.0"
          const decimal = f.type !== 'date' && f.type !== 'boolean' && req.format !== undefined ? compileDecimalFormat(req.format) : undefined;
          // a date prints with the field's own format (its DocValueFormat) unless the request names one
          const dateFormat = req.format ?? (f.dateFormat !== DEFAULT_DATE_FORMAT ? f.dateFormat : undefined);
          values = f.type === 'date' ? nums.map((n) => formatDate(n, dateFormat)) : f.type === 'boolean' ? nums.map((n) => n === 1) : decimal ? nums.map(decimal) : f.type === 'double' ? nums.map((n) => new JsonDouble(n)) : nums.slice();
        }
      }
      if (values && values.length > 0) out[f.name] = values;
    }
  }
  return out;
}

/** A runtime field's values of one document, as its value fetcher prints them (dates in the field's format, geo points as GeoJSON). */
export function runtimeFieldValues(f: FieldInfo, seg: SegmentView, doc: number, format: string | undefined): unknown[] {
  switch (f.type) {
    case 'keyword':
    case 'ip':
      return seg.keywordValues(f.path, doc)?.slice() ?? [];
    case 'geo_point':
      return (seg.keywordValues(f.path, doc) ?? []).map((v) => {
        const [lat, lon] = v.split(',').map(Number) as [number, number];
        return { type: 'Point', coordinates: [new JsonDouble(lon), new JsonDouble(lat)] };
      });
    case 'date':
      return (seg.numericValues(f.path, doc) ?? []).map((n) => formatDate(n, format ?? f.dateFormat));
    case 'boolean':
      return (seg.numericValues(f.path, doc) ?? []).map((n) => n === 1);
    case 'double':
      return (seg.numericValues(f.path, doc) ?? []).map((n) => new JsonDouble(n));
    default:
      return seg.numericValues(f.path, doc)?.slice() ?? [];
  }
}

/** `stored_fields`: the requested fields mapped with `store: true` (names or patterns), from _source. */
export function storedFieldValues(view: IndexView, source: Record<string, unknown> | undefined, names: string[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  if (!source) return out;
  for (const name of names) {
    if (name === '_source' || name === '_none_') continue;
    for (const f of expand(view, { field: name })) {
      if (!f.stored) continue;
      const values = storedValues(view, source, f).map((v) => coerce(f, v, undefined)).filter((v) => v !== undefined);
      if (values.length > 0) out[f.name] = values;
    }
  }
  return out;
}

/**
 * What a stored field holds: its own values, and those `copy_to` copied into it (the document
 * parser stores each value it indexes, in the order the source gives them).
 */
function storedValues(view: IndexView, source: Record<string, unknown>, f: FieldInfo): unknown[] {
  return withCopiedValues(view.mapping, source, f.path) ?? leafValues(view, source, f.path.split('.'));
}

/**
 * The values a stored field `path` holds when other fields `copy_to` it: its own and the copied
 * ones in source order; undefined when nothing copies into it.
 */
export function withCopiedValues(lookup: MappingLookup, source: Record<string, unknown>, path: string): unknown[] | undefined {
  const copiedFrom = new Set(lookup.fieldPaths().filter((p) => lookup.field(p)?.copyTo?.includes(path)));
  if (copiedFrom.size === 0) return undefined;
  const out: unknown[] = [];
  const visit = (value: unknown, at: string): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, at);
      return;
    }
    const mapped = lookup.field(at);
    if (isObject(value) && (mapped === undefined || mapped.type === 'object' || mapped.type === 'nested')) {
      for (const [key, inner] of Object.entries(value)) visit(inner, `${at}.${key}`);
      return;
    }
    if (value !== null && (at === path || copiedFrom.has(at))) out.push(value);
  };
  for (const [key, value] of Object.entries(source)) visit(value, key);
  return out;
}

/** The points at a dotted path of _source: `[lon, lat]` arrays kept whole, malformed ones left out (ignore_malformed). */
function geoPointValues(source: unknown, parts: string[]): unknown[] {
  const items = (v: unknown): unknown[] => {
    if (Array.isArray(v)) return v.length > 0 && v.every((x) => typeof x === 'number') ? [v] : v.flatMap(items);
    return v === null || v === undefined ? [] : [v];
  };
  const at = (node: unknown, rest: string[]): unknown[] => {
    if (rest.length === 0) return items(node);
    if (Array.isArray(node)) return node.flatMap((n) => at(n, rest));
    if (!isObject(node)) return [];
    const out: unknown[] = [];
    for (let i = 1; i <= rest.length; i++) {
      const key = rest.slice(0, i).join('.');
      if (key in node) out.push(...at(node[key], rest.slice(i)));
    }
    return out;
  };
  const out: unknown[] = [];
  for (const raw of at(source, parts)) {
    let point: string;
    try {
      point = parseGeoPoint(raw);
    } catch (e) {
      if (e instanceof EngineError) continue;
      throw e;
    }
    const [lat, lon] = point.split(',').map(Number) as [number, number];
    out.push({ type: 'Point', coordinates: [new JsonDouble(lon), new JsonDouble(lat)] });
  }
  return out;
}

/** Values at a dotted path of _source (arrays and objects flattened along the way). */
function sourceValues(source: unknown, parts: string[]): unknown[] {
  if (parts.length === 0) return Array.isArray(source) ? source.flat(Infinity) : [source];
  if (Array.isArray(source)) return source.flatMap((s) => sourceValues(s, parts));
  if (!isObject(source)) return [];
  const out: unknown[] = [];
  // keys may themselves contain dots ("a.b": 1)
  for (let i = 1; i <= parts.length; i++) {
    const key = parts.slice(0, i).join('.');
    if (key in source) out.push(...sourceValues(source[key], parts.slice(i)));
  }
  return out;
}

const INTEGRAL = new Set(['long', 'integer', 'short', 'byte', 'unsigned_long']);
const FLOATING = new Set(['double', 'float', 'half_float', 'scaled_float']);

function parsesAsDate(f: FieldInfo, v: unknown): boolean {
  try {
    f.parseDate?.(v);
    return true;
  } catch {
    return false;
  }
}

/** A range's doc value as ES prints it: `{gte, lte}` of its inclusive bounds (an unbounded float/double end is null). */
function rangeDocValue(f: FieldInfo, type: RangeType, encoded: string, format: string | undefined): Record<string, unknown> {
  const r = decodeRange(type, encoded);
  const print = (b: Bound): unknown => {
    if (type === 'ip_range') return printIpBound(b as string);
    if (type === 'date_range') return formatDate(b as number, format ?? f.dateFormat);
    return Number.isFinite(b as number) ? b : null;
  };
  return { gte: print(r.from), lte: print(r.to) };
}

/** A range's `fields` value (RangeFieldMapper's fetcher): its _source keys, each value parsed and printed in the field's type. */
function rangeSourceValue(f: FieldInfo, type: RangeType, v: unknown, format: string | undefined): unknown {
  if (type === 'ip_range' && typeof v === 'string') return v.includes('/') ? v : undefined;
  if (!isObject(v)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v)) {
    if (value === null || value === undefined) {
      out[key] = null;
      continue;
    }
    if (key === 'include_lower' || key === 'include_upper') continue;
    if (type === 'ip_range') {
      const bytes = typeof value === 'string' ? parseIp(value) : undefined;
      out[key] = bytes ? formatIp(bytes) : value;
    } else if (type === 'date_range') {
      const ms = typeof value === 'number' ? value : f.parseDate ? safeParse(f, value) : undefined;
      out[key] = ms === undefined ? value : formatDate(ms, format ?? f.dateFormat);
    } else {
      const n = Number(value);
      out[key] = type === 'integer_range' || type === 'long_range' ? Math.trunc(n) : type === 'float_range' ? Math.fround(n) : n;
    }
  }
  return out;
}

function safeParse(f: FieldInfo, v: unknown): number | undefined {
  try {
    return f.parseDate?.(v);
  } catch {
    return undefined;
  }
}

/** A date_nanos value in `format`, else the field's format (strict_date_optional_time_nanos by default). */
function formatNanos(f: FieldInfo, nanos: bigint, format: string | undefined): string {
  return dateFormatter(format ?? f.dateFormat)(nanosToMillis(nanos), subMillisNanos(nanos));
}

/** RankFeatureFieldType.valueFetcher: the value as a float, a null as the field's null_value. */
function rankFeatureValue(f: FieldInfo, v: unknown): unknown {
  if (v === null || v === undefined) return f.featureNullValue === undefined ? undefined : new JsonDouble(javaFloat(f.featureNullValue));
  try {
    return new JsonDouble(javaFloat(parseFeatureFloat(v)));
  } catch {
    return undefined;
  }
}

function coerce(f: FieldInfo, v: unknown, format: string | undefined): unknown {
  if (v !== null && v !== undefined && isRangeType(f.type)) return rangeSourceValue(f, f.type as RangeType, v, format);
  // TokenCountFieldMapper: a null is indexed (so in doc values) as null_value
  if ((v === null || v === undefined) && f.type === 'token_count') return f.nullTokenCount;
  if (f.type === 'rank_feature') return rankFeatureValue(f, v);
  // RankFeaturesFieldType: SourceValueFetcher.identity
  if (f.type === 'rank_features') return isObject(v) ? v : undefined;
  if (v === null || v === undefined || isObject(v)) return undefined;
  if (f.type === 'date_nanos') {
    try {
      return f.parseDateNanos ? formatNanos(f, f.parseDateNanos(v), format) : undefined;
    } catch {
      // a malformed value (kept in _source by ignore_malformed) is not a value of the field
      return undefined;
    }
  }
  if (f.type === 'date') {
    // the fields API re-formats dates with the mapping's format; for the default format
    // (strict_date_optional_time||epoch_millis) ISO values come back as 2024-01-02T00:00:00.000Z.
    // Values in another (custom) mapping format come back as written.
    if (typeof v === 'string' && format === undefined) {
      const isoMs = f.dateFormat === undefined || f.dateFormat === DEFAULT_DATE_FORMAT ? parseIsoDate(v, false, UTC) : undefined;
      if (isoMs !== undefined) return formatIsoDate(isoMs);
      // a malformed value (kept in _source by ignore_malformed) is not a value of the field
      if (f.parseDate && !parsesAsDate(f, v)) return undefined;
      return v;
    }
    let ms: number | undefined;
    try {
      ms = typeof v === 'number' ? v : f.parseDate ? f.parseDate(v) : Date.parse(String(v));
    } catch {
      // a malformed value (kept in _source by ignore_malformed) is not a value of the field
      return undefined;
    }
    return ms === undefined || Number.isNaN(ms) ? undefined : formatDate(ms, format);
  }
  if (f.type === 'token_count') {
    // the count the field's analyzer gives the _source value (what its doc values hold)
    return f.analyzer ? countTokens(f.analyzer, String(v), f.enablePositionIncrements !== false) : undefined;
  }
  if (INTEGRAL.has(f.type)) {
    const n = Number(v);
    return Number.isFinite(n) ? Math.trunc(n) : undefined;
  }
  if (FLOATING.has(f.type)) {
    const n = Number(v);
    // a double value prints as Java's double (11.0), not as a long
    return Number.isFinite(n) ? new JsonDouble(n) : undefined;
  }
  if (f.type === 'boolean') return v === true || v === 'true';
  if (f.type === 'ip') {
    // a malformed value kept by ignore_malformed is not returned
    const bytes = typeof v === 'string' ? parseIp(v) : undefined;
    return bytes ? formatIp(bytes) : undefined;
  }
  if (f.type === 'geo_point') throw unsupported(`the fields API on geo_point field [${f.path}]`);
  if (f.type === 'keyword') {
    const s = String(v);
    return f.ignoreAbove !== undefined && s.length > f.ignoreAbove ? undefined : s;
  }
  return v;
}

const INTERNAL_FIELDS = new Set(['_seq_no', '_primary_term', '_version', '_field_names', '_nested_path']);

/** The `fields` option: every matching leaf field's values from _source, multi-fields from their parent. */

export function sourceFields(view: IndexView, source: Record<string, unknown> | undefined, reqs: FieldRequest[], at?: { seg: SegmentView; doc: number }): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  if (reqs.length === 0) return out;
  for (const req of reqs) {
    // metadata fields without a value fetcher (SeqNoFieldMapper, VersionFieldMapper, ...)
    if (INTERNAL_FIELDS.has(req.field)) throw new EngineError(400, 'illegal_argument_exception', `error fetching [${req.field}]: Cannot fetch values for internal field [${req.field}].`);
  }
  // FetchFieldsPhase: the fields API reads _source
  if (!source) throw new EngineError(400, 'illegal_argument_exception', `Unable to retrieve the requested [fields] since _source is disabled in the mappings for index [${view.index}]`);
  const nested = new Map<string, Array<{ f: FieldInfo; format: string | undefined }>>();
  // the include_unmapped wildcard patterns, and the paths the mapped fetchers serve (which the walk skips)
  const unmapped = reqs.filter((r) => r.includeUnmapped && r.field.includes('*')).map((r) => r.field);
  const served = new Set<string>();
  for (const req of reqs) {
    if (req.includeUnmapped && !req.field.includes('*') && !view.mapping.field(req.field)) {
      const values = sourceValues(source, req.field.split('.')).filter((v) => v !== null && v !== undefined && !isObject(v));
      if (values.length > 0) out[req.field] = values;
      continue;
    }
    for (const f of expand(view, req)) {
      // the fields API formats dates only (ValueFetcher of other field types refuses a format)
      if (req.format !== undefined && f.type !== 'date' && f.type !== 'date_nanos' && f.type !== 'date_range') throw new EngineError(400, 'illegal_argument_exception', `Field [${f.path}] of type [${f.flattened ? 'flattened' : f.join ? 'join' : f.type}] doesn't support formats.`);
      if (f.nestedPath === undefined) served.add(f.path);
      if (f.indexScript) {
        // a mapped field with a script: its value fetcher runs the script again (FieldValues.valueFetcher)
        const values = at ? indexScriptValues(view, f, at.seg, at.doc, req.format) : [];
        if (values.length > 0) out[f.name] = values;
        continue;
      }
      if (f.runtime) {
        // a runtime field's value fetcher reads its script's values (AbstractScriptFieldType.valueFetcher)
        const values = at ? runtimeFieldValues(f, at.seg, at.doc, req.format) : [];
        if (values.length > 0) out[f.name] = values;
        continue;
      }
      if (f.nestedPath !== undefined) {
        // fields inside nested objects are grouped per object, as ES: { comments: [{ author: [...] }] }
        const top = nextNested(view, '', f.path) ?? f.nestedPath;
        const list = nested.get(top) ?? [];
        list.push({ f, format: req.format });
        nested.set(top, list);
        continue;
      }
      if (f.type === 'token_count' && !f.docValues) continue; // a DocValueFetcher: nothing without doc values
      if (f.type === 'geo_point') {
        // GeoPointFieldMapper's source fetcher: each point as parsed from _source, printed as GeoJSON
        const points = geoPointValues(source, f.path.split('.'));
        if (points.length > 0) out[f.name] = points;
        continue;
      }
      if (f.type === 'percolator') {
        // PercolatorFieldType.valueFetcher: SourceValueFetcher.identity, the stored query as written
        const values = sourceValues(source, f.path.split('.')).filter((v) => v !== null && v !== undefined);
        if (values.length > 0) out[f.name] = values;
        continue;
      }
      if (f.type === 'constant_keyword') {
        // ConstantKeywordFieldType.valueFetcher: the mapping's value, whatever the source holds
        if (f.constantValue !== undefined) out[f.name] = [f.constantValue];
        continue;
      }
      if (f.flattened) {
        // SourceValueFetcher.identity: the root's objects (less what ignore_above left out), a key's values as written
        const raw = sourceValues(source, f.path.split('.')).filter((v) => v !== null && v !== undefined);
        const values = f.flattened === 'root' ? raw.map((v) => flattenedFetchValue(v, f.ignoreAbove)).filter((v) => v !== undefined) : raw.filter((v) => !isObject(v));
        if (values.length > 0) out[f.name] = values;
        continue;
      }
      if (f.join) {
        // JoinFieldType: SourceValueFetcher.identity, the value as written (`{name, parent}` or the name)
        const raw = sourceValues(source, f.path.split('.')).filter((v) => v !== null && v !== undefined);
        if (raw.length > 0) out[f.name] = raw;
        continue;
      }
      const coerced = leafValues(view, source, f.path.split('.')).map((v) => coerce(f, v, req.format)).filter((v) => v !== undefined);
      if (coerced.length > 0) out[f.name] = coerced;
    }
  }
  if (unmapped.length > 0) {
    // every outermost nested object has its own fetcher (NestedValueFetcher), which walks its objects
    for (const path of childNested(view, '')) {
      served.add(path);
      if (!nested.has(path)) nested.set(path, []);
    }
    new UnmappedFieldWalker(unmapped, served).collect(out, source);
  }
  for (const [path, fields] of nested) {
    const grouped = nestedGroups(view, source, '', path, fields, unmapped);
    if (grouped.length > 0) out[path] = grouped;
  }
  return out;
}

/** The nested paths directly below `base` ('' for the root): no other nested path between. */
function childNested(view: IndexView, base: string): string[] {
  return view.mapping.nestedPaths().filter((n) => n !== base && (base === '' || n.startsWith(`${base}.`)) && nextNested(view, base, `${n}.x`) === n);
}

/**
 * `ignored_field_values`: for requested fields listed in the hit's `_ignored`, the _source values the
 * field left out (malformed or above ignore_above), as written.
 */
export function ignoredFieldValues(view: IndexView, source: Record<string, unknown> | undefined, reqs: FieldRequest[], ignored: readonly string[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  if (!source) return out;
  for (const req of reqs) {
    for (const f of expand(view, req)) {
      if (!ignored.includes(f.path) || f.nestedPath !== undefined) continue;
      const left = leafValues(view, source, f.path.split('.')).filter((v) => v !== null && v !== undefined && !isObject(v) && coerce(f, v, undefined) === undefined);
      if (left.length > 0) out[f.path] = left;
    }
  }
  return out;
}

/** The outermost nested object path below `base` ('' for the root) that holds `path`, if any. */
function nextNested(view: IndexView, base: string, path: string): string | undefined {
  return view.mapping
    .nestedPaths()
    .filter((n) => (base === '' || n.startsWith(`${base}.`)) && n !== base && path.startsWith(`${n}.`))
    .sort((a, b) => a.length - b.length)[0];
}

/**
 * The objects of nested path `path` inside `container` (whose own path is `base`), each as
 * `{ relative field: values }`, deeper nested objects grouped again inside their parent, as ES does.
 */
function nestedGroups(
  view: IndexView,
  container: unknown,
  base: string,
  path: string,
  fields: Array<{ f: FieldInfo; format: string | undefined }>,
  unmapped: readonly string[],
): Record<string, unknown[]>[] {
  const rel = base === '' ? path : path.slice(base.length + 1);
  const items = sourceValues(container, rel.split('.')).filter(isObject);
  const inners = unmapped.length > 0 ? childNested(view, path) : [];
  const served = new Set<string>(inners);
  for (const entry of fields) if (nextNested(view, path, entry.f.path) === undefined) served.add(entry.f.path);
  const walker = new UnmappedFieldWalker(unmapped, served);
  return items
    .map((item) => {
      const obj: Record<string, unknown[]> = {};
      const deeper = new Map<string, Array<{ f: FieldInfo; format: string | undefined }>>(inners.map((n) => [n, []]));
      for (const entry of fields) {
        const inner = nextNested(view, path, entry.f.path);
        if (inner !== undefined) {
          const list = deeper.get(inner) ?? [];
          list.push(entry);
          deeper.set(inner, list);
          continue;
        }
        const parts = entry.f.path.slice(path.length + 1).split('.');
        const vs = leafValues(view, item, parts, path).map((v) => coerce(entry.f, v, entry.format)).filter((v) => v !== undefined);
        if (vs.length > 0) obj[entry.f.path.slice(path.length + 1)] = vs;
      }
      if (walker.active) {
        const found: Record<string, unknown[]> = {};
        walker.collect(found, item, path);
        for (const [p, vs] of Object.entries(found)) obj[p.slice(path.length + 1)] = vs;
      }
      for (const [inner, list] of deeper) {
        const groups = nestedGroups(view, item, path, inner, list, unmapped);
        if (groups.length > 0) obj[inner.slice(path.length + 1)] = groups;
      }
      return obj;
    })
    .filter((o) => Object.keys(o).length > 0);
}

/** Values of a leaf field in _source; a multi-field (title.raw) takes its values from its parent (title). */
export function leafValues(view: IndexView, source: unknown, parts: string[], prefix?: string): unknown[] {
  let values = sourceValues(source, parts);
  while (values.length === 0 && parts.length > 1) {
    const parent = parts.slice(0, -1);
    const pf = view.mapping.field([...(prefix ? [prefix] : []), ...parent].join('.'));
    if (!pf || pf.type === 'object' || pf.type === 'nested') break;
    parts = parent;
    values = sourceValues(source, parts);
  }
  return values;
}

import { FEATURE_META_FIELD, featureColumn } from '../rank-feature.js';
import { simpleMatch } from '../automaton/simple-match.js';
import { MAX_NANOS, encodeNanos, nanosField } from '../date-nanos.js';
import { compareBounds, decodeRange, isRangeType, maxBound, minBound, numericBound, relates, step } from '../range-field.js';
import type { Bound, RangeType } from '../range-field.js';
import type { FieldInfo, SegmentView } from '../contract.js';
import { EngineError, parsingError, unsupported } from '../errors.js';
import {
  isIntegerField,
  isNumericField,
  normalizeKeyword,
  toBoolean,
  toDateMillis,
  toDateNanos,
  toNumber,
} from './field-values.js';
import type { DateOptions } from './field-values.js';
import { compareIp, formatIp, parseCidr, parseIp } from '../ip-address.js';
import { codePoints, editDistance } from './levenshtein.js';
import { fuzzyEdits } from './parse-util.js';
import { MAX_REGEX_LENGTH, checkRegexLength, regexpMatcher, wildcardMatcher } from './pattern.js';
import type { PatternMatcher } from './pattern.js';
import { NONE } from './primitive.js';
import type { DocsTerms, Primitive } from './primitive.js';
import type { ExistsQuery, FuzzyQuery, IdsQuery, PrefixQuery, RangeQuery, RegexpQuery, TermQuery, TermsQuery, WildcardQuery } from './query.js';
import { checkConstantRewrite } from './parse-term-level.js';
import { prefixDocs, scanDocs, termDocs, termDocsSteps, termsWithPrefix } from './rewrite-context.js';
import { runSteps } from './paced-run.js';
import { compareUtf8, constantMatches, constantQuery, constantText } from './constant-keyword.js';

/** Values of a terms query normalized between two pause points. */
const TERMS_PER_STEP = 4096;
import type { RewriteContext } from './rewrite-context.js';
import { saytPrefixQuery } from './search-as-you-type-query.js';

/** Term-level queries -> primitives. Numeric, date and boolean fields match on doc values with a constant score. */

const docs = (label: string, boost: number, match: (seg: SegmentView) => Int32Array, terms?: DocsTerms): Primitive => ({
  op: 'docs',
  boost,
  label,
  match,
  ...(terms ? { terms } : {}),
});

function numericMatch(field: string, test: (v: number) => boolean): (seg: SegmentView) => Int32Array {
  return (seg) =>
    scanDocs(seg, (d) => {
      const vs = seg.numericValues(field, d);
      if (!vs) return false;
      for (const v of vs) if (test(v)) return true;
      return false;
    });
}

/** A range query (or a term) on a range field: the docs whose range relates to the query's inclusive [lo, hi]. */
function rangeFieldQuery(ctx: RewriteContext, f: FieldInfo, type: RangeType, q: RangeQuery, label: string): Primitive {
  const opts: DateOptions = { ...(q.format ? { format: q.format } : {}), ...(q.timeZone ? { timeZone: q.timeZone } : {}) };
  const bound = (v: unknown, roundUp: boolean): Bound => {
    if (type === 'date_range') return toDateMillis(ctx, f, v, roundUp, opts);
    if (type === 'ip_range') return Buffer.from(ipBytes(ctx, typeof v === 'number' ? String(v) : v)).toString('hex');
    return numericBound(type, toNumber(ctx, f, v));
  };
  const lo = q.gt !== undefined ? step(type, bound(q.gt, true), true) : q.gte !== undefined ? bound(q.gte, false) : minBound(type);
  const hi = q.lt !== undefined ? step(type, bound(q.lt, false), false) : q.lte !== undefined ? bound(q.lte, true) : maxBound(type);
  if (compareBounds(lo, hi) > 0) return NONE;
  const relation = q.relation ?? 'intersects';
  return docs(label, q.boost, keywordValuesMatch(f.path, (v) => relates(decodeRange(type, v), lo, hi, relation)));
}

/** Docs with a date_nanos value in [lo, hi], compared on the exact values' fixed-width digits. */
function nanosMatch(field: string, lo: bigint, hi: bigint): (seg: SegmentView) => Int32Array {
  const from = encodeNanos(lo < 0n ? 0n : lo);
  const to = encodeNanos(hi > MAX_NANOS ? MAX_NANOS : hi);
  return keywordValuesMatch(nanosField(field), (v) => v >= from && v <= to);
}

function keywordValuesMatch(field: string, test: (v: string) => boolean): (seg: SegmentView) => Int32Array {
  return (seg) =>
    scanDocs(seg, (d) => {
      const vs = seg.keywordValues(field, d);
      return !!vs && vs.some(test);
    });
}

/** The query for one exact value of a field (term query, and match on non-text fields). */
export function fieldTerm(ctx: RewriteContext, f: FieldInfo, value: unknown, boost: number, caseInsensitive = false): Primitive {
  ctx.requireSearchable(f, 'term');
  switch (f.type) {
    case 'constant_keyword':
      return constantQuery(f, boost, (v) => constantMatches(constantText(value), v, caseInsensitive));
    case 'text':
    case 'keyword': {
      const term = f.type === 'keyword' ? normalizeKeyword(f, value) : String(value);
      if (caseInsensitive) {
        const lower = term.toLowerCase();
        const accept = (t: string): boolean => t.toLowerCase() === lower;
        return docs(`${f.path}:${term}`, boost, (seg) => termDocs(seg, f.path, accept), { field: f.path, matches: accept });
      }
      if (!f.indexed) return docs(`${f.path}:${term}`, boost, keywordValuesMatch(f.path, (v) => v === term), { field: f.path, matches: (t) => t === term });
      return constantIfMatchOnly(ctx, f.path, { op: 'term', field: f.path, term, boost }, boost);
    }
    case 'ip': {
      const text = String(value);
      if (text.includes('/')) {
        const cidr = parseCidr(text);
        if (!cidr) return ipFail(ctx, `Expected [ip/prefix] but was [${text}]`);
        const [lo, hi] = cidr;
        return docs(`${f.path}:${text}`, boost, ipMatch(f.path, (b) => compareIp(b, lo) >= 0 && compareIp(b, hi) <= 0));
      }
      const term = formatIp(ipBytes(ctx, value));
      return docs(`${f.path}:${term}`, boost, keywordValuesMatch(f.path, (v) => v === term));
    }
    case 'percolator':
      // PercolatorFieldType.termQuery
      return ctx.fail('Percolator fields are not searchable directly, use a percolate query instead');
    case 'binary':
      // BinaryFieldType.termQuery
      return ctx.fail('failed to create query: Binary fields do not support searching', {
        type: 'illegal_argument_exception',
        reason: 'Binary fields do not support searching',
      });
    case 'geo_point': {
      // AbstractGeometryFieldType.termQuery
      const reason = `Geometry fields do not support exact searching, use dedicated geometry queries instead: [${f.path}]`;
      return ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
    }
    case 'boolean': {
      const b = toBoolean(ctx, value) ? 1 : 0;
      return docs(`${f.path}:${b}`, boost, numericMatch(f.path, (v) => v === b));
    }
    case 'integer_range':
    case 'long_range':
    case 'float_range':
    case 'double_range':
    case 'date_range':
    case 'ip_range':
      // RangeFieldType.termQuery: the ranges that contain the value
      return rangeFieldQuery(ctx, f, f.type, { kind: 'range', field: f.path, gte: value, lte: value, boost }, `${f.path}:${String(value)}`);
    case 'date_nanos': {
      const lo = toDateNanos(ctx, f, value, false);
      const hi = toDateNanos(ctx, f, value, true);
      return docs(`${f.path}:[${lo} TO ${hi}]`, boost, nanosMatch(f.path, lo, hi));
    }
    case 'rank_feature':
    case 'rank_features': {
      // RankFeatureFieldType / RankFeaturesFieldType.termQuery
      const reason = `Queries on [${f.type}] fields are not supported`;
      return ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
    }
    case 'date': {
      const lo = toDateMillis(ctx, f, value, false);
      const hi = toDateMillis(ctx, f, value, true);
      const label = `${f.path}:[${lo} TO ${hi}]`;
      const q = docs(label, boost, numericMatch(f.path, (v) => v >= lo && v <= hi));
      // DateFieldType.rangeQuery on a field with doc values only: SortedNumericDocValuesRangeQuery
      // (indexed fields have IndexOrDocValuesQuery, an index sorted on the field another wrapper)
      if (!f.indexed && f.docValues && boost === 1 && !sortedOn(ctx, f.path) && q.op === 'docs') {
        q.profile = { type: 'SortedNumericDocValuesRangeQuery', description: label };
        // its TwoPhaseIterator: the docs with a value, then the value test
        q.twoPhase = { approximation: numericMatch(f.path, () => true), matches: (seg) => (d) => (seg.numericValues(f.path, d) ?? []).some((v) => v >= lo && v <= hi) };
      }
      return q;
    }
    default: {
      if (!isNumericField(f)) return NONE;
      const n = toNumber(ctx, f, value);
      if (isIntegerField(f) && !Number.isInteger(n)) return NONE; // "Value [1.5] has a decimal part"
      return docs(`${f.path}:${n}`, boost, numericMatch(f.path, (v) => v === n));
    }
  }
}

/** Whether the index is sorted on `field` (index.sort.field), where DateFieldType wraps its range queries. */
function sortedOn(ctx: RewriteContext, field: string): boolean {
  const sort = ctx.view.setting?.('index.sort.field');
  return Array.isArray(sort) ? sort.includes(field) : sort === field;
}

function ipFail(ctx: RewriteContext, reason: string): never {
  return ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
}

/** A query value of an ip field as 16 bytes (IpFieldType.parse). */
function ipBytes(ctx: RewriteContext, value: unknown): Uint8Array {
  const bytes = typeof value === 'string' ? parseIp(value) : undefined;
  return bytes ?? ipFail(ctx, `'${String(value)}' is not an IP string literal.`);
}

/** Docs with an ip value (stored in its printed form) accepted by `test` on its 16 bytes. */
function ipMatch(field: string, test: (bytes: Uint8Array) => boolean): (seg: SegmentView) => Int32Array {
  return keywordValuesMatch(field, (v) => {
    const bytes = parseIp(v);
    return bytes !== undefined && test(bytes);
  });
}

export function rewriteTerm(q: TermQuery, ctx: RewriteContext): Primitive {
  if (q.field === '_id') return rewriteIds({ kind: 'ids', values: [String(q.value)], boost: q.boost }, ctx);
  if (q.field === '_index') return String(q.value) === ctx.view.index ? { op: 'all', boost: q.boost } : NONE;
  const f = ctx.field(q.field);
  if (!f) return NONE;
  return fieldTerm(ctx, f, q.value, q.boost, q.caseInsensitive);
}

/** An integer index setting of the searched index, else its default. */
function intSetting(ctx: RewriteContext, key: string, fallback: number): number {
  const v = Number(ctx.view.setting?.(key) ?? fallback);
  return Number.isFinite(v) ? v : fallback;
}

/** index.max_terms_count's default. */
export const MAX_TERMS_COUNT = 65_536;

export function rewriteTerms(q: TermsQuery, ctx: RewriteContext): Primitive {
  const maxTerms = intSetting(ctx, 'index.max_terms_count', MAX_TERMS_COUNT);
  if (q.values.length > maxTerms) {
    const reason = `The number of terms [${q.values.length}] used in the Terms Query request has exceeded the allowed maximum of [${maxTerms}]. This maximum can be set by changing the [index.max_terms_count] index level setting.`;
    ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
  }
  if (q.field === '_id') return rewriteIds({ kind: 'ids', values: q.values.map(String), boost: q.boost }, ctx);
  if (q.field === '_index') return q.values.map(String).includes(ctx.view.index) ? { op: 'all', boost: q.boost } : NONE;
  const f = ctx.field(q.field);
  if (!f || q.values.length === 0) return NONE;
  ctx.requireSearchable(f);
  // `terms` is a disjunction: one matching value is enough
  if (f.type === 'constant_keyword') return constantQuery(f, q.boost, (v) => q.values.some((x) => constantMatches(constantText(x), v, false)));
  if (f.type === 'text' || f.type === 'keyword') {
    const values = q.values;
    const norm = (v: unknown): string => (f.type === 'keyword' ? normalizeKeyword(f, v) : String(v));
    // the set of 65,536 terms is built when first needed: in slices when a paced request prefetches it
    let set: Set<string> | undefined;
    function* setSteps(): Generator<void, Set<string>> {
      if (set) return set;
      const built = new Set<string>();
      for (let i = 0; i < values.length; i++) {
        if (i % TERMS_PER_STEP === TERMS_PER_STEP - 1) yield;
        built.add(norm(values[i]));
      }
      set ??= built;
      return set;
    }
    const has = (t: string): boolean => (set ?? runSteps(setSteps())).has(t);
    const terms: DocsTerms = { field: f.path, matches: has };
    if (!f.indexed) return docs(`${f.path}:terms`, q.boost, keywordValuesMatch(f.path, has), terms);
    const bySegment = new WeakMap<SegmentView, Int32Array>();
    const match = (seg: SegmentView): Int32Array => {
      let found = bySegment.get(seg);
      if (!found) bySegment.set(seg, (found = termDocs(seg, f.path, has)));
      return found;
    };
    const prefetch = function* (seg: SegmentView): Generator<void, void> {
      if (bySegment.has(seg)) return;
      const s = yield* setSteps();
      bySegment.set(seg, yield* termDocsSteps(seg, f.path, (t) => s.has(t)));
    };
    return { ...docs(`${f.path}:terms`, q.boost, match, terms), prefetch } as Primitive;
  }
  const subs = q.values.map((v) => fieldTerm(ctx, f, v, 1)).filter((p) => p.op === 'docs');
  const matchers = subs.map((p) => (p.op === 'docs' ? p.match : () => new Int32Array(0)));
  return docs(`${f.path}:terms`, q.boost, (seg) => unionDocs(matchers.map((m) => m(seg)), seg.maxDoc));
}

function unionDocs(lists: Int32Array[], maxDoc: number): Int32Array {
  const hit = new Uint8Array(maxDoc);
  for (const l of lists) for (const d of l) hit[d] = 1;
  return scanDocsFromBits(hit);
}

function scanDocsFromBits(hit: Uint8Array): Int32Array {
  const out: number[] = [];
  for (let d = 0; d < hit.length; d++) if (hit[d]) out.push(d);
  return Int32Array.from(out);
}

export function rewriteRange(q: RangeQuery, ctx: RewriteContext): Primitive {
  const f = ctx.field(q.field);
  if (!f) return NONE;
  ctx.requireSearchable(f);
  if (f.type === 'constant_keyword') return constantRange(f, q);
  if (f.flattened === 'keyed' && ((q.gt ?? q.gte) === undefined || (q.lt ?? q.lte) === undefined)) {
    // KeyedFlattenedFieldType#rangeQuery: an open range would run into the next key's values
    const reason = '[range] queries on keyed [flattened] fields must include both an upper and a lower bound.';
    ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
  }
  const label = `${q.field}:range`;
  if (f.type === 'text' || f.type === 'keyword') {
    // StringFieldType.rangeQuery
    if (!ctx.allowExpensiveQueries) throw new EngineError(500, 'exception', "[range] queries on [text] or [keyword] fields cannot be executed when 'search.allow_expensive_queries' is set to false.");
  }
  if (isRangeType(f.type)) return rangeFieldQuery(ctx, f, f.type, q, label);
  if (q.relation !== undefined && q.relation !== 'intersects') throw parsingError(`[range] relation [${q.relation.toUpperCase()}] is only supported on range fields`);
  if (f.type === 'date') {
    const opts: DateOptions = { ...(q.format ? { format: q.format } : {}), ...(q.timeZone ? { timeZone: q.timeZone } : {}) };
    // ES DateFieldType.rangeQuery: gt rounds up then +1ms, gte rounds down, lt rounds down then -1ms, lte rounds up
    const lo = q.gt !== undefined ? toDateMillis(ctx, f, q.gt, true, opts) + 1 : q.gte !== undefined ? toDateMillis(ctx, f, q.gte, false, opts) : -Infinity;
    const hi = q.lt !== undefined ? toDateMillis(ctx, f, q.lt, false, opts) - 1 : q.lte !== undefined ? toDateMillis(ctx, f, q.lte, true, opts) : Infinity;
    if (lo > hi) return NONE;
    return docs(label, q.boost, numericMatch(f.path, (v) => v >= lo && v <= hi));
  }
  if (f.type === 'date_nanos') {
    const opts: DateOptions = { ...(q.format ? { format: q.format } : {}), ...(q.timeZone ? { timeZone: q.timeZone } : {}) };
    // as for dates, one nanosecond instead of one millisecond past an exclusive bound
    const lo = q.gt !== undefined ? toDateNanos(ctx, f, q.gt, true, opts) + 1n : q.gte !== undefined ? toDateNanos(ctx, f, q.gte, false, opts) : 0n;
    const hi = q.lt !== undefined ? toDateNanos(ctx, f, q.lt, false, opts) - 1n : q.lte !== undefined ? toDateNanos(ctx, f, q.lte, true, opts) : MAX_NANOS;
    if (lo > hi) return NONE;
    return docs(label, q.boost, nanosMatch(f.path, lo, hi));
  }
  if (isNumericField(f) || f.type === 'boolean') {
    const num = (v: unknown): number => (f.type === 'boolean' ? (toBoolean(ctx, v) ? 1 : 0) : toNumber(ctx, f, v));
    const gt = q.gt !== undefined ? num(q.gt) : undefined;
    const gte = q.gte !== undefined ? num(q.gte) : undefined;
    const lt = q.lt !== undefined ? num(q.lt) : undefined;
    const lte = q.lte !== undefined ? num(q.lte) : undefined;
    return docs(label, q.boost, numericMatch(f.path, (v) => (gt === undefined || v > gt) && (gte === undefined || v >= gte) && (lt === undefined || v < lt) && (lte === undefined || v <= lte)));
  }
  if (f.type === 'ip') {
    // IpFieldType.rangeQuery: exclusive bounds step to the next/previous address; a CIDR bound is refused
    const bound = (v: unknown): Uint8Array => ipBytes(ctx, typeof v === 'number' ? String(v) : v);
    const gt = q.gt !== undefined ? bound(q.gt) : undefined;
    const gte = q.gte !== undefined ? bound(q.gte) : undefined;
    const lt = q.lt !== undefined ? bound(q.lt) : undefined;
    const lte = q.lte !== undefined ? bound(q.lte) : undefined;
    return docs(
      label,
      q.boost,
      ipMatch(
        f.path,
        (b) =>
          (gt === undefined || compareIp(b, gt) > 0) &&
          (gte === undefined || compareIp(b, gte) >= 0) &&
          (lt === undefined || compareIp(b, lt) < 0) &&
          (lte === undefined || compareIp(b, lte) <= 0),
      ),
    );
  }
  if (f.type === 'text' || f.type === 'keyword') {
    const norm = (v: unknown): string => (f.type === 'keyword' ? normalizeKeyword(f, v) : String(v));
    const gt = q.gt !== undefined ? norm(q.gt) : undefined;
    const gte = q.gte !== undefined ? norm(q.gte) : undefined;
    const lt = q.lt !== undefined ? norm(q.lt) : undefined;
    const lte = q.lte !== undefined ? norm(q.lte) : undefined;
    const accept = (t: string): boolean =>
      (gt === undefined || t > gt) && (gte === undefined || t >= gte) && (lt === undefined || t < lt) && (lte === undefined || t <= lte);
    if (!f.indexed) return docs(label, q.boost, keywordValuesMatch(f.path, accept), { field: f.path, matches: accept });
    return docs(label, q.boost, (seg) => termDocs(seg, f.path, accept), { field: f.path, matches: accept });
  }
  return ctx.fail(`Field [${f.path}] of type [${f.type}] does not support range queries`);
}

/** ConstantKeywordFieldType.rangeQuery: the value compared with the bounds as bytes (a missing bound is open). */
function constantRange(f: FieldInfo, q: RangeQuery): Primitive {
  const lower = q.gt ?? q.gte;
  const upper = q.lt ?? q.lte;
  return constantQuery(f, q.boost, (v) => {
    if (lower !== undefined && compareUtf8(constantText(lower), v) >= (q.gt === undefined ? 1 : 0)) return false;
    return !(upper !== undefined && compareUtf8(v, constantText(upper)) >= (q.lt === undefined ? 1 : 0));
  });
}

export function rewriteExists(q: ExistsQuery, ctx: RewriteContext): Primitive {
  // metadata fields every document has (doc values of _seq_no, _version, _primary_term)
  if (q.field === '_id' || q.field === '_index' || q.field === '_seq_no' || q.field === '_version' || q.field === '_primary_term') return { op: 'all', boost: q.boost };
  if (q.field === '_source') return ctx.fail('The _source field is not searchable');
  const f = ctx.field(q.field);
  // a pattern matches field aliases too (getMatchingFieldNames), which stand for their targets
  const mapping = ctx.view.mapping;
  const matched = f ? [f.path] : [...mapping.fieldPaths(), ...(mapping.aliasPaths?.() ?? [])].filter((p) => matchesPattern(q.field, p) || p.startsWith(`${q.field}.`));
  const fields = [...new Set(matched.map((p) => mapping.aliasTarget?.(p) ?? p))].map((p) => existsColumn(ctx, p));
  if (fields.length === 0) return NONE;
  if (fields.some((p) => mapping.field(p)?.constantValue !== undefined)) return { op: 'all', boost: q.boost };
  return docs(`exists:${q.field}`, q.boost, (seg) => scanDocs(seg, (d) => fields.some((p) => seg.hasField(p, d))));
}

/** Where `exists` looks for a field: a rank_feature is a term of the hidden `_feature` field; rank_features refuse. */
function existsColumn(ctx: RewriteContext, path: string): string {
  const f = ctx.field(path);
  if (f?.type === 'rank_feature') return featureColumn(FEATURE_META_FIELD, f.path);
  if (f?.type === 'rank_features') {
    const reason = '[rank_features] fields do not support [exists] queries';
    return ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
  }
  return path;
}

/** `*` wildcards in field names (exists, multi_match, query_string fields). */
export function matchesPattern(pattern: string, path: string): boolean {
  return simpleMatch(pattern, path);
}

export function rewriteIds(q: IdsQuery, ctx: RewriteContext): Primitive {
  // IdsQueryBuilder.doToQuery: no more ids than index.max_result_window
  const max = ctx.view.maxResultWindow;
  if (new Set(q.values).size > max) ctx.fail(`failed to create query: Too many ids specified, allowed max result window is [${max}]`, { type: 'illegal_argument_exception', reason: `Too many ids specified, allowed max result window is [${max}]` });
  const set = new Set(q.values);
  if (set.size === 0) return NONE;
  return docs('ids', q.boost, (seg) => scanDocs(seg, (d) => seg.nestedPath(d) === undefined && set.has(seg.id(d))));
}

/** KeyedFlattenedFieldType refuses fuzzy, regexp and wildcard queries (the root field answers them as a keyword). */
function refuseOnKeyedFlattened(ctx: RewriteContext, kind: string, f: FieldInfo | undefined): void {
  if (f?.flattened !== 'keyed') return;
  const reason = `[${kind}] queries are not currently supported on keyed [flattened] fields.`;
  ctx.fail(`failed to create query: ${reason}`, { type: 'unsupported_operation_exception', reason });
}

function textOrKeyword(ctx: RewriteContext, kind: string, field: string): FieldInfo | undefined {
  const f = ctx.field(field);
  if (!f) return undefined;
  if (kind !== 'prefix') refuseOnKeyedFlattened(ctx, kind, f);
  if (f.type !== 'text' && f.type !== 'keyword' && f.type !== 'constant_keyword') {
    ctx.fail(`Can only use ${kind} queries on keyword and text fields - not on [${field}] which is of type [${f.type}]`);
  }
  ctx.requireSearchable(f);
  return f;
}

function patternQuery(ctx: RewriteContext, f: FieldInfo, boost: number, label: string, accept: (t: string) => boolean): Primitive {
  const terms: DocsTerms = { field: f.path, matches: accept };
  if (!f.indexed) return docs(label, boost, keywordValuesMatch(f.path, accept), terms);
  return docs(label, boost, (seg) => termDocs(seg, f.path, accept), terms);
}

export function rewritePrefix(q: PrefixQuery, ctx: RewriteContext): Primitive {
  checkConstantRewrite('prefix', q.rewrite);
  if (q.field === '_id') return docs('_id:prefix', q.boost, (seg) => scanDocs(seg, (d) => seg.nestedPath(d) === undefined && seg.id(d).startsWith(q.value)));
  const f = textOrKeyword(ctx, 'prefix', q.field);
  if (!f) return NONE;
  if (f.type === 'constant_keyword') return constantQuery(f, q.boost, (v) => constantMatches(`${q.value}*`, v, q.caseInsensitive === true));
  const sayt = f.sayt ? saytPrefixQuery(f, q.value, q.caseInsensitive === true, q.boost) : undefined;
  if (sayt) return sayt;
  const pf = f.indexPrefixes;
  if (!(pf && !q.caseInsensitive && q.value.length >= pf.minChars && q.value.length <= pf.maxChars)) ctx.checkExpensive('prefix', ' For optimised prefix queries on text fields please enable [index_prefixes].');
  const value = f.type === 'keyword' ? normalizeKeyword(f, q.value) : q.value;
  if (q.caseInsensitive) {
    const lower = value.toLowerCase();
    return patternQuery(ctx, f, q.boost, `${f.path}:${value}*`, (t) => t.toLowerCase().startsWith(lower));
  }
  if (f.indexed) return docs(`${f.path}:${value}*`, q.boost, (seg) => prefixDocs(seg, f.path, value), { field: f.path, matches: (t) => t.startsWith(value) });
  return patternQuery(ctx, f, q.boost, `${f.path}:${value}*`, (t) => t.startsWith(value));
}

export function rewriteWildcard(q: WildcardQuery, ctx: RewriteContext): Primitive {
  checkConstantRewrite('wildcard', q.rewrite);
  const f = textOrKeyword(ctx, 'wildcard', q.field);
  if (!f) return NONE;
  if (f.type === 'constant_keyword') return constantQuery(f, q.boost, (v) => constantMatches(q.value, v, q.caseInsensitive === true));
  ctx.checkExpensive('wildcard');
  const value = f.type === 'keyword' && f.normalizer ? normalizeWildcard(f, q.value) : q.value;
  const dfa = compileFor(ctx, () => wildcardMatcher(value, q.caseInsensitive));
  return patternQuery(ctx, f, q.boost, `${f.path}:${value}`, (t) => dfa.test(t));
}

/** Normalizes the literal parts of a wildcard pattern (keyword normalizers), keeping `*` and `?`. */
function normalizeWildcard(f: FieldInfo, pattern: string): string {
  return pattern.replace(/[^*?\\]+/g, (s) => normalizeKeyword(f, s));
}

export function rewriteRegexp(q: RegexpQuery, ctx: RewriteContext): Primitive {
  checkConstantRewrite('regexp', q.rewrite);
  const f = textOrKeyword(ctx, 'regexp', q.field);
  if (!f) return NONE;
  if (f.type === 'constant_keyword') {
    const matcher = compileFor(ctx, () => regexpMatcher(q.value, { flags: q.flags, caseInsensitive: q.caseInsensitive, maxDeterminizedStates: q.maxDeterminizedStates }));
    return constantQuery(f, q.boost, (v) => matcher.test(v));
  }
  ctx.checkExpensive('regexp');
  const tooLong = checkRegexLength(q.value, intSetting(ctx, 'index.max_regex_length', MAX_REGEX_LENGTH));
  if (tooLong) ctx.fail(`failed to create query: ${tooLong}`, { type: 'illegal_argument_exception', reason: tooLong });
  const opts = { flags: q.flags, caseInsensitive: q.caseInsensitive, maxDeterminizedStates: q.maxDeterminizedStates };
  const dfa = compileFor(ctx, () => regexpMatcher(q.value, opts));
  return patternQuery(ctx, f, q.boost, `${f.path}:/${q.value}/`, (t) => dfa.test(t));
}

/** Compiles a pattern; its failure is this shard's `failed to create query` (ES's QueryShardException). */
function compileFor(ctx: RewriteContext, compile: () => PatternMatcher): PatternMatcher {
  try {
    return compile();
  } catch (e) {
    if (e instanceof EngineError) ctx.fail(`failed to create query: ${e.message}`, { type: e.type, reason: e.message });
    throw e;
  }
}

/** Options of a fuzzy expansion (fuzzy query, match with fuzziness, query_string `~`). */
export interface FuzzyOptions {
  fuzziness: FuzzyQuery['fuzziness'];
  prefixLength: number;
  maxExpansions: number;
  transpositions: boolean;
}

/** A term's totalTermFreq over the view's segments (docFreq for fields indexed without freqs). */
export function totalTermFreq(ctx: RewriteContext, field: string, term: string): number {
  if (ctx.view.mapping.field(field)?.type !== 'text') return ctx.view.docFreq(field, term);
  let ttf = 0;
  for (const seg of ctx.view.segments) ttf += seg.postings(field, term)?.totalTermFreq ?? 0;
  return ttf;
}

/**
 * FuzzyQuery with Lucene's default rewrite, TopTermsBlendedFreqScoringRewrite: the
 * `maxExpansions` terms within the edit distance with the highest boost
 * (1 - edits / min(len(term), len(candidate)), at least 0), each a scored term query whose docFreq is the
 * max docFreq of the expansions (blended), combined as should clauses.
 */
export function fuzzyTerms(ctx: RewriteContext, field: string, term: string, opts: FuzzyOptions, boost: number): Primitive {
  const top = fuzzyTopTerms(ctx, field, term, opts);
  if (top.length === 0) return NONE;
  const maxDf = Math.max(...top.map((s) => ctx.view.docFreq(field, s.term)));
  // BlendedTermQuery.rewrite: every expansion takes the max docFreq and the sum of the totalTermFreqs (read by similarities other than BM25)
  const sumTtf = top.reduce((sum, s) => sum + totalTermFreq(ctx, field, s.term), 0);
  const clauses: Primitive[] = top.map((s) => ({ op: 'term', field, term: s.term, boost: Math.max(0, s.similarity) * boost, docFreq: maxDf, totalTermFreq: sumTtf }));
  const fuzzy: Primitive = clauses.length === 1 ? (clauses[0] as Primitive) : { op: 'bool', must: [], should: clauses, filter: [], mustNot: [], msm: 0, boost: 1 };
  return constantIfMatchOnly(ctx, field, fuzzy, boost);
}

/**
 * MatchOnlyTextFieldType: its term and fuzzy queries, and its phrase queries (SourceConfirmedTextQuery),
 * are ConstantScoreQuery: a match scores `boost`. Other fields keep `p` as it is (boost included).
 */
/** MatchOnlyTextFieldType.getValueFetcherProvider: its positional queries read `_source`, so they fail without one. */
export function checkPositional(ctx: RewriteContext, f: FieldInfo, kind: 'phrase' | 'intervals' = 'phrase'): void {
  if (f.withoutPositions !== undefined) {
    // TextFieldType.checkForPositions (phrases) and TextFieldType.intervals
    if (kind === 'intervals') {
      const reason = `Cannot create intervals over field [${f.path}] with no positions indexed`;
      ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
    }
    const reason = `field:[${f.path}] was indexed without position data; cannot run PhraseQuery`;
    ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_state_exception', reason });
  }
  if (!f.matchOnly || !ctx.view.mapping.sourceDisabled) return;
  const reason = `Field [${f.path}] of type [match_only_text] cannot run positional queries since [_source] is disabled.`;
  ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
}

export function constantIfMatchOnly(ctx: RewriteContext, field: string, p: Primitive, boost = 1): Primitive {
  if (p.op === 'none' || ctx.field(field)?.matchOnly !== true) return p;
  return { op: 'const', inner: p, boost };
}

/** The terms a FuzzyQuery's TopTermsRewrite keeps: the best `maxExpansions` by similarity, the smaller term on a tie. */
export function fuzzyTopTerms(ctx: RewriteContext, field: string, term: string, opts: FuzzyOptions): Array<{ term: string; similarity: number }> {
  refuseOnKeyedFlattened(ctx, 'fuzzy', ctx.field(field));
  ctx.checkExpensive('fuzzy');
  // FuzzyQuery: no edits, or a prefix covering the whole term (in UTF-16 units), is the term itself
  const edits = opts.prefixLength >= term.length ? 0 : fuzzyEdits(opts.fuzziness, term);
  const cps = codePoints(term);
  const prefix = String.fromCodePoint(...cps.slice(0, opts.prefixLength));
  const candidates = new Set<string>();
  for (const seg of ctx.view.segments) for (const t of termsWithPrefix(seg, field, prefix)) candidates.add(t);
  const scored: Array<{ term: string; similarity: number }> = [];
  for (const t of candidates) {
    const tc = codePoints(t);
    const ed = edits === 0 ? (t === term ? 0 : 1) : editDistance(cps, tc, edits, opts.transpositions);
    if (ed > edits) continue;
    // FuzzyTermsEnum keeps a candidate whose similarity is <= 0 (edits reaching the shorter
    // term's length, -Infinity for an empty one): it ranks below the others, matches with boost 0,
    // and its docFreq counts in the blended docFreq
    scored.push({ term: t, similarity: ed === 0 ? 1 : Math.fround(1 - Math.fround(ed / Math.min(tc.length, cps.length))) });
  }
  // TopTermsRewrite keeps the best `maxExpansions` by similarity, the smaller term on a tie
  scored.sort((a, b) => b.similarity - a.similarity || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  return scored.slice(0, opts.maxExpansions);
}

/** ConstantKeywordFieldType.fuzzyQuery: the value within the Levenshtein automaton of the term (prefix kept exact). */
function constantFuzzy(term: string, value: string, opts: FuzzyOptions): boolean {
  const cps = codePoints(term);
  const prefixLength = Math.min(opts.prefixLength, cps.length);
  if (!value.startsWith(String.fromCodePoint(...cps.slice(0, prefixLength)))) return false;
  const edits = fuzzyEdits(opts.fuzziness, term);
  return editDistance(cps, codePoints(value), edits, opts.transpositions) <= edits;
}

/** ConstantKeywordFieldType.fuzzyQuery: every document when the field's value is within the edits of `term`. */
export function constantFuzzyQuery(f: FieldInfo, term: string, opts: FuzzyOptions, boost: number): Primitive {
  return constantQuery(f, boost, (v) => constantFuzzy(term, v, opts));
}

export function rewriteFuzzy(q: FuzzyQuery, ctx: RewriteContext): Primitive {
  const f = ctx.field(q.field);
  if (!f) return NONE;
  refuseOnKeyedFlattened(ctx, 'fuzzy', f);
  if (f.type === 'constant_keyword') return constantFuzzyQuery(f, q.value, q, q.boost);
  if (f.type !== 'text' && f.type !== 'keyword') throw unsupported(`fuzzy query on [${f.type}] field [${f.path}]`);
  ctx.requireSearchable(f);
  const value = f.type === 'keyword' ? normalizeKeyword(f, q.value) : q.value;
  return fuzzyTerms(ctx, f.path, value, q, q.boost);
}

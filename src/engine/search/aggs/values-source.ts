import type { FieldInfo } from '../../contract.js';
import { decodeNanos, nanosField } from '../../date-nanos.js';
import { EngineError, unsupported } from '../../errors.js';
import { isRangeType } from '../../range-field.js';
import { NUMERIC_TYPES } from '../field-values.js';
import type { Leaf } from '../match-set.js';
import { checkFielddata, fielddataError } from '../sort.js';
import type { DocSet } from './agg-types.js';

/**
 * Per-document field values for aggregations (Elasticsearch's ValuesSource), read from doc
 * values: numbers (dates as epoch millis, booleans as 0/1) or keywords. One reader per leaf,
 * since each target index has its own mapping; `null` where the field is unmapped.
 */

export type ValueKind = 'number' | 'date' | 'boolean' | 'keyword';

export type FieldReader =
  | { kind: 'number' | 'date' | 'boolean'; info: FieldInfo; values(doc: number): readonly number[] | undefined }
  | { kind: 'keyword'; info: FieldInfo; values(doc: number): readonly string[] | undefined };

export function kindOf(info: FieldInfo): ValueKind | undefined {
  if (info.type === 'date') return 'date';
  if (info.type === 'boolean') return 'boolean';
  if (NUMERIC_TYPES.has(info.type)) return 'number';
  if (info.type === 'keyword' || info.type === 'constant_keyword') return 'keyword';
  return undefined;
}

/**
 * How an aggregation reads a date_nanos field: as epoch millis rounded down (date_histogram, as ES
 * rounds nanos to millis there), as its epoch nanos in doubles (the numeric metrics: ES's
 * `(double) long`), or not at all (a 400 naming it).
 */
export type DateNanosRead = 'refuse' | 'millis' | 'nanos';

/**
 * The reader of `field` in one leaf; throws the fielddata error for text fields, as ES does.
 * A date_nanos field reads as a date in epoch millis rounded down, which is what ES's
 * date_histogram rounds its nanos to (`millisOfNanos`, for the aggregations that round so); the
 * others would need its exact nanos and refuse it.
 */
export function fieldReader(leaf: Leaf, field: string, nanos: DateNanosRead = 'refuse'): FieldReader | null {
  const info = leaf.view.mapping.field(field);
  if (!info) return null;
  if (info.type === 'date_nanos') {
    const seg = leaf.segment;
    if (nanos === 'millis') return { kind: 'date', info, values: (doc) => seg.numericValues(field, doc) };
    if (nanos === 'nanos') return { kind: 'date', info, values: (doc) => seg.keywordValues(nanosField(field), doc)?.map((v) => Number(decodeNanos(v))) };
    throw unsupported(`this aggregation on the date_nanos field [${field}] (date_histogram, composite date_histogram, missing and the numeric metrics are)`);
  }
  checkFielddata(info);
  if (info.type === 'text' && info.fielddata === true) {
    const perDoc = uninverted(leaf.segment, field);
    return { kind: 'keyword', info, values: (doc) => perDoc[doc] };
  }
  const kind = kindOf(info);
  if (kind === undefined) {
    if (info.type === 'text') throw fielddataError(field);
    // histogram and date_histogram read range fields themselves (range-histogram.ts); the other aggregations over them are not built
    if (isRangeType(info.type)) throw unsupported(`aggregations on the range field [${field}] of type [${info.type}]`);
    throw new EngineError(400, 'illegal_argument_exception', `Field [${field}] of type [${info.type}] is not supported for aggregation`);
  }
  const seg = leaf.segment;
  if (kind === 'keyword') return { kind, info, values: (doc) => seg.keywordValues(field, doc) };
  return { kind, info, values: (doc) => seg.numericValues(field, doc) };
}

const UNINVERTED = new WeakMap<object, Map<string, Array<string[] | undefined>>>();

/** A text field's terms per doc, uninverted from the postings (`fielddata: true`), each doc's terms sorted. */
function uninverted(seg: Leaf['segment'], field: string): Array<string[] | undefined> {
  let perField = UNINVERTED.get(seg);
  if (!perField) {
    perField = new Map();
    UNINVERTED.set(seg, perField);
  }
  const hit = perField.get(field);
  if (hit) return hit;
  const perDoc = new Array<string[] | undefined>(seg.maxDoc);
  for (const term of seg.terms(field)) {
    const docs = seg.termDocIds?.(field, term) ?? seg.postings(field, term)?.docs;
    if (!docs) continue;
    for (const d of docs) (perDoc[d] ??= []).push(term);
  }
  perField.set(field, perDoc);
  return perDoc;
}

/** One reader per leaf of a DocSet (memoised by leaf index, so build it once per aggregation). */
export function fieldReaders(docs: DocSet, field: string, nanos: DateNanosRead = 'refuse'): Array<FieldReader | null> {
  return docs.leaves.map((leaf) => fieldReader(leaf, field, nanos));
}

/** The kind a field has across the leaves (the first mapped one), or undefined when unmapped everywhere. */
export function commonKind(readers: ReadonlyArray<FieldReader | null>): ValueKind | undefined {
  for (const r of readers) if (r) return r.kind;
  return undefined;
}

/** Builds a sub-DocSet from the positions `idx` of `docs` (ascending positions keep collection order). */
export function subset(docs: DocSet, idx: ArrayLike<number>, n = idx.length): DocSet {
  const leaf = new Int32Array(n);
  const doc = new Int32Array(n);
  const score = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = idx[i] as number;
    leaf[i] = docs.leaf[p] as number;
    doc[i] = docs.doc[p] as number;
    score[i] = docs.score[p] as number;
  }
  return { leaves: docs.leaves, leaf, doc, score, count: n };
}

/** Positions of the DocSet grouped by target index (every target present, even with no docs). */
export function byTarget(docs: DocSet, targets: number): Map<number, Int32Array> {
  const counts = new Int32Array(Math.max(targets, 1));
  const targetOfLeaf = docs.leaves.map((l) => l.target);
  for (let i = 0; i < docs.count; i++) counts[targetOfLeaf[docs.leaf[i] as number] as number] = (counts[targetOfLeaf[docs.leaf[i] as number] as number] as number) + 1;
  const out = new Map<number, Int32Array>();
  const fill = new Int32Array(counts.length);
  for (let t = 0; t < counts.length; t++) out.set(t, new Int32Array(counts[t] as number));
  for (let i = 0; i < docs.count; i++) {
    const t = targetOfLeaf[docs.leaf[i] as number] as number;
    const at = fill[t] as number;
    (out.get(t) as Int32Array)[at] = i;
    fill[t] = at + 1;
  }
  return out;
}

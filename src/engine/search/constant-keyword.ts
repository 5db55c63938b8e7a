import { simpleMatch } from '../automaton/simple-match.js';
import type { FieldInfo, IndexView, SegmentView } from '../contract.js';
import { NONE } from './primitive.js';
import type { Primitive } from './primitive.js';

/**
 * ConstantFieldType: a query on a `constant_keyword` field is rewritten to match_all or match_none
 * by testing the field's one value (no value yet: nothing matches). Scores are match_all's: the boost.
 */
export function constantQuery(f: FieldInfo, boost: number, test: (value: string) => boolean): Primitive {
  return f.constantValue !== undefined && test(f.constantValue) ? { op: 'all', boost } : NONE;
}

/** Regex.simpleMatch(pattern, value, caseInsensitive): only `*` is a wildcard (what term, terms, prefix and wildcard compare with). */
export function constantMatches(pattern: string, value: string, caseInsensitive: boolean): boolean {
  return caseInsensitive ? simpleMatch(pattern.toLowerCase(), value.toLowerCase()) : simpleMatch(pattern, value);
}

/** A query value as the text ConstantFieldType compares (BytesRefs.toString: numbers and booleans by their text). */
export const constantText = (value: unknown): string => String(value);

/** BytesRef order (UTF-8 bytes), which a range on a constant_keyword compares its bounds with. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const ORIGINAL = new WeakMap<object, object>();

/**
 * The view or segment a constant-fields view (or one of its segments) wraps, else the object
 * itself: what state keyed by identity (knn's selected documents) was keyed with.
 */
export const unwrapped = <T extends object>(o: T): T => (ORIGINAL.get(o) as T | undefined) ?? o;

/**
 * The view a search reads, where every document has the value of each `constant_keyword` field
 * (ConstantIndexFieldData): its doc values, terms and `exists` answer the value though nothing is
 * indexed; `_index` reads the index name.
 */
export function withConstantFields(view: IndexView, sortsOnIndex: boolean): IndexView {
  const constants = new Map<string, readonly string[]>();
  // `_index` is a constant field too (IndexFieldMapper): what a sort on it reads
  if (sortsOnIndex) constants.set('_index', [view.index]);
  for (const path of view.mapping.fieldPaths()) {
    const value = view.mapping.field(path)?.constantValue;
    if (value !== undefined) constants.set(path, [value]);
  }
  // nothing constant to answer: the view itself (state keyed by its identity stays reachable)
  if (constants.size === 0) return view;
  const segments = view.segments.map((segment): SegmentView => {
    const wrapped = Object.create(segment) as SegmentView;
    ORIGINAL.set(wrapped, segment);
    return Object.assign(wrapped, {
      keywordValues: (field: string, doc: number) => constants.get(field) ?? segment.keywordValues(field, doc),
      terms: (field: string) => (constants.has(field) && segment.maxDoc > 0 ? (constants.get(field) as readonly string[]) : segment.terms(field)),
      hasField: (field: string, doc: number) => constants.has(field) || segment.hasField(field, doc),
    });
  });
  const wrapped = Object.assign(Object.create(view) as IndexView, { segments });
  ORIGINAL.set(wrapped, view);
  return wrapped;
}

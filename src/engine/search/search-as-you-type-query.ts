import type { Analyzer, FieldInfo, Token } from '../contract.js';
import { SAYT_MAX_GRAM, SAYT_MIN_GRAM, SAYT_PREFIX_SUFFIX, fixedShingleFilter, shingleFieldName } from '../analysis/search-as-you-type.js';
import { analyzeWithEnd } from '../analysis/fixed-shingles.js';
import { NONE } from './primitive.js';
import type { Primitive } from './primitive.js';
import { termDocs } from './rewrite-context.js';
import { SpanMaskSource, SpanNearSource, SpanOrSource, SpanTermSource } from './spans/span-source.js';
import type { SpanSource } from './spans/span-source.js';

/**
 * Queries on search_as_you_type fields as SearchAsYouTypeFieldMapper's field types build them:
 * prefixes read `._index_prefix` (one term), exact phrases the shingle subfield of their length,
 * phrase prefixes the shingle subfield and, for the last shingle, `._index_prefix`.
 */

/** PrefixFieldType.termLengthWithinBounds: min_gram - 1 to max_gram characters. */
const withinBounds = (length: number): boolean => length >= SAYT_MIN_GRAM - 1 && length <= SAYT_MAX_GRAM;

/** The `._index_prefix` field of a search_as_you_type root or shingle subfield (or the prefix field itself). */
export function saytPrefixField(f: FieldInfo): string | undefined {
  return f.sayt ? f.sayt.root + SAYT_PREFIX_SUFFIX : undefined;
}

/**
 * SearchAsYouTypeFieldType / ShingleFieldType.prefixQuery with a value of 0-20 characters:
 * PrefixFieldType.prefixQuery (a term of `._index_prefix`; an empty value any one-character term
 * there), in a ConstantScoreQuery. Undefined when the field is no search_as_you_type field or the
 * value is longer (then a prefix query on the field's own terms).
 */
export function saytPrefixQuery(f: FieldInfo, value: string, caseInsensitive: boolean, boost: number): Primitive | undefined {
  const field = saytPrefixField(f);
  if (field === undefined || !withinBounds(value.length)) return undefined;
  let inner: Primitive;
  if (value.length >= SAYT_MIN_GRAM) {
    if (caseInsensitive) {
      const lower = value.toLowerCase();
      // termQueryCaseInsensitive: an automaton of the term, any case
      inner = { op: 'docs', boost: 1, label: `${field}:${value}`, match: (seg) => termDocs(seg, field, (t) => t.toLowerCase() === lower), terms: { field, matches: (t) => t.toLowerCase() === lower } };
    } else inner = { op: 'term', field, term: value, boost: 1 };
  } else {
    inner = { op: 'docs', boost: 1, label: `${field}:*`, match: (seg) => termDocs(seg, field, (t) => [...t].length === SAYT_MIN_GRAM), terms: { field, matches: (t) => [...t].length === SAYT_MIN_GRAM } };
  }
  // PrefixFieldType itself answers with the bare query; the root and shingle fields wrap it (CONSTANT_SCORE_REWRITE)
  return f.sayt?.prefix ? { ...inner, boost } : { op: 'const', inner, boost };
}

/** The shingle subfield a phrase of `positions` positions reads (shingleFieldForPositions). */
function shingleFieldFor(f: FieldInfo, positions: number): string {
  const size = Math.min(Math.max(positions, 2), (f.sayt as { maxShingleSize: number }).maxShingleSize);
  return shingleFieldName(f.path, size);
}

/**
 * The query text's tokens, countPosition (the position increments summed: the last position + 1)
 * and TextFieldType.hasGaps (an increment over 1, a leading removed word included).
 */
function shape(analyzer: Analyzer, text: string): { tokens: Token[]; endPosInc: number; numPos: number; gaps: boolean } {
  const { tokens, endPosition } = analyzeWithEnd(analyzer, text);
  let previous = -1;
  let gaps = false;
  for (const t of tokens) {
    if (t.position - previous > 1) gaps = true;
    previous = Math.max(previous, t.position);
  }
  return { tokens, endPosInc: endPosition - (previous + 1), numPos: previous + 1, gaps };
}

/** Shingles grouped by position: alternatives per position and positions relative to the first. */
function grouped(shingles: Array<{ term: string; position: number }>): { terms: string[][]; offsets: number[] } {
  const byPos = new Map<number, string[]>();
  for (const s of shingles) {
    const at = byPos.get(s.position);
    if (at) {
      if (!at.includes(s.term)) at.push(s.term);
    } else byPos.set(s.position, [s.term]);
  }
  const keys = [...byPos.keys()].sort((a, b) => a - b);
  const first = keys[0] ?? 0;
  return { terms: keys.map((k) => byPos.get(k) as string[]), offsets: keys.map((k) => k - first) };
}

/**
 * SearchAsYouTypeFieldType.phraseQuery on the root: an exact phrase (slop 0, no holes) of two or
 * more positions becomes the phrase of its shingles (FixedShingleFilter, filler `_`) on the
 * subfield of that many words (the largest past max_shingle_size); null when the phrase stays on the root.
 */
export function saytPhrase(f: FieldInfo, analyzer: Analyzer, text: string, slop: number): Primitive | null {
  if (!f.sayt || f.sayt.shingleSize !== undefined || f.sayt.prefix) return null;
  const s = shape(analyzer, text);
  if (slop > 0 || s.gaps || s.numPos <= 1) return null;
  const field = shingleFieldFor(f, s.numPos);
  const size = Number(/_(\d)gram$/.exec(field)?.[1]);
  const { terms, offsets } = grouped(fixedShingleFilter(s.tokens, s.endPosInc, size, ' ', '_'));
  if (terms.length === 0) return NONE;
  // MultiPhraseQuery.rewrite: one position is a boolean of its terms
  if (terms.length === 1) {
    const alts = terms[0] as string[];
    if (alts.length === 1) return { op: 'term', field, term: alts[0] as string, boost: 1 };
    return { op: 'bool', must: [], should: alts.map((term) => ({ op: 'term', field, term, boost: 1 })), filter: [], mustNot: [], msm: 0, boost: 1 };
  }
  return { op: 'phrase', field, terms, positions: offsets, slop: 0, boost: 1 };
}

/**
 * SearchAsYouTypeFieldType.phrasePrefixQuery on the root (several positions, slop 0, no holes):
 * the query's shingles on the subfield of that many words, read by ShingleFieldType.phrasePrefixQuery.
 * On a shingle subfield, that method directly. Null when the query stays a phrase prefix on the field's
 * own terms; the shingle field and its terms when the phrase prefix expands there (a last shingle past 20 characters).
 */
export function saytPhrasePrefix(f: FieldInfo, analyzer: Analyzer, text: string, slop: number): Primitive | { field: string; terms: string[][]; offsets: number[] } | null {
  if (!f.sayt || f.sayt.prefix || slop > 0) return null;
  const s = shape(analyzer, text);
  let field = f.path;
  let shingles: Array<{ term: string; position: number }> = s.tokens;
  if (f.sayt.shingleSize === undefined) {
    if (s.gaps || s.numPos <= 1) return null;
    field = shingleFieldFor(f, s.numPos);
    const size = Number(/_(\d)gram$/.exec(field)?.[1]);
    shingles = fixedShingleFilter(s.tokens, s.endPosInc, size, ' ', '_');
  }
  const { terms, offsets } = grouped(shingles);
  if (terms.length === 0) return null;
  const last = terms[terms.length - 1] as string[];
  // TextFieldMapper.createPhrasePrefixQuery: the prefix field only when every last term fits it, else
  // a MultiPhrasePrefixQuery on the shingle field
  if (!last.every((t) => withinBounds(t.length))) return { field, terms, offsets };
  const prefixField = saytPrefixField(f) as string;
  if (terms.length === 1) {
    if (last.length === 1) return { op: 'term', field: prefixField, term: last[0] as string, boost: 1 };
    return { op: 'synonym', field: prefixField, terms: last, boost: 1 };
  }
  const clauses: SpanSource[] = [];
  // the shingles of a phrase without holes sit at consecutive positions: no span gaps
  terms.forEach((alts, i) => {
    const isLast = i === terms.length - 1;
    const leaves = alts.map((t) => (isLast ? new SpanMaskSource(new SpanTermSource(prefixField, t), field) : new SpanTermSource(field, t)));
    clauses.push(leaves.length === 1 ? (leaves[0] as SpanSource) : new SpanOrSource(field, leaves));
  });
  return { op: 'span', source: new SpanNearSource(field, clauses, 0, true), boost: 1 };
}

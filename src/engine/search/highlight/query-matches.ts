import { unsupported } from '../../errors.js';
import type { Primitive, PrimitiveOf } from '../primitive.js';
import type { ContentToken, FieldContent } from './field-content.js';

/**
 * What the unified highlighter tags in a field's content, in its two modes:
 *
 * - Weight-matches mode (Elasticsearch >= 8.9, the default when `require_field_match` is true
 *   and the query holds no nested query): Lucene's `Weight#matches` over the query. A clause
 *   that does not match the document contributes nothing (a required one voids its whole
 *   boolean, a must_not that matches voids it too); a phrase is one span from its first to its
 *   last term. Clauses on other fields are checked against the index (`docMatches`).
 * - Term-extraction mode (`require_field_match: false`, or nested queries): every term of every
 *   clause but must_not, whether the clause matched or not; phrase terms only where they form the
 *   phrase, each tagged separately; multi-term queries through their term predicate.
 */

export interface MatchSpan {
  start: number;
  end: number;
  /** What PassageScorer groups by: the term, the phrase's terms, or the multi-term query. */
  term: string;
  /** The term's frequency in the content (1 in weight-matches mode, as Lucene). */
  freq: number;
}

export interface MatchContext {
  /** The highlighted field. */
  field: string;
  content: FieldContent;
  /** Whether a clause matches the hit's document through the index (clauses on other fields). */
  docMatches(p: Primitive): boolean;
}

class TokenIndex {
  readonly byTerm = new Map<string, ContentToken[]>();
  private positions?: Map<number, ContentToken[]>;
  constructor(readonly tokens: ContentToken[]) {
    for (const t of tokens) {
      const a = this.byTerm.get(t.term);
      if (a) a.push(t);
      else this.byTerm.set(t.term, [t]);
    }
  }

  /** Tokens by position, built on first use (only exact phrases need it). */
  get byPosition(): Map<number, ContentToken[]> {
    if (!this.positions) {
      this.positions = new Map();
      for (const t of this.tokens) {
        const b = this.positions.get(t.position);
        if (b) b.push(t);
        else this.positions.set(t.position, [t]);
      }
    }
    return this.positions;
  }
}

const indexes = new WeakMap<FieldContent, TokenIndex>();
function tokenIndex(content: FieldContent): TokenIndex {
  let ix = indexes.get(content);
  if (!ix) {
    ix = new TokenIndex(content.tokens);
    indexes.set(content, ix);
  }
  return ix;
}

/**
 * Occurrences of a phrase: one token per phrase position. Exact phrases need the positions as
 * written; sloppy ones Lucene's match length (max - min of position - offset) within the slop.
 */
function phraseOccurrences(p: PrimitiveOf<'phrase'>, ix: TokenIndex): ContentToken[][] {
  const out: ContentToken[][] = [];
  const first = p.terms[0] ?? [];
  const alts = p.terms.map((a) => new Set(a));
  if (p.slop === 0) {
    for (const term of first) {
      for (const t0 of ix.byTerm.get(term) ?? []) {
        const picked: ContentToken[] = [t0];
        for (let i = 1; i < p.terms.length && picked.length === i; i++) {
          const at = t0.position + (p.positions[i] as number) - (p.positions[0] as number);
          const hit = (ix.byPosition.get(at) ?? []).find((t) => (alts[i] as Set<string>).has(t.term));
          if (hit) picked.push(hit);
        }
        if (picked.length === p.terms.length) out.push(picked);
      }
    }
    return out;
  }
  // candidates per phrase position: (position - offset, token)
  const cands = p.terms.map((a, i) =>
    a
      .flatMap((term) => ix.byTerm.get(term) ?? [])
      .map((t) => ({ at: t.position - (p.positions[i] as number), t }))
      .sort((x, y) => x.at - y.at),
  );
  if (cands.some((c) => c.length === 0)) return out;
  const seen = new Set<string>();
  for (const anchor of cands.flat()) {
    const picked: ContentToken[] = [];
    let max = anchor.at;
    let ok = true;
    for (const c of cands) {
      const next = c.find((x) => x.at >= anchor.at);
      if (!next) {
        ok = false;
        break;
      }
      picked.push(next.t);
      if (next.at > max) max = next.at;
    }
    if (!ok || max - anchor.at > p.slop) continue;
    const key = picked.map((t) => t.start).join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(picked);
  }
  return out;
}

const phraseLabel = (p: PrimitiveOf<'phrase'>): string => p.terms.flat().join(' ');

/** Weight-matches mode: the spans of `p` in the field, or null when `p` does not match the document. */
export function weightMatches(p: Primitive, ctx: MatchContext): MatchSpan[] | null {
  const ix = tokenIndex(ctx.content);
  const viaIndex = (q: Primitive): MatchSpan[] | null => (ctx.docMatches(q) ? [] : null);
  // a match's "term" is its query's terms joined by spaces (OffsetsEnum.queryToTerm): a synonym's are all of them
  const termSpans = (terms: string[]): MatchSpan[] | null => {
    const spans: MatchSpan[] = [];
    const label = terms.join(' ');
    for (const term of terms) for (const t of ix.byTerm.get(term) ?? []) spans.push({ start: t.start, end: t.end, term: label, freq: 1 });
    return spans.length > 0 ? spans : null;
  };
  const union = (subs: Array<MatchSpan[] | null>): MatchSpan[] | null => {
    const hit = subs.filter((s): s is MatchSpan[] => s !== null);
    return hit.length > 0 ? hit.flat() : null;
  };
  switch (p.op) {
    case 'all':
      return [];
    case 'none':
      return null;
    case 'term':
      return p.field === ctx.field ? termSpans([p.term]) : viaIndex(p);
    case 'synonym':
      return p.field === ctx.field ? termSpans(p.terms) : viaIndex(p);
    case 'phrase': {
      if (p.field !== ctx.field) return viaIndex(p);
      const label = phraseLabel(p);
      const spans = phraseOccurrences(p, ix).map((ts) => ({
        start: Math.min(...ts.map((t) => t.start)),
        end: Math.max(...ts.map((t) => t.end)),
        term: label,
        freq: 1,
      }));
      return spans.length > 0 ? spans : null;
    }
    case 'combined':
      return p.fields.some((f) => f.field === ctx.field) ? termSpans(p.terms) : viaIndex(p);
    case 'intervals':
      // the interval matches are not extracted: the doc matches, nothing in it is highlighted
      return viaIndex(p);
    case 'span':
      if (spanFields(p).has(ctx.field)) throw unsupported(`highlighting span queries on [${ctx.field}]`);
      return viaIndex(p);
    case 'docs': {
      const terms = p.terms;
      if (!terms || terms.field !== ctx.field) return viaIndex(p);
      const spans = ctx.content.tokens.filter((t) => terms.matches(t.term)).map((t) => ({ start: t.start, end: t.end, term: p.label, freq: 1 }));
      return spans.length > 0 ? spans : null;
    }
    case 'bool': {
      // BooleanWeight#matches: a matching must_not or a missing required clause voids the match
      for (const c of p.mustNot) if (weightMatches(c, ctx) !== null) return null;
      const subs: MatchSpan[][] = [];
      for (const c of [...p.must, ...p.filter]) {
        const m = weightMatches(c, ctx);
        if (m === null) return null;
        subs.push(m);
      }
      let shouldCount = 0;
      for (const c of p.should) {
        const m = weightMatches(c, ctx);
        if (m === null) continue;
        subs.push(m);
        shouldCount++;
      }
      if (shouldCount < p.msm) return null;
      // a bool of only must_not matches everything else (ES adds a match_all)
      if (p.must.length + p.filter.length + p.should.length === 0) return [];
      return subs.length > 0 ? subs.flat() : null;
    }
    case 'dismax':
      return union(p.subs.map((s) => weightMatches(s, ctx)));
    case 'const':
    case 'function_score':
    case 'nested':
    case 'named':
      return weightMatches(p.inner, ctx);
    case 'boosting':
      return weightMatches(p.positive, ctx);
    case 'script_score':
      return p.minScore === undefined || ctx.docMatches(p) ? weightMatches(p.inner, ctx) : null;
    case 'script_filter':
      return viaIndex(p);
  }
}

/** Whether the tree holds a nested query (ES then leaves weight-matches mode). */
export function hasNested(p: Primitive): boolean {
  switch (p.op) {
    case 'nested':
      return true;
    case 'bool':
      return [...p.must, ...p.should, ...p.filter, ...p.mustNot].some(hasNested);
    case 'dismax':
      return p.subs.some(hasNested);
    case 'const':
    case 'function_score':
    case 'script_score':
    case 'named':
      return hasNested(p.inner);
    case 'boosting':
      return hasNested(p.positive) || hasNested(p.negative);
    default:
      return false;
  }
}

/** The fields a span query reads (its own and its terms'): Elasticsearch highlights its matches there, the engine refuses. */
function spanFields(p: PrimitiveOf<'span'>): Set<string> {
  const terms: Array<{ field: string }> = [];
  p.source.collectTerms(terms as never);
  return new Set([p.source.field, ...terms.map((t) => t.field)]);
}

interface Extracted {
  spans: Array<PrimitiveOf<'span'>>;
  terms: Array<{ field: string; term: string }>;
  phrases: Array<PrimitiveOf<'phrase'>>;
  multiTerms: Array<PrimitiveOf<'docs'>>;
}

function extract(p: Primitive, out: Extracted): void {
  switch (p.op) {
    case 'term':
      out.terms.push({ field: p.field, term: p.term });
      break;
    case 'synonym':
      for (const term of p.terms) out.terms.push({ field: p.field, term });
      break;
    case 'combined':
      // CombinedFieldQuery.visit: its terms in every one of its fields
      for (const { field } of p.fields) for (const term of p.terms) out.terms.push({ field, term });
      break;
    case 'phrase':
      out.phrases.push(p);
      break;
    case 'docs':
      if (p.terms) out.multiTerms.push(p);
      break;
    case 'span':
      out.spans.push(p);
      break;
    case 'bool':
      // must_not clauses are never highlighted
      for (const c of [...p.must, ...p.filter, ...p.should]) extract(c, out);
      break;
    case 'dismax':
      for (const c of p.subs) extract(c, out);
      break;
    case 'const':
    case 'function_score':
    case 'nested':
    case 'named':
      extract(p.inner, out);
      break;
    case 'boosting':
      extract(p.positive, out);
      break;
    default:
      break;
  }
}

/** Term-extraction mode: spans of every extracted term whose field passes `fieldMatcher`. */
export function extractedMatches(p: Primitive, ctx: MatchContext, fieldMatcher: (field: string) => boolean): MatchSpan[] {
  const ex: Extracted = { spans: [], terms: [], phrases: [], multiTerms: [] };
  extract(p, ex);
  for (const sp of ex.spans) for (const f of spanFields(sp)) if (fieldMatcher(f)) throw unsupported(`highlighting span queries on [${f}]`);
  const ix = tokenIndex(ctx.content);
  const spans: MatchSpan[] = [];
  const seen = new Set<string>();
  const add = (s: MatchSpan): void => {
    const key = `${s.start}:${s.end}:${s.term}`;
    if (seen.has(key)) return;
    seen.add(key);
    spans.push(s);
  };
  const terms = new Set(ex.terms.filter((t) => fieldMatcher(t.field)).map((t) => t.term));
  for (const term of terms) {
    const occ = ix.byTerm.get(term) ?? [];
    for (const t of occ) add({ start: t.start, end: t.end, term, freq: occ.length });
  }
  for (const ph of ex.phrases) {
    if (!fieldMatcher(ph.field)) continue;
    const picked = phraseOccurrences(ph, ix).flat();
    const counts = new Map<string, number>();
    for (const t of picked) counts.set(t.term, (counts.get(t.term) ?? 0) + 1);
    for (const t of picked) add({ start: t.start, end: t.end, term: t.term, freq: counts.get(t.term) as number });
  }
  for (const mt of ex.multiTerms) {
    const accept = mt.terms;
    if (!accept || !fieldMatcher(accept.field)) continue;
    const hit = ctx.content.tokens.filter((t) => accept.matches(t.term));
    for (const t of hit) add({ start: t.start, end: t.end, term: mt.label, freq: hit.length });
  }
  return spans;
}

/**
 * The occurrences of the query's phrases (one token per phrase position) on the fields
 * `fieldMatcher` accepts, as the plain highlighter's span fragmenter keeps them whole.
 */
export function extractedPhraseOccurrences(p: Primitive, content: FieldContent, fieldMatcher: (field: string) => boolean): ContentToken[][] {
  const ex: Extracted = { spans: [], terms: [], phrases: [], multiTerms: [] };
  extract(p, ex);
  for (const sp of ex.spans) for (const f of spanFields(sp)) if (fieldMatcher(f)) throw unsupported(`highlighting span queries on [${f}]`);
  const ix = tokenIndex(content);
  return ex.phrases.filter((ph) => fieldMatcher(ph.field)).flatMap((ph) => phraseOccurrences(ph, ix));
}

import type { InnerHitSpec } from './inner-hits.js';
import type { SegmentView } from '../contract.js';
import type { IntervalsSource } from './intervals/intervals-source.js';
import type { SpanSource } from './spans/span-source.js';
import type { PercolateFetch } from './percolator/rewrite-percolate.js';
import type { CompiledScript } from './script/painless.js';
import type { BoostMode, FieldValueModifier, NestedScoreMode, ScoreMode } from './query.js';

/**
 * Primitive queries: what a DSL query becomes for one index once fields are resolved and text
 * analysed (Lucene's rewritten query tree). Still no statistics; `weight.ts` attaches those.
 * A discriminated union on `op`, handled through `Record<PrimitiveOp, ...>`.
 */

/** Matching docs of a segment for a constant-score query, ascending. */
export type DocMatcher = (segment: SegmentView) => Int32Array;

/** Per-doc scores of a `docs` primitive that is not constant (distance_feature): the doc's score at `boost`. */
export type DocScore = (segment: SegmentView) => (doc: number, boost: number) => number;

/** How a scored `docs` primitive explains a doc's score (Lucene's Weight.explain): a description and its values. */
export type DocExplain = (segment: SegmentView) => (doc: number, boost: number) => { description: string; details: Array<[value: number, description: string]> };

/** The terms a multi-term `docs` primitive accepts (prefix, wildcard, regexp, range, terms...): what a highlighter tags. */
export interface DocsTerms {
  field: string;
  matches(term: string): boolean;
}

export type Primitive =
  | { op: 'all'; boost: number }
  /** MatchNoDocsQuery; `reason` its toString's reason where the engine knows Elasticsearch's. */
  | { op: 'none'; reason?: string }
  /** A scored term. `docFreq` and `totalTermFreq` override the index's (blended stats of fuzzy/cross_fields). */
  | { op: 'term'; field: string; term: string; boost: number; docFreq?: number; totalTermFreq?: number }
  /** Lucene SynonymQuery: terms at one position scored as one (freq summed, df = max). */
  | { op: 'synonym'; field: string; terms: string[]; boost: number }
  /** (Multi)PhraseQuery: alternatives per position, relative positions, slop. */
  | { op: 'phrase'; field: string; terms: string[][]; positions: number[]; slop: number; boost: number }
  /** Lucene's IntervalQuery: docs with an interval of `source`, scored by the saturation of their sloppy frequency. */
  | { op: 'intervals'; field: string; source: IntervalsSource; boost: number }
  /** A span query (SpanWeight): docs with a match of `source`, BM25 of their sloppy frequency. */
  | { op: 'span'; source: SpanSource; boost: number }
  /** Lucene's CombinedFieldQuery: `terms` (synonyms) over weighted fields as one BM25F pseudo-field. */
  | { op: 'combined'; fields: Array<{ field: string; weight: number }>; terms: string[]; boost: number }
  /** A constant-score set of docs (multi-term queries, ranges, exists, ids, numeric terms); `terms` when it is a set of terms of a field. */
  | {
      op: 'docs';
      boost: number;
      match: DocMatcher;
      label: string;
      terms?: DocsTerms;
      score?: DocScore;
      explain?: DocExplain;
      /** Computes `match(segment)` ahead of the scorer as steps that pause (a 65,536-term set); `match` then reads it. */
      prefetch?: (segment: SegmentView) => Generator<void, void>;
      /** A percolate query: what the fetch phase adds to the hits it matched. */
      percolate?: PercolateFetch;
      /** The explanation of one matching doc, when it depends on the doc (a join's `A match, join value 1`); `^boost` follows when `describeBoost`. */
      describe?: (segment: SegmentView, doc: number) => string;
      describeBoost?: boolean;
      /** The Lucene query class and toString of this set, for `profile: true`, where the engine knows them. */
      profile?: { type: string; description: string };
      /** A doc-values query's two phases (docs with a value, the value test): how a profiled search iterates it, as Lucene does. */
      twoPhase?: { approximation: DocMatcher; matches: (segment: SegmentView) => (doc: number) => boolean };
    }
  | { op: 'bool'; must: Primitive[]; should: Primitive[]; filter: Primitive[]; mustNot: Primitive[]; msm: number; boost: number }
  | { op: 'dismax'; subs: Primitive[]; tieBreaker: number; boost: number }
  /** `runtime`: a query on a runtime field (AbstractScriptFieldQuery), named as its explanation prints it. */
  | { op: 'const'; inner: Primitive; boost: number; runtime?: string }
  | { op: 'boosting'; positive: Primitive; negative: Primitive; negativeBoost: number; boost: number }
  | {
      op: 'function_score';
      inner: Primitive;
      functions: PrimitiveFunction[];
      scoreMode: ScoreMode;
      boostMode: BoostMode;
      maxBoost: number;
      minScore?: number;
      boost: number;
    }
  | {
      op: 'nested';
      path: string;
      /** BooleanQuery(+query #_nested_path:path): the path filter keeps the inner query's matches to this path's docs. */
      inner: Primitive;
      scoreMode: NestedScoreMode;
      boost: number;
      innerHits?: InnerHitSpec;
      /** The enclosing nested query's path (multi-level nested): its objects are the parents. */
      parentPath?: string;
      /** Elasticsearch adds no path filter (NestedHelper: the inner query can only match this path's docs); the profile shows it so. */
      unfilteredChild?: true;
    }
  /** script_score: the compiled script's value on the inner query's matches (min_score after boost). */
  | { op: 'script_score'; inner: Primitive; script: CompiledScript; minScore?: number; boost: number }
  /** script query: docs for which the script returns true (constant score). */
  | { op: 'script_filter'; script: CompiledScript; boost: number }
  /** `_name`: transparent for scoring, reported in matched_queries. */
  | { op: 'named'; name: string; inner: Primitive };

export type PrimitiveOp = Primitive['op'];
export type PrimitiveOf<K extends PrimitiveOp> = Extract<Primitive, { op: K }>;

export type PrimitiveFunction =
  | { type: 'weight'; filter?: Primitive; weight: number }
  | { type: 'field_value_factor'; filter?: Primitive; weight?: number; field: string; factor: number; modifier: FieldValueModifier; missing?: number }
  | { type: 'random_score'; filter?: Primitive; weight?: number; seed: number }
  | { type: 'script_score'; filter?: Primitive; weight?: number; script: CompiledScript };

export const NONE: Primitive = { op: 'none' };

/** Multiplies a primitive's boost (BoostQuery). */
export function boosted(p: Primitive, boost: number): Primitive {
  if (boost === 1 || p.op === 'none') return p;
  if (p.op === 'named') return { ...p, inner: boosted(p.inner, boost) };
  if (p.op === 'docs' && p.profile) {
    // a boosted set is a BoostQuery over the query `profile` names: no longer that query
    const { profile: _profile, twoPhase: _twoPhase, ...rest } = p;
    return { ...rest, boost: p.boost * boost };
  }
  return { ...p, boost: p.boost * boost };
}

/**
 * What makes two clauses the same query for BooleanQuery's deduplication (boost aside); null:
 * never merged. A zero boost has made its query a ConstantScoreQuery by then, another query.
 */
function clauseKey(p: Primitive): string | null {
  const constant = p.op !== 'none' && p.op !== 'named' && p.boost === 0;
  switch (p.op) {
    case 'term':
      // TermQuery.equals ignores the (blended) statistics: the first clause's are kept, as in Lucene's map
      return JSON.stringify([p.op, constant, p.field, p.term]);
    case 'synonym':
      return JSON.stringify([p.op, constant, p.field, p.terms]);
    case 'phrase':
      return JSON.stringify([p.op, constant, p.field, p.terms, p.positions, p.slop]);
    case 'combined':
      return JSON.stringify([p.op, constant, p.fields, p.terms]);
    default:
      return null;
  }
}

/** Identical clauses (by clauseKey) merged into one whose boost is the sum of theirs, in float. */
function mergeDuplicates(clauses: Primitive[]): Primitive[] {
  const merged: Primitive[] = [];
  const boosts: number[] = [];
  const at = new Map<string, number>();
  const boostOf = (c: Primitive) => (c.op === 'none' || c.op === 'named' ? 1 : c.boost);
  for (const c of clauses) {
    const key = clauseKey(c);
    const i = key === null ? undefined : at.get(key);
    if (i === undefined) {
      if (key !== null) at.set(key, merged.length);
      merged.push(c);
      boosts.push(boostOf(c));
    } else boosts[i] = (boosts[i] as number) + boostOf(c);
  }
  if (merged.length === clauses.length) return clauses;
  return merged.map((c, i) => (c.op === 'none' || c.op === 'named' ? c : { ...c, boost: Math.fround(boosts[i] as number) }));
}

const pureDisjunction = (p: Primitive): p is PrimitiveOf<'bool'> =>
  p.op === 'bool' && p.boost === 1 && p.msm <= 1 && p.must.length + p.filter.length + p.mustNot.length === 0;

/**
 * A bool as Lucene's BooleanQuery.rewrite leaves it, which shows in scores and explanations:
 * with minimum_should_match <= 1, should clauses that are themselves pure disjunctions are
 * inlined (fuzzy expansions inside a match) and identical should clauses become one whose boost
 * is their sum ("quick quick" scores one term with boost 2); identical must clauses merge the
 * same way; and a bool left with one should clause (minimum_should_match <= 1) or one must
 * clause (none) and nothing else is that clause.
 */
export function booleanQuery(b: PrimitiveOf<'bool'>): Primitive {
  let should = b.should;
  if (b.msm <= 1 && should.some(pureDisjunction)) should = should.flatMap((c) => (pureDisjunction(c) ? c.should : [c]));
  if (b.msm <= 1) should = mergeDuplicates(should);
  const must = mergeDuplicates(b.must);
  const clauses = must.length + should.length + b.filter.length + b.mustNot.length;
  if (clauses === 1 && should.length === 1 && b.msm <= 1) return boosted(should[0] as Primitive, b.boost);
  if (clauses === 1 && must.length === 1 && b.msm === 0) return boosted(must[0] as Primitive, b.boost);
  return should === b.should && must === b.must ? b : { ...b, should, must };
}

/** Wraps in `named` when the DSL query had `_name`. */
export function named(p: Primitive, name: string | undefined): Primitive {
  return name === undefined ? p : { op: 'named', name, inner: p };
}

/** The direct sub-queries of a primitive (the nodes a walk over the tree visits). */
export function subPrimitives(p: Primitive): Primitive[] {
  switch (p.op) {
    case 'bool':
      return [...p.must, ...p.should, ...p.filter, ...p.mustNot];
    case 'dismax':
      return p.subs;
    case 'named':
    case 'const':
    case 'nested':
    case 'function_score':
    case 'script_score':
      return [p.inner];
    case 'boosting':
      return [p.positive, p.negative];
    default:
      return [];
  }
}

/** Names in a primitive tree (for matched_queries). */
export function collectNamed(p: Primitive, out: Array<PrimitiveOf<'named'>> = []): Array<PrimitiveOf<'named'>> {
  if (p.op === 'named') out.push(p);
  for (const c of subPrimitives(p)) collectNamed(c, out);
  return out;
}

/**
 * Nested queries with `inner_hits` in a primitive tree, in query order, not looking inside a nested
 * query (NestedQueryBuilder.extractInnerHitBuilders): the inner hits of a nested query within one
 * with `inner_hits` are that one's children; within one without, there are none.
 */
export function collectInnerHits(p: Primitive, out: Array<PrimitiveOf<'nested'>> = []): Array<PrimitiveOf<'nested'>> {
  if (p.op === 'nested') {
    if (p.innerHits) out.push(p);
    return out;
  }
  for (const c of subPrimitives(p)) collectInnerHits(c, out);
  return out;
}

/**
 * Runs the `prefetch` steps of every set of docs in `p` for one segment, so that a paced request
 * computes them a slice at a time before building the segment's scorer (which then reads them).
 */
export function* prefetchDocs(p: Primitive, segment: SegmentView): Generator<void, void> {
  const stack: Primitive[] = [p];
  while (stack.length > 0) {
    const node = stack.pop() as Primitive;
    if (node.op === 'docs') {
      if (node.prefetch) yield* node.prefetch(segment);
      continue;
    }
    for (const c of subPrimitives(node)) stack.push(c);
  }
}

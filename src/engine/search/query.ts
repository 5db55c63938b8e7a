/**
 * The parsed query DSL: one node per query type, index-agnostic (no analysis, no statistics),
 * a discriminated union on `kind`. `rewrite.ts` turns a node into primitive queries for one
 * index through a `Record<QueryKind, ...>`, so a new kind does not compile until handled.
 *
 * `match_phrase`, `match_phrase_prefix` and `match_bool_prefix` parse into `match` with a `type`.
 */

import type { InnerHitSpec } from './inner-hits.js';
import type { ScriptSpec } from './script/script-spec.js';
import type { GeoBoundingBoxQuery, GeoDistanceQuery, GeoGridQuery, GeoPolygonQuery } from './geo/geo-queries.js';
import type { GeoShapeQuery } from './geo/geo-shape-query.js';
import type { MoreLikeThisQuery } from './more-like-this/more-like-this-query.js';
import type { PercolateQuery } from './percolator/percolate-query.js';

export const QUERY_KINDS = [
  'match_all',
  'match_none',
  'match',
  'multi_match',
  'term',
  'terms',
  'range',
  'exists',
  'ids',
  'prefix',
  'wildcard',
  'regexp',
  'fuzzy',
  'bool',
  'constant_score',
  'dis_max',
  'boosting',
  'function_score',
  'nested',
  'query_string',
  'simple_query_string',
  'intervals',
  'combined_fields',
  'distance_feature',
  'geo_distance',
  'geo_bounding_box',
  'geo_polygon',
  'geo_shape',
  'geo_grid',
  'rank_feature',
  'terms_set',
  'script_score',
  'script',
  'span',
  'more_like_this',
  'percolate',
  'knn',
  'has_child',
  'has_parent',
  'parent_id',
  'rank_docs',
] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

interface Base {
  boost: number;
  /** `_name`: reported in `matched_queries`. */
  name?: string;
}

/** `fuzziness`: an edit distance, or AUTO with its two length thresholds. */
export type Fuzziness = { auto: false; edits: number } | { auto: true; low: number; high: number };

export const MATCH_TYPES = ['boolean', 'phrase', 'phrase_prefix', 'bool_prefix'] as const;
export type MatchType = (typeof MATCH_TYPES)[number];

/** Options shared by match and multi_match. */
export interface MatchOptions {
  operator: 'or' | 'and';
  minimumShouldMatch?: string;
  fuzziness?: Fuzziness;
  prefixLength: number;
  maxExpansions: number;
  transpositions: boolean;
  analyzer?: string;
  zeroTerms: 'none' | 'all';
  lenient: boolean;
  slop: number;
}

export interface MatchQuery extends Base, MatchOptions {
  kind: 'match';
  field: string;
  text: string;
  type: MatchType;
}

export const MULTI_MATCH_TYPES = ['best_fields', 'most_fields', 'cross_fields', 'phrase', 'phrase_prefix', 'bool_prefix'] as const;
export type MultiMatchType = (typeof MULTI_MATCH_TYPES)[number];

export interface MultiMatchQuery extends Base, MatchOptions {
  kind: 'multi_match';
  /** Field patterns with optional `^boost`; empty = index.query.default_field (`*`). */
  fields: string[];
  text: string;
  type: MultiMatchType;
  tieBreaker?: number;
}

export interface TermQuery extends Base {
  kind: 'term';
  field: string;
  value: unknown;
  caseInsensitive: boolean;
}

export interface TermsQuery extends Base {
  kind: 'terms';
  field: string;
  values: unknown[];
}

export interface RangeQuery extends Base {
  kind: 'range';
  field: string;
  gt?: unknown;
  gte?: unknown;
  lt?: unknown;
  lte?: unknown;
  format?: string;
  timeZone?: string;
  /** On range fields: how the doc's range relates to the query's (default intersects). */
  relation?: 'intersects' | 'within' | 'contains';
}

export interface ExistsQuery extends Base {
  kind: 'exists';
  field: string;
}

export interface DistanceFeatureQuery extends Base {
  kind: 'distance_feature';
  field: string;
  origin: unknown;
  pivot: string;
}

/** A `rank_feature` query's scoring function (RankFeatureQueryBuilder.ScoreFunction); saturation's pivot is computed when absent. */
export type RankFeatureFunction =
  | { type: 'saturation'; pivot?: number }
  | { type: 'log'; scalingFactor: number }
  | { type: 'sigmoid'; pivot: number; exponent: number }
  | { type: 'linear' };

export interface RankFeatureQuery extends Base {
  kind: 'rank_feature';
  field: string;
  function: RankFeatureFunction;
}

/** `terms_set`: docs matching at least a per-doc number (a field's value or a script's) of the terms. */
export interface TermsSetQuery extends Base {
  kind: 'terms_set';
  field: string;
  terms: unknown[];
  minimumShouldMatchField?: string;
  minimumShouldMatchScript?: ScriptSpec;
}

export interface IdsQuery extends Base {
  kind: 'ids';
  values: string[];
}

export interface PrefixQuery extends Base {
  kind: 'prefix';
  field: string;
  value: string;
  caseInsensitive: boolean;
  /** `rewrite`, when given (the engine scores constant_score only; span_multi reads top_terms_N). */
  rewrite?: string;
}

export interface WildcardQuery extends Base {
  kind: 'wildcard';
  field: string;
  value: string;
  caseInsensitive: boolean;
  rewrite?: string;
}

export interface RegexpQuery extends Base {
  kind: 'regexp';
  field: string;
  value: string;
  caseInsensitive: boolean;
  /** Lucene syntax flags (`flags` / `flags_value`), default ALL. */
  flags?: number;
  /** `max_determinized_states`, default 10,000. */
  maxDeterminizedStates?: number;
  rewrite?: string;
}

export interface FuzzyQuery extends Base {
  kind: 'fuzzy';
  field: string;
  value: string;
  fuzziness: Fuzziness;
  prefixLength: number;
  maxExpansions: number;
  transpositions: boolean;
  rewrite?: string;
}

export interface BoolQuery extends Base {
  kind: 'bool';
  must: Query[];
  should: Query[];
  filter: Query[];
  mustNot: Query[];
  minimumShouldMatch?: string;
}

export interface ConstantScoreQuery extends Base {
  kind: 'constant_score';
  filter: Query;
}

export interface DisMaxQuery extends Base {
  kind: 'dis_max';
  queries: Query[];
  tieBreaker: number;
}

export interface BoostingQuery extends Base {
  kind: 'boosting';
  positive: Query;
  negative: Query;
  negativeBoost: number;
}

export const FVF_MODIFIERS = ['none', 'log', 'log1p', 'log2p', 'ln', 'ln1p', 'ln2p', 'square', 'sqrt', 'reciprocal'] as const;
export type FieldValueModifier = (typeof FVF_MODIFIERS)[number];

export type ScoreFunction =
  | { type: 'weight'; filter?: Query; weight: number }
  | {
      type: 'field_value_factor';
      filter?: Query;
      weight?: number;
      field: string;
      factor: number;
      modifier: FieldValueModifier;
      missing?: number;
    }
  | { type: 'random_score'; filter?: Query; weight?: number; seed: number; field?: string }
  | { type: 'script_score'; filter?: Query; weight?: number; script: ScriptSpec };

export const SCORE_MODES = ['multiply', 'sum', 'avg', 'first', 'max', 'min'] as const;
export type ScoreMode = (typeof SCORE_MODES)[number];
export const BOOST_MODES = ['multiply', 'replace', 'sum', 'avg', 'max', 'min'] as const;
export type BoostMode = (typeof BOOST_MODES)[number];

export interface FunctionScoreQuery extends Base {
  kind: 'function_score';
  query: Query;
  functions: ScoreFunction[];
  scoreMode: ScoreMode;
  boostMode: BoostMode;
  maxBoost: number;
  minScore?: number;
}

export const NESTED_SCORE_MODES = ['avg', 'sum', 'min', 'max', 'none'] as const;
export type NestedScoreMode = (typeof NESTED_SCORE_MODES)[number];

export interface NestedQuery extends Base {
  kind: 'nested';
  path: string;
  query: Query;
  scoreMode: NestedScoreMode;
  ignoreUnmapped: boolean;
  innerHits?: InnerHitSpec;
}

export interface QueryStringQuery extends Base {
  kind: 'query_string';
  query: string;
  fields: string[];
  defaultField?: string;
  defaultOperator: 'or' | 'and';
  analyzer?: string;
  quoteAnalyzer?: string;
  allowLeadingWildcard: boolean;
  lenient: boolean;
  fuzziness: Fuzziness;
  fuzzyPrefixLength: number;
  fuzzyMaxExpansions: number;
  phraseSlop: number;
  type: MultiMatchType;
  tieBreaker?: number;
  minimumShouldMatch?: string;
  quoteFieldSuffix?: string;
}

export interface SimpleQueryStringQuery extends Base {
  kind: 'simple_query_string';
  query: string;
  fields: string[];
  defaultOperator: 'or' | 'and';
  analyzer?: string;
  /** Enabled operator flags (ALL by default). */
  flags: ReadonlySet<string>;
  lenient: boolean;
  minimumShouldMatch?: string;
  quoteFieldSuffix?: string;
}

export interface MatchAllQuery extends Base {
  kind: 'match_all';
}
export interface MatchNoneQuery extends Base {
  kind: 'match_none';
}

export type Query =
  | MatchAllQuery
  | MatchNoneQuery
  | MatchQuery
  | MultiMatchQuery
  | TermQuery
  | TermsQuery
  | RangeQuery
  | ExistsQuery
  | IdsQuery
  | PrefixQuery
  | WildcardQuery
  | RegexpQuery
  | FuzzyQuery
  | BoolQuery
  | ConstantScoreQuery
  | DisMaxQuery
  | BoostingQuery
  | FunctionScoreQuery
  | NestedQuery
  | QueryStringQuery
  | SimpleQueryStringQuery
  | IntervalsQuery
  | CombinedFieldsQuery
  | DistanceFeatureQuery
  | GeoDistanceQuery
  | GeoBoundingBoxQuery
  | GeoPolygonQuery
  | GeoShapeQuery
  | GeoGridQuery
  | RankFeatureQuery
  | TermsSetQuery
  | ScriptScoreQuery
  | ScriptQuery
  | SpanQuery
  | MoreLikeThisQuery
  | PercolateQuery
  | KnnQuery
  | HasChildQuery
  | HasParentQuery
  | ParentIdQuery
  | RankDocsQuery;

/**
 * The top documents a compound retriever chose (RankDocsQuery; not a query of the DSL): each listed
 * doc matches with its score; the child search's other matches score 0 (so they count in the total
 * and the aggregations, as RankDocsRetrieverBuilder's tail queries make them).
 */
export interface RankDocsQuery extends Base {
  kind: 'rank_docs';
  docs: KnnSelection;
}

/** has_child's `score_mode` (Lucene's join ScoreMode: None, Min, Max, Avg, Total). */
export type JoinScoreMode = 'none' | 'min' | 'max' | 'avg' | 'sum';

/** `has_child`: parents (of the child relation's parent relation) with matching children. */
export interface HasChildQuery extends Base {
  kind: 'has_child';
  type: string;
  query: Query;
  /** The inner query as given (what an inner hit's own search runs). */
  queryJson: unknown;
  scoreMode: JoinScoreMode;
  minChildren: number;
  maxChildren: number;
  ignoreUnmapped: boolean;
  innerHits?: InnerHitSpec;
}

/** `has_parent`: children of the relation's children relations whose parent matches. */
export interface HasParentQuery extends Base {
  kind: 'has_parent';
  parentType: string;
  query: Query;
  queryJson: unknown;
  /** true: the parent's score (ScoreMode.Max over its one parent), else constant. */
  score: boolean;
  ignoreUnmapped: boolean;
  innerHits?: InnerHitSpec;
}

/** `parent_id`: the children of one relation with a given parent `_id`. */
export interface ParentIdQuery extends Base {
  kind: 'parent_id';
  type: string;
  id: string;
  ignoreUnmapped: boolean;
}

/** `script_score`: the script's value (on the inner query's matches) is the score. */
export interface ScriptScoreQuery extends Base {
  kind: 'script_score';
  query: Query;
  script: ScriptSpec;
  minScore?: number;
}

/**
 * `knn` (the query, 8.12+, and each top-level `knn` search): the k nearest documents of a
 * dense_vector field, searched exactly (vectors/knn-query.ts). A top-level knn search carries the
 * documents its coordinator selected over every shard (`selected`, vectors/knn-search.ts).
 */
export interface KnnQuery extends Base {
  kind: 'knn';
  field: string;
  /** Floats, or a hex string (byte and bit fields). */
  vector: number[] | string;
  k?: number;
  numCandidates?: number;
  filter: Query[];
  similarity?: number;
  selected?: KnnSelection;
}

/** Per shard view, per segment, the selected docs and their scores. */
export type KnnSelection = Map<unknown, Map<unknown, Map<number, number>>>;

/** `script`: a filter keeping the docs for which the script returns true. */
export interface ScriptQuery extends Base {
  kind: 'script';
  script: ScriptSpec;
}

/** The node of one kind. */
export type QueryOf<K extends QueryKind> = Extract<Query, { kind: K }>;

/** The `intervals` query: one rule over one text field (parsed in intervals/parse-intervals.ts). */
export interface IntervalsQuery extends Base {
  kind: 'intervals';
  field: string;
  rule: IntervalsRule;
}

export const INTERVAL_FILTER_TYPES = ['containing', 'contained_by', 'not_containing', 'not_contained_by', 'overlapping', 'not_overlapping', 'before', 'after'] as const;
export type IntervalFilterType = (typeof INTERVAL_FILTER_TYPES)[number];

export interface IntervalsFilter {
  type: IntervalFilterType;
  rule: IntervalsRule;
}

/** Options every term-producing rule has: an analyzer, another field (`use_field`). */
interface RuleField {
  analyzer?: string;
  useField?: string;
}

export type IntervalsRule =
  | ({ type: 'match'; query: string; maxGaps: number; ordered: boolean; filter?: IntervalsFilter } & RuleField)
  | { type: 'any_of'; intervals: IntervalsRule[]; filter?: IntervalsFilter }
  | { type: 'all_of'; intervals: IntervalsRule[]; ordered: boolean; maxGaps: number; filter?: IntervalsFilter }
  | ({ type: 'prefix'; prefix: string } & RuleField)
  | ({ type: 'wildcard'; pattern: string } & RuleField)
  | ({ type: 'regexp'; pattern: string } & RuleField)
  | ({ type: 'fuzzy'; term: string; prefixLength: number; transpositions: boolean; fuzziness: Fuzziness } & RuleField)
  | ({ type: 'range'; lower: string; upper: string; includeLower: boolean; includeUpper: boolean } & RuleField);

/** `combined_fields`: one analysed text over several text fields scored as one (BM25F). */
export interface CombinedFieldsQuery extends Base {
  kind: 'combined_fields';
  text: string;
  /** Field patterns with optional `^boost` (each boost >= 1). */
  fields: string[];
  operator: 'or' | 'and';
  minimumShouldMatch?: string;
  zeroTerms: 'none' | 'all';
  autoGenerateSynonymsPhraseQuery: boolean;
}

/**
 * A span query (`span_term`, `span_near`, ...): its tree of span clauses, parsed in
 * spans/parse-spans.ts. Only the outermost span query has a boost; nested clauses cannot.
 */
export interface SpanQuery extends Base {
  kind: 'span';
  span: SpanNode;
}

export type SpanNode =
  | { type: 'term'; field: string; value: unknown }
  | { type: 'near'; clauses: SpanNode[]; slop: number; inOrder: boolean }
  | { type: 'or'; clauses: SpanNode[] }
  | { type: 'not'; include: SpanNode; exclude: SpanNode; pre: number; post: number }
  | { type: 'first'; match: SpanNode; end: number }
  | { type: 'containing'; big: SpanNode; little: SpanNode }
  | { type: 'within'; big: SpanNode; little: SpanNode }
  /** span_multi: a prefix, wildcard, regexp, fuzzy, range or term query as spans. */
  | { type: 'multi'; match: Query }
  | { type: 'field_masking'; query: SpanNode; field: string }
  /** span_gap: a run of `width` positions, only as a clause of an ordered span_near. */
  | { type: 'gap'; field: string; width: number };

import type { ContextMapping } from './index/mapping/completion-contexts.js';
/**
 * The seams between the embedded engine's three layers, following Lucene's split:
 *
 *   analysis/  text -> tokens (tokenizer + filters, built from index settings)
 *   index/     mapping (document -> indexed fields), segments (postings, norms, doc values,
 *              stored source), the shard (NRT refresh, deletes, seq_no), persistence
 *   search/    query DSL -> Query nodes -> Weight (statistics attached) -> Scorer -> collectors
 *   rest/      Elasticsearch REST routes over the above; connection.ts plugs it into the client
 *
 * Nothing in src/engine imports from outside src/engine. These types are the only thing
 * the layers share; each layer keeps its internals to itself.
 */
import type { Pacer } from './search/paced-run.js';
import type { SimilarityService } from './search/similarity/similarity-settings.js';
import type { VectorSpec } from './vector-spec.js';

// ---------------------------------------------------------------------------------------------
// Analysis

/** One token as Lucene's analysis chain emits it. Positions are 0-based and may have gaps (stop words). */
export interface Token {
  term: string;
  position: number;
  startOffset: number;
  endOffset: number;
  /** `<ALPHANUM>`, `<NUM>`, `word`, `shingle`, ... as Elasticsearch's `_analyze` reports it. */
  type: string;
  /** > 1 for tokens that span several positions (shingles). */
  positionLength?: number;
}

export interface Analyzer {
  readonly name: string;
  /** Gap added between the values of a multi-valued field (Elasticsearch: 100 for text). */
  readonly positionIncrementGap: number;
  analyze(text: string): Token[];
}

/** A normalizer: keyword in, keyword out (lowercase, asciifolding). */
export interface Normalizer {
  readonly name: string;
  normalize(text: string): string;
}

/**
 * Built once per index from `settings.analysis` (or `settings.index.analysis`).
 * Throws an EngineError (`illegal_argument_exception`) for unknown components.
 */
export interface AnalysisRegistry {
  analyzer(name: string): Analyzer | undefined;
  normalizer(name: string): Normalizer | undefined;
}

// ---------------------------------------------------------------------------------------------
// Errors: every failure the engine reports is an Elasticsearch-shaped error.

export interface EngineErrorBody {
  type: string;
  reason: string;
  index?: string;
  index_uuid?: string;
  [extra: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Mapping as the search layer sees it

export const FIELD_TYPES = [
  'text',
  'keyword',
  'long',
  'integer',
  'short',
  'byte',
  'double',
  'float',
  'half_float',
  'scaled_float',
  'unsigned_long',
  'boolean',
  'date',
  'date_nanos',
  'object',
  'nested',
  'completion',
  'binary',
  'ip',
  'geo_point',
  'token_count',
  'integer_range',
  'long_range',
  'float_range',
  'double_range',
  'date_range',
  'ip_range',
  'flattened',
  'percolator',
  'rank_feature',
  'rank_features',
  'match_only_text',
  'search_as_you_type',
  'dense_vector',
  'join',
  'constant_keyword',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** A leaf field after mapping resolution; multi-fields appear under their full path (`title.raw`). */
export interface FieldInfo {
  path: string;
  type: FieldType;
  /** false when `index: false` or inside `enabled: false`. */
  indexed: boolean;
  docValues: boolean;
  /** text: offsets in the postings or term vectors (`index_options: offsets`, `term_vector: *offsets`). */
  offsets?: boolean;
  /** text: `term_vector` with offsets (what the fvh highlighter needs). */
  termVectorOffsets?: boolean;
  /** `store: true`: GET/mget `stored_fields` return its values. */
  stored?: boolean;
  /** `copy_to`: the fields this one's values are also indexed (and stored) into. */
  copyTo?: readonly string[];
  /** text: index-time analyzer, query-time analyzer, phrase analyzer. */
  analyzer?: Analyzer;
  searchAnalyzer?: Analyzer;
  searchQuoteAnalyzer?: Analyzer;
  /** text: `index_prefixes` (the hidden `._index_prefix` field of the terms' leading 2-5 characters). */
  indexPrefixes?: { minChars: number; maxChars: number };
  /** text: `index_phrases` (the hidden `._index_phrase` field of two-word shingles that exact phrases read). */
  indexPhrases?: boolean;
  /**
   * search_as_you_type (searched as `text`): `root` the field's path; on the root, `maxShingleSize`;
   * on a `._<n>gram` subfield its `shingleSize`; on `._index_prefix`, `prefix` (its edge n-grams of the largest shingles).
   */
  sayt?: { root: string; maxShingleSize: number; shingleSize?: number; prefix?: true };
  /** Indexed without length norms (`norms: false`; search_as_you_type's `._index_prefix`): every length reads as 1. */
  omitNorms?: boolean;
  /** text: `index_options: docs` (no freqs: every freq reads 1) or `freqs` (no positions: no phrase or interval queries). */
  withoutPositions?: 'docs' | 'freqs';
  /** text, keyword: the `similarity` the mapping names (a similarity of the index, `BM25` or `boolean`); absent: the index's default. */
  similarity?: string;
  /** text: `fielddata: true` (terms uninverted from the postings for aggregations). */
  fielddata?: boolean;
  /** keyword: normalizer, ignore_above. */
  normalizer?: Normalizer;
  ignoreAbove?: number;
  /** date: the parsed `format`; parse a query value to epoch millis (throws EngineError). */
  parseDate?(value: unknown): number;
  /** date_nanos: the parsed `format` to epoch nanos (throws EngineError, also outside 1970..2262). */
  parseDateNanos?(value: unknown): bigint;
  /** date: the mapping's `format` (the field's DocValueFormat in aggregation output). */
  dateFormat?: string;
  /** scaled_float: scaling_factor. */
  scalingFactor?: number;
  /** token_count: count position increments (true) or tokens (false). */
  enablePositionIncrements?: boolean;
  /** token_count: the count `null_value` gives a null (the count itself, not a text to analyze). */
  nullTokenCount?: number;
  /**
   * match_only_text (MatchOnlyTextFieldMapper): searched as a text field (`type` is `text`) whose
   * term, fuzzy and positional queries score a constant, with no sorting or aggregations.
   */
  matchOnly?: boolean;
  /** rank_feature, rank_features: `positive_score_impact` (false: the value indexed is its inverse). */
  positiveScoreImpact?: boolean;
  /** rank_feature: the `null_value` a null is indexed as (and the fields API returns). */
  featureNullValue?: number;
  /** A metadata field searched as a keyword (`_routing`): its type name in errors (Fielddata is not supported on field [_routing] of type [_routing]). */
  metadata?: string;
  /** Path of the nearest enclosing `nested` object, if any. */
  nestedPath?: string;
  /**
   * A `flattened` field (searched as a keyword): `root` is the field itself (every leaf value),
   * `keyed` one key path under it (`labels.release`), whose values are kept as a field of their own.
   */
  flattened?: 'root' | 'keyed';
  /** constant_keyword: the value every document of the index has (undefined until the mapping or a first document sets it). */
  constantValue?: string;
  /** completion: preserve_separators, preserve_position_increments (default true), max_input_length (default 50). */
  /** dense_vector: dims, element type, similarity (vector-spec.ts); the vector is a doc value (one string per doc). */
  vector?: VectorSpec;
  /**
   * A `join` field (ParentJoinFieldMapper): searched, sorted and aggregated as a keyword of relation
   * names (`type` is then `keyword`); `relations` lists each parent relation with its children.
   */
  join?: { relations: ReadonlyArray<{ parent: string; children: readonly string[] }> };
  completion?: { preserveSeparators: boolean; preservePositionIncrements: boolean; maxInputLength: number; contexts?: ContextMapping[] };
  /** A runtime field (the `runtime` section, `runtime_mappings`): not indexed, its values computed per document at search time. */
  runtime?: RuntimeFieldSource;
  /**
   * A mapped field with an index-time `script` (FieldMapper's `script` parameter): its values are
   * computed from the document as it is indexed, never taken from `_source`.
   */
  indexScript?: IndexTimeScript;
}

/** The `script` (and `on_script_error`) of a mapped field. */
export interface IndexTimeScript {
  source: string;
  params: Record<string, unknown>;
  /** `on_script_error: continue`: a failing script leaves the field empty and names it in `_ignored`. */
  continueOnError: boolean;
}

/** How a runtime field gets its values (AbstractScriptFieldType): its script, or its own path in `_source`. */
export interface RuntimeFieldSource {
  /** The runtime type the mapping names (`long`, `keyword`, ...; a composite's subfield its own). */
  type: string;
  /** The inline Painless script; undefined: the field's path read from `_source`. */
  script?: { source: string; params: Record<string, unknown> };
  /** A composite's subfield: the composite field whose script emits a map of subfield values. */
  composite?: string;
  /** `on_script_error: continue`: a document whose script fails has no values (else the search fails). */
  continueOnError?: boolean;
  /** One value (from `_source` or emitted) as the field type indexes it; throws an EngineError when malformed. */
  convert(value: unknown): { keyword?: string; number?: number };
}

export interface MappingLookup {
  field(path: string): FieldInfo | undefined;
  /** Every leaf path, multi-fields included, in mapping order (for `*` patterns in multi_match, query_string...). */
  fieldPaths(): string[];
  /** Paths of nested objects (`type: nested`). */
  nestedPaths(): string[];
  /** A nested object's include_in_parent / include_in_root (its fields also indexed into the parent / root). */
  nestedIncludes?(path: string): { parent: boolean; root: boolean } | undefined;
  /** Whether `_source` is synthetic (rebuilt from the indexed values, so its values may be reordered). */
  readonly syntheticSource?: boolean;
  /** Whether `_source` is disabled (match_only_text then refuses positional queries). */
  readonly sourceDisabled?: boolean;
  /** The field a field alias names (`field()` of an alias gives its target's info, whose `path` is the target's). */
  aliasTarget?(path: string): string | undefined;
  /** Every field alias path (what `*` patterns of the fields API, docvalue_fields and highlight also match). */
  aliasPaths?(): string[];
}

// ---------------------------------------------------------------------------------------------
// The index as the search layer reads it (a point-in-time view)

/** Postings of one term in one field of one segment. docs ascending; parallel arrays. */
export interface TermPostings {
  docFreq: number;
  totalTermFreq: number;
  docs: Int32Array;
  freqs: Int32Array;
  /** positions[i] are the positions of the term in docs[i], when the field indexes positions. */
  positions?: ReadonlyArray<Int32Array>;
}

/** Lucene's CollectionStatistics for one field (counted over every segment, deleted docs included). */
export interface FieldStats {
  /** Documents that have at least one term in the field. */
  docCount: number;
  sumTotalTermFreq: number;
  sumDocFreq: number;
}

/**
 * One immutable segment, as of the refresh that produced the view. Doc ids are dense,
 * 0..maxDoc-1 within the segment. Nested documents (children of `nested` fields) are
 * separate docs placed immediately before their parent, as in Lucene's block join;
 * `isNestedChild`/`parentOf` expose that structure.
 */
export interface SegmentView {
  readonly maxDoc: number;
  isLive(doc: number): boolean;
  /** External `_id` of a top-level doc (children return their parent's). */
  id(doc: number): string;
  /** The `_source` of a top-level doc (undefined for a nested child). */
  source(doc: number): Record<string, unknown> | undefined;
  /**
   * The document as indexed, where stored fields (`store: true`) read their values: they keep them
   * when `_source` is disabled or excludes them. Undefined for a nested child.
   */
  storedSource?(doc: number): Record<string, unknown> | undefined;
  seqNo(doc: number): number;
  primaryTerm(doc: number): number;
  version(doc: number): number;
  /** `undefined` for top-level docs; the nested path (`comments`) for a child. */
  nestedPath(doc: number): string | undefined;
  /** For a nested child, its top-level parent doc; for a top-level doc, itself. */
  parentOf(doc: number): number;
  /** For a nested child, its offset among siblings of the same path in the parent's source. */
  nestedOffset(doc: number): number;

  postings(field: string, term: string): TermPostings | undefined;
  /**
   * The docs of a term's postings (ascending), without building and caching its postings object:
   * what a terms set of 65,536 values reads per term, where only the docs count.
   */
  termDocIds?(field: string, term: string): Int32Array | undefined;
  /** Sorted (UTF-16 code unit order, as JS sorts) unique terms of a field in this segment. */
  terms(field: string): readonly string[];
  /** Field length (token count) of `doc` for `field`, 0 when absent. The search layer encodes it with Lucene's SmallFloat. */
  fieldLength(field: string, doc: number): number;
  /** Doc values (sorted ascending, as Lucene's SortedNumeric/SortedSet): numbers (dates as epoch millis, booleans 0/1). */
  numericValues(field: string, doc: number): readonly number[] | undefined;
  keywordValues(field: string, doc: number): readonly string[] | undefined;
  /** Whether the field has any value in `doc` (for `exists`). */
  hasField(field: string, doc: number): boolean;
}

export interface IndexView {
  /** Concrete index name. */
  readonly index: string;
  readonly uuid: string;
  readonly mapping: MappingLookup;
  readonly analysis: AnalysisRegistry;
  readonly segments: readonly SegmentView[];
  fieldStats(field: string): FieldStats | undefined;
  /** docFreq over all segments (for idf). */
  docFreq(field: string, term: string): number;
  /** Number of live top-level documents. */
  readonly numDocs: number;
  /** index.max_result_window (default 10000). */
  readonly maxResultWindow: number;
  /** An index setting by its flat key (`index.max_regex_length`), as stored; undefined when unset. */
  setting?(key: string): unknown;
  /** The index's similarities (`index.similarity.*`, BM25 and boolean); absent: every field scores with BM25. */
  similarities?(): SimilarityService | undefined;
  /** index.highlight.max_analyzed_offset (default 1,000,000): longest text the highlighter analyzes. */
  readonly maxAnalyzedOffset?: number;
  /** The shard's number within its index (0 when absent: a one-shard index). */
  readonly shardId?: number;
  /** The custom routing (`_routing`) a document was indexed with, if any. */
  routingOf?(id: string): string | undefined;
  /** Builds (once per view) the global ordinals of a keyword field, as a terms aggregation in global ordinals mode does. */
  loadGlobalOrdinals?(field: string): void;
  /** Under dfs_query_then_fetch (global statistics), the shard's own view: what a join's inner query is scored with. */
  readonly localView?: IndexView;
  /** Under dfs_query_then_fetch, the time and number of this shard's reads of the global statistics (its `dfs` profile). */
  readonly dfsStatistics?: DfsStatistics;
}

export interface DfsStatistics {
  termNanos: bigint;
  termCount: number;
  collectionNanos: bigint;
  collectionCount: number;
}

// ---------------------------------------------------------------------------------------------
// The search layer as the REST layer calls it

/** One index a search runs over, with the name the request used for it (alias or concrete). */
export interface SearchTarget {
  view: IndexView;
  /** Alias filter, when the target was reached through a filtered alias (a query DSL object). */
  aliasFilter?: Record<string, unknown>;
}

/**
 * URL parameters of `_search` / `_count` that the REST layer passes through, already
 * decoded (numbers as numbers, booleans as booleans). Body values win over these where
 * Elasticsearch lets them.
 */
export interface SearchParams {
  from?: number;
  size?: number;
  q?: string;
  df?: string;
  default_operator?: string;
  sort?: string | string[];
  _source?: boolean | string | string[];
  _source_includes?: string | string[];
  _source_excludes?: string | string[];
  track_total_hits?: boolean | number;
  track_scores?: boolean;
  scroll?: string;
  seq_no_primary_term?: boolean;
  version?: boolean;
  explain?: boolean;
  timeout?: string;
  rest_total_hits_as_int?: boolean;
  typed_keys?: boolean;
  [other: string]: unknown;
}

/** The `request_cache` block of `_stats` (RequestCacheStats). */
export interface RequestCacheStats {
  memory_size_in_bytes: number;
  evictions: number;
  hit_count: number;
  miss_count: number;
}

/** The search service: pure over the views it is given; scroll and PIT contexts live in it. */
export interface SearchService {
  /** The shard request cache's figures over the shards of one index (by its uuid). */
  requestCacheStats(uuid: string): RequestCacheStats;
  /** Drops the shard request cache entries of these indices (by uuid; all without), the hit and miss counts staying. */
  clearRequestCache(uuids?: ReadonlySet<string>): void;
  /** Full `_search` response body (`took`, `timed_out`, `_shards`, `hits`, ...). Throws EngineError. */
  search(targets: SearchTarget[], body: Record<string, unknown>, params: SearchParams): Record<string, unknown>;
  /**
   * The same, letting other requests run while it works (the request's Pacer, or a new one);
   * stops when the signal aborts (client gone).
   */
  searchAsync(targets: SearchTarget[], body: Record<string, unknown>, params: SearchParams, pace?: Pacer | AbortSignal): Promise<Record<string, unknown>>;
  /** `_count` response body. */
  count(targets: SearchTarget[], body: Record<string, unknown>, params: SearchParams): Record<string, unknown>;
  /** The same, a slice at a time (see searchAsync). */
  countAsync(targets: SearchTarget[], body: Record<string, unknown>, params: SearchParams, pace?: Pacer | AbortSignal): Promise<Record<string, unknown>>;
  /** `POST /_search/scroll`: next page of a scroll; throws `search_context_missing_exception` (404). */
  scroll(scrollId: string, keepAlive: string | undefined, params: SearchParams): Record<string, unknown>;
  /** The same, a slice at a time (see searchAsync). */
  scrollAsync(scrollId: string, keepAlive: string | undefined, params: SearchParams, pace?: Pacer | AbortSignal): Promise<Record<string, unknown>>;
  /** `DELETE /_search/scroll`: `_all` or ids. */
  clearScroll(scrollIds: string[] | '_all'): { succeeded: boolean; num_freed: number };
  /** `POST /<index>/_pit`: freezes the views. */
  openPointInTime(targets: SearchTarget[], keepAlive: string): { id: string };
  /** `DELETE /_pit`. */
  closePointInTime(id: string): { succeeded: boolean; num_freed: number };
  /** The targets frozen under a PIT id (search with `pit` and no index in the path). */
  pointInTimeTargets(id: string, keepAlive?: string): SearchTarget[];
}

// ---------------------------------------------------------------------------------------------
// Added by the index layer (optional capabilities of a SegmentView)

/** One completion input of a `completion` field, with its weight. */
export interface CompletionInput {
  input: string;
  weight: number;
  /** The input's contexts (`<name>\0<value>`) when the field has context mappings. */
  contexts?: readonly string[];
}

/**
 * Segments of the embedded index also implement this: the completion suggester reads a doc's
 * inputs and weights here (test with `'completions' in segment`).
 */
export interface CompletionSegmentView extends SegmentView {
  completions(field: string, doc: number): readonly CompletionInput[] | undefined;
}

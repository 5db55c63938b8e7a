import type { SearchParams } from '../../contract.js';
import type { Execution } from '../executor.js';
import type { Leaf } from '../match-set.js';

/**
 * The contract between the aggregation framework (`aggregations.ts`: parsing the `aggs` tree,
 * running bucket aggregations, sub-aggregations, reduce across indexes) and the aggregation
 * types (`metrics.ts`, `pipelines.ts`, `buckets/*`).
 *
 * Aggregations run over a `DocSet`: the docs a bucket holds, as parallel typed arrays indexing
 * into `leaves` (one leaf per segment per target index). The top-level DocSet is the query's
 * MatchSet before post_filter, so facets ignore post_filter as in Elasticsearch.
 */

export interface DocSet {
  readonly leaves: readonly Leaf[];
  /** leaf[i]: index into `leaves`; doc[i]: doc within that leaf's segment; score[i]: the query score (NaN when not scored). */
  readonly leaf: Int32Array;
  readonly doc: Int32Array;
  readonly score: Float32Array;
  readonly count: number;
}

/** One node of the request's `aggs` tree, as parsed (type known, body still raw for the type to read). */
export interface AggSpec {
  name: string;
  /** `terms`, `avg`, `bucket_sort`, ... */
  type: string;
  /** The type's own object, e.g. `{ field: 'price' }` for `{ avg: { field: 'price' } }`. */
  body: Record<string, unknown>;
  /** Sub-aggregations (bucket aggregations only; pipelines included, in request order). */
  subs: AggSpec[];
  meta?: Record<string, unknown>;
  /** Names from the root to this node, for error messages (`[by_tag][avg_price]`). */
  path: string[];
}

export interface AggContext {
  exec: Execution;
  params: SearchParams;
  /** `now` for date math (the search's start). */
  nowMs: number;
  /** Every live top-level document of every target index (for `global`). */
  allDocs(): DocSet;
  /** Runs the (non-pipeline) sub-aggregations and then the pipelines of one bucket; returns `name -> result`. */
  runSubs(subs: AggSpec[], docs: DocSet): Record<string, unknown>;
  /** The same as steps that pause between aggregations (and inside those that have steps), for a paced request. */
  runSubsSteps(subs: AggSpec[], docs: DocSet): Generator<void, Record<string, unknown>>;
}

/** A metric aggregation type (min, avg, stats, cardinality, percentiles, top_hits, ...). */
export interface MetricType {
  /** Validates the body at parse time, throwing the EngineError Elasticsearch would give (400). */
  validate(spec: AggSpec): void;
  /** The result object as Elasticsearch renders it, without `meta` (the framework adds it). */
  collect(spec: AggSpec, docs: DocSet, ctx: AggContext): Record<string, unknown>;
  /** The `typed_keys` prefix when it depends on the options (`hdr_percentiles`); else METRIC_TYPED or the type. */
  typed?(spec: AggSpec): string;
  /** `collect` as steps that pause between units of work (scripted_metric: every few documents), for a paced request. */
  steps?(spec: AggSpec, docs: DocSet, ctx: AggContext): Generator<void, Record<string, unknown>>;
}

/**
 * A pipeline aggregation type.
 * - `parent` (bucket_sort, bucket_selector): declared as a sub-aggregation of a multi-bucket
 *   aggregation; `apply` rewrites that aggregation's `buckets` array (filter, sort, truncate).
 * - `sibling` (sum_bucket, avg_bucket, max_bucket, min_bucket): declared next to the
 *   aggregation it reads; `reduce` computes its own result from the sibling results
 *   at the same level (`buckets_path` like `sales_per_month>sales`).
 */
export type PipelineType =
  | {
      kind: 'parent';
      /** Only under a histogram or date_histogram (cumulative_sum, serial_diff: their buckets in key order). */
      histogramParent?: boolean;
      /** And that parent keeps its empty buckets (derivative, moving_fn: min_doc_count 0). */
      withoutGaps?: boolean;
      validate(spec: AggSpec): void;
      /** Rewrites the buckets; a value it adds to a bucket is written under the pipeline's name. */
      apply(spec: AggSpec, buckets: Array<Record<string, unknown>>): Array<Record<string, unknown>>;
    }
  | { kind: 'sibling'; validate(spec: AggSpec): void; reduce(spec: AggSpec, siblings: Record<string, unknown>): Record<string, unknown> };

/**
 * A bucket aggregation type (terms, histogram, range, filter, nested, composite, ...), in
 * `buckets/*`. `collect` renders the result without `meta`; a multi-bucket type returns its
 * buckets as an array (each with its sub-aggregation results, from `ctx.runSubs`) so that the
 * framework can apply parent pipelines (bucket_sort, bucket_selector) before `keyed` rendering.
 */
export interface BucketType {
  validate(spec: AggSpec): void;
  collect(spec: AggSpec, docs: DocSet, ctx: AggContext): BucketResult;
  /**
   * The same as steps that pause (yield) between units of work (a slice of docs, a bucket's
   * sub-aggregations), for a type whose work grows with the docs or the buckets (terms over 65k
   * distinct values): a paced request runs these instead of `collect`.
   */
  steps?(spec: AggSpec, docs: DocSet, ctx: AggContext): Generator<void, BucketResult>;
}

export interface BucketResult {
  /** The `typed_keys` prefix: `sterms`, `lterms`, `dterms`, `date_histogram`, `filter`, ... */
  typed: string;
  /** Fields before `buckets` (`doc_count_error_upper_bound`, `after_key`), or the whole result of a single-bucket agg. */
  result: Record<string, unknown>;
  /** Multi-bucket aggregations: the buckets in response order. */
  buckets?: Array<Record<string, unknown>>;
  /**
   * `keyed: true`: the key each bucket is rendered under, and the bucket object rendered there
   * (ranges drop nothing, filters drop `key`). Applied after parent pipelines.
   */
  keyed?: (bucket: Record<string, unknown>) => [string, Record<string, unknown>];
}

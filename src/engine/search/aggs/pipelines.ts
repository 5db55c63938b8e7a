import type { PipelineType } from './agg-types.js';
import { BUCKET_METRICS } from './pipelines/bucket-metrics.js';
import { bucketScript } from './pipelines/bucket-script.js';
import { bucketSelector } from './pipelines/bucket-selector.js';
import { bucketSort } from './pipelines/bucket-sort.js';
import { derivative } from './pipelines/derivative.js';
import { movingFn } from './pipelines/moving-fn.js';
import { cumulativeSum, serialDiff } from './pipelines/sequential.js';

/**
 * Pipeline aggregations over rendered bucket results, as Elasticsearch 8 computes them:
 * parent pipelines (bucket_sort, bucket_selector) rewrite the enclosing aggregation's buckets,
 * cumulative_sum, serial_diff, derivative and moving_fn add a value to each bucket of a
 * histogram/date_histogram/auto_date_histogram, in dependency order (a derivative of a derivative);
 * sibling pipelines (sum_bucket, avg_bucket, max_bucket, min_bucket) read a sibling
 * multi-bucket aggregation through `buckets_path`, with BucketHelpers' gap policies
 * (skip, insert_zeros, keep_values).
 *
 * Deviations from Elasticsearch:
 * - bucket_selector and bucket_script run the engine's Painless interpreter (script/painless.ts) with the
 *   buckets_path variables as double params; stored scripts and other languages than
 *   painless/expression answer a 400 naming them. A
 *   variable that is neither a buckets_path entry nor a script param is a 400 at parse time
 *   (Painless would fail at run time with a NullPointerException).
 * - a parent pipeline's buckets_path is checked against its level at validation, as
 *   resolvePipelineAggregatorOrder does (`No aggregation found for path [...]`); a sibling
 *   pipeline's whose first element names nothing answers its bucket-metric type's own error.
 * - moving_fn's `values` is a list of doubles to the interpreter (`values.length` and
 *   `values[i]` work as on a double[]; so would list methods, which Painless refuses).
 * - max_bucket/min_bucket `keys` of integer-valued numeric bucket keys print as longs ("3") for
 *   terms and as doubles ("3.0") for other aggregations (ES uses the key's own type, so terms
 *   over a double field print "3.0" there).
 */
export const PIPELINE_TYPES: Record<string, PipelineType> = {
  bucket_sort: bucketSort,
  bucket_selector: bucketSelector,
  bucket_script: bucketScript,
  cumulative_sum: cumulativeSum,
  serial_diff: serialDiff,
  derivative,
  moving_fn: movingFn,
  ...BUCKET_METRICS,
};

import type { MetricType } from './agg-types.js';
import { matrixStats } from './metrics/matrix-stats.js';
import { medianAbsoluteDeviation, percentileRanks, percentiles } from './metrics/percentiles.js';
import { SIMPLE_METRICS } from './metrics/simple-metrics.js';
import { scriptedMetric } from './metrics/scripted-metric.js';
import { topHits } from './metrics/top-hits.js';
import { weightedAvg } from './metrics/weighted-avg.js';
import { geoBounds, geoCentroid } from './geo/geo-metrics.js';

/**
 * Metric aggregations, computed as Elasticsearch 8 does on one node with one shard per index:
 * each index's values are summed with Kahan summation (CompensatedSum) in collection order, and
 * the per-index results are reduced with Kahan again, so sums and averages match ES bit for bit.
 * Results are shaped as the Internal* classes write them (null `value` for an empty min/max/avg,
 * `value_as_string` with a `format` or on date/boolean fields, NaN written as `"NaN"`).
 *
 * Deviations from Elasticsearch:
 * - `script` (and `value_type` scripts, `top_hits` script_fields, `stored_fields: _none_`,
 *   explain on nested documents) answer a 400 naming the feature.
 * - cardinality is exact (a set per aggregation) at any size; ES's HyperLogLog++ is exact only
 *   below precision_threshold (default 3000) and estimates above it.
 * - percentiles and percentile_ranks with `hdr` are HdrHistogram 2.1.9's DoubleHistogram as ES merges
 *   it (metrics/hdr-histogram.ts), judged against the Java library; negative values are refused.
 * - percentiles are exact Dist.quantile interpolation at any size; ES's default hybrid TDigest is
 *   that exact answer below 20 * compression samples (2000) and an approximation above (see
 *   metrics/percentiles.ts); `tdigest.execution_hint: high_accuracy` (AVLTreeDigest) is accepted
 *   but computed the same way.
 * - Date values format with strict_date_optional_time (or the request's `format`), not with a
 *   custom date format of the mapping (which the mapping lookup does not expose). Date patterns
 *   are formatted in UTC; DecimalFormat supports the usual `0`, `#`, `,`, `.`, `%`, quoted
 *   literals, prefix and suffix (no exponent patterns).
 * - top_hits ranks by the query score the DocSet carries; when the search itself did not compute
 *   scores (e.g. a request sorted by a field), `_score` and `max_score` are null where ES would
 *   score the bucket's documents.
 */
export const METRIC_TYPES: Record<string, MetricType> = {
  ...SIMPLE_METRICS,
  percentiles,
  percentile_ranks: percentileRanks,
  median_absolute_deviation: medianAbsoluteDeviation,
  top_hits: topHits,
  weighted_avg: weightedAvg,
  matrix_stats: matrixStats,
  scripted_metric: scriptedMetric,
  geo_bounds: geoBounds,
  geo_centroid: geoCentroid,
};


import type { MetricType } from './agg-types.js';

/** Metric aggregation types by name (min, max, avg, sum, value_count, stats, extended_stats, cardinality, percentiles, top_hits). */
export const METRIC_TYPES: Record<string, MetricType> = {};

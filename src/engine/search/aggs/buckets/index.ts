import type { BucketType } from '../agg-types.js';
import { compositeAgg } from './composite.js';
import { filterAgg, filtersAgg } from './filters.js';
import { dateHistogramAgg, histogramAgg } from './histogram.js';
import { ipPrefixAgg } from './ip-prefix.js';
import { childrenAgg, parentAgg } from './join-aggs.js';
import { ipRangeAgg } from './ip-range.js';
import { dateRangeAgg, rangeAgg } from './range.js';
import { diversifiedSamplerAgg, samplerAgg } from './sampler.js';
import { globalAgg, missingAgg, nestedAgg, reverseNestedAgg } from './single-bucket.js';
import { termsAgg } from './terms.js';

/** Bucket aggregation types by name. */
export const BUCKET_TYPES: Record<string, BucketType> = {
  terms: termsAgg,
  histogram: histogramAgg,
  date_histogram: dateHistogramAgg,
  range: rangeAgg,
  date_range: dateRangeAgg,
  filter: filterAgg,
  filters: filtersAgg,
  missing: missingAgg,
  global: globalAgg,
  nested: nestedAgg,
  reverse_nested: reverseNestedAgg,
  composite: compositeAgg,
  ip_range: ipRangeAgg,
  ip_prefix: ipPrefixAgg,
  sampler: samplerAgg,
  diversified_sampler: diversifiedSamplerAgg,
  children: childrenAgg,
  parent: parentAgg,
};

import type { BucketType } from '../agg-types.js';
import { adjacencyMatrixAgg } from './adjacency-matrix.js';
import { autoDateHistogramAgg } from './auto-date-histogram.js';
import { compositeAgg } from './composite.js';
import { filterAgg, filtersAgg } from './filters.js';
import { dateHistogramAgg, histogramAgg } from './histogram.js';
import { ipPrefixAgg } from './ip-prefix.js';
import { childrenAgg, parentAgg } from './join-aggs.js';
import { ipRangeAgg } from './ip-range.js';
import { dateRangeAgg, rangeAgg } from './range.js';
import { diversifiedSamplerAgg, samplerAgg } from './sampler.js';
import { randomSamplerAgg } from './random-sampler.js';
import { rareTermsAgg } from './rare-terms.js';
import { significantTextAgg } from './significant-text.js';
import { significantTermsAgg } from './significant-terms.js';
import { variableWidthHistogramAgg } from './variable-width-histogram.js';
import { globalAgg, missingAgg, nestedAgg, reverseNestedAgg } from './single-bucket.js';
import { termsAgg } from './terms.js';
import { geoDistanceAgg } from '../geo/geo-distance-agg.js';
import { geohashGridAgg, geotileGridAgg } from '../geo/geo-grid.js';

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
  random_sampler: randomSamplerAgg,
  geo_distance: geoDistanceAgg,
  geohash_grid: geohashGridAgg,
  geotile_grid: geotileGridAgg,
  significant_terms: significantTermsAgg,
  significant_text: significantTextAgg,
  rare_terms: rareTermsAgg,
  adjacency_matrix: adjacencyMatrixAgg,
  auto_date_histogram: autoDateHistogramAgg,
  variable_width_histogram: variableWidthHistogramAgg,
  children: childrenAgg,
  parent: parentAgg,
};

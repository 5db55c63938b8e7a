import type { PipelineType } from './agg-types.js';

/** Pipeline aggregation types by name (bucket_sort, bucket_selector, sum_bucket, avg_bucket, max_bucket, min_bucket). */
export const PIPELINE_TYPES: Record<string, PipelineType> = {};

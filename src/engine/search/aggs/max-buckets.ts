import { EngineError } from '../../errors.js';

/**
 * Elasticsearch's `search.max_buckets` (default 65,536): a search whose aggregations would
 * return more buckets, counted over the whole response (sub-aggregation buckets included), fails
 * with `too_many_buckets_exception` (a 400 since Elasticsearch 8.8) instead of building them.
 */
export const MAX_BUCKETS = 65_536;

/** The limit of one search: the `max_buckets` the REST layer passes from the cluster setting, else the default. */
export function maxBucketsOf(params: Record<string, unknown>): number {
  return typeof params.max_buckets === 'number' ? params.max_buckets : MAX_BUCKETS;
}

export function tooManyBuckets(limit = MAX_BUCKETS): EngineError {
  return new EngineError(
    400,
    'too_many_buckets_exception',
    `Trying to create too many buckets. Must be less than or equal to: [${limit}]. This limit can be set by changing the [search.max_buckets] cluster level setting.`,
    { max_buckets: limit },
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Buckets in a rendered aggregations level: every multi-bucket result's buckets, recursively. */
export function countBuckets(level: Record<string, unknown>): number {
  let n = 0;
  for (const result of Object.values(level)) {
    if (!isRecord(result)) continue;
    const buckets = result.buckets;
    if (buckets === undefined) {
      // a single-bucket aggregation (filter, nested, global...) holds its sub-aggregations itself
      n += countBuckets(result);
      continue;
    }
    const list = Array.isArray(buckets) ? buckets : isRecord(buckets) ? Object.values(buckets) : [];
    n += list.length;
    for (const b of list) if (isRecord(b)) n += countBuckets(b);
  }
  return n;
}

import { EngineError } from '../../../errors.js';
import type { AggSpec } from '../agg-types.js';
import { parseBucketPath, resolveBucketPath } from '../bucket-path.js';
import { xContentError } from './options.js';

/**
 * Bucket orders of terms and histograms (Elasticsearch's InternalOrder): `_count`, `_key`
 * (legacy `_term`), or a path into a sub-aggregation (`avg_price`, `stats.max`, `a>b`), one
 * or an array of them. A compound order not ending in a key order gets `_key asc` as the
 * tiebreaker, as CompoundOrder does.
 */
export interface BucketOrder {
  kind: 'count' | 'key' | 'path';
  asc: boolean;
  path?: string;
}

/** What a comparator reads from a bucket. */
export interface OrderedBucket {
  key: number | string;
  count: number;
  /** The rendered bucket (key, doc_count, sub-aggregation results), for path orders. */
  rendered?: () => Record<string, unknown>;
}

export function parseOrder(spec: AggSpec, value: unknown, defaults: BucketOrder[]): BucketOrder[] {
  if (value === undefined || value === null) return withTiebreak(defaults);
  const list = Array.isArray(value) ? value : [value];
  const out: BucketOrder[] = [];
  for (const o of list) {
    if (typeof o !== 'object' || o === null || Array.isArray(o)) throw xContentError(`[${spec.type}] failed to parse field [order]`);
    for (const [k, dir] of Object.entries(o as Record<string, unknown>)) {
      const d = typeof dir === 'string' ? dir.toLowerCase() : dir;
      if (d !== 'asc' && d !== 'desc') {
        throw xContentError(`[${spec.type}] failed to parse field [order]`, new EngineError(400, 'parsing_exception', `Unknown order direction [${String(dir)}]`));
      }
      const asc = d === 'asc';
      if (k === '_count') out.push({ kind: 'count', asc });
      else if (k === '_key' || k === '_term') out.push({ kind: 'key', asc });
      else out.push({ kind: 'path', asc, path: k });
    }
  }
  return withTiebreak(out);
}

function withTiebreak(orders: BucketOrder[]): BucketOrder[] {
  const last = orders[orders.length - 1];
  if (last && last.kind === 'key') return orders;
  return [...orders, { kind: 'key', asc: true }];
}

export const isKeyOrder = (orders: BucketOrder[]): boolean => orders[0]?.kind === 'key';
export const isCountDesc = (orders: BucketOrder[]): boolean => orders[0]?.kind === 'count' && !orders[0].asc;
export const needsSubs = (orders: BucketOrder[]): boolean => orders.some((o) => o.kind === 'path');

/**
 * Checks that path orders name a non-pipeline sub-aggregation (AggregationPath.validate):
 * `Invalid aggregation order path [x]. The provided aggregation [x] either does not exist, or
 * is a pipeline aggregation and cannot be used to sort the buckets.`
 */
export function validateOrderPaths(spec: AggSpec, orders: BucketOrder[], isPipeline: (type: string) => boolean): void {
  for (const o of orders) {
    if (o.kind !== 'path' || o.path === undefined) continue;
    const steps = parseBucketPath(o.path);
    let subs = spec.subs;
    steps.forEach((step, i) => {
      const last = i === steps.length - 1;
      if (last && (step.name === '_count' || step.name === '_key')) return;
      const sub = subs.find((s) => s.name === step.name);
      if (!sub || isPipeline(sub.type)) {
        throw invalidPath(o.path as string, `The provided aggregation [${step.name}] either does not exist, or is a pipeline aggregation and cannot be used to sort the buckets.`);
      }
      const single = SINGLE_BUCKET.has(sub.type);
      const metric = !single && !MULTI_BUCKET.has(sub.type);
      if ((!last && !single) || (last && !single && !metric)) {
        throw invalidPath(
          o.path as string,
          'Buckets can only be sorted on a sub-aggregator path that is built out of zero or more single-bucket aggregations within the path and a final single-bucket or a metrics aggregation at the path end.',
        );
      }
      if (last && metric && MULTI_VALUE_METRICS.has(sub.type) && step.metric === undefined && step.key === undefined) {
        throw invalidPath(o.path as string, 'When ordering on a multi-value metrics aggregation a metric name must be specified.');
      }
      subs = sub.subs;
    });
  }
}

const SINGLE_BUCKET = new Set(['filter', 'missing', 'global', 'nested', 'reverse_nested']);
const MULTI_BUCKET = new Set(['terms', 'histogram', 'date_histogram', 'range', 'date_range', 'filters', 'composite']);
const MULTI_VALUE_METRICS = new Set(['stats', 'extended_stats', 'percentiles', 'percentile_ranks']);

const invalidPath = (path: string, why: string): EngineError =>
  new EngineError(400, 'aggregation_execution_exception', `Invalid aggregation order path [${path}]. ${why}`);

function compareKeys(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * The value ES compares for an empty metric, which renders as null: max is -Infinity and min
 * +Infinity (so they sort first or last by direction), anything else NaN (always last).
 */
function emptyValue(spec: AggSpec | undefined, path: string): number {
  if (!spec) return Number.NaN;
  const steps = parseBucketPath(path);
  let subs = spec.subs;
  let target: AggSpec | undefined;
  for (const step of steps) {
    target = subs.find((s) => s.name === step.name);
    if (!target) return Number.NaN;
    subs = target.subs;
  }
  const last = steps[steps.length - 1];
  const metric = last?.metric ?? (target?.type === 'max' ? 'max' : target?.type === 'min' ? 'min' : undefined);
  if (metric === 'max' && (target?.type === 'max' || target?.type === 'stats' || target?.type === 'extended_stats')) return -Infinity;
  if (metric === 'min' && (target?.type === 'min' || target?.type === 'stats' || target?.type === 'extended_stats')) return Infinity;
  return Number.NaN;
}

/** A comparator for the orders; NaN metric values sort last whatever the direction (Comparators.compareDiscardNaN). */
export function bucketComparator<B extends OrderedBucket>(orders: BucketOrder[], spec?: AggSpec): (a: B, b: B) => number {
  const empties = orders.map((o) => (o.kind === 'path' ? emptyValue(spec, o.path as string) : Number.NaN));
  const cache = new Map<B, Record<string, unknown>>();
  const rendered = (b: B): Record<string, unknown> => {
    let r = cache.get(b);
    if (!r) {
      r = b.rendered ? b.rendered() : { key: b.key, doc_count: b.count };
      cache.set(b, r);
    }
    return r;
  };
  return (a, b) => {
    for (let i = 0; i < orders.length; i++) {
      const o = orders[i] as BucketOrder;
      let c: number;
      if (o.kind === 'count') c = a.count - b.count;
      else if (o.kind === 'key') c = compareKeys(a.key, b.key);
      else {
        const empty = empties[i] as number;
        const va = resolveBucketPath(rendered(a), o.path as string) ?? empty;
        const vb = resolveBucketPath(rendered(b), o.path as string) ?? empty;
        if (Number.isNaN(va) || Number.isNaN(vb)) {
          if (Number.isNaN(va) && Number.isNaN(vb)) continue;
          return Number.isNaN(va) ? 1 : -1;
        }
        c = va === vb ? 0 : va < vb ? -1 : 1;
      }
      if (c !== 0) return o.asc ? c : -c;
    }
    return 0;
  };
}

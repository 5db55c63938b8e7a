/**
 * Pause points for aggregations that run over many documents or build many buckets (issue 12):
 * a type's `steps` run its collecting loop over ranges of {@link DOCS_PER_STEP} docs and its
 * bucket building over runs of {@link BUCKETS_PER_STEP} buckets, with a pause point (yield) between
 * two; its `collect` runs the same steps without pausing, so both give the same result.
 */

import { runSteps } from '../paced-run.js';
import type { AggContext, AggSpec, BucketResult, BucketType, DocSet, MetricType } from './agg-types.js';

type Steps<T> = (spec: AggSpec, docs: DocSet, ctx: AggContext) => Generator<void, T>;

/** A bucket type whose `collect` is its `steps` run without pausing (one code path, the same result). */
export function pacedBucket(type: Omit<BucketType, 'collect' | 'steps'> & { steps: Steps<BucketResult> }): BucketType {
  return { ...type, collect: (spec, docs, ctx) => runSteps(type.steps(spec, docs, ctx)) };
}

/** A metric type whose `collect` is its `steps` run without pausing. */
export function pacedMetric(type: Omit<MetricType, 'collect' | 'steps'> & { steps: Steps<Record<string, unknown>> }): MetricType {
  return { ...type, collect: (spec, docs, ctx) => runSteps(type.steps(spec, docs, ctx)) };
}

/** Docs collected between two pause points (as the terms aggregation collects). */
export const DOCS_PER_STEP = 2048;

/** Buckets built (keys formatted, results rendered) between two pause points. */
export const BUCKETS_PER_STEP = 1024;

/** Runs `collect(from, to)` over `[0, count)` in ranges of {@link DOCS_PER_STEP}, pausing between ranges. */
export function* docRangeSteps(count: number, collect: (from: number, to: number) => void): Generator<void, void> {
  for (let from = 0; from < count; from += DOCS_PER_STEP) {
    if (from > 0) yield;
    collect(from, Math.min(count, from + DOCS_PER_STEP));
  }
}

/** `items.map(fn)`, pausing every {@link BUCKETS_PER_STEP} items; `fn` may pause itself (a bucket's sub-aggregations). */
export function* mapSteps<T, R>(items: readonly T[], fn: (item: T, i: number) => Generator<void, R>): Generator<void, R[]> {
  const out: R[] = new Array<R>(items.length);
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % BUCKETS_PER_STEP === 0) yield;
    out[i] = yield* fn(items[i] as T, i);
  }
  return out;
}

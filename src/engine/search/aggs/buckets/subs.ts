import type { AggContext, AggSpec, DocSet } from '../agg-types.js';
import { PIPELINE_TYPES } from '../pipelines.js';
import { subset } from '../values-source.js';

/** Whether a bucket has anything to compute per bucket (parent pipelines apply to the bucket list instead). */
export function hasBucketSubs(subs: AggSpec[]): boolean {
  return subs.some((s) => PIPELINE_TYPES[s.type]?.kind !== 'parent');
}

export const isPipeline = (type: string): boolean => Object.hasOwn(PIPELINE_TYPES, type);

/** The sub-aggregation results of a bucket holding `docs`' positions `pos` (no DocSet is built when there is nothing to run). */
export function bucketSubs(spec: AggSpec, docs: DocSet, pos: ArrayLike<number>, ctx: AggContext): Record<string, unknown> {
  if (!hasBucketSubs(spec.subs)) return {};
  return ctx.runSubs(spec.subs, subset(docs, pos));
}

/** reverse_nested specs declared outside any nested aggregation (marked by the framework's validation). */
export const OUTSIDE_NESTED = new WeakSet<AggSpec>();

/** {@link bucketSubs} as steps that pause between the sub-aggregations (a paced request). */
export function* bucketSubsSteps(spec: AggSpec, docs: DocSet, pos: ArrayLike<number>, ctx: AggContext): Generator<void, Record<string, unknown>> {
  if (!hasBucketSubs(spec.subs)) return {};
  return yield* ctx.runSubsSteps(spec.subs, subset(docs, pos));
}

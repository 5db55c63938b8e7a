import { parsingError } from '../../../errors.js';
import type { AggSpec, PipelineType } from '../agg-types.js';
import { compileDecimalFormat } from '../value-format.js';
import { checkKeys, formatOf, gapPolicyOf, resolveValue, simpleValue, singlePath } from './pipeline-options.js';

/**
 * Parent pipelines over the buckets of a histogram or date_histogram, in key order, each adding
 * an InternalSimpleValue to the buckets (appended after the bucket's other aggregations):
 * - `cumulative_sum` (CumulativeSumPipelineAggregator): the running sum of the path's value,
 *   read with insert_zeros; a NaN or infinite value adds nothing. Every bucket gets the sum.
 * - `serial_diff` (SerialDiffPipelineAggregator): the value minus the value `lag` buckets
 *   before (gap policy default skip); a bucket gets the difference only when both are numbers.
 */

function validateCommon(spec: AggSpec, keys: string[]): void {
  checkKeys(spec, keys);
  const f = formatOf(spec);
  if (f !== undefined) compileDecimalFormat(f);
  singlePath(spec);
}

/** `lag`: a positive integer, default 1. */
function lagOf(spec: AggSpec): number {
  const raw = spec.body.lag;
  if (raw === undefined) return 1;
  if (typeof raw !== 'number' || !Number.isInteger(raw)) throw parsingError(`Unknown key for a ${typeof raw === 'string' ? 'VALUE_STRING' : 'VALUE_NUMBER'} in [${spec.name}]: [lag].`);
  if (raw <= 0) throw parsingError(`Lag must be a positive, non-zero integer.  Value supplied was${raw} in [${spec.name}]: [lag].`);
  return raw;
}

export const cumulativeSum: PipelineType = {
  kind: 'parent',
  histogramParent: true,
  validate(spec) {
    validateCommon(spec, ['buckets_path', 'format']);
  },
  apply(spec, buckets) {
    const path = singlePath(spec);
    let sum = 0;
    return buckets.map((bucket) => {
      const v = resolveValue(bucket, path, 'insert_zeros');
      if (Number.isFinite(v)) sum += v;
      return { ...bucket, [spec.name]: simpleValue(spec, sum) };
    });
  },
};

export const serialDiff: PipelineType = {
  kind: 'parent',
  histogramParent: true,
  validate(spec) {
    validateCommon(spec, ['buckets_path', 'format', 'gap_policy', 'lag']);
    gapPolicyOf(spec, 'skip');
    lagOf(spec);
  },
  apply(spec, buckets) {
    const path = singlePath(spec);
    const gap = gapPolicyOf(spec, 'skip');
    const lag = lagOf(spec);
    const seen: number[] = [];
    return buckets.map((bucket, i) => {
      const v = resolveValue(bucket, path, gap);
      // the EvictingQueue of the last `lag` values: its head is the value `lag` buckets back
      const lagged = i >= lag ? (seen[i - lag] as number) : Number.NaN;
      seen.push(v);
      if (Number.isNaN(v) || Number.isNaN(lagged)) return bucket;
      return { ...bucket, [spec.name]: simpleValue(spec, v - lagged) };
    });
  },
};

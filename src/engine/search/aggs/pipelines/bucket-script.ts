import { EngineError } from '../../../errors.js';
import { isNumeric, toDouble } from '../../script/java-values.js';
import type { PipelineType } from '../agg-types.js';
import { compileDecimalFormat } from '../value-format.js';
import { runOnBucket, scriptOf } from './bucket-selector.js';
import { checkKeys, formatOf, gapPolicyOf, pathMap, resolveValue, simpleValue } from './pipeline-options.js';

/**
 * `bucket_script` (BucketScriptPipelineAggregator): adds to each bucket of the enclosing
 * multi-bucket aggregation the script's value (a double, InternalSimpleValue, with `format`).
 * The script reads each `buckets_path` variable from `params` (a double); under the default gap
 * policy skip, a bucket where a variable is a gap gets no value, and so does one where the script
 * returns null. A result that is not a number fails as Elasticsearch fails it.
 */
export const bucketScript: PipelineType = {
  kind: 'parent',
  validate(spec) {
    checkKeys(spec, ['buckets_path', 'script', 'gap_policy', 'format']);
    gapPolicyOf(spec, 'skip');
    const f = formatOf(spec);
    if (f !== undefined) compileDecimalFormat(f);
    scriptOf(spec, pathMap(spec));
  },
  apply(spec, buckets) {
    const paths = pathMap(spec);
    const gap = gapPolicyOf(spec, 'skip');
    const script = scriptOf(spec, paths);
    return buckets.map((bucket) => {
      if (gap === 'skip' && Object.values(paths).some((path) => Number.isNaN(resolveValue(bucket, path, gap)))) return bucket;
      const result = runOnBucket(script, paths, bucket, gap);
      if (result.t === 'null') return bucket;
      if (!isNumeric(result)) throw new EngineError(500, 'aggregation_execution_exception', `series_arithmetic script for reducer [${spec.name}] must return a Number`);
      return { ...bucket, [spec.name]: simpleValue(spec, toDouble(result)) };
    });
  },
};

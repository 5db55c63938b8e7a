import { EngineError, parsingError, unsupported } from '../../../errors.js';
import type { AggSpec, PipelineType } from '../agg-types.js';
import { parseBucketPath } from '../bucket-path.js';
import { renderExtendedStats, renderStats, sigmaOf } from '../metrics/simple-metrics.js';
import { compileDecimalFormat, javaDouble, valueFormat } from '../value-format.js';
import { bucketsOf, checkKeys, formatOf, gapPolicyOf, resolveValue, simpleValue, singlePath } from './pipeline-options.js';

/**
 * Sibling bucket-metric pipelines (BucketMetricsPipelineAggregator): sum_bucket, avg_bucket,
 * max_bucket, min_bucket, stats_bucket, extended_stats_bucket over the buckets of the sibling multi-bucket aggregation named by the
 * first element of `buckets_path`, reading the rest of the path in each bucket through the gap
 * policy (default skip: gaps are left out). Sums are plain double sums, as ES does here.
 */

const KEYS = ['buckets_path', 'gap_policy', 'format'];

function validate(spec: AggSpec, keys: string[] = KEYS): void {
  checkKeys(spec, keys);
  gapPolicyOf(spec, 'skip');
  const f = formatOf(spec);
  if (f !== undefined) compileDecimalFormat(f);
  singlePath(spec);
}

/** The path's first aggregation name and the rest, as AggregationPath splits `a>b`, `a.b`, `a[k]>b`. */
function splitPath(path: string): { first: string; rest: string } {
  const steps = parseBucketPath(path);
  const head = steps[0] as { name: string; metric?: string };
  const gt = path.indexOf('>');
  if (gt !== -1) return { first: head.name, rest: path.slice(gt + 1) };
  return { first: head.name, rest: head.metric ?? '' };
}

/** The bucket's getKeyAsString(): key_as_string, else the key (double-valued keys as Java prints them). */
function keyAsString(agg: Record<string, unknown>, bucket: Record<string, unknown>): string {
  if (typeof bucket.key_as_string === 'string') return bucket.key_as_string;
  const key = bucket.key;
  if (typeof key === 'number') {
    // terms over integer fields have long keys ("3"); histograms have double keys ("3.0")
    const terms = 'sum_other_doc_count' in agg;
    return terms && Number.isInteger(key) ? String(key) : javaDouble(key);
  }
  return String(key);
}

/** The (key, value) pairs of the sibling's buckets that have a value. */
function collectValues(spec: AggSpec, siblings: Record<string, unknown>): Array<{ key: string; value: number }> {
  const path = singlePath(spec);
  const gap = gapPolicyOf(spec, 'skip');
  const { first, rest } = splitPath(path);
  const agg = siblings[first];
  if (agg === null || typeof agg !== 'object' || Array.isArray(agg)) {
    throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: 1: buckets_path aggregation does not exist for aggregation [${spec.name}]: ${path};`);
  }
  const rec = agg as Record<string, unknown>;
  const buckets = bucketsOf(rec);
  if (!buckets) {
    throw new EngineError(
      400,
      'action_request_validation_exception',
      `Validation Failed: 1: The first aggregation in buckets_path must be a multi-bucket aggregation for aggregation [${spec.name}] found :[${first}] for buckets path: ${path};`,
    );
  }
  if (rest === '') {
    throw new EngineError(
      400,
      'illegal_argument_exception',
      `buckets_path must reference either a number value or a single value numeric metric aggregation, got: [Bucket] at aggregation [${first}]`,
    );
  }
  const out: Array<{ key: string; value: number }> = [];
  for (const bucket of buckets) {
    const value = resolveValue(bucket, rest, gap);
    if (!Number.isNaN(value)) out.push({ key: keyAsString(rec, bucket), value });
  }
  return out;
}

const sumBucket: PipelineType = {
  kind: 'sibling',
  validate,
  reduce(spec, siblings) {
    let sum = 0;
    for (const { value } of collectValues(spec, siblings)) sum += value;
    return simpleValue(spec, sum);
  },
};

const avgBucket: PipelineType = {
  kind: 'sibling',
  validate,
  reduce(spec, siblings) {
    let sum = 0;
    let count = 0;
    for (const { value } of collectValues(spec, siblings)) {
      sum += value;
      count++;
    }
    return simpleValue(spec, sum / count);
  },
};

/** InternalBucketMetricValue: `{ value, value_as_string?, keys }`, every key tied at the extreme. */
const extremeBucket = (which: 'max' | 'min'): PipelineType => ({
  kind: 'sibling',
  validate,
  reduce(spec, siblings) {
    let best = which === 'max' ? -Infinity : Infinity;
    let keys: string[] = [];
    for (const { key, value } of collectValues(spec, siblings)) {
      if (which === 'max' ? value > best : value < best) {
        best = value;
        keys = [key];
      } else if (value === best) keys.push(key);
    }
    return { ...simpleValue(spec, Number.isFinite(best) ? best : Number.NaN), keys };
  },
});

/** StatsBucketPipelineAggregator: count, min, max and a plain double sum, rendered as InternalStats. */
const statsBucket: PipelineType = {
  kind: 'sibling',
  validate,
  reduce(spec, siblings) {
    const s = { count: 0, min: Infinity, max: -Infinity, sum: 0 };
    for (const { value } of collectValues(spec, siblings)) {
      s.count++;
      s.sum += value;
      s.min = Math.min(s.min, value);
      s.max = Math.max(s.max, value);
    }
    return renderStats(s, valueFormat('number', formatOf(spec)));
  },
};

/** ExtendedStatsBucketPipelineAggregator: stats plus a plain sum of squares, rendered as InternalExtendedStats. */
const extendedStatsBucket: PipelineType = {
  kind: 'sibling',
  validate(spec) {
    validate(spec, [...KEYS, 'sigma']);
    const sigma = sigmaOf(spec);
    if (sigma < 0) throw new EngineError(400, 'illegal_argument_exception', `[sigma] must be greater than or equal to 0. Found [${javaDouble(sigma)}] in [${spec.name}]`);
  },
  reduce(spec, siblings) {
    const s = { count: 0, min: Infinity, max: -Infinity, sum: 0 };
    let sumOfSqrs = 0;
    for (const { value } of collectValues(spec, siblings)) {
      s.count++;
      s.sum += value;
      sumOfSqrs += value * value;
      s.min = Math.min(s.min, value);
      s.max = Math.max(s.max, value);
    }
    return renderExtendedStats(s, sumOfSqrs, sigmaOf(spec), valueFormat('number', formatOf(spec)));
  },
};

const DEFAULT_PERCENTS = [1, 5, 25, 50, 75, 95, 99];

function bucketPercentsOf(spec: AggSpec): number[] {
  const raw = spec.body.percents;
  if (raw === undefined) return DEFAULT_PERCENTS;
  if (!Array.isArray(raw)) throw parsingError(`[percentiles_bucket] percents doesn't support values of type: ${typeof raw === 'string' ? 'VALUE_STRING' : 'VALUE_NUMBER'}`);
  return raw.map((p) => {
    if (typeof p !== 'number') throw parsingError('[percentiles_bucket] failed to parse field [percents]');
    if (p < 0 || p > 100) throw new EngineError(400, 'illegal_argument_exception', `[percents] must only contain non-null doubles from 0-100 in [${spec.name}]`);
    return p;
  });
}

/**
 * PercentilesBucketPipelineAggregator: the sibling bucket values sorted, each percent the value at
 * index round(percent / 100 * (n - 1)) (no interpolation), NaN (null) without values; rendered as
 * InternalPercentilesBucket (keyed by Double.toString of the percent, in the request's order).
 */
const percentilesBucket: PipelineType = {
  kind: 'sibling',
  validate(spec) {
    validate(spec, [...KEYS, 'percents', 'keyed']);
    bucketPercentsOf(spec);
    if (spec.body.keyed !== undefined && typeof spec.body.keyed !== 'boolean') throw parsingError('[percentiles_bucket] failed to parse field [keyed]');
    if (spec.body.keyed === false && formatOf(spec) !== undefined) throw unsupported('percentiles_bucket with keyed: false and a format');
  },
  reduce(spec, siblings) {
    const data = collectValues(spec, siblings).map((v) => v.value).sort((a, b) => a - b);
    const f = formatOf(spec);
    const format = f === undefined ? undefined : compileDecimalFormat(f);
    const entries = bucketPercentsOf(spec).map((p) => {
      const value = data.length === 0 ? Number.NaN : (data[Math.floor((p / 100) * (data.length - 1) + 0.5)] as number);
      return { p, value: Number.isFinite(value) ? value : null };
    });
    if (spec.body.keyed === false) return { values: entries.map(({ p, value }) => ({ key: p, value })) };
    const values: Record<string, unknown> = {};
    for (const { p, value } of entries) {
      const key = javaDouble(p);
      values[key] = value;
      if (value !== null && format) values[`${key}_as_string`] = format(value);
    }
    return { values };
  },
};

export const BUCKET_METRICS: Record<string, PipelineType> = {
  sum_bucket: sumBucket,
  avg_bucket: avgBucket,
  max_bucket: extremeBucket('max'),
  min_bucket: extremeBucket('min'),
  stats_bucket: statsBucket,
  extended_stats_bucket: extendedStatsBucket,
  percentiles_bucket: percentilesBucket,
};

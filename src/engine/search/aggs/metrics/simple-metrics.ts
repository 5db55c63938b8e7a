import { EngineError, parsingError } from '../../../errors.js';
import { JsonDouble } from '../../float-format.js';
import type { AggSpec, MetricType } from '../agg-types.js';
import { anyValuesSteps, checkSourceOptions, numericValuesSteps, shardedSum } from './metric-source.js';
import { docRangeSteps, pacedMetric } from '../doc-steps.js';
import { formatValue, javaDouble, jsonDouble } from '../value-format.js';
import type { ValueFormat } from '../value-format.js';

/**
 * min, max, avg, sum, value_count, stats, extended_stats, cardinality: rendered as
 * InternalMin/Max/Avg/Sum/ValueCount/Stats/ExtendedStats/Cardinality write themselves.
 */

/** `value` plus `value_as_string` when the format is not RAW and the value exists. */
function single(value: number | null, format: ValueFormat): Record<string, unknown> {
  // a double, written as Jackson writes it (`2.0`, not `2`)
  const out: Record<string, unknown> = { value: value === null ? null : new JsonDouble(value) };
  if (value !== null) {
    const s = formatValue(format, value);
    if (s !== undefined) out.value_as_string = s;
  }
  return out;
}

const minMax = (which: 'min' | 'max'): MetricType => pacedMetric({
  validate: (spec) => checkSourceOptions(spec, []),
  *steps(spec, docs) {
    const { format, shards } = yield* numericValuesSteps(spec, docs);
    let best = which === 'min' ? Infinity : -Infinity;
    for (const values of shards) for (const v of values) best = which === 'min' ? Math.min(best, v) : Math.max(best, v);
    // InternalMin/InternalMax: an infinite value means no value
    return single(Number.isFinite(best) ? best : null, format);
  },
});

const avg: MetricType = pacedMetric({
  validate: (spec) => checkSourceOptions(spec, []),
  *steps(spec, docs) {
    const { format, shards } = yield* numericValuesSteps(spec, docs);
    const count = shards.reduce((n, s) => n + s.length, 0);
    return single(count === 0 ? null : shardedSum(shards) / count, format);
  },
});

const sum: MetricType = pacedMetric({
  validate: (spec) => checkSourceOptions(spec, []),
  *steps(spec, docs) {
    const { format, shards } = yield* numericValuesSteps(spec, docs);
    // InternalSum always has a value (0 for no docs) and always formats it
    return single(shardedSum(shards), format);
  },
});

const valueCount: MetricType = pacedMetric({
  validate: (spec) => checkSourceOptions(spec, []),
  *steps(spec, docs) {
    const { shards } = yield* anyValuesSteps(spec, docs);
    return { value: shards.reduce((n, s) => n + s.length, 0) };
  },
});

export interface Stats {
  count: number;
  min: number;
  max: number;
  sum: number;
}

function computeStats(shards: number[][]): Stats {
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const values of shards) {
    count += values.length;
    for (const v of values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  return { count, min, max, sum: shardedSum(shards) };
}

export function renderStats(s: Stats, format: ValueFormat): Record<string, unknown> {
  if (s.count === 0) return { count: 0, min: null, max: null, avg: null, sum: 0 };
  const avgValue = s.sum / s.count;
  const out: Record<string, unknown> = { count: s.count, min: s.min, max: s.max, avg: avgValue, sum: s.sum };
  if (format.kind !== 'raw') {
    out.min_as_string = formatValue(format, s.min);
    out.max_as_string = formatValue(format, s.max);
    out.avg_as_string = formatValue(format, avgValue);
    out.sum_as_string = formatValue(format, s.sum);
  }
  return out;
}

const stats: MetricType = pacedMetric({
  validate: (spec) => checkSourceOptions(spec, []),
  *steps(spec, docs) {
    const { format, shards } = yield* numericValuesSteps(spec, docs);
    return renderStats(computeStats(shards), format);
  },
});

export function sigmaOf(spec: AggSpec): number {
  const raw = spec.body.sigma;
  if (raw === undefined) return 2;
  const sigma = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  if (Number.isNaN(sigma)) throw new EngineError(400, 'x_content_parse_exception', `[1:1] [extended_stats] failed to parse field [sigma]`);
  return sigma;
}

/** InternalExtendedStats rendered: stats plus sum of squares, variances, deviations and bounds at `sigma`. */
export function renderExtendedStats(s: Stats, sumOfSqrs: number, sigma: number, format: ValueFormat): Record<string, unknown> {
  const out = renderStats(s, format);
  const nulls = { upper: null, lower: null, upper_population: null, lower_population: null, upper_sampling: null, lower_sampling: null };
  if (s.count === 0) {
    return {
      ...out,
      sum_of_squares: null,
      variance: null,
      variance_population: null,
      variance_sampling: null,
      std_deviation: null,
      std_deviation_population: null,
      std_deviation_sampling: null,
      std_deviation_bounds: nulls,
    };
  }
  // InternalExtendedStats: sum of squares Kahan-summed like the sum; a negative variance from
  // rounding is clamped to 0; one value gives a sampling variance of 0/0 = NaN
  const avgValue = s.sum / s.count;
  const clamp = (v: number): number => (v < 0 ? 0 : v);
  const varPop = clamp((sumOfSqrs - (s.sum * s.sum) / s.count) / s.count);
  const varSamp = clamp((sumOfSqrs - (s.sum * s.sum) / s.count) / (s.count - 1));
  const stdPop = Math.sqrt(varPop);
  const stdSamp = Math.sqrt(varSamp);
  const values: Record<string, number> = {
    sum_of_squares: sumOfSqrs,
    variance: varPop,
    variance_population: varPop,
    variance_sampling: varSamp,
    std_deviation: stdPop,
    std_deviation_population: stdPop,
    std_deviation_sampling: stdSamp,
  };
  const bounds: Record<string, number> = {
    upper: avgValue + stdPop * sigma,
    lower: avgValue - stdPop * sigma,
    upper_population: avgValue + stdPop * sigma,
    lower_population: avgValue - stdPop * sigma,
    upper_sampling: avgValue + stdSamp * sigma,
    lower_sampling: avgValue - stdSamp * sigma,
  };
  for (const [k, v] of Object.entries(values)) out[k] = jsonDouble(v);
  out.std_deviation_bounds = Object.fromEntries(Object.entries(bounds).map(([k, v]) => [k, jsonDouble(v)]));
  if (format.kind !== 'raw') {
    for (const [k, v] of Object.entries(values)) out[`${k}_as_string`] = formatValue(format, v);
    out.std_deviation_bounds_as_string = Object.fromEntries(Object.entries(bounds).map(([k, v]) => [k, formatValue(format, v)]));
  }
  return out;
}

const extendedStats: MetricType = pacedMetric({
  validate(spec) {
    checkSourceOptions(spec, ['sigma']);
    const sigma = sigmaOf(spec);
    if (sigma < 0) throw new EngineError(400, 'illegal_argument_exception', `[sigma] must be greater than or equal to 0. Found [${javaDouble(sigma)}] in [${spec.name}]`);
  },
  *steps(spec, docs) {
    const sigma = sigmaOf(spec);
    const { format, shards } = yield* numericValuesSteps(spec, docs);
    const s = computeStats(shards);
    return renderExtendedStats(s, shardedSum(shards, (v) => v * v), sigma, format);
  },
});

const cardinality: MetricType = pacedMetric({
  validate(spec) {
    checkSourceOptions(spec, ['precision_threshold', 'execution_hint', 'rehash'], { format: false });
    const t = spec.body.precision_threshold;
    if (t !== undefined && (typeof t !== 'number' || !Number.isInteger(t))) throw parsingError(`[cardinality] failed to parse field [precision_threshold]`);
    if (typeof t === 'number' && t < 0) throw new EngineError(400, 'illegal_argument_exception', `[precisionThreshold] must be greater than or equal to 0. Found [${t}] in [${spec.name}]`);
  },
  *steps(spec, docs) {
    // exact on one node: a set of the distinct values (ES estimates with HyperLogLog++, which is
    // also exact below precision_threshold, 3000 by default)
    const { shards } = yield* anyValuesSteps(spec, docs);
    const seen = new Set<number | string>();
    for (const values of shards) {
      yield* docRangeSteps(values.length, (from, to) => {
        for (let i = from; i < to; i++) seen.add(values[i] as number | string);
      });
    }
    return { value: seen.size };
  },
});

export const SIMPLE_METRICS: Record<string, MetricType> = {
  min: minMax('min'),
  max: minMax('max'),
  avg,
  sum,
  value_count: valueCount,
  stats,
  extended_stats: extendedStats,
  cardinality,
};

import { EngineError, parsingError, unsupported } from '../../../errors.js';
import type { AggContext, AggSpec, MetricType } from '../agg-types.js';
import { checkSourceOptions, numericValuesSteps } from './metric-source.js';
import { pacedMetric } from '../doc-steps.js';
import type { NumericValues } from './metric-source.js';
import { ShardTargetFailure } from '../../shard-failure.js';
import { formatValue, javaDouble } from '../value-format.js';
import { xContentError } from '../buckets/options.js';
import { HdrHistogram } from './hdr-histogram.js';

/**
 * `percentiles` as Elasticsearch 8 computes it with its default TDigest execution (`hybrid`,
 * TDigestState.create -> HybridDigest). Below `20 * round(compression)` samples (2000 with the
 * default compression 100) HybridDigest is a SortingDigest, which keeps every sample and
 * answers with Dist.quantile:
 *
 *     index = q * (n - 1); lo = floor(index); value = v[lo] + (index - lo) * (v[lo + 1] - v[lo])
 *
 * clamped to the first/last sample for index <= 0 / index >= n - 1 (v sorted ascending, q =
 * percent / 100). That is what this computes, for any n.
 *
 * Where it may differ: from 2000 samples on (20 * compression), ES switches to a MergingDigest,
 * which merges samples into at most ~compression centroids and interpolates between centroid
 * means (each centroid's weight centred on its cumulative position, the first and last samples
 * kept as singletons, values clamped to min/max). Its answers are then approximations (ES
 * documents 0.1-1% error, worst in the middle quantiles) that depend on insertion order; ours stay
 * exact, so large sets can differ from ES in the low digits. Before ES 8.9 (AVLTreeDigest), small
 * sets interpolated between sample centres at cumulative positions i + 0.5 instead, e.g. the
 * median of [1, 2, 3, 4] is 2.5 both ways but p25 is 1.5 there and 1.75 here. The copied
 * search.aggregation/180_percentiles_tdigest_metric.yml still holds those 7.x values (1.0, 26.0
 * over 1, 51, 101, 151 where 8.x's Dist.quantile and MergingDigest give 2.5, 38.5); its
 * conformance entry says so (test/conformance/scope.yaml, other_version).
 */

const DEFAULT_PERCENTS = [1, 5, 25, 50, 75, 95, 99];

function percentsOf(spec: AggSpec): number[] {
  const raw = spec.body.percents;
  if (raw === undefined) return DEFAULT_PERCENTS;
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new EngineError(400, 'illegal_argument_exception', `[percents] must not be empty: [${spec.name}]`);
  const out = list.map((p) => {
    const n = typeof p === 'number' ? p : typeof p === 'string' && p.trim() !== '' ? Number(p) : Number.NaN;
    if (Number.isNaN(n)) throw parsingError(`[percentiles] failed to parse field [percents]`);
    if (n < 0 || n > 100) throw new EngineError(400, 'illegal_argument_exception', `percent must be in [0,100], got [${javaDouble(n)}]`);
    return n;
  });
  // PercentilesAggregationBuilder sorts a copy of the percents
  return out.sort((a, b) => a - b);
}

/** Dist.quantile over sorted values (SortingDigest). */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const index = q * (n - 1);
  let lo = Math.floor(index);
  let hi = lo + 1;
  let weight = index - lo;
  if (index <= 0) {
    lo = 0;
    hi = 0;
    weight = 0;
  }
  if (index >= n - 1) {
    lo = n - 1;
    hi = n - 1;
    weight = 0;
  }
  const low = sorted[lo] as number;
  const high = sorted[hi] as number;
  return low + weight * (high - low);
}

/** The `tdigest` options (compression, execution_hint), checked as TDigest's parser does. */
function checkTdigest(spec: AggSpec): void {
  const td = spec.body.tdigest;
  if (td !== undefined) {
    if (td === null || typeof td !== 'object' || Array.isArray(td)) throw parsingError('[tdigest] expected an object');
    for (const k of Object.keys(td)) if (k !== 'compression' && k !== 'execution_hint') throw parsingError(`[tdigest] unknown field [${k}]`);
    const compression = (td as Record<string, unknown>).compression;
    if (typeof compression === 'number' && compression < 0) {
      throw new EngineError(400, 'illegal_argument_exception', `[compression] must be greater than or equal to 0. Found [${javaDouble(compression)}] in [${spec.name}]`);
    }
  }
}

/** The `hdr` method's number_of_significant_value_digits (0 to 5, default 3), or undefined for the t-digest. */
function hdrDigits(spec: AggSpec): number | undefined {
  const hdr = spec.body.hdr;
  if (hdr === undefined) return undefined;
  if (hdr === null || typeof hdr !== 'object' || Array.isArray(hdr)) throw xContentError(`[${spec.type}] hdr doesn't support values of type: ${hdr === null ? 'VALUE_NULL' : 'VALUE'}`);
  if (spec.body.tdigest !== undefined) throw unsupported(`${spec.type} with both [tdigest] and [hdr]`);
  for (const k of Object.keys(hdr)) if (k !== 'number_of_significant_value_digits') throw xContentError(`[hdr] unknown field [${k}]`);
  const raw = (hdr as Record<string, unknown>).number_of_significant_value_digits;
  if (raw === undefined) return 3;
  if (typeof raw !== 'number' || !Number.isInteger(raw)) throw xContentError(`[hdr] number_of_significant_value_digits doesn't support values of type: ${raw === null ? 'VALUE_NULL' : 'VALUE_STRING'}`);
  if (raw < 0 || raw > 5) {
    throw xContentError('[hdr] failed to parse field [number_of_significant_value_digits]', new EngineError(400, 'illegal_argument_exception', '[numberOfSignificantValueDigits] must be between 0 and 5'));
  }
  return raw;
}

/**
 * Records every value of the docs into a DoubleHistogram (the merged state of the shards'
 * histograms). A negative value fails its shard, as DoubleHistogram.recordValue throws there
 * (autoAdjustRangeForValueSlowPath: an ArrayIndexOutOfBoundsException, a 500 in Elasticsearch).
 */
function hdrOf(digits: number, values: NumericValues, ctx: AggContext): HdrHistogram {
  const h = new HdrHistogram(digits);
  values.shards.forEach((list, i) => {
    if (!list.some((v) => v < 0)) return;
    const state = ctx.exec.states[values.targets[i] as number];
    if (state) throw new ShardTargetFailure(state.target, new EngineError(500, 'array_index_out_of_bounds_exception', 'Negative values cannot be recorded'));
  });
  for (const list of values.shards) for (const v of list) h.record(v);
  return h;
}

export const percentiles: MetricType = pacedMetric({
  typed: (spec) => (spec.body.hdr !== undefined ? 'hdr_percentiles' : 'tdigest_percentiles'),
  validate(spec) {
    checkSourceOptions(spec, ['percents', 'keyed', 'tdigest', 'hdr']);
    hdrDigits(spec);
    checkTdigest(spec);
    if (spec.body.keyed !== undefined && typeof spec.body.keyed !== 'boolean') throw parsingError('[percentiles] failed to parse field [keyed]');
    percentsOf(spec);
  },
  *steps(spec, docs, ctx) {
    const percents = percentsOf(spec);
    const keyed = spec.body.keyed !== false;
    const source = yield* numericValuesSteps(spec, docs);
    const { format, shards } = source;
    const digits = hdrDigits(spec);
    const hdr = digits !== undefined ? hdrOf(digits, source, ctx) : undefined;
    const all = hdr ? new Float64Array(0) : Float64Array.from(shards.flat());
    all.sort();
    const empty = hdr ? hdr.totalCount === 0 : all.length === 0;
    const entries = percents.map((p) => {
      const value = empty ? null : hdr ? hdr.valueAtPercentile(p) : sortedQuantile(all, p / 100);
      const asString = value === null ? undefined : formatValue(format, value);
      return { p, value, asString };
    });
    if (keyed) {
      const values: Record<string, unknown> = {};
      for (const { p, value, asString } of entries) {
        const key = javaDouble(p);
        values[key] = value;
        if (asString !== undefined) values[`${key}_as_string`] = asString;
      }
      return { values };
    }
    return { values: entries.map(({ p, value, asString }) => ({ key: p, value, ...(asString !== undefined ? { value_as_string: asString } : {}) })) };
  },
});

/**
 * Dist.cdf over sorted values (SortingDigest.cdf, Elasticsearch 8's tdigest library): each sample
 * spreads its weight over half the gap to either neighbour (the first and last ones as wide as
 * their only gap), samples equal to the first or last value count half; 0 below the first sample,
 * 1 above the last.
 */
export function sortedCdf(sorted: ArrayLike<number>, x: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const at = (i: number): number => sorted[i] as number;
  if (n === 1) return x < at(0) ? 0 : x > at(0) ? 1 : 0.5;
  if (x < at(0)) return 0;
  if (x === at(0)) {
    let dw = 0;
    for (let i = 0; i < n && at(i) === x; i++) dw += 1;
    return dw / 2 / n;
  }
  if (x > at(n - 1)) return 1;
  if (x === at(n - 1)) {
    let dw = 0;
    for (let i = n - 1; i >= 0 && at(i) === x; i--) dw += 1;
    return (n - dw / 2) / n;
  }
  const interpolate = (v: number, x0: number, x1: number): number => (v - x0) / (x1 - x0);
  let left = (at(1) - at(0)) / 2;
  let weightSoFar = 0;
  for (let i = 0; i < n - 1; i++) {
    const right = (at(i + 1) - at(i)) / 2;
    if (x < at(i) + right) return Math.max((weightSoFar + interpolate(x, at(i) - left, at(i) + right)) / n, 0);
    weightSoFar += 1;
    left = right;
  }
  const right = (at(n - 1) - at(n - 2)) / 2;
  if (x < at(n - 1) + right) return (weightSoFar + interpolate(x, at(n - 1) - right, at(n - 1) + right)) / n;
  return 1;
}

function rankValuesOf(spec: AggSpec): number[] {
  const raw = spec.body.values;
  if (raw === undefined || raw === null) throw new EngineError(400, 'illegal_argument_exception', `[values] must not be null: [${spec.name}]`);
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new EngineError(400, 'illegal_argument_exception', `[values] must not be an empty array: [${spec.name}]`);
  const out = list.map((v) => {
    const n = typeof v === 'number' ? v : Number.NaN;
    if (Number.isNaN(n)) throw parsingError('[percentile_ranks] failed to parse field [values]');
    return n;
  });
  // PercentileRanksAggregationBuilder sorts a copy of the values
  return out.sort((a, b) => a - b);
}

/**
 * `percentile_ranks` with the default TDigest (hybrid: a SortingDigest below 20 * compression
 * samples): the rank of each value is Dist.cdf over the sorted samples, times 100, clamped to
 * [0, 100] (InternalTDigestPercentileRanks.percentRank). Same deviation as `percentiles` from 2000
 * samples on (ES's MergingDigest approximates). With `hdr`: DoubleHistogram.getPercentileAtOrBelowValue.
 */
export const percentileRanks: MetricType = pacedMetric({
  typed: (spec) => (spec.body.hdr !== undefined ? 'hdr_percentile_ranks' : 'tdigest_percentile_ranks'),
  validate(spec) {
    checkSourceOptions(spec, ['values', 'keyed', 'tdigest', 'hdr']);
    hdrDigits(spec);
    checkTdigest(spec);
    if (spec.body.keyed !== undefined && typeof spec.body.keyed !== 'boolean') throw parsingError('[percentile_ranks] failed to parse field [keyed]');
    rankValuesOf(spec);
  },
  *steps(spec, docs, ctx) {
    const values = rankValuesOf(spec);
    const keyed = spec.body.keyed !== false;
    const source = yield* numericValuesSteps(spec, docs);
    const { format, shards } = source;
    const digits = hdrDigits(spec);
    if (digits !== undefined) {
      // InternalHDRPercentileRanks.percentRank: getPercentileAtOrBelowValue, within [0, 100]
      const hdr = hdrOf(digits, source, ctx);
      const ranks = values.map((v) => ({ v, rank: hdr.totalCount === 0 ? null : Math.min(100, Math.max(0, hdr.percentileAtOrBelow(v))) }));
      return renderRanks(ranks, keyed, format);
    }
    const all = Float64Array.from(shards.flat());
    all.sort();
    const empty = all.length === 0;
    if (!empty && (all[0] as number) !== (all[all.length - 1] as number)) {
      // Outside [min, max] Elasticsearch's t-digest tails (7.x AVLTreeDigest, spreading the end
      // samples over half a gap, and 8.x's Dist.cdf, 0 and 1 there) disagree, and its own test
      // (420_percentile_ranks_tdigest_metric.yml, filtered) expects the former: refused, not guessed.
      const outside = values.find((v) => v < (all[0] as number) || v > (all[all.length - 1] as number));
      if (outside !== undefined) throw unsupported(`percentile_ranks of a value outside the sampled range [${javaDouble(all[0] as number)}, ${javaDouble(all[all.length - 1] as number)}]: ${javaDouble(outside)}`);
    }
    return renderRanks(
      values.map((v) => ({ v, rank: empty ? null : Math.min(1, Math.max(0, sortedCdf(all, v))) * 100 })),
      keyed,
      format,
    );
  },
});

/** The `values` of percentile_ranks, keyed by value or as a list, with `_as_string` under a format. */
function renderRanks(ranks: Array<{ v: number; rank: number | null }>, keyed: boolean, format: Parameters<typeof formatValue>[0]): Record<string, unknown> {
  const entries = ranks.map(({ v, rank }) => ({ v, rank, asString: rank === null ? undefined : formatValue(format, rank) }));
  if (keyed) {
    const out: Record<string, unknown> = {};
    for (const { v, rank, asString } of entries) {
      const key = javaDouble(v);
      out[key] = rank;
      if (asString !== undefined) out[`${key}_as_string`] = asString;
    }
    return { values: out };
  }
  return { values: entries.map(({ v, rank, asString }) => ({ key: v, value: rank, ...(asString !== undefined ? { value_as_string: asString } : {}) })) };
}

/**
 * `median_absolute_deviation` (InternalMedianAbsoluteDeviation): the median of the samples, then
 * the median of their absolute deviations from it, both through the t-digest (compression 1000 by
 * default). Below 20 * compression samples that digest is a SortingDigest, so both medians are
 * Dist.quantile's exact interpolation, which is what this computes at any size (ES approximates
 * from 20,000 samples on with the default compression).
 */
export const medianAbsoluteDeviation: MetricType = pacedMetric({
  validate(spec) {
    checkSourceOptions(spec, ['compression', 'execution_hint']);
    const c = spec.body.compression;
    if (c !== undefined && typeof c !== 'number') throw parsingError('[median_absolute_deviation] failed to parse field [compression]');
    if (typeof c === 'number' && c <= 0) {
      throw new EngineError(400, 'illegal_argument_exception', `[compression] must be greater than 0. Found [${javaDouble(c)}] in [${spec.name}]`);
    }
  },
  *steps(spec, docs) {
    const { format, shards } = yield* numericValuesSteps(spec, docs);
    const all = Float64Array.from(shards.flat());
    if (all.length === 0) return { value: null };
    all.sort();
    const median = sortedQuantile(all, 0.5);
    const deviations = all.map((v) => Math.abs(median - v)).sort();
    const value = sortedQuantile(deviations, 0.5);
    const asString = formatValue(format, value);
    return { value, ...(asString !== undefined ? { value_as_string: asString } : {}) };
  },
});

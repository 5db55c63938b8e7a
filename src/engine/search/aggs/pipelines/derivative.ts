import { EngineError, parsingError } from '../../../errors.js';
import type { AggSpec, PipelineType } from '../agg-types.js';
import { CALENDAR_UNITS } from '../buckets/date-rounding.js';
import { compileDecimalFormat } from '../value-format.js';
import { checkKeys, formatOf, gapPolicyOf, resolveValueOrNull, simpleValue, singlePath } from './pipeline-options.js';

/**
 * `derivative` (DerivativePipelineAggregator): in each bucket of a histogram, date_histogram or
 * auto_date_histogram (in key order), the path's value minus the previous bucket's (gap policy
 * default skip). The first bucket, and a bucket after one without the path's aggregation (a
 * derivative of a derivative), get no derivative; a gap (NaN under skip) gives `value: null`.
 * With `unit`, `normalized_value` is the value divided by the key distance in that unit
 * (a calendar unit's base duration, `1M` a twelfth of 365.2425 days, or a fixed time value).
 */

/** Rounding.DateTimeUnit's field base unit durations (java.time ChronoUnit/IsoFields), in ms. */
const CALENDAR_MS: Record<string, number> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
  month: 2_629_746_000,
  quarter: 7_889_238_000,
  year: 31_556_952_000,
};

const TIME_SUFFIXES: Array<[string, number]> = [
  ['nanos', 1e-6],
  ['micros', 1e-3],
  ['ms', 1],
  ['s', 1000],
  ['m', 60_000],
  ['h', 3_600_000],
  ['d', 86_400_000],
];

/** TimeValue.parseTimeValue(units, null, "DerivativePipelineAggregationBuilder.unit").getMillis(). */
function timeValueMillis(text: string): number {
  const setting = 'DerivativePipelineAggregationBuilder.unit';
  const normalized = text.toLowerCase().trim();
  if (normalized === '-1') return -1;
  if (normalized === '0') return 0;
  for (const [suffix, ms] of TIME_SUFFIXES) {
    if (!normalized.endsWith(suffix)) continue;
    const number = normalized.slice(0, -suffix.length).trim();
    if (!/^[+-]?\d+$/.test(number)) {
      const fractional = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(number);
      throw new EngineError(400, 'parse_exception', fractional ? `failed to parse [${text}], fractional time values are not supported` : `failed to parse [${text}]`);
    }
    // getMillis() truncates: 1500micros is 1 ms
    return Math.trunc(Number(number) * ms);
  }
  throw new EngineError(400, 'parse_exception', `failed to parse setting [${setting}] with value [${text}] as a time value: unit is missing or unrecognized`);
}

/** The x-axis unit in ms: DATE_FIELD_UNITS first (case-sensitive: `1M` is a month), else a time value. */
function unitMillis(spec: AggSpec): number | undefined {
  const raw = spec.body.unit;
  if (raw === undefined) return undefined;
  const text = String(raw);
  const calendar = Object.hasOwn(CALENDAR_UNITS, text) ? CALENDAR_UNITS[text] : undefined;
  if (calendar !== undefined) return CALENDAR_MS[calendar];
  return timeValueMillis(text);
}

function tokenOf(v: unknown): string {
  if (Array.isArray(v)) return 'START_ARRAY';
  if (v !== null && typeof v === 'object') return 'START_OBJECT';
  return typeof v === 'number' ? 'VALUE_NUMBER' : typeof v === 'boolean' ? 'VALUE_BOOLEAN' : 'VALUE_STRING';
}

export const derivative: PipelineType = {
  kind: 'parent',
  histogramParent: true,
  withoutGaps: true,
  validate(spec) {
    // DerivativePipelineAggregationBuilder.parse: strings, or an array for buckets_path
    for (const [key, v] of Object.entries(spec.body)) {
      const token = tokenOf(v);
      if (token !== 'VALUE_STRING' && token !== 'START_ARRAY') throw parsingError(`Unexpected token ${token} in [${spec.name}].`);
      if (token === 'START_ARRAY' && key !== 'buckets_path') throw parsingError(`Unknown key for a START_ARRAY in [${spec.name}]: [${key}].`);
    }
    checkKeys(spec, ['buckets_path', 'format', 'gap_policy', 'unit']);
    if (spec.body.buckets_path === undefined) throw parsingError(`Missing required field [buckets_path] for derivative aggregation [${spec.name}]`);
    const f = formatOf(spec);
    if (f !== undefined) compileDecimalFormat(f);
    gapPolicyOf(spec, 'skip');
    singlePath(spec);
  },
  apply(spec, buckets) {
    const path = singlePath(spec);
    const gap = gapPolicyOf(spec, 'skip');
    const units = unitMillis(spec);
    let lastKey = 0;
    let last: number | null = null;
    return buckets.map((bucket) => {
      const key = Number(bucket.key);
      const value = resolveValueOrNull(bucket, path, gap);
      let out = bucket;
      if (last !== null && value !== null) {
        const gradient = value - last;
        const xDiff = units === undefined ? -1 : (key - lastKey) / units;
        const rendered = simpleValue(spec, gradient);
        if (xDiff > 0) {
          const normalized = gradient / xDiff;
          const has = Number.isFinite(normalized);
          rendered.normalized_value = has ? normalized : null;
          const f = formatOf(spec);
          if (has && f !== undefined) rendered.normalized_value_as_string = compileDecimalFormat(f)(normalized);
        }
        out = { ...bucket, [spec.name]: rendered };
      }
      lastKey = key;
      last = value;
      return out;
    });
  },
};

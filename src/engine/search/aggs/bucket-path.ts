import { JsonDouble } from '../float-format.js';
import { EngineError } from '../../errors.js';

/**
 * Elasticsearch's `buckets_path` syntax, read against rendered aggregation results:
 * `_count`, `_key`, `my_avg` (its `value`), `my_stats.max`, `my_percentiles[99.0]`,
 * `sales_per_month>sales`, `by_tag['red']>avg` (a named bucket of a multi-bucket agg).
 */
export interface PathStep {
  name: string;
  /** `[key]` after the name: a bucket key of a multi-bucket aggregation. */
  key?: string;
  /** `.metric` after the last name. */
  metric?: string;
}

export function parseBucketPath(path: string): PathStep[] {
  if (path === '') throw new EngineError(400, 'illegal_argument_exception', 'Invalid path []');
  const parts = path.split('>');
  return parts.map((part, i) => {
    let name = part;
    let metric: string | undefined;
    let key: string | undefined;
    const bracket = /^(.+)\[([^[]+)\]$/.exec(name);
    if (bracket) {
      name = bracket[1] as string;
      key = (bracket[2] as string).replace(/^['"]|['"]$/g, '');
      // `percentiles[99.9]` is a metric key, `by_tag['red']` a bucket key: the caller decides by what it finds
    } else if (i === parts.length - 1) {
      // AggregationPath.parse: only the last element names a metric, after its last dot
      // (aggregation names may hold dots: `@time.stamp>v`)
      const dot = name.lastIndexOf('.');
      if (dot > 0) {
        metric = name.slice(dot + 1);
        name = name.slice(0, dot);
      }
    }
    if (name === '') throw new EngineError(400, 'illegal_argument_exception', `Invalid path [${path}]`);
    return { name, ...(key !== undefined ? { key } : {}), ...(metric !== undefined ? { metric } : {}) };
  });
}

/**
 * The value a path names, from one bucket (the object holding `doc_count`, `key` and the
 * sub-aggregation results) or from an aggregations object (sibling pipelines). `null` when
 * the value is absent (an empty avg), which pipelines treat as a gap; throws for a path that
 * names no aggregation.
 */
export function resolveBucketPath(from: Record<string, unknown>, path: string | PathStep[]): number | null {
  const steps = typeof path === 'string' ? parseBucketPath(path) : path;
  let node: Record<string, unknown> = from;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as PathStep;
    const last = i === steps.length - 1;
    if (step.name === '_count' && last) return numberOrNull(node.doc_count);
    if (step.name === '_key' && last) return numberOrNull(node.key);
    const agg = node[step.name];
    if (agg === null || typeof agg !== 'object' || Array.isArray(agg)) {
      throw new EngineError(400, 'illegal_argument_exception', `No aggregation found for path [${stepsToString(steps)}]`);
    }
    const rec = agg as Record<string, unknown>;
    if (step.key !== undefined) {
      const buckets = rec.buckets;
      if (Array.isArray(buckets) || (buckets !== null && typeof buckets === 'object')) {
        const list = Array.isArray(buckets) ? (buckets as Array<Record<string, unknown>>) : Object.entries(buckets as Record<string, Record<string, unknown>>).map(([k, b]): Record<string, unknown> => ({ key: k, ...b }));
        const hit = list.find((b) => String(b.key_as_string ?? b.key) === step.key || String(b.key) === step.key);
        if (!hit) return null;
        if (last) return numberOrNull(hit.doc_count);
        node = hit;
        continue;
      }
      // a metric keyed by a value: percentiles[99.0]
      if (rec.values !== undefined && last) return valueByKey(rec.values, step.key);
      throw new EngineError(400, 'illegal_argument_exception', `No aggregation found for path [${stepsToString(steps)}]`);
    }
    if (!last) {
      // a multi-bucket aggregation's property is an Object[] of its buckets' values (InternalMultiBucketAggregation.getProperty)
      if ('buckets' in rec) throw resolutionError('Object[]', steps);
      node = rec;
      continue;
    }
    if (step.metric !== undefined) {
      if (step.metric === '_count') return numberOrNull(rec.doc_count);
      if (step.metric in rec) return numberOrNull(rec[step.metric]);
      // extended_stats names its bounds std_upper, std_lower, std_upper_population, ...
      const bound = /^std_(upper|lower)(_population|_sampling)?$/.exec(step.metric);
      const bounds = rec.std_deviation_bounds as Record<string, unknown> | undefined;
      if (bound && bounds) return numberOrNull(bounds[`${bound[1] as string}${bound[2] ?? ''}`]);
      if (rec.values !== undefined && Number.isFinite(Number(step.metric))) return valueByKey(rec.values, step.metric);
      throw new EngineError(400, 'illegal_argument_exception', `Unknown value key [${step.metric}] for aggregation [${step.name}]`);
    }
    if ('value' in rec) return numberOrNull(rec.value);
    if ('doc_count' in rec && !('buckets' in rec)) return numberOrNull(rec.doc_count);
    // AbstractInternalTDigestPercentiles.value(name): percentiles (or ranks) of one percent answer by their own name
    const single = singlePercentile(rec.values);
    if (single !== undefined) return single;
    if (!('buckets' in rec)) {
      // a multi-value metric (stats, percentiles...): BucketHelpers.formatResolutionError
      throw new EngineError(
        400,
        'illegal_argument_exception',
        `buckets_path must reference either a number value or a single value numeric metric aggregation, but [${step.name}] contains multiple values. Please specify which to use.`,
      );
    }
    throw resolutionError(multiBucketClass(rec), steps);
  }
  return numberOrNull(node.doc_count);
}

/** BucketHelpers.formatResolutionError: the resolved value's Java class, at the path's first aggregation. */
function resolutionError(javaClass: string, steps: PathStep[]): EngineError {
  return new EngineError(
    400,
    'illegal_argument_exception',
    `buckets_path must reference either a number value or a single value numeric metric aggregation, got: [${javaClass}] at aggregation [${steps[0]?.name ?? ''}]`,
  );
}

/** The simple class name of a rendered multi-bucket aggregation, where the rendering tells it (terms), else its interface. */
function multiBucketClass(rec: Record<string, unknown>): string {
  if ('sum_other_doc_count' in rec && Array.isArray(rec.buckets)) {
    const key = (rec.buckets as Array<Record<string, unknown>>)[0]?.key;
    if (typeof key === 'number') return Number.isInteger(key) ? 'LongTerms' : 'DoubleTerms';
    return 'StringTerms';
  }
  return 'InternalMultiBucketAggregation';
}

/** The value of percentiles rendered with exactly one percent (keyed or not), else undefined. */
function singlePercentile(values: unknown): number | null | undefined {
  if (Array.isArray(values)) return values.length === 1 ? numberOrNull((values[0] as Record<string, unknown>).value) : undefined;
  if (values === null || typeof values !== 'object') return undefined;
  const keys = Object.keys(values).filter((k) => !k.endsWith('_as_string'));
  return keys.length === 1 ? numberOrNull((values as Record<string, unknown>)[keys[0]!]) : undefined;
}

/** A percentiles value by percent (`99`, `99.0`, `99.9`), keyed (`"99.0"`) or as a `keyed: false` array. */
function valueByKey(values: unknown, key: string): number | null {
  const n = Number(key);
  if (Array.isArray(values)) return numberOrNull((values as Array<Record<string, unknown>>).find((e) => e.key === n)?.value);
  if (values === null || typeof values !== 'object') return null;
  const rec = values as Record<string, unknown>;
  // Java's Double.toString of the percent: 99 -> "99.0", 99.9 -> "99.9"
  const javaKey = Number.isInteger(n) ? n.toFixed(1) : String(n);
  return numberOrNull(rec[key] ?? rec[javaKey]);
}

function numberOrNull(raw: unknown): number | null {
  const v = raw instanceof JsonDouble ? raw.value : raw;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function stepsToString(steps: PathStep[]): string {
  return steps.map((s) => s.name + (s.key !== undefined ? `[${s.key}]` : '') + (s.metric !== undefined ? `.${s.metric}` : '')).join('>');
}

import { EngineError, parsingError, tokenOf } from '../../../errors.js';
import type { AggSpec } from '../agg-types.js';
import { parseBucketPath, resolveBucketPath } from '../bucket-path.js';
import { compileDecimalFormat } from '../value-format.js';

/**
 * What the pipeline aggregations share: option checks as Elasticsearch's pipeline parsers
 * report them, GapPolicy, and BucketHelpers.resolveBucketValue over rendered buckets.
 */

export const GAP_POLICIES = ['insert_zeros', 'skip', 'keep_values'] as const;
export type GapPolicy = (typeof GAP_POLICIES)[number];


/** Rejects keys a pipeline does not know, with ES's "Unknown key for a ..." parsing error. */
export function checkKeys(spec: AggSpec, allowed: readonly string[]): void {
  for (const [k, v] of Object.entries(spec.body)) {
    if (!allowed.includes(k)) throw parsingError(`Unknown key for a ${tokenOf(v)} in [${spec.name}]: [${k}].`);
  }
}

export function gapPolicyOf(spec: AggSpec, fallback: GapPolicy): GapPolicy {
  const raw = spec.body.gap_policy;
  if (raw === undefined) return fallback;
  const text = String(raw);
  const hit = GAP_POLICIES.find((g) => g === text.toLowerCase());
  if (!hit) throw parsingError(`Invalid gap policy: [${text}], accepted values: [${GAP_POLICIES.join(', ')}]`);
  return hit;
}

export function formatOf(spec: AggSpec): string | undefined {
  const f = spec.body.format;
  if (f === undefined || f === null) return undefined;
  if (typeof f !== 'string') throw parsingError(`[format] must be a string in [${spec.name}]`);
  return f;
}

/** `buckets_path` as a single string (sibling pipelines). */
export function singlePath(spec: AggSpec): string {
  const raw = spec.body.buckets_path;
  if (raw === undefined) throw parsingError(`Missing required field [buckets_path] for aggregation [${spec.name}]`);
  const path = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
  if (Array.isArray(path)) {
    throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: 1: buckets_path must contain a single entry for aggregation [${spec.name}];`);
  }
  if (typeof path !== 'string') throw parsingError(`Unknown key for a ${tokenOf(path)} in [${spec.name}]: [buckets_path].`);
  parseBucketPath(path);
  return path;
}

/** `buckets_path` as variables (bucket_selector): a map, a string (`_value`) or an array (`_value0`...). */
export function pathMap(spec: AggSpec): Record<string, string> {
  const raw = spec.body.buckets_path;
  if (raw === undefined) throw parsingError(`Missing required field [buckets_path] for aggregation [${spec.name}]`);
  let map: Record<string, unknown>;
  if (typeof raw === 'string') map = { _value: raw };
  else if (Array.isArray(raw)) map = Object.fromEntries(raw.map((p, i) => [`_value${i}`, p]));
  else if (raw !== null && typeof raw === 'object') map = raw as Record<string, unknown>;
  else throw parsingError(`Unknown key for a ${tokenOf(raw)} in [${spec.name}]: [buckets_path].`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== 'string') throw parsingError(`[buckets_path] values must be strings, found [${JSON.stringify(v)}] for [${k}] in [${spec.name}]`);
    parseBucketPath(v);
    out[k] = v;
  }
  return out;
}

/**
 * BucketHelpers.resolveBucketValue: the value `path` names in `bucket`, through the gap policy.
 * A doc count is never a gap; otherwise an empty bucket or a missing/infinite value is NaN
 * (skip), 0 (insert_zeros), or kept when finite (keep_values). NaN means "no value".
 */
export function resolveValue(bucket: Record<string, unknown>, path: string, gap: GapPolicy): number {
  const raw = resolveBucketPath(bucket, path);
  if (path === '_count') return raw ?? 0;
  const value = raw ?? Number.NaN;
  const docCount = typeof bucket.doc_count === 'number' ? bucket.doc_count : 0;
  switch (gap) {
    case 'insert_zeros':
      return Number.isNaN(value) || docCount === 0 ? 0 : value;
    case 'skip':
      return docCount === 0 ? Number.NaN : value;
    case 'keep_values':
      return value;
  }
}

/**
 * BucketHelpers.resolveBucketValue as the sequential pipelines read it: null where the bucket has
 * no aggregation of the path's first name (InvalidAggregationPathException: a bucket before a
 * derivative's first value), else the value through the gap policy (NaN: no value).
 */
export function resolveValueOrNull(bucket: Record<string, unknown>, path: string, gap: GapPolicy): number | null {
  const first = parseBucketPath(path)[0]?.name ?? '';
  const own = (first === '_count' || first === '_key') && !path.includes('>');
  if (!own && !Object.hasOwn(bucket, first)) return null;
  return resolveValue(bucket, path, gap);
}

/** The buckets of a rendered multi-bucket aggregation, each with its `key` (keyed buckets get theirs back). */
export function bucketsOf(agg: Record<string, unknown>): Array<Record<string, unknown>> | undefined {
  const b = agg.buckets;
  if (Array.isArray(b)) return b as Array<Record<string, unknown>>;
  if (b !== null && typeof b === 'object') {
    return Object.entries(b as Record<string, Record<string, unknown>>).map(([k, v]) => ('key' in v ? v : { key: k, ...v }));
  }
  return undefined;
}

/** InternalSimpleValue: null for NaN/infinite, value_as_string with a format. */
export function simpleValue(spec: AggSpec, value: number): Record<string, unknown> {
  const has = Number.isFinite(value);
  const out: Record<string, unknown> = { value: has ? value : null };
  const f = formatOf(spec);
  if (has && f !== undefined) out.value_as_string = compileDecimalFormat(f)(value);
  return out;
}

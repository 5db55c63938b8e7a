import { EngineError, parsingError } from '../../../errors.js';
import type { AggSpec, PipelineType } from '../agg-types.js';
import { parseBucketPath } from '../bucket-path.js';
import { checkKeys, gapPolicyOf, resolveValue } from './pipeline-options.js';

/**
 * `bucket_sort` (BucketSortPipelineAggregator): sorts the enclosing aggregation's buckets by
 * `_key`, `_count` or metric paths (stable, as Collections.sort), then keeps `size` buckets
 * from `from`. A bucket whose every sort value is a gap (skip/keep_values) is dropped; a bucket
 * missing only some values sorts after the others on those sorts.
 */

interface SortField {
  path: string;
  order: 'asc' | 'desc';
}

function sortFields(spec: AggSpec): SortField[] {
  const raw = spec.body.sort;
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.flatMap((item): SortField[] => {
    if (typeof item === 'string') return [field(item, undefined)];
    if (item !== null && typeof item === 'object') {
      return Object.entries(item as Record<string, unknown>).map(([path, v]) => {
        if (typeof v === 'string') return field(path, v);
        if (v !== null && typeof v === 'object') {
          for (const k of Object.keys(v)) if (k !== 'order') throw parsingError(`[field_sort] unknown field [${k}]`);
          return field(path, (v as { order?: unknown }).order);
        }
        throw parsingError(`[sort] unexpected value for [${path}]`);
      });
    }
    throw parsingError(`[sort] malformed sort format, within the sort array, an object, or an actual string are allowed`);
  });
}

function field(path: string, order: unknown): SortField {
  const o = order === undefined ? 'asc' : String(order).toLowerCase();
  if (o !== 'asc' && o !== 'desc') throw parsingError(`[${path}] unknown sort order [${String(order)}], must be one of [asc, desc]`);
  if (path !== '_key') parseBucketPath(path);
  return { path, order: o };
}

function intOption(spec: AggSpec, key: string): number | undefined {
  const v = spec.body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw parsingError(`[${spec.type}] failed to parse field [${key}]`);
  return v;
}

function options(spec: AggSpec): { sorts: SortField[]; from: number; size: number | undefined } {
  checkKeys(spec, ['sort', 'from', 'size', 'gap_policy']);
  gapPolicyOf(spec, 'skip');
  const from = intOption(spec, 'from') ?? 0;
  const size = intOption(spec, 'size');
  if (from < 0) throw new EngineError(400, 'illegal_argument_exception', `[from] must be a non-negative integer: [${from}]`);
  if (size !== undefined && size < 1) throw new EngineError(400, 'illegal_argument_exception', `[size] must be a positive integer: [${size}]`);
  const sorts = sortFields(spec);
  if (sorts.length === 0 && size === undefined && from === 0) {
    throw new EngineError(
      400,
      'action_request_validation_exception',
      `Validation Failed: 1: [${spec.name}] is configured to perform nothing. Please set either of [sort, size, from] to use bucket_sort;`,
    );
  }
  return { sorts, from, size };
}

type SortValue = number | string | undefined;

/** Double.compareTo for numbers (NaN last, -0 before 0), String.compareTo for keys. */
function compareValues(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a < b) return -1;
    if (a > b) return 1;
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
    return Object.is(a, -0) && b === 0 && !Object.is(b, -0) ? -1 : Object.is(b, -0) && a === 0 && !Object.is(a, -0) ? 1 : 0;
  }
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export const bucketSort: PipelineType = {
  kind: 'parent',
  validate(spec) {
    options(spec);
  },
  apply(spec, buckets) {
    const { sorts, from, size } = options(spec);
    const gap = gapPolicyOf(spec, 'skip');
    const count = size ?? buckets.length;
    if (from >= buckets.length) return [];
    if (sorts.length === 0) return buckets.slice(from, Math.min(from + count, buckets.length));
    const rows = buckets
      .map((bucket) => {
        const values: SortValue[] = sorts.map((s) => {
          if (s.path === '_key') return bucket.key as number | string;
          const v = resolveValue(bucket, s.path, gap);
          return gap !== 'insert_zeros' && Number.isNaN(v) ? undefined : v;
        });
        return { bucket, values };
      })
      .filter((r) => r.values.some((v) => v !== undefined));
    rows.sort((a, b) => {
      for (let k = 0; k < sorts.length; k++) {
        const x = a.values[k];
        const y = b.values[k];
        if (x === undefined && y === undefined) continue;
        if (x === undefined) return 1;
        if (y === undefined) return -1;
        const c = compareValues(x, y);
        if (c !== 0) return sorts[k]?.order === 'desc' ? -c : c;
      }
      return 0;
    });
    return rows.slice(from, Math.min(from + count, rows.length)).map((r) => r.bucket);
  },
};

import type { FieldInfo } from '../../contract.js';
import { whitespaceKeywordAnalyzer } from '../../analysis/chain-analyzer.js';
import { EngineError, unsupported } from '../../errors.js';
import type { FieldMapper } from './mapper-types.js';
import { mapperParsing } from './mapping-errors.js';

/**
 * The `flattened` field type (FlattenedFieldMapper): an object whose leaf values are indexed as
 * keywords, both under the field itself (every leaf value: the root) and per key path
 * (`labels.release`: the keyed values). Elasticsearch keeps the keyed values in one hidden
 * `labels._keyed` field as `release\0value`; here each key path is a keyword field of its own,
 * which answers term, prefix, range, exists, sorting and terms aggregations the same way.
 */

/** FlattenedFieldMapper.Builder's parameters. */
export const FLATTENED_PARAMS = [
  'type',
  'index',
  'doc_values',
  'depth_limit',
  'null_value',
  'eager_global_ordinals',
  'ignore_above',
  'index_options',
  'similarity',
  'split_queries_on_whitespace',
  'meta',
  'time_series_dimensions',
] as const as readonly string[];

const DEFAULT_DEPTH_LIMIT = 20;

/** `fields` and `copy_to` are refused by name (FlattenedFieldMapper.Builder#build). */
export function checkFlattenedJson(path: string, json: Record<string, unknown>): void {
  if (json.fields !== undefined) throw mapperParsing(`flattened field [${path}] does not support [fields]`);
  if (json.copy_to !== undefined) throw mapperParsing(`flattened field [${path}] does not support [copy_to]`);
}

function intParam(params: Record<string, unknown>, name: string): number | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw mapperParsing(`Failed to parse value [${String(value)}] as integer for [${name}]`);
  if (n < 0) throw mapperParsing(`[${name}] must be positive, got [${n}]`);
  return n;
}

function boolParam(params: Record<string, unknown>, name: string, path: string): boolean {
  const value = params[name];
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw mapperParsing(`Failed to parse value [${String(value)}] as only [true] or [false] are allowed. for [${name}] of field [${path}]`);
}

/** Validates a flattened field's parameters and turns its FieldInfo into the root keyword field. */
export function checkFlattenedParams(path: string, params: Record<string, unknown>, info: FieldInfo, defaultIgnoreAbove: number | undefined): void {
  intParam(params, 'depth_limit');
  const ignoreAbove = intParam(params, 'ignore_above') ?? defaultIgnoreAbove;
  boolParam(params, 'eager_global_ordinals', path);
  if (params.index_options !== undefined && params.index_options !== 'docs' && params.index_options !== 'freqs') {
    throw mapperParsing(`Unknown value [${String(params.index_options)}] for field [index_options] - accepted values are [docs, freqs]`);
  }
  if (params.time_series_dimensions !== undefined) throw unsupported(`time_series_dimensions on flattened field [${path}] (time series indices)`);
  if (params.null_value !== undefined && params.null_value !== null && typeof params.null_value === 'object') {
    throw mapperParsing(`Failed to parse mapping: [null_value] on mapper [${path}] of type [flattened] must be a string`);
  }
  info.type = 'keyword';
  info.flattened = 'root';
  if (ignoreAbove !== undefined) info.ignoreAbove = ignoreAbove;
  if (boolParam(params, 'split_queries_on_whitespace', path)) info.searchAnalyzer = whitespaceKeywordAnalyzer(undefined);
}

/** The field type of one key path under a flattened root (KeyedFlattenedFieldType). */
export function keyedFieldInfo(root: FieldInfo, path: string): FieldInfo {
  const info: FieldInfo = { ...root, path, flattened: 'keyed' };
  return info;
}

/** The flattened root (if any) that `path` is a key path under: `labels` for `labels.release.env`. */
export function flattenedRootOf(path: string, field: (p: string) => FieldInfo | undefined): FieldInfo | undefined {
  for (let dot = path.lastIndexOf('.'); dot > 0; dot = path.lastIndexOf('.', dot - 1)) {
    const info = field(path.slice(0, dot));
    if (info?.flattened === 'root') return info;
  }
  return undefined;
}

/** One leaf of a flattened object: its key path (`a.b`) and its keyword text. */
export interface FlattenedLeaf {
  key: string;
  value: string;
}

/** FlattenedFieldParser: the leaf values of a flattened field's value, depth-limited. */
export function flattenLeaves(mapper: FieldMapper, value: unknown): FlattenedLeaf[] {
  const depthLimit = mapper.params.depth_limit === undefined ? DEFAULT_DEPTH_LIMIT : Number(mapper.params.depth_limit);
  const nullValue = mapper.params.null_value === undefined || mapper.params.null_value === null ? undefined : String(mapper.params.null_value);
  const out: FlattenedLeaf[] = [];
  const leaf = (key: string, v: unknown): void => {
    if (v === null || v === undefined) {
      if (nullValue !== undefined) out.push({ key, value: nullValue });
      return;
    }
    out.push({ key, value: String(v) });
  };
  const walk = (object: Record<string, unknown>, prefix: string, depth: number): void => {
    for (const [name, v] of Object.entries(object)) {
      // FlattenedFieldParser#validateDepthLimit: the number of keys on the path to a value
      if (depth > depthLimit) {
        throw new EngineError(400, 'illegal_argument_exception', `The provided [flattened] field [${mapper.path}] exceeds the maximum depth limit of [${depthLimit}].`);
      }
      const key = prefix ? `${prefix}.${name}` : name;
      walkValue(key, v, depth);
    }
  };
  const walkValue = (key: string, v: unknown, depth: number): void => {
    if (Array.isArray(v)) for (const item of v) walkValue(key, item, depth);
    else if (typeof v === 'object' && v !== null) walk(v as Record<string, unknown>, key, depth + 1);
    else leaf(key, v);
  };
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    if (item === null || item === undefined) continue;
    if (typeof item !== 'object' || Array.isArray(item)) {
      throw new EngineError(400, 'parsing_exception', `Failed to parse object: expecting token of type [START_OBJECT] but found [${typeof item === 'string' ? 'VALUE_STRING' : typeof item === 'boolean' ? 'VALUE_BOOLEAN' : 'VALUE_NUMBER'}]`);
    }
    walk(item as Record<string, unknown>, '', 1);
  }
  return out;
}

/**
 * The `fields` value of a flattened root: its `_source` object with the values ignore_above left
 * out (a one-value array is printed as that value; keys left empty are dropped).
 */
export function flattenedFetchValue(value: unknown, ignoreAbove: number | undefined): unknown {
  if (ignoreAbove === undefined) return value;
  const keep = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      const kept = v.map(keep).filter((x) => x !== undefined);
      return kept.length === 0 ? undefined : kept.length === 1 ? kept[0] : kept;
    }
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const kept = keep(x);
        if (kept !== undefined) out[k] = kept;
      }
      return Object.keys(out).length === 0 ? undefined : out;
    }
    if (v === null || v === undefined) return v;
    return String(v).length > ignoreAbove ? undefined : v;
  };
  return keep(value);
}

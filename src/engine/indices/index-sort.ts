import type { MappingLookup } from '../contract.js';
import { illegalArgument, unsupported } from '../errors.js';
import type { IndexSortKey } from '../index/segment/segment-sort.js';
import type { FlatSettings } from './index-settings.js';
import { nanosField } from '../date-nanos.js';

export type { IndexSortKey };

const SORT_KEYS = ['index.sort.field', 'index.sort.order', 'index.sort.mode', 'index.sort.missing'] as const;
const NUMERIC = new Set(['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'date', 'boolean', 'token_count']);
/** Types with doc values the engine does not order segments by (their sort values differ from what is stored). */
const NOT_BUILT = new Set(['unsigned_long']);

/** Setting.listSetting: a JSON list, or a comma-separated string. */
function listValue(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  return value.split(',').map((part) => part.trim());
}

/** `[a, b]` as Java's List.toString prints it. */
const javaList = (values: readonly string[]): string => `[${values.join(', ')}]`;

export function isIndexSortSetting(key: string): boolean {
  return (SORT_KEYS as readonly string[]).includes(key);
}

/** The parsers of `index.sort.order`, `.mode` and `.missing` (IndexSortConfig's setting parsers), run on every value. */
export function validateIndexSortValues(flat: Record<string, unknown>): void {
  const list = (key: string): string[] => {
    const value = flat[key];
    return value === undefined || value === null ? [] : listValue(value as string | string[]);
  };
  for (const order of list('index.sort.order')) {
    if (!['asc', 'desc'].includes(order.toLowerCase())) throw illegalArgument(`Illegal sort order:${order}`);
  }
  for (const mode of list('index.sort.mode')) {
    const upper = mode.toUpperCase();
    if (!['MIN', 'MAX', 'SUM', 'AVG', 'MEDIAN'].includes(upper)) throw illegalArgument(`Illegal sort mode: ${mode}`);
    if (upper !== 'MIN' && upper !== 'MAX') throw illegalArgument(`Illegal index sort mode:[${upper}], must be one of [MAX, MIN]`);
  }
  for (const missing of list('index.sort.missing')) {
    if (missing !== '_last' && missing !== '_first') throw illegalArgument(`Illegal missing value:[${missing}], must be one of [_last, _first]`);
  }
}

/**
 * IndexSortConfig and its buildIndexSort, as Elasticsearch 8.19 checks them when an index is
 * created: list lengths, then each field against the mapping. Returns undefined without a sort.
 */
export function indexSortOf(settings: FlatSettings, lookup: MappingLookup): IndexSortKey[] | undefined {
  const fields = listValue(settings['index.sort.field']);
  if (fields.length === 0) return undefined;
  const checked = (key: string, name: string): string[] | undefined => {
    if (settings[key] === undefined) return undefined;
    const values = listValue(settings[key]);
    if (values.length !== fields.length) throw illegalArgument(`index.sort.field:${javaList(fields)} index.sort.${name}:${javaList(values.map((v) => (name === 'mode' ? v.toUpperCase() : name === 'order' ? v.toLowerCase() : v)))}, size mismatch`);
    return values;
  };
  const orders = checked('index.sort.order', 'order');
  const modes = checked('index.sort.mode', 'mode');
  const missing = checked('index.sort.missing', 'missing');
  // DocumentMapper.validate: nested documents and index sorting do not go together
  if (lookup.nestedPaths().length > 0) throw illegalArgument('cannot have nested fields when index sort is activated');
  return fields.map((field, i) => {
    const info = lookup.field(field);
    if (!info) throw illegalArgument(`unknown index sort field:[${field}]`);
    const type: string = info.type;
    // a field alias resolves to another field (or is typed `alias`)
    if (type === 'alias' || info.path !== field) throw illegalArgument(`Cannot use alias [${field}] as an index sort field`);
    if (type === 'geo_point') throw illegalArgument(`can't sort on geo_point field without using specific sorting feature, like geo_distance`);
    if (NOT_BUILT.has(type)) throw unsupported(`index sorting on a [${type}] field`);
    // date_nanos sorts on its exact nanos (SortedNumericSortField over the long), ip on its bytes
    const kind = NUMERIC.has(type) ? 'number' : type === 'keyword' || type === 'date_nanos' ? 'keyword' : type === 'ip' ? 'ip' : undefined;
    if (kind === undefined || !info.docValues) {
      if (kind === undefined && type !== 'text' && type !== 'binary' && type !== 'object' && type !== 'nested') throw unsupported(`index sorting on a [${type}] field`);
      throw illegalArgument(`docvalues not found for index sort field:[${field}]`);
    }
    const reverse = orders?.[i]?.toLowerCase() === 'desc';
    const mode = modes ? (modes[i]!.toLowerCase() as 'min' | 'max') : reverse ? 'max' : 'min';
    return { field: type === 'date_nanos' ? nanosField(field) : field, kind, reverse, mode, missingFirst: missing?.[i] === '_first' };
  });
}

import { illegalArgument } from '../../errors.js';
import { GEOHASH_MAX_LEVEL, geohashCenter, geohashLevelsForPrecision, geohashOf, parseDistanceMeters } from '../../geohash.js';
import { mapperParsing } from './mapping-errors.js';

/**
 * The `contexts` of a completion field (ContextMappings): category contexts (strings) and geo
 * contexts (geohashes of a point at the mapping's precision), given with each input or read from
 * another field (`path`). An input is indexed once per context, as `<name>\0<value>`.
 */
export interface ContextMapping {
  name: string;
  type: 'category' | 'geo';
  path?: string;
  /** geo: the geohash length (GeoContextMapping.DEFAULT_PRECISION 6). */
  precision?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** ContextMappings.load: a list of `{name, type, path?, precision?}`. */
export function parseContextMappings(value: unknown, field: string): ContextMapping[] {
  const list = Array.isArray(value) ? value : [value];
  const out: ContextMapping[] = [];
  for (const item of list) {
    if (!isRecord(item)) throw mapperParsing(`expected a list of context mappings for field [${field}]`);
    const name = item.name;
    if (typeof name !== 'string') throw mapperParsing('field [name] is missing');
    const type = String(item.type ?? '').toLowerCase();
    if (item.type === undefined) throw mapperParsing('field [type] is missing');
    if (type !== 'category' && type !== 'geo') throw mapperParsing(`unknown context type[${String(item.type)}]`);
    const mapping: ContextMapping = { name, type };
    for (const key of Object.keys(item)) {
      if (key === 'name' || key === 'type') continue;
      if (key === 'path') mapping.path = String(item.path);
      else if (key === 'precision' && type === 'geo') mapping.precision = geoPrecision(item.precision);
      else throw mapperParsing(`${key} is not allowed in ${type} context mapping`);
    }
    if (type === 'geo') mapping.precision ??= 6;
    if (out.some((m) => m.name === name)) throw mapperParsing(`context field name [${name}] is already defined`);
    out.push(mapping);
  }
  return out;
}

/** GeoContextMapping.Builder.precision: an integer is a geohash length, anything else a distance. */
function geoPrecision(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  const meters = typeof value === 'number' ? value : parseDistanceMeters(String(value));
  if (meters === undefined) throw mapperParsing(`failed to parse [precision] value [${String(value)}] as a distance`);
  return geohashLevelsForPrecision(meters);
}

/** `<name>\0<value>`: one indexed context of an input. */
export const contextKey = (name: string, value: string): string => `${name}\u0000${value}`;

/** A point given as `{lat, lon}`, `[lon, lat]`, `"lat,lon"` or a geohash: [lat, lon]. */
export function parsePoint(value: unknown): [number, number] | undefined {
  if (Array.isArray(value) && value.length >= 2 && typeof value[0] === 'number' && typeof value[1] === 'number') return [value[1], value[0]];
  if (isRecord(value) && value.lat !== undefined && value.lon !== undefined) {
    const lat = Number(value.lat);
    const lon = Number(value.lon);
    return Number.isFinite(lat) && Number.isFinite(lon) ? [lat, lon] : undefined;
  }
  if (typeof value === 'string') {
    const parts = value.split(',');
    if (parts.length === 2) {
      const lat = Number(parts[0]!.trim());
      const lon = Number(parts[1]!.trim());
      if (Number.isFinite(lat) && Number.isFinite(lon)) return [lat, lon];
    }
  }
  return undefined;
}

/** One context value of an input, as indexed: the category string, or the point's geohash. */
function indexedValues(mapping: ContextMapping, value: unknown): string[] {
  const items = Array.isArray(value) && !(mapping.type === 'geo' && value.length === 2 && value.every((v) => typeof v === 'number')) ? value : [value];
  const out: string[] = [];
  for (const item of items) {
    if (item === null || item === undefined) continue;
    if (mapping.type === 'category') {
      if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
        throw illegalArgument(`context array must have string, number or boolean values, but was [${isRecord(item) ? 'START_OBJECT' : 'START_ARRAY'}]`);
      }
      out.push(String(item));
    } else {
      const level = mapping.precision ?? 6;
      const point = typeof item === 'string' && /^[0-9b-hjkmnp-z]{1,12}$/.test(item) ? geohashCenter(item) : parsePoint(item);
      if (!point) throw illegalArgument(`failed to parse geo context value [${JSON.stringify(item)}]`);
      out.push(geohashOf(point[0], point[1], Math.min(level, GEOHASH_MAX_LEVEL)));
    }
  }
  return out;
}

/**
 * The indexed contexts of one input (ContextMappings.TypedContextField): the ones given with the
 * input plus those read from each mapping's `path` field; at least one is required.
 */
export function resolveContexts(
  field: string,
  mappings: ContextMapping[],
  explicit: Record<string, unknown> | undefined,
  pathValues: (path: string) => unknown[],
): string[] {
  for (const name of Object.keys(explicit ?? {})) {
    if (!mappings.some((m) => m.name === name)) throw illegalArgument(`Unknown context name [${name}], must be one of [${mappings.map((m) => m.name).join(', ')}]`);
  }
  const out = new Set<string>();
  for (const mapping of mappings) {
    const values: string[] = [];
    if (mapping.path !== undefined) for (const v of pathValues(mapping.path)) values.push(...indexedValues(mapping, v));
    if (explicit?.[mapping.name] !== undefined) values.push(...indexedValues(mapping, explicit[mapping.name]));
    for (const v of values) out.add(contextKey(mapping.name, v));
  }
  if (out.size === 0) throw illegalArgument(`Contexts are mandatory in context enabled completion field [${field}]`);
  return [...out];
}

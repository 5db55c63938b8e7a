import { EngineError } from '../../errors.js';
import { GEOHASH_MAX_LEVEL, geohashCenter, geohashNeighbors, geohashOf } from '../../geohash.js';
import type { ContextMapping } from '../../index/mapping/completion-contexts.js';
import { contextKey, parsePoint } from '../../index/mapping/completion-contexts.js';

/**
 * The `contexts` of a completion suggestion (ContextMappings.parseQueryContext): per context
 * name, category values (`"red"`, `{context, boost, prefix}`) or geo points (`{lat, lon}`,
 * `{context, boost, precision, neighbours}`), turned into the indexed context keys they match.
 */
export interface QueryContext {
  /** `<name>\0<value>`: an input's context matches it exactly, or by prefix when `prefix`. */
  key: string;
  boost: number;
  prefix: boolean;
}

const illegal = (reason: string): EngineError => new EngineError(400, 'illegal_argument_exception', reason);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function boostOf(value: unknown): number {
  if (value === undefined) return 1;
  const boost = Number(value);
  if (!Number.isFinite(boost) || boost < 0) throw illegal('[boost] must be greater than 0');
  return boost;
}

/** CategoryQueryContext: a value, or `{context, boost, prefix}`. */
function categoryContexts(mapping: ContextMapping, value: unknown): QueryContext[] {
  if (isRecord(value)) {
    for (const key of Object.keys(value)) if (!['context', 'boost', 'prefix'].includes(key)) throw new EngineError(400, 'x_content_parse_exception', `[category] unknown field [${key}]`);
    if (value.context === undefined) throw illegal('category context must be specified');
    return [{ key: contextKey(mapping.name, String(value.context)), boost: boostOf(value.boost), prefix: value.prefix === true || value.prefix === 'true' }];
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return [{ key: contextKey(mapping.name, String(value)), boost: 1, prefix: false }];
  throw illegal('category context must be an object, string, number or boolean');
}

/**
 * GeoContextMapping.toInternalQueryContexts: the point's geohash at the smaller of the mapping's
 * and the query's precision (default 12), with its neighbours when that is the mapping's
 * precision, or the geohashes cut to each of `neighbours`' lengths with theirs; shorter than the
 * mapping's precision, a geohash matches by prefix.
 */
function geoContexts(mapping: ContextMapping, value: unknown): QueryContext[] {
  let point: [number, number] | undefined;
  let boost = 1;
  let precision = GEOHASH_MAX_LEVEL;
  let neighbours: number[] = [];
  const pointOf = (v: unknown): [number, number] | undefined => (typeof v === 'string' && /^[0-9b-hjkmnp-z]{1,12}$/.test(v) ? geohashCenter(v) : parsePoint(v));
  if (isRecord(value) && value.context !== undefined) {
    for (const key of Object.keys(value)) if (!['context', 'boost', 'precision', 'neighbours'].includes(key)) throw new EngineError(400, 'x_content_parse_exception', `[geo] unknown field [${key}]`);
    point = pointOf(value.context);
    boost = boostOf(value.boost);
    if (value.precision !== undefined) precision = Number(value.precision);
    if (value.neighbours !== undefined) neighbours = (Array.isArray(value.neighbours) ? value.neighbours : [value.neighbours]).map(Number);
  } else point = pointOf(value);
  if (!point) throw illegal(`failed to parse geo context [${JSON.stringify(value)}]`);
  const level = mapping.precision ?? 6;
  const hash = geohashOf(point[0], point[1], Math.min(level, precision));
  const locations = new Set([hash]);
  if (neighbours.length === 0 && hash.length === level) for (const n of geohashNeighbors(hash)) locations.add(n);
  for (const n of neighbours) {
    if (n >= hash.length) continue;
    const cut = hash.slice(0, n);
    locations.add(cut);
    for (const m of geohashNeighbors(cut)) locations.add(m);
  }
  return [...locations].map((location) => ({ key: contextKey(mapping.name, location), boost, prefix: location.length < level }));
}

/** The query contexts of a suggestion against the field's context mappings; at least one is required. */
export function parseQueryContexts(field: string, mappings: ContextMapping[] | undefined, contexts: unknown): QueryContext[] | undefined {
  if (!mappings) {
    if (contexts !== undefined) throw illegal(`suggester [${field}] doesn't expect any context`);
    return undefined;
  }
  const out: QueryContext[] = [];
  if (isRecord(contexts)) {
    for (const [name, value] of Object.entries(contexts)) {
      const mapping = mappings.find((m) => m.name === name);
      if (!mapping) throw illegal(`Unknown context name [${name}], must be one of [${mappings.map((m) => m.name).join(', ')}]`);
      for (const item of Array.isArray(value) && !(mapping.type === 'geo' && value.length === 2 && value.every((v) => typeof v === 'number')) ? value : [value]) {
        out.push(...(mapping.type === 'category' ? categoryContexts(mapping, item) : geoContexts(mapping, item)));
      }
    }
  }
  if (out.length === 0) throw illegal('Missing mandatory contexts in context query');
  return out;
}

/** The best boost among the query contexts an input's contexts match, and the context matched; undefined when none. */
export function matchContexts(query: QueryContext[], contexts: readonly string[] | undefined): { boost: number; context: string } | undefined {
  let best: { boost: number; context: string } | undefined;
  for (const context of contexts ?? []) {
    for (const q of query) {
      if (!(q.prefix ? context.startsWith(q.key) : context === q.key)) continue;
      if (!best || q.boost > best.boost) best = { boost: q.boost, context };
    }
  }
  return best;
}

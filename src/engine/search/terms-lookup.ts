import { EngineError, illegalArgument } from '../errors.js';

/**
 * The terms lookup of a `terms` query, `{ "terms": { "<field>": { "index", "id", "path", "routing" } } }`,
 * resolved on the coordinator as Elasticsearch's TermsQueryBuilder.doRewrite does: the document
 * is fetched once per request and the query gets the values found at `path` in its source (none
 * when the document does not exist), before any shard parses it.
 */
export interface TermsLookup {
  index: string;
  id: string;
  path: string;
  routing?: string;
}

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const LOOKUP_KEYS = ['index', 'id', 'path', 'routing'];
const QUERY_OPTIONS = new Set(['boost', '_name']);

/**
 * A copy of `body` with every terms lookup replaced by the values `fetch` returns for it (the
 * same lookup fetched once). Anything under a `terms` key that is not a lookup (the terms
 * aggregation, value lists) is left as it is.
 */
export function resolveTermsLookups(body: Json, fetch: (lookup: TermsLookup) => unknown[]): Json {
  const cache = new Map<string, unknown[]>();
  const values = (lookup: TermsLookup): unknown[] => {
    const key = JSON.stringify([lookup.index, lookup.id, lookup.path, lookup.routing]);
    let v = cache.get(key);
    if (v === undefined) cache.set(key, (v = fetch(lookup)));
    return v;
  };
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isRecord(node)) return node;
    let out: Json | undefined;
    for (const [key, child] of Object.entries(node)) {
      const next = key === 'terms' && isRecord(child) ? resolveTermsQuery(child, values) : walk(child);
      if (next !== child) (out ??= { ...node })[key] = next;
    }
    return out ?? node;
  };
  return walk(body) as Json;
}

/** A `terms` query body with its lookup resolved, or the body walked as it is when it holds no lookup. */
function resolveTermsQuery(spec: Json, values: (lookup: TermsLookup) => unknown[]): Json {
  const fields = Object.keys(spec).filter((k) => !QUERY_OPTIONS.has(k));
  const field = fields[0];
  const lookup = field !== undefined && fields.length === 1 ? spec[field] : undefined;
  if (!isRecord(lookup) || !LOOKUP_KEYS.some((k) => k in lookup)) return spec;
  return { ...spec, [field as string]: values(parseLookup(lookup)) };
}

/** TermsLookup.parseTermsLookup. */
function parseLookup(o: Json): TermsLookup {
  for (const key of Object.keys(o)) if (!LOOKUP_KEYS.includes(key)) throw new EngineError(400, 'x_content_parse_exception', `[1:1] [terms_lookup] unknown field [${key}]`);
  const str = (key: string): string | undefined => (o[key] === undefined || o[key] === null ? undefined : String(o[key]));
  const index = str('index');
  const id = str('id');
  const path = str('path');
  if (id === undefined) throw illegalArgument('[terms] query lookup element requires specifying the id.');
  if (path === undefined) throw illegalArgument('[terms] query lookup element requires specifying the path.');
  if (index === undefined) throw illegalArgument('[terms] query lookup element requires specifying the index.');
  const routing = str('routing');
  return { index, id, path, ...(routing !== undefined ? { routing } : {}) };
}

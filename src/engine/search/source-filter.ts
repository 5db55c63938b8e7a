import { parsingError } from '../errors.js';
import { simpleMatcher } from '../automaton/simple-match.js';
import { isObject } from './parse-util.js';
import { copyNumberForm } from '../json-numbers.js';

/**
 * `_source` filtering as Elasticsearch's XContentMapValues.filter: includes/excludes are
 * full paths with `*` wildcards; including an object includes everything below it.
 */
export interface SourceFilter {
  fetch: boolean;
  includes: string[];
  excludes: string[];
}

export const FETCH_ALL: SourceFilter = { fetch: true, includes: [], excludes: [] };

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : String(v).split(',').filter((s) => s !== ''));

/** Body `_source` (false, string, array, {includes, excludes}) and the URL parameters. */
export function parseSourceFilter(body: unknown, params: { _source?: unknown; _source_includes?: unknown; _source_excludes?: unknown }): SourceFilter {
  let f: SourceFilter = { ...FETCH_ALL };
  const v = body !== undefined ? body : params._source;
  if (v === false || v === 'false') f = { fetch: false, includes: [], excludes: [] };
  else if (v === true || v === 'true' || v === undefined) f = { ...FETCH_ALL };
  else if (typeof v === 'string' || Array.isArray(v)) f = { fetch: true, includes: list(v), excludes: [] };
  else if (isObject(v)) {
    for (const k of Object.keys(v)) {
      if (!['includes', 'include', 'excludes', 'exclude'].includes(k)) throw parsingError(`Unknown key for a ${Array.isArray(v[k]) ? 'START_ARRAY' : 'VALUE_STRING'} in [${k}].`);
    }
    f = { fetch: true, includes: list(v.includes ?? v.include), excludes: list(v.excludes ?? v.exclude) };
  } else throw parsingError(`Expected one of [BOOLEAN, VALUE_STRING, START_ARRAY, START_OBJECT] but found [VALUE_NUMBER]`);
  if (body === undefined) {
    if (params._source_includes !== undefined) f = { fetch: true, includes: list(params._source_includes), excludes: f.excludes };
    if (params._source_excludes !== undefined) f = { fetch: true, includes: f.includes, excludes: list(params._source_excludes) };
  }
  return f;
}

function compile(patterns: string[]): { exact: (p: string) => boolean; prefixOf: (p: string) => boolean } {
  const res = patterns.map((p) => simpleMatcher(p));
  return {
    exact: (path) => res.some((r) => r.test(path)),
    // could a pattern match something below `path`?
    prefixOf: (path) => patterns.some((p) => p.startsWith(`${path}.`) || (p.includes('*') && simpleMatcher(p).test(`${path}.x`)) || p.split('.').slice(0, path.split('.').length).join('.').includes('*')),
  };
}

/** Applies a source filter; returns undefined when `_source` is not fetched. */
export function filterSource(source: Record<string, unknown>, f: SourceFilter): Record<string, unknown> | undefined {
  if (!f.fetch) return undefined;
  if (f.includes.length === 0 && f.excludes.length === 0) return source;
  const inc = f.includes.length > 0 ? compile(f.includes) : undefined;
  const exc = compile(f.excludes);
  return filterMap(source, '', inc, exc, false);
}

type Compiled = ReturnType<typeof compile>;

function filterMap(map: Record<string, unknown>, prefix: string, inc: Compiled | undefined, exc: Compiled, included: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(map)) {
    const path = prefix === '' ? k : `${prefix}.${k}`;
    if (exc.exact(path)) continue;
    const inHere = included || !inc || inc.exact(path);
    const filtered = filterValue(v, path, inc, exc, inHere);
    if (filtered === undefined) continue;
    out[k] = filtered;
    copyNumberForm(map, k, out, k);
  }
  return out;
}

function filterValue(v: unknown, path: string, inc: Compiled | undefined, exc: Compiled, included: boolean): unknown {
  if (isObject(v)) {
    if (!included && inc && !inc.prefixOf(path)) return undefined;
    const sub = filterMap(v, path, inc, exc, included);
    return !included && Object.keys(sub).length === 0 ? undefined : sub;
  }
  if (Array.isArray(v)) {
    if (included) {
      const out = v.map((x) => (isObject(x) ? filterMap(x, path, inc, exc, true) : x));
      for (let i = 0; i < v.length; i++) copyNumberForm(v, i, out, i);
      return out;
    }
    if (inc && !inc.prefixOf(path)) return undefined;
    const items = v.filter(isObject).map((x) => filterMap(x, path, inc, exc, false)).filter((x) => Object.keys(x).length > 0);
    return items.length > 0 ? items : undefined;
  }
  return included ? v : undefined;
}

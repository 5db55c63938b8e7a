/**
 * `?filter_path=hits.hits._id,-took`: keeps (or, with `-`, drops) the listed dotted paths of a
 * response; `*` matches one level's keys by pattern, `**` any depth. Empty objects are pruned.
 */
import { simpleMatch } from '../automaton/simple-match.js';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  // a plain JSON object (not a value wrapper such as JsonDouble, which is a leaf)
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function keyMatches(pattern: string, key: string): boolean {
  if (pattern === '*') return true;
  return simpleMatch(pattern, key);
}

function include(value: unknown, paths: string[][]): unknown {
  if (paths.some((p) => p.length === 0)) return value;
  if (Array.isArray(value)) {
    const out = value.map((item) => include(item, paths)).filter((item) => item !== undefined);
    return out.length > 0 ? out : undefined;
  }
  if (!isRecord(value)) return undefined;
  const out: Json = {};
  for (const [key, inner] of Object.entries(value)) {
    const next: string[][] = [];
    for (const path of paths) {
      const [head, ...rest] = path;
      if (head === '**') {
        next.push(path);
        if (rest.length > 0 && keyMatches(rest[0]!, key)) next.push(rest.slice(1));
      } else if (keyMatches(head!, key)) next.push(rest);
    }
    if (next.length === 0) continue;
    const filtered = include(inner, next);
    if (filtered !== undefined) out[key] = filtered;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function exclude(value: unknown, path: string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => exclude(item, path));
  if (!isRecord(value) || path.length === 0) return value;
  const [head, ...rest] = path;
  if (head === '**') {
    // `**` matches any depth: drop what the rest names here, then keep looking below.
    const here = rest.length > 0 ? exclude(value, rest) : {};
    if (!isRecord(here)) return here;
    const out: Json = {};
    for (const [key, inner] of Object.entries(here)) out[key] = exclude(inner, path);
    return out;
  }
  const out: Json = {};
  for (const [key, inner] of Object.entries(value)) {
    if (keyMatches(head!, key)) {
      if (rest.length === 0) continue;
      out[key] = exclude(inner, rest);
    } else out[key] = inner;
  }
  return out;
}

export function applyFilterPath(body: unknown, filterPath: string): unknown {
  const filters = filterPath.split(',').map((f) => f.trim()).filter((f) => f !== '');
  const includes = filters.filter((f) => !f.startsWith('-')).map((f) => f.split('.'));
  const excludes = filters.filter((f) => f.startsWith('-')).map((f) => f.slice(1).split('.'));
  let out = includes.length > 0 ? (include(body, includes) ?? {}) : body;
  for (const path of excludes) out = exclude(out, path);
  return out;
}

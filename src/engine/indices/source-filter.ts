import { simpleMatcher } from '../automaton/simple-match.js';
import { copyNumberForm } from '../json-numbers.js';
type Json = Record<string, unknown>;

const compile = (pattern: string): { test: (s: string) => boolean } => (pattern.includes('*') ? simpleMatcher(pattern) : { test: (s) => s === pattern });

function matchesAny(path: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => compile(p).test(path));
}

/** Whether an include pattern could match something under `path` (so the object must be walked). */
function couldMatchBelow(path: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => p.startsWith(`${path}.`) || p.startsWith('*') || (p.includes('*') && compile(p.slice(0, p.indexOf('*')) + '*').test(path)));
}

function filterValue(value: unknown, path: string, includes: readonly string[], excludes: readonly string[], included: boolean): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const [i, item] of value.entries()) {
      const filtered = filterValue(item, path, includes, excludes, included);
      if (filtered === undefined) continue;
      copyNumberForm(value, i, out, out.length);
      out.push(filtered);
    }
    return out.length > 0 || included ? out : undefined;
  }
  if (typeof value === 'object' && value !== null) {
    const out = filterObject(value as Json, path, includes, excludes, included);
    return Object.keys(out).length > 0 || (included && !matchesAny(path, excludes)) ? out : undefined;
  }
  return included ? value : undefined;
}

function filterObject(object: Json, prefix: string, includes: readonly string[], excludes: readonly string[], parentIncluded: boolean): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(object)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (excludes.length > 0 && matchesAny(path, excludes)) continue;
    const included = parentIncluded || includes.length === 0 || matchesAny(path, includes);
    if (!included && !(typeof value === 'object' && value !== null && couldMatchBelow(path, includes))) continue;
    const filtered = filterValue(value, path, includes, excludes, included);
    if (filtered === undefined) continue;
    out[key] = filtered;
    copyNumberForm(object, key, out, key);
  }
  return out;
}

/** `_source` includes/excludes with `*` wildcards on dotted paths, as Elasticsearch filters sources. */
export function filterSource(source: Json, includes: readonly string[], excludes: readonly string[]): Json {
  if (includes.length === 0 && excludes.length === 0) return source;
  return filterObject(source, '', includes, excludes, false);
}

import { compileWildcard } from './wildcard.js';
import type { Dfa } from './automaton.js';

/**
 * Elasticsearch's Regex.simpleMatch patterns (index names, `_source` and `filter_path` paths):
 * only `*` is special. Compiled to a DFA (linear in the name) and kept in a bounded cache, so
 * neither a crafted pattern nor many distinct ones can stall or grow the engine.
 */
const cache = new Map<string, Dfa>();
const CACHE_SIZE = 1000;

export function simpleMatcher(pattern: string): Dfa {
  let dfa = cache.get(pattern);
  if (!dfa) {
    dfa = compileWildcard(pattern.replace(/[?\\]/g, '\\$&'), false);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(pattern, dfa);
  }
  return dfa;
}

/** Whether `name` matches the `*` pattern. */
export function simpleMatch(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  return simpleMatcher(pattern).test(name);
}

import { isWildcard, wildcardMatch } from './index-names.js';

/**
 * Alias name expressions as Elasticsearch's get-aliases reads them (Metadata.findAliases and
 * RestGetAliasesAction): names, `*` patterns and `_all`; a `-name` is an exclusion only once a
 * pattern came before it (before that it is a name that starts with `-`).
 */

/** Index of the first pattern in `names`, or `names.length` when there is none. */
function firstWildcard(names: readonly string[]): number {
  const i = names.findIndex((n) => n !== '_all' && isWildcard(n));
  return i < 0 ? names.length : i;
}

/** Whether `alias` is selected: included by a name or pattern, not excluded by a later `-pattern`. */
export function aliasSelector(names: readonly string[] | undefined): (alias: string) => boolean {
  if (names === undefined || names.length === 0) return () => true;
  const first = firstWildcard(names);
  const steps = names.map((name, i) => {
    const exclude = name.startsWith('-') && i >= first;
    return { exclude, pattern: exclude ? name.slice(1) : name };
  });
  return (alias) => {
    let matched = false;
    for (const { exclude, pattern } of steps) {
      if (!exclude) {
        if (!matched) matched = pattern === '_all' || pattern === alias || (isWildcard(pattern) && wildcardMatch(pattern, alias));
      } else if (matched) matched = !(pattern === alias || (isWildcard(pattern) && wildcardMatch(pattern, alias)));
    }
    return matched;
  };
}

/**
 * The names asked for explicitly and not found (RestGetAliasesAction's 404): patterns, `_all` and
 * exclusions are never missing, nor a name a later `-pattern` excludes. Sorted, as its SortedSet.
 */
export function missingAliases(names: readonly string[], found: ReadonlySet<string>): string[] {
  const first = firstWildcard(names);
  const missing = new Set<string>();
  names.forEach((name, i) => {
    if (name === '_all' || isWildcard(name) || (i > first && name.startsWith('-'))) return;
    for (let j = Math.max(i + 1, first); j < names.length; j++) {
      const later = names[j]!;
      if (!later.startsWith('-')) continue;
      const pattern = later.slice(1);
      if (pattern === '_all' || pattern === name || (isWildcard(pattern) && wildcardMatch(pattern, name))) return;
    }
    if (!found.has(name)) missing.add(name);
  });
  return [...missing].sort();
}

import { wildcardMatch } from './index-names.js';

/** Regex.isMatchAllPattern: the pattern `*`. */
export function isMatchAll(pattern: string): boolean {
  return pattern === '*';
}

/** Whether any of `patterns` matches `name` (Regex.simpleMatch: `*` is the only wildcard). */
export function anyPatternMatches(patterns: readonly string[], name: string): boolean {
  return patterns.some((pattern) => wildcardMatch(pattern, name));
}

/**
 * Whether some name matches both `*`-patterns (Operations.isEmpty of the intersection of the two
 * simpleMatchToAutomaton automata, which MetadataIndexTemplateService uses to find overlapping
 * templates). A table over the two patterns' positions: linear in the product of their lengths.
 */
export function patternsIntersect(a: string, b: string): boolean {
  const n = a.length;
  const m = b.length;
  // can[i][j]: a's suffix from i and b's suffix from j match a common string
  const can: boolean[][] = Array.from({ length: n + 1 }, () => new Array<boolean>(m + 1).fill(false));
  can[n]![m] = true;
  for (let i = n; i >= 0; i--) {
    for (let j = m; j >= 0; j--) {
      if (i === n && j === m) continue;
      let ok = false;
      if (i < n && a[i] === '*') ok = can[i + 1]![j]! || (j < m && can[i]![j + 1]!);
      else if (j < m && b[j] === '*') ok = can[i]![j + 1]! || (i < n && can[i + 1]![j]!);
      else ok = i < n && j < m && a[i] === b[j] && can[i + 1]![j + 1]!;
      can[i]![j] = ok;
    }
  }
  return can[0]![0]!;
}

/** Whether some pattern of one list overlaps some pattern of the other. */
export function patternListsIntersect(a: readonly string[], b: readonly string[]): boolean {
  return a.some((p) => b.some((q) => patternsIntersect(p, q)));
}

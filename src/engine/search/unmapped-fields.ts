import { simpleMatch } from '../automaton/simple-match.js';
import { isObject } from './parse-util.js';

/**
 * `fields` with `include_unmapped: true` and a wildcard pattern (FieldFetcher.collectUnmapped):
 * _source is walked key by key; a path the fetch already serves (a requested mapped field, a nested
 * object with its own fetcher) is skipped with everything below it; every other leaf whose full path
 * matches a pattern is returned as written. An array's own scalars come after the values of arrays
 * inside it (`[1, [2, 3], "x"]` gives `[2, 3, 1, "x"]`), as ES appends them when the array ends.
 */
export class UnmappedFieldWalker {
  constructor(
    private readonly patterns: readonly string[],
    /** Paths served by the mapped fetchers of this scope (matched fields and nested objects). */
    private readonly served: ReadonlySet<string>,
  ) {}

  get active(): boolean {
    return this.patterns.length > 0;
  }

  private accepts(path: string): boolean {
    return this.patterns.some((p) => simpleMatch(p, path));
  }

  /** Collects into `out` (full paths) the unmapped leaves of `source`, whose own path is `parent` ('' for the root). */
  collect(out: Record<string, unknown[]>, source: Record<string, unknown>, parent = ''): void {
    for (const [key, value] of Object.entries(source)) {
      const path = parent === '' ? key : `${parent}.${key}`;
      if (this.served.has(path)) continue;
      if (isObject(value)) this.collect(out, value, path);
      else if (Array.isArray(value)) this.collectList(out, value, path);
      else if (value !== null && value !== undefined && this.accepts(path)) (out[path] ??= []).push(value);
    }
  }

  private collectList(out: Record<string, unknown[]>, list: readonly unknown[], path: string): void {
    const own: unknown[] = [];
    for (const value of list) {
      if (isObject(value)) this.collect(out, value, path);
      // an array in an array: only in objects with enabled: false
      else if (Array.isArray(value)) this.collectList(out, value, path);
      else if (this.accepts(path)) own.push(value);
    }
    if (own.length > 0) (out[path] ??= []).push(...own);
  }
}

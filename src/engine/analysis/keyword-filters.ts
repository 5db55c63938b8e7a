import type { Token } from '../contract.js';
import { illegalArgument } from '../errors.js';
import type { TokenFilter } from './analysis-types.js';
import { KEYWORD_TOKENS } from './english-stemmers.js';

/**
 * Filters that work with Lucene's KeywordAttribute (the KEYWORD_TOKENS mark): keyword_repeat
 * and stemmer_override.
 */

/**
 * Lucene's KeywordRepeatFilter (`keyword_repeat`): each token twice at the same position, first
 * marked as a keyword (so stemmers keep it), then unmarked (so they stem it).
 */
export class KeywordRepeatFilter implements TokenFilter {
  filter(tokens: Token[]): Token[] {
    const out: Token[] = [];
    for (const t of tokens) {
      const copy: Token = { ...t };
      KEYWORD_TOKENS.add(t);
      KEYWORD_TOKENS.delete(copy);
      out.push(t, copy);
    }
    return out;
  }
}

/**
 * `stemmer_override` rules (`running, runs => run`), as StemmerOverrideTokenFilterFactory reads
 * them: the first rule for a key wins, as Lucene's builder ignores a key added again.
 */
export function parseStemmerOverrides(rules: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const rule of rules) {
    const sides = rule.split('=>');
    if (sides.length !== 2) throw illegalArgument(`Invalid Keyword override Rule:${rule}`);
    const override = (sides[1] as string).trim();
    if (override === '' || override.includes(',')) throw illegalArgument(`Invalid Keyword override Rule:${rule}`);
    for (const key of (sides[0] as string).split(',')) {
      const k = key.trim();
      if (k === '') throw illegalArgument(`Invalid Keyword override Rule:${rule}`);
      if (!map.has(k)) map.set(k, override);
    }
  }
  return map;
}

/** Lucene's StemmerOverrideFilter: replaces a term from the dictionary and marks it a keyword. */
export class StemmerOverrideFilter implements TokenFilter {
  constructor(private readonly overrides: ReadonlyMap<string, string>) {}

  filter(tokens: Token[]): Token[] {
    for (const t of tokens) {
      if (KEYWORD_TOKENS.has(t)) continue;
      const stem = this.overrides.get(t.term);
      if (stem === undefined) continue;
      t.term = stem;
      KEYWORD_TOKENS.add(t);
    }
    return tokens;
  }
}

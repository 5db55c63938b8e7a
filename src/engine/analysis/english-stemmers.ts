import type { Token } from '../contract.js';
import type { UserPattern } from './pattern-components.js';
import type { TokenFilter } from './analysis-types.js';
import { porterStem } from './porter-stemmer.js';

/**
 * Lucene's EnglishPossessiveFilter: removes a trailing 's (or ’s, ＇s) from each token.
 *
 * @example englishPossessive("dog's") // 'dog'
 */
export function englishPossessive(term: string): string {
  const n = term.length;
  if (n < 2) return term;
  const last = term.charCodeAt(n - 1);
  if (last !== 0x73 && last !== 0x53) return term; // s, S
  const quote = term.charCodeAt(n - 2);
  if (quote === 0x27 || quote === 0x2019 || quote === 0xff07) return term.slice(0, n - 2);
  return term;
}

/**
 * Lucene's EnglishMinimalStemmer (`minimal_english`): plural removal only.
 *
 * @example englishMinimalStem('queries') // 'query'
 */
export function englishMinimalStem(term: string): string {
  const len = term.length;
  if (len < 3 || term.charCodeAt(len - 1) !== 0x73) return term;
  const c2 = term[len - 2];
  switch (c2) {
    case 'u':
    case 's':
      return term;
    case 'e': {
      const c3 = term[len - 3];
      if (len > 3 && c3 === 'i') {
        const c4 = term[len - 4];
        if (c4 !== 'a' && c4 !== 'e') return term.slice(0, len - 3) + 'y';
      }
      if (c3 === 'i' || c3 === 'a' || c3 === 'o' || c3 === 'e') return term;
      return term.slice(0, len - 1);
    }
    default:
      return term.slice(0, len - 1);
  }
}

/**
 * Tokens marked as keywords by `keyword_marker` (Lucene's KeywordAttribute): stemmers leave
 * them alone. A WeakSet keeps the mark off the Token shape the other layers see.
 */
export const KEYWORD_TOKENS = new WeakSet<Token>();

/** A stemming filter: applies term -> term, skipping keyword tokens and terms in `keywords` (stem_exclusion). */
export class TermMapFilter implements TokenFilter {
  constructor(
    private readonly map: (term: string) => string,
    private readonly keywords?: ReadonlySet<string>,
    private readonly respectKeywordMarks = true,
  ) {}

  filter(tokens: Token[]): Token[] {
    const keywords = this.keywords;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] as Token;
      if (keywords !== undefined && keywords.has(t.term)) continue;
      if (this.respectKeywordMarks && KEYWORD_TOKENS.has(t)) continue;
      t.term = this.map(t.term);
    }
    return tokens;
  }
}

/** Lucene's SetKeywordMarkerFilter / PatternKeywordMarkerFilter (`keyword_marker`). */
export class KeywordMarkerFilter implements TokenFilter {
  constructor(
    private readonly keywords: ReadonlySet<string>,
    /** keywords_pattern: the whole term must match (Lucene's PatternKeywordMarkerFilter uses Matcher.matches()). */
    private readonly pattern?: UserPattern,
    private readonly ignoreCase = false,
  ) {}

  filter(tokens: Token[]): Token[] {
    for (const t of tokens) {
      const term = this.ignoreCase ? t.term.toLowerCase() : t.term;
      if (this.keywords.has(term) || (this.pattern !== undefined && this.pattern.matches(t.term))) KEYWORD_TOKENS.add(t);
    }
    return tokens;
  }
}

export const possessiveFilter = (): TokenFilter => new TermMapFilter(englishPossessive, undefined, false);
export const porterStemFilter = (keywords?: ReadonlySet<string>): TokenFilter => new TermMapFilter(porterStem, keywords);
export const minimalEnglishFilter = (): TokenFilter => new TermMapFilter(englishMinimalStem);

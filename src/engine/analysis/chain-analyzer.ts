import type { Analyzer, Normalizer, Token } from '../contract.js';
import type { CharFilter, TokenFilter, Tokenizer } from './analysis-types.js';
import { LowercaseFilter, lowercase } from './case-filters.js';
import { CharTokenizer } from './char-tokenizers.js';
import { StandardTokenizer } from './standard-tokenizer.js';
import { UnboundSynonymFilter } from './synonym-filter.js';

/** Elasticsearch's default position_increment_gap for every analyzer it builds (TextFieldMapper). */
export const DEFAULT_POSITION_INCREMENT_GAP = 100;

/** What one analysis run produced, with what `_analyze` needs to chain several values. */
export interface AnalysisRun {
  tokens: Token[];
  /** Positions the tokenizer used (trailing stop words included), Lucene's end() position. */
  positionCount: number;
  /** Final offset: the input length mapped back through the char filters. */
  endOffset: number;
}

/** Applies char filters in order; returns the text and the composed offset correction. */
export function applyCharFilters(
  charFilters: readonly CharFilter[],
  text: string,
): { text: string; correct?: (offset: number) => number } {
  if (charFilters.length === 0) return { text };
  const corrections: Array<(offset: number) => number> = [];
  let current = text;
  for (const cf of charFilters) {
    const r = cf.apply(current);
    corrections.push((o) => r.correctOffset(o));
    current = r.text;
  }
  return {
    text: current,
    correct: (offset) => {
      let o = offset;
      for (let i = corrections.length - 1; i >= 0; i--) o = (corrections[i] as (x: number) => number)(o);
      return o;
    },
  };
}

/**
 * Gives each synonym filter the analysis chain before it, which Elasticsearch uses to analyze
 * the synonym rules (tokenizer, char filters and the filters that precede it).
 */
function bindSynonyms(
  name: string,
  tokenizer: Tokenizer,
  filters: readonly TokenFilter[],
  charFilters: readonly CharFilter[],
): readonly TokenFilter[] {
  if (!filters.some((f) => f instanceof UnboundSynonymFilter)) return filters;
  const bound: TokenFilter[] = [];
  for (const f of filters) {
    if (f instanceof UnboundSynonymFilter) {
      const before = new ChainAnalyzer(`${name}[synonyms]`, tokenizer, [...bound], charFilters);
      bound.push(f.bind((text) => before.analyze(text).map((t) => t.term)));
    } else {
      bound.push(f);
    }
  }
  return bound;
}

/**
 * An analyzer as Lucene builds one: char filters, a tokenizer, token filters. Built-in and
 * custom analyzers are all instances of this.
 */
export class ChainAnalyzer implements Analyzer {
  readonly tokenizer: Tokenizer;
  readonly filters: readonly TokenFilter[];

  constructor(
    readonly name: string,
    tokenizer: Tokenizer,
    filters: readonly TokenFilter[] = [],
    readonly charFilters: readonly CharFilter[] = [],
    readonly positionIncrementGap = DEFAULT_POSITION_INCREMENT_GAP,
  ) {
    filters = bindSynonyms(name, tokenizer, filters, charFilters);
    // standard + lowercase (the standard and english analyzers, most custom ones) runs as one
    // pass: the tokenizer lowercases the words that need it.
    if (tokenizer instanceof StandardTokenizer && !tokenizer.lowercases && filters[0] instanceof LowercaseFilter) {
      tokenizer = tokenizer.withLowercase();
      filters = filters.slice(1);
    }
    this.tokenizer = tokenizer;
    this.filters = filters;
  }

  analyze(text: string): Token[] {
    return this.run(text).tokens;
  }

  run(text: string): AnalysisRun {
    const { text: input, correct } = applyCharFilters(this.charFilters, text);
    let tokens = this.tokenizer.tokenize(input);
    const last = tokens[tokens.length - 1];
    const positionCount = last === undefined ? 0 : last.position + 1;
    if (correct) {
      for (const t of tokens) {
        t.startOffset = correct(t.startOffset);
        t.endOffset = correct(t.endOffset);
      }
    }
    for (const f of this.filters) tokens = f.filter(tokens);
    return { tokens, positionCount, endOffset: correct ? correct(input.length) : text.length };
  }

  /**
   * Lucene's Analyzer.normalize: the text as one term through the char filters and token
   * filters that work per character (lowercase, asciifolding), and the lowercasing a tokenizer
   * does itself; what wildcard, prefix and fuzzy terms of intervals rules are compared as.
   */
  normalize(text: string): string {
    const { text: input } = applyCharFilters(this.charFilters.filter((cf) => cf.normalizes), text);
    const lowercases = (this.tokenizer instanceof StandardTokenizer || this.tokenizer instanceof CharTokenizer) && this.tokenizer.lowercases;
    let tokens: Token[] = [{ term: lowercases ? lowercase(input) : input, position: 0, startOffset: 0, endOffset: text.length, type: 'word' }];
    for (const f of this.filters) if (f.normalizes) tokens = f.filter(tokens);
    return tokens.map((t) => t.term).join('');
  }

  /** A copy with another name and gap (an index's `default` analyzer, a configured gap). */
  renamed(name: string, positionIncrementGap = this.positionIncrementGap): ChainAnalyzer {
    return new ChainAnalyzer(name, this.tokenizer, this.filters, this.charFilters, positionIncrementGap);
  }
}

/**
 * A normalizer: the keyword tokenizer plus per-character filters, so the value stays one
 * token. `normalize` returns the single term.
 */
export class ChainNormalizer implements Normalizer {
  constructor(
    readonly name: string,
    readonly filters: readonly TokenFilter[],
    readonly charFilters: readonly CharFilter[] = [],
  ) {}

  normalize(text: string): string {
    return this.run(text).tokens.map((t) => t.term).join('');
  }

  run(text: string): AnalysisRun {
    const { text: input, correct } = applyCharFilters(this.charFilters, text);
    const end = correct ? correct(input.length) : text.length;
    let tokens: Token[] = [{ term: input, position: 0, startOffset: 0, endOffset: end, type: 'word' }];
    for (const f of this.filters) tokens = f.filter(tokens);
    return { tokens, positionCount: 1, endOffset: end };
  }
}

/**
 * The analyzer of a keyword field as `_analyze` with `field` shows it: the whole value as one
 * token, through the field's normalizer if it has one.
 *
 * @example keywordAnalyzer(LOWERCASE_NORMALIZER).analyze('Foo Bar') // [{ term: 'foo bar', position: 0, ... }]
 */
export function keywordAnalyzer(normalizer?: Normalizer): Analyzer {
  return {
    name: normalizer ? normalizer.name : 'keyword',
    positionIncrementGap: DEFAULT_POSITION_INCREMENT_GAP,
    analyze(text: string): Token[] {
      const term = normalizer ? normalizer.normalize(text) : text;
      return [{ term, position: 0, startOffset: 0, endOffset: text.length, type: 'word' }];
    },
  };
}

/** Java's Character.isWhitespace (Lucene's WhitespaceTokenizer): no-break spaces are not white space. */
const JAVA_WHITESPACE = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x205f, 0x3000]);
/** CharTokenizer's default maximum token length: longer runs are cut into pieces. */
const MAX_TOKEN_LENGTH = 255;

/**
 * The search analyzer of a keyword field with `split_queries_on_whitespace: true`
 * (KeywordFieldMapper): the whitespace tokenizer, then the field's normalizer on each token.
 *
 * @example whitespaceKeywordAnalyzer().analyze('foo bar') // [{ term: 'foo', position: 0, ... }, { term: 'bar', position: 1, ... }]
 */
export function whitespaceKeywordAnalyzer(normalizer?: Normalizer): Analyzer {
  return {
    name: normalizer ? normalizer.name : 'whitespace',
    positionIncrementGap: DEFAULT_POSITION_INCREMENT_GAP,
    analyze(text: string): Token[] {
      const tokens: Token[] = [];
      let start = -1;
      const emit = (end: number): void => {
        const raw = text.slice(start, end);
        tokens.push({ term: normalizer ? normalizer.normalize(raw) : raw, position: tokens.length, startOffset: start, endOffset: end, type: 'word' });
      };
      for (let i = 0; i <= text.length; i++) {
        const white = i === text.length || JAVA_WHITESPACE.has(text.charCodeAt(i));
        if (white) {
          if (start >= 0) emit(i);
          start = -1;
        } else if (start < 0) {
          start = i;
        } else if (i - start === MAX_TOKEN_LENGTH) {
          emit(i);
          start = i;
        }
      }
      return tokens;
    },
  };
}

import type { Token } from '../contract.js';

/**
 * The pieces an analyzer is made of, following Lucene: char filters rewrite the text, the
 * tokenizer splits it, token filters rewrite the token list. Tokens are fresh objects owned by
 * the chain, so filters may change them in place and return the same array.
 */

/** Splits text into tokens numbered 0, 1, 2... (positions) with UTF-16 offsets into `text`. */
export interface Tokenizer {
  tokenize(text: string): Token[];
}

export interface TokenFilter {
  filter(tokens: Token[]): Token[];
  /** Usable in a normalizer (works per character: lowercase, asciifolding...). */
  readonly normalizes?: boolean;
}

/** The output of a char filter, with the map from its offsets back to its input's. */
export interface CharFilterResult {
  text: string;
  correctOffset(offset: number): number;
}

export interface CharFilter {
  apply(text: string): CharFilterResult;
  readonly normalizes?: boolean;
}

/** Elasticsearch `_analyze` token types. */
export const TOKEN_TYPES = {
  alphanum: '<ALPHANUM>',
  num: '<NUM>',
  southeastAsian: '<SOUTHEAST_ASIAN>',
  ideographic: '<IDEOGRAPHIC>',
  hiragana: '<HIRAGANA>',
  katakana: '<KATAKANA>',
  hangul: '<HANGUL>',
  emoji: '<EMOJI>',
  word: 'word',
  shingle: 'shingle',
  fingerprint: 'fingerprint',
} as const;

/** Makes a token; one place so every token has the same shape (and hidden class). */
export const makeToken = (term: string, position: number, startOffset: number, endOffset: number, type: string): Token => ({
  term,
  position,
  startOffset,
  endOffset,
  type,
});

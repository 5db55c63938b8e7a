import type { Token } from '../contract.js';
import { illegalArgument } from '../errors.js';
import { TOKEN_TYPES, makeToken, type TokenFilter, type Tokenizer } from './analysis-types.js';
import { isLetterCodePoint, isWhitespaceCodePoint } from './char-tokenizers.js';

/** Elasticsearch's `token_chars` classes. */
export const TOKEN_CHAR_CLASSES = ['letter', 'digit', 'whitespace', 'punctuation', 'symbol', 'custom'] as const;
export type TokenCharClass = (typeof TOKEN_CHAR_CLASSES)[number];

const RE_DIGIT = /\p{Nd}/u;
const RE_PUNCT = /\p{P}/u;
const RE_SYMBOL = /\p{S}/u;

/** Builds the "is token char" predicate of `token_chars` (+ `custom_token_chars`); empty = every char. */
export function tokenCharPredicate(classes: readonly TokenCharClass[], custom = ''): (cp: number) => boolean {
  if (classes.length === 0) return () => true;
  const customSet = new Set(Array.from(custom, (c) => c.codePointAt(0) ?? 0));
  const tests = classes.map((c): ((cp: number, ch: string) => boolean) => {
    switch (c) {
      case 'letter':
        return (cp) => isLetterCodePoint(cp);
      case 'digit':
        return (_cp, ch) => RE_DIGIT.test(ch);
      case 'whitespace':
        return (cp) => isWhitespaceCodePoint(cp);
      case 'punctuation':
        return (_cp, ch) => RE_PUNCT.test(ch);
      case 'symbol':
        return (_cp, ch) => RE_SYMBOL.test(ch);
      case 'custom':
        return (cp) => customSet.has(cp);
    }
  });
  return (cp) => {
    const ch = String.fromCodePoint(cp);
    return tests.some((t) => t(cp, ch));
  };
}

export interface NGramTokenizerOptions {
  minGram: number;
  maxGram: number;
  isTokenChar: (cp: number) => boolean;
  /** edge_ngram: only grams anchored at the start of each run of token chars. */
  edge: boolean;
}

/**
 * Lucene's NGramTokenizer and EdgeNGramTokenizer: grams of code points within runs of token
 * chars, ordered by start then length, each gram at its own position (as Elasticsearch's
 * `_analyze` shows them). Offsets are UTF-16 offsets of the gram in the input.
 */
export class NGramTokenizer implements Tokenizer {
  constructor(private readonly options: NGramTokenizerOptions) {
    if (options.minGram < 1) throw illegalArgument('minGram must be greater than zero');
    if (options.minGram > options.maxGram) throw illegalArgument('minGram must not be greater than maxGram');
  }

  tokenize(text: string): Token[] {
    const out: Token[] = [];
    const { minGram, maxGram, isTokenChar, edge } = this.options;
    // Code point start offsets of the current run, plus its end.
    const starts: number[] = [];
    let position = 0;
    const flush = (end: number): void => {
      const count = starts.length;
      const firstStarts = edge ? Math.min(1, count) : count;
      for (let s = 0; s < firstStarts; s++) {
        for (let len = minGram; len <= maxGram && s + len <= count; len++) {
          const from = starts[s] as number;
          const to = s + len < count ? (starts[s + len] as number) : end;
          out.push(makeToken(text.slice(from, to), position++, from, to, TOKEN_TYPES.word));
        }
      }
      starts.length = 0;
    };
    let i = 0;
    while (i < text.length) {
      const cp = text.codePointAt(i) ?? 0;
      const w = cp > 0xffff ? 2 : 1;
      if (isTokenChar(cp)) starts.push(i);
      else if (starts.length > 0) flush(i);
      i += w;
    }
    if (starts.length > 0) flush(text.length);
    return out;
  }
}

export interface NGramFilterOptions {
  minGram: number;
  maxGram: number;
  preserveOriginal: boolean;
  /** edge_ngram: only grams starting at the beginning of the term. */
  edge: boolean;
}

/**
 * Lucene's NGramTokenFilter / EdgeNGramTokenFilter: each token is replaced by its grams (of
 * code points), ordered by start then length, all at the token's position and with the token's
 * offsets and type. A token shorter than min_gram disappears unless preserve_original.
 */
export class NGramTokenFilter implements TokenFilter {
  constructor(private readonly options: NGramFilterOptions) {
    if (options.minGram < 1) throw illegalArgument('minGram must be greater than zero');
    if (options.minGram > options.maxGram) throw illegalArgument('minGram must not be greater than maxGram');
  }

  filter(tokens: Token[]): Token[] {
    const { minGram, maxGram, preserveOriginal, edge } = this.options;
    const out: Token[] = [];
    for (const t of tokens) {
      const chars = Array.from(t.term);
      const count = chars.length;
      const starts = edge ? Math.min(1, count) : count;
      let emitted = false;
      for (let s = 0; s < starts; s++) {
        for (let len = minGram; len <= maxGram && s + len <= count; len++) {
          out.push(makeToken(chars.slice(s, s + len).join(''), t.position, t.startOffset, t.endOffset, t.type));
          emitted = true;
        }
      }
      // Lucene emits the original after the grams when it is outside [minGram, maxGram].
      if (preserveOriginal && (count < minGram || count > maxGram || !emitted)) out.push(t);
    }
    return out;
  }
}

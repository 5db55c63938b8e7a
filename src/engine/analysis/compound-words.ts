import type { Token } from '../contract.js';
import { illegalArgument } from '../errors.js';
import type { TokenFilter } from './analysis-types.js';
import { lowercase } from './case-filters.js';
import { KEYWORD_TOKENS } from './english-stemmers.js';

/**
 * Lucene's DictionaryCompoundWordTokenFilter (`dictionary_decompounder`): each token of at least
 * `min_word_size` UTF-16 units, then every dictionary word found inside it (brute force over
 * every start and length from `min_subword_size` to `max_subword_size`; only the longest per
 * start with `only_longest_match`), as tokens at the same position with the original's offsets,
 * type and attributes.
 */

export interface CompoundOptions {
  words: readonly string[];
  /** `word_list_case`: the dictionary compares lowercased (CharArraySet's ignoreCase). */
  ignoreCase: boolean;
  minWordSize: number;
  minSubwordSize: number;
  maxSubwordSize: number;
  onlyLongestMatch: boolean;
}

/** CompoundWordTokenFilterBase: the size checks, the dictionary, each token kept, then its subwords after it. */
abstract class CompoundWordFilterBase<O extends CompoundOptions> implements TokenFilter {
  protected readonly dictionary: Set<string>;

  constructor(protected readonly o: O) {
    if (o.minWordSize < 0) throw illegalArgument('minWordSize cannot be negative');
    if (o.minSubwordSize < 0) throw illegalArgument('minSubwordSize cannot be negative');
    if (o.maxSubwordSize < 0) throw illegalArgument('maxSubwordSize cannot be negative');
    this.dictionary = new Set(o.ignoreCase ? o.words.map(lowercase) : o.words);
  }

  filter(tokens: Token[]): Token[] {
    const out: Token[] = [];
    for (const t of tokens) {
      out.push(t);
      if (t.term.length >= this.o.minWordSize) this.decompose(t, out);
    }
    return out;
  }

  /** Pushes the subwords of one token (long enough to be decomposed) onto `out`. */
  protected abstract decompose(t: Token, out: Token[]): void;

  /** The term as the dictionary compares it: Java's lowercasing is per code point and keeps the length, so slices line up. */
  protected comparable(term: string): string {
    const key = this.o.ignoreCase ? lowercase(term) : term;
    return key.length === term.length ? key : term;
  }

  protected subword(t: Token, term: string): Token {
    // Lucene 9 keeps the original's type (the `subword` type came in a later Lucene).
    const sub: Token = { term, position: t.position, startOffset: t.startOffset, endOffset: t.endOffset, type: t.type };
    if (t.positionLength !== undefined) sub.positionLength = t.positionLength;
    if (KEYWORD_TOKENS.has(t)) KEYWORD_TOKENS.add(sub);
    return sub;
  }
}

export class DictionaryCompoundWordFilter extends CompoundWordFilterBase<CompoundOptions> {
  protected decompose(t: Token, out: Token[]): void {
    const { minSubwordSize, maxSubwordSize, onlyLongestMatch } = this.o;
    const term = t.term;
    const len = term.length;
    const comparable = this.comparable(term);
    for (let i = 0; i <= len - minSubwordSize; i++) {
      let longest = -1;
      for (let j = minSubwordSize; j <= maxSubwordSize && i + j <= len; j++) {
        if (!this.dictionary.has(comparable.slice(i, i + j))) continue;
        if (onlyLongestMatch) longest = Math.max(longest, j);
        else out.push(this.subword(t, term.slice(i, i + j)));
      }
      if (onlyLongestMatch && longest > 0) out.push(this.subword(t, term.slice(i, i + longest)));
    }
  }
}

export interface HyphenationCompoundOptions extends CompoundOptions {
  hyphenator: { hyphenate(word: string, remain: number, push: number): readonly number[] | undefined };
}

/**
 * Lucene's HyphenationCompoundWordTokenFilter (`hyphenation_decompounder`): the parts of a token
 * between its hyphenation points (one or more syllables) that are dictionary words, or are one
 * once their last character (a binding s, say) is dropped; sizes and only_longest_match as for
 * the dictionary decompounder. Subwords come after the token, at its position with its offsets.
 */
export class HyphenationCompoundWordFilter extends CompoundWordFilterBase<HyphenationCompoundOptions> {
  protected decompose(t: Token, out: Token[]): void {
    const { minSubwordSize, maxSubwordSize, onlyLongestMatch } = this.o;
    const term = t.term;
    // Lucene hyphenates with at least one letter before and after each point
    const points = this.o.hyphenator.hyphenate(term, 1, 1);
    if (points === undefined) return;
    const comparable = this.comparable(term);
    const has = (start: number, length: number) => this.dictionary.has(comparable.slice(start, start + length));
    for (let i = 0; i < points.length; i++) {
      const start = points[i] as number;
      let longest = -1;
      for (let j = 1; j < points.length - i; j++) {
        const partLength = (points[i + j] as number) - start;
        if (partLength > maxSubwordSize) break;
        if (partLength < minSubwordSize) continue;
        const found = has(start, partLength) ? partLength : has(start, partLength - 1) ? partLength - 1 : -1;
        if (found < 0) continue;
        if (onlyLongestMatch) longest = Math.max(longest, found);
        else out.push(this.subword(t, term.slice(start, start + found)));
      }
      if (onlyLongestMatch && longest >= 0) out.push(this.subword(t, term.slice(start, start + longest)));
    }
  }
}

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

export class DictionaryCompoundWordFilter implements TokenFilter {
  private readonly dictionary: Set<string>;

  constructor(private readonly o: CompoundOptions) {
    if (o.minWordSize < 0) throw illegalArgument('minWordSize cannot be negative');
    if (o.minSubwordSize < 0) throw illegalArgument('minSubwordSize cannot be negative');
    if (o.maxSubwordSize < 0) throw illegalArgument('maxSubwordSize cannot be negative');
    this.dictionary = new Set(o.ignoreCase ? o.words.map(lowercase) : o.words);
  }

  filter(tokens: Token[]): Token[] {
    const { minWordSize, minSubwordSize, maxSubwordSize, onlyLongestMatch, ignoreCase } = this.o;
    const out: Token[] = [];
    for (const t of tokens) {
      out.push(t);
      const term = t.term;
      const len = term.length;
      if (len < minWordSize) continue;
      const key = ignoreCase ? lowercase(term) : term;
      // Java's lowercasing is per code point and keeps the length, so slices line up.
      const comparable = key.length === len ? key : term;
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
    return out;
  }

  private subword(t: Token, term: string): Token {
    // Lucene 9 keeps the original's type (the `subword` type came in a later Lucene).
    const sub: Token = { term, position: t.position, startOffset: t.startOffset, endOffset: t.endOffset, type: t.type };
    if (t.positionLength !== undefined) sub.positionLength = t.positionLength;
    if (KEYWORD_TOKENS.has(t)) KEYWORD_TOKENS.add(sub);
    return sub;
  }
}

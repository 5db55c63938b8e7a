import type { Token } from '../contract.js';
import { illegalArgument } from '../errors.js';
import type { TokenFilter } from './analysis-types.js';
import { lowercase } from './case-filters.js';

/** Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, Elasticsearch's `_english_` (33 words). */
export const ENGLISH_STOP_WORDS: readonly string[] = [
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not',
  'of', 'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was',
  'will', 'with',
];

/**
 * Resolves an Elasticsearch `stopwords` value: a list of words, or a named list (`_english_`,
 * `_none_`). `fallback` is the analyzer's default when the setting is absent.
 */
export function resolveStopWords(value: unknown, fallback: readonly string[], where: string): readonly string[] {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') {
    if (value === '_english_') return ENGLISH_STOP_WORDS;
    if (value === '_none_') return [];
    if (/^_\w+_$/.test(value)) {
      throw illegalArgument(`${where}: stop word list [${value}] is not supported by the indexkit embedded engine; use _english_, _none_ or a list of words`);
    }
    // Elasticsearch reads a comma-separated string as a list.
    return value.split(',').map((w) => w.trim()).filter((w) => w.length > 0);
  }
  if (Array.isArray(value)) {
    if (value.length === 1 && (value[0] === '_english_' || value[0] === '_none_')) {
      return resolveStopWords(value[0], fallback, where);
    }
    return value.map((w) => String(w));
  }
  throw illegalArgument(`${where}: [stopwords] must be a string or a list of strings, got [${JSON.stringify(value)}]`);
}

/**
 * Lucene's StopFilter: drops stop words and leaves their positions empty (the tokens after
 * keep their positions, so phrase queries see the gap). No allocation when nothing is dropped.
 */
export class StopFilter implements TokenFilter {
  private readonly words: ReadonlySet<string>;
  private readonly ignoreCase: boolean;
  private readonly maxLength: number;

  constructor(words: readonly string[], ignoreCase = false) {
    this.ignoreCase = ignoreCase;
    this.words = new Set(ignoreCase ? words.map(lowercase) : words);
    this.maxLength = Math.max(0, ...Array.from(this.words, (w) => w.length));
  }

  isStopWord(term: string): boolean {
    return this.words.has(this.ignoreCase ? lowercase(term) : term);
  }

  filter(tokens: Token[]): Token[] {
    const words = this.words;
    if (words.size === 0) return tokens;
    const maxLength = this.maxLength;
    let out = 0;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] as Token;
      // Stop words are short: most terms are ruled out by length without hashing them.
      if (t.term.length <= maxLength && words.has(this.ignoreCase ? lowercase(t.term) : t.term)) continue;
      if (out !== i) tokens[out] = t;
      out++;
    }
    tokens.length = out;
    return tokens;
  }
}

import type { Token } from '../contract.js';
import { illegalArgument } from '../errors.js';
import type { TokenFilter } from './analysis-types.js';
import { lowercase } from './case-filters.js';
import { SERBIAN_STOP_WORDS } from './serbian-stop-words.js';
import { NAMED_STOP_WORDS } from './stopword-lists.js';

/** Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, Elasticsearch's `_english_` (33 words). */
export const ENGLISH_STOP_WORDS: readonly string[] = [
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not',
  'of', 'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was',
  'will', 'with',
];

/** A named stop word list (`_english_`, `_french_`, ...), as Elasticsearch's Analysis.NAMED_STOP_WORDS. */
export function namedStopWords(name: string): readonly string[] | undefined {
  if (name === '_english_') return ENGLISH_STOP_WORDS;
  if (name === '_serbian_') return SERBIAN_STOP_WORDS;
  return Object.hasOwn(NAMED_STOP_WORDS, name) ? NAMED_STOP_WORDS[name] : undefined;
}

/**
 * Resolves an Elasticsearch `stopwords` value as Analysis.parseWords does: `_none_`, or a list
 * (a comma-separated string counts as one) whose named entries (`_english_`, `_french_`, ...)
 * expand to their words. `fallback` is the analyzer's default when the setting is absent.
 */
export function resolveStopWords(value: unknown, fallback: readonly string[], where: string): readonly string[] {
  if (value === undefined || value === null) return fallback;
  let words: string[];
  if (typeof value === 'string') {
    if (value === '_none_') return [];
    words = value.split(',').map((w) => w.trim()).filter((w) => w.length > 0);
  } else if (Array.isArray(value)) {
    if (value.length === 1 && value[0] === '_none_') return [];
    words = value.map((w) => String(w));
  } else {
    throw illegalArgument(`${where}: [stopwords] must be a string or a list of strings, got [${JSON.stringify(value)}]`);
  }
  return words.length === 1 && namedStopWords(words[0] as string) !== undefined
    ? (namedStopWords(words[0] as string) as readonly string[])
    : words.flatMap((w) => namedStopWords(w) ?? [w]);
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

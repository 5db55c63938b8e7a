import type { Token } from '../contract.js';
import { illegalArgument } from '../errors.js';
import { TOKEN_TYPES, makeToken, type Tokenizer } from './analysis-types.js';
import { lowercase } from './case-filters.js';

/**
 * Lucene's CharTokenizer family: a token is a maximal run of code points accepted by a
 * predicate, split every `maxTokenLength` characters (default 255). Type `word`.
 */
export const CHAR_TOKENIZER_DEFAULT_MAX = 255;

const RE_LETTER = /\p{L}/u;

/** Java Character.isLetter. */
export function isLetterCodePoint(cp: number): boolean {
  if (cp < 0x80) return (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122);
  return RE_LETTER.test(String.fromCodePoint(cp));
}

/** Java Character.isWhitespace: Unicode spaces except no-break ones, and the ASCII controls \t-\r, FS-US. */
export function isWhitespaceCodePoint(cp: number): boolean {
  if (cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x1f)) return true;
  if (cp < 0x80) return false;
  if (cp === 0xa0 || cp === 0x2007 || cp === 0x202f) return false;
  return cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x205f || cp === 0x3000;
}

export class CharTokenizer implements Tokenizer {
  constructor(
    private readonly accepts: (cp: number) => boolean,
    private readonly maxTokenLength = CHAR_TOKENIZER_DEFAULT_MAX,
    private readonly normalize?: (term: string) => string,
  ) {
    if (!Number.isInteger(maxTokenLength) || maxTokenLength < 1 || maxTokenLength > 1024 * 1024) {
      throw illegalArgument(`maxTokenLen must be greater than 0 and less than 1048576 passed: ${maxTokenLength}`);
    }
  }

  /** Whether tokens come out lowercased (the `lowercase` tokenizer), which Analyzer.normalize keeps. */
  get lowercases(): boolean {
    return this.normalize === lowercase;
  }

  tokenize(text: string): Token[] {
    const out: Token[] = [];
    const n = text.length;
    let position = 0;
    let start = -1;
    let i = 0;
    while (i < n) {
      const cp = text.codePointAt(i) ?? 0;
      const w = cp > 0xffff ? 2 : 1;
      if (this.accepts(cp)) {
        if (start < 0) start = i;
        else if (i + w - start > this.maxTokenLength) {
          out.push(this.token(text, start, i, position++));
          start = i;
        }
      } else if (start >= 0) {
        out.push(this.token(text, start, i, position++));
        start = -1;
      }
      i += w;
    }
    if (start >= 0) out.push(this.token(text, start, n, position));
    return out;
  }

  private token(text: string, start: number, end: number, position: number): Token {
    const term = text.slice(start, end);
    return makeToken(this.normalize ? this.normalize(term) : term, position, start, end, TOKEN_TYPES.word);
  }
}

export const letterTokenizer = (max?: number): Tokenizer => new CharTokenizer(isLetterCodePoint, max);
export const lowercaseTokenizer = (max?: number): Tokenizer => new CharTokenizer(isLetterCodePoint, max, lowercase);
export const whitespaceTokenizer = (max?: number): Tokenizer =>
  new CharTokenizer((cp) => !isWhitespaceCodePoint(cp), max);

/** Lucene's KeywordTokenizer: the whole input as one token (an empty input gives one empty token). */
export class KeywordTokenizer implements Tokenizer {
  tokenize(text: string): Token[] {
    return [makeToken(text, 0, 0, text.length, TOKEN_TYPES.word)];
  }
}

const CHAR_GROUP_CLASSES: Record<string, (cp: number) => boolean> = {
  whitespace: isWhitespaceCodePoint,
  letter: isLetterCodePoint,
  digit: (cp) => /\p{Nd}/u.test(String.fromCodePoint(cp)),
  punctuation: (cp) => /\p{P}/u.test(String.fromCodePoint(cp)),
  symbol: (cp) => /\p{S}/u.test(String.fromCodePoint(cp)),
};

const CHAR_ESCAPES: Record<string, string> = { '\\n': '\n', '\\r': '\r', '\\t': '\t', '\\f': '\f', '\\v': '\v', '\\\\': '\\' };

/**
 * Elasticsearch's `char_group` tokenizer: splits on the given characters (`-`, `\\n`, `\\u2F00`)
 * and character classes (`whitespace`, `letter`, `digit`, `punctuation`, `symbol`).
 */
export function charGroupTokenizer(tokenizeOnChars: readonly string[], maxTokenLength = CHAR_TOKENIZER_DEFAULT_MAX): Tokenizer {
  const chars = new Set<number>();
  const classes: Array<(cp: number) => boolean> = [];
  for (const item of tokenizeOnChars) {
    const cls = CHAR_GROUP_CLASSES[item];
    if (cls) {
      classes.push(cls);
      continue;
    }
    const escaped = CHAR_ESCAPES[item] ?? (/^\\u[0-9a-fA-F]{4}$/.test(item) ? String.fromCharCode(parseInt(item.slice(2), 16)) : item);
    if (Array.from(escaped).length !== 1) {
      throw illegalArgument(`Invalid escaped char in [${item}]`);
    }
    chars.add(escaped.codePointAt(0) ?? 0);
  }
  return new CharTokenizer((cp) => !chars.has(cp) && !classes.some((c) => c(cp)), maxTokenLength);
}

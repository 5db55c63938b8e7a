import type { Token } from '../contract.js';
import { illegalArgument } from '../errors.js';
import { TOKEN_TYPES, makeToken, type Tokenizer } from './analysis-types.js';
import { lowercase } from './case-filters.js';
import {
  BMP_CLASS, WB_ALETTER, WB_DOUBLE_QUOTE, WB_EMOJI, WB_EMOJI_MODIFIER, WB_EXTEND, WB_EXTEND_NUM_LET, WB_HAN, WB_HANGUL,
  WB_HEBREW, WB_HIGH_SURROGATE, WB_HIRAGANA, WB_KATAKANA, WB_KEYCAP, WB_MID_LETTER, WB_MID_NUM, WB_MID_NUM_LET, WB_NUMERIC,
  WB_OTHER, WB_PRESENTATION, WB_REGIONAL_INDICATOR, WB_SINGLE_QUOTE, WB_SOUTHEAST_ASIAN, WB_ZWJ,
  classAt, cls, skipExtend, width,
} from './word-break-classes.js';
import { scanEmoji, scanEmojiElement, scanKeycap } from './emoji-sequences.js';

/**
 * Lucene's StandardTokenizer: UAX#29 word boundaries, keeping only segments with letters,
 * digits, ideographs or emoji. A hand-written scanner over the Word_Break classes of
 * word-break-classes.ts, following StandardTokenizerImpl.jflex rule by rule:
 *
 *   word      ENL* (Katakana (ENL* Katakana)* | (Hebrew ' | Hebrew " Hebrew | Numeric ((ENL*|MidNum) Numeric)*
 *             | AHLetter ((ENL*|MidLetter) AHLetter)*)+) (ENL+ ...)* ENL*    -> <ALPHANUM>/<NUM>/<KATAKANA>/<HANGUL>
 *   SE Asian  Complex_Context+                                                -> <SOUTHEAST_ASIAN>
 *   Han       one ideograph; Hiragana: one character                          -> <IDEOGRAPHIC>/<HIRAGANA>
 *   emoji     emoji (ZWJ emoji)*, keycaps, flag pairs                          -> <EMOJI>
 *
 * every class followed by its Extend/Format/ZWJ characters (WB4). Tokens longer than
 * max_token_length are split at that length, as Lucene's bounded scanner buffer does.
 * ASCII and Latin cost one table read per character; other scripts are classified once per
 * code point and cached.
 */

export const DEFAULT_MAX_TOKEN_LENGTH = 255;
/** Lucene's StandardTokenizer.MAX_TOKEN_LENGTH_LIMIT. */
const MAX_TOKEN_LENGTH_LIMIT = 1024 * 1024;

// Kinds of the last unit of a word, for the join rules.
const K_LETTER = 1;
const K_HEBREW = 2;
const K_NUM = 3;
const K_KATAKANA = 4;
const K_ENL = 5;
/** After Hebrew + single quote (WB7a): joins letters and digits, not mid punctuation. */
const K_HEBREW_QUOTE = 6;

// Flags of what a word contains, for its type.
const F_ALPHA = 1;
const F_NUM = 2;
const F_KATAKANA = 4;
const F_HANGUL = 8;
const F_OTHER = 16;
/** Not a type flag: the word has a letter that lowercasing may change. */
const F_CASED = 32;

const isLineBreak = (code: number): boolean =>
  (code >= 0x0a && code <= 0x0d) || code === 0x85 || code === 0x2028 || code === 0x2029;

const isWordCore = (c: number): boolean =>
  c === WB_ALETTER || c === WB_HANGUL || c === WB_NUMERIC || c === WB_HEBREW || c === WB_KATAKANA;

const isLetterish = (c: number): boolean => c === WB_ALETTER || c === WB_HANGUL || c === WB_HEBREW;

/** Results of scanWord beyond its return value: the word's flags, or where a failed scan stopped. */
let wordFlags = 0;
let scanStop = 0;

/**
 * Scans a word starting at `start` (a core class or ExtendNumLet); returns its end, or -1 when
 * the ExtendNumLet run there is not followed by a word (then nothing is emitted).
 */
function scanWord(text: string, start: number, end: number): number {
  let i = start;
  let flags = 0;
  while (i < end && cls(text, i) === WB_EXTEND_NUM_LET) {
    i = skipExtend(text, i + 1, end);
    flags |= F_OTHER;
  }
  scanStop = i;
  if (i >= end) return -1;
  let c = cls(text, i);
  if (!isWordCore(c)) return -1;
  let kind = 0;
  let accept = i;
  while (i < end) {
    // One table read per character; Extend/Format (WB4) is absorbed as its own step.
    const code = text.charCodeAt(i);
    c = BMP_CLASS[code] ?? 255;
    let w = 1;
    if (c >= WB_HIGH_SURROGATE) {
      const v = classAt(text, i);
      c = v & 255;
      w = v >> 8;
    }
    if (c === WB_ALETTER || c === WB_HANGUL) {
      if (kind === K_KATAKANA) break;
      kind = K_LETTER;
      // Anything but a-z may change when lowercased (A-Z, Latin-1, Greek, Cyrillic...).
      flags |= c === WB_HANGUL ? F_HANGUL : code < 0x61 || code > 0x7a ? F_ALPHA | F_CASED : F_ALPHA;
      i += w;
      accept = i;
      continue;
    }
    if (c === WB_NUMERIC) {
      if (kind === K_KATAKANA) break;
      kind = K_NUM;
      flags |= F_NUM;
      i += w;
      accept = i;
      continue;
    }
    if (c === WB_EXTEND || c === WB_ZWJ || c === WB_PRESENTATION || c === WB_KEYCAP || c === WB_EMOJI_MODIFIER) {
      i += w;
      accept = i;
      continue;
    }
    if (c === WB_HEBREW) {
      if (kind === K_KATAKANA) break;
      kind = K_HEBREW;
      flags |= F_ALPHA;
      i += w;
      accept = i;
      continue;
    }
    if (c === WB_KATAKANA) {
      if (kind !== 0 && kind !== K_KATAKANA && kind !== K_ENL) break;
      kind = K_KATAKANA;
      flags |= F_KATAKANA;
      i += w;
      accept = i;
      continue;
    }
    if (c === WB_EXTEND_NUM_LET) {
      i += w;
      kind = K_ENL;
      flags |= F_OTHER;
      accept = i;
      continue;
    }
    if (c >= WB_MID_LETTER && c <= WB_DOUBLE_QUOTE) {
      const j = skipExtend(text, i + 1, end);
      if (kind === K_HEBREW && c === WB_SINGLE_QUOTE) {
        // WB7a: Hebrew_Letter × Single_Quote, whatever follows.
        i = j;
        kind = K_HEBREW_QUOTE;
        flags |= F_OTHER;
        accept = i;
        continue;
      }
      if (j >= end) break;
      const next = cls(text, j);
      const letterMid = c === WB_MID_LETTER || c === WB_MID_NUM_LET || c === WB_SINGLE_QUOTE;
      const numMid = c === WB_MID_NUM || c === WB_MID_NUM_LET || c === WB_SINGLE_QUOTE;
      if (
        ((kind === K_LETTER || kind === K_HEBREW) && letterMid && isLetterish(next)) ||
        (kind === K_HEBREW && c === WB_DOUBLE_QUOTE && next === WB_HEBREW) ||
        (kind === K_NUM && numMid && next === WB_NUMERIC)
      ) {
        // WB6/7, WB7b/c, WB11/12: the following core is consumed by the next iteration.
        i = j;
        flags |= F_OTHER;
        continue;
      }
    }
    break;
  }
  wordFlags = flags;
  return accept;
}

function wordType(typeFlags: number): string {
  const flags = typeFlags & ~F_CASED;
  if ((flags & (F_ALPHA | F_HANGUL | F_KATAKANA)) === 0) return TOKEN_TYPES.num;
  if (flags === F_KATAKANA) return TOKEN_TYPES.katakana;
  if (flags === F_HANGUL) return TOKEN_TYPES.hangul;
  return TOKEN_TYPES.alphanum;
}

/** What {@link standardTokenAt} found besides its return value. */
export const scanned = {
  /** The token's type. */
  type: TOKEN_TYPES.alphanum as string,
  /** The token has a letter that lowercasing may change. */
  cased: false,
  /** Where to go on when no token starts here. */
  next: 0,
};

/**
 * The token of StandardTokenizer's grammar starting at `i` (`max` its longest length): its end,
 * with its type in {@link scanned}; or -1 when none starts there ({@link scanned}.next says where
 * to go on). Shared with the uax_url_email tokenizer, whose grammar adds URL and e-mail rules.
 */
export function standardTokenAt(text: string, i: number, n: number, max: number): number {
  const code = text.charCodeAt(i);
  const c = cls(text, i);
  const limit = n - i > max ? i + max : n;
  let end = -1;
  let type: string = TOKEN_TYPES.alphanum;
  let wordIsCased = false;
  if (c === WB_ALETTER || c === WB_NUMERIC || c === WB_EXTEND_NUM_LET || c === WB_HANGUL || c === WB_HEBREW || c === WB_KATAKANA) {
    end = scanWord(text, i, limit);
    if (end < 0) {
      // A run of ExtendNumLet with no word after it: skip the run.
      scanned.next = scanStop;
      return -1;
    }
    type = wordType(wordFlags);
    wordIsCased = (wordFlags & F_CASED) !== 0;
    if (c === WB_NUMERIC && code < 0x3a) {
      // A keycap (1️⃣) is an emoji unless the word rule matches longer (1️⃣a): longest match,
      // and on a tie the emoji rule, which comes first in Lucene's grammar.
      const keycap = scanKeycap(text, i, limit);
      if (keycap >= end) {
        end = keycap;
        type = TOKEN_TYPES.emoji;
      }
    }
  } else if (c === WB_HAN || c === WB_HIRAGANA) {
    end = skipExtend(text, i + width(text, i), limit);
    type = c === WB_HAN ? TOKEN_TYPES.ideographic : TOKEN_TYPES.hiragana;
  } else if (c === WB_SOUTHEAST_ASIAN) {
    end = i;
    while (end < limit && cls(text, end) === WB_SOUTHEAST_ASIAN) end = skipExtend(text, end + width(text, end), limit);
    type = TOKEN_TYPES.southeastAsian;
  } else if (c === WB_EMOJI || c === WB_EMOJI_MODIFIER) {
    end = scanEmoji(text, i, n);
    type = TOKEN_TYPES.emoji;
  } else if (c === WB_ZWJ) {
    // Lucene's emoji rule allows leading joiners: ZWJ* emoji.
    let j = i + 1;
    while (j < n && text.charCodeAt(j) === 0x200d) j++;
    if (scanEmojiElement(text, j, n) >= 0) {
      end = scanEmoji(text, j, n);
      type = TOKEN_TYPES.emoji;
    }
  } else if (c === WB_REGIONAL_INDICATOR) {
    const j = skipExtend(text, i + 2, n);
    if (j < n && cls(text, j) === WB_REGIONAL_INDICATOR) {
      end = skipExtend(text, j + 2, n);
      type = TOKEN_TYPES.emoji;
    }
  } else if (code === 0x23 || code === 0x2a) {
    end = scanKeycap(text, i, n);
    type = TOKEN_TYPES.emoji;
  }
  if (end < 0) {
    // Not the start of a token (punctuation, space, symbol): skip it with its extenders,
    // except after a line break, which nothing attaches to (WB3a).
    scanned.next = isLineBreak(code) ? i + 1 : skipExtend(text, i + width(text, i), n);
    return -1;
  }
  scanned.type = type;
  scanned.cased = wordIsCased;
  return end;
}

/**
 * The scanner described at the top of this file.
 *
 * @example new StandardTokenizer().tokenize("Don't U.S.A. 3.14") // don't, U.S.A, 3.14 (<NUM>)
 */
export class StandardTokenizer implements Tokenizer {
  readonly maxTokenLength: number;
  /** Lowercases terms as it emits them (a fused LowerCaseFilter, same result, one pass less). */
  readonly lowercases: boolean;

  constructor(maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH, lowercases = false) {
    if (!Number.isInteger(maxTokenLength) || maxTokenLength < 1 || maxTokenLength > MAX_TOKEN_LENGTH_LIMIT) {
      throw illegalArgument(`maxTokenLength must be greater than 0 and less than ${MAX_TOKEN_LENGTH_LIMIT} passed: ${maxTokenLength}`);
    }
    this.maxTokenLength = maxTokenLength;
    this.lowercases = lowercases;
  }

  /** This tokenizer followed by Lucene's LowerCaseFilter, in one pass. */
  withLowercase(): StandardTokenizer {
    return new StandardTokenizer(this.maxTokenLength, true);
  }

  tokenize(text: string): Token[] {
    const out: Token[] = [];
    const n = text.length;
    const max = this.maxTokenLength;
    let position = 0;
    let i = 0;
    while (i < n) {
      const code = text.charCodeAt(i);
      if (code < 0x80 && BMP_CLASS[code] === WB_OTHER && code !== 0x23 && code !== 0x2a && !isLineBreak(code)) {
        // Fast path for ASCII spaces and punctuation (not the keycap bases # and *): nothing to
        // scan; one table read of the next character checks for extenders.
        const next = BMP_CLASS[text.charCodeAt(i + 1)] ?? WB_OTHER;
        i = next < WB_EXTEND || (next > WB_KEYCAP && next < WB_HIGH_SURROGATE) ? i + 1 : skipExtend(text, i + 1, n);
        continue;
      }
      const end = standardTokenAt(text, i, n, max);
      if (end < 0) {
        i = scanned.next;
        continue;
      }
      const term = text.slice(i, end);
      // Fused LowerCaseFilter: only words with a letter other than a-z need the work.
      const cased = this.lowercases && scanned.cased && scanned.type !== TOKEN_TYPES.emoji;
      out.push(makeToken(cased ? lowercase(term) : term, position++, i, end, scanned.type));
      i = end;
    }
    return out;
  }
}

import type { Token } from '../contract.js';
import { TOKEN_TYPES, makeToken, type TokenFilter } from './analysis-types.js';

/** Halfwidth kana U+FF65..U+FF9F to fullwidth (U+FF9E/U+FF9F only when they cannot combine). */
const KANA_NORM = [
  0x30fb, 0x30f2, 0x30a1, 0x30a3, 0x30a5, 0x30a7, 0x30a9, 0x30e3, 0x30e5, 0x30e7, 0x30c3, 0x30fc, 0x30a2, 0x30a4, 0x30a6,
  0x30a8, 0x30aa, 0x30ab, 0x30ad, 0x30af, 0x30b1, 0x30b3, 0x30b5, 0x30b7, 0x30b9, 0x30bb, 0x30bd, 0x30bf, 0x30c1, 0x30c4,
  0x30c6, 0x30c8, 0x30ca, 0x30cb, 0x30cc, 0x30cd, 0x30ce, 0x30cf, 0x30d2, 0x30d5, 0x30d8, 0x30db, 0x30de, 0x30df, 0x30e0,
  0x30e1, 0x30e2, 0x30e4, 0x30e6, 0x30e8, 0x30e9, 0x30ea, 0x30eb, 0x30ec, 0x30ed, 0x30ef, 0x30f3, 0x3099, 0x309a,
];

/** What a voiced mark (U+FF9E) adds to the kana U+30A6..U+30FD before it. */
const KANA_COMBINE_VOICED = [
  78, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1,
  0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 8, 8, 8, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 1,
];

/** Kana U+30A6..U+30FD that take a semi-voiced mark (U+FF9F): ha, hi, fu, he, ho (+2). */
const HALF_VOICED = new Set([0x30cf, 0x30d2, 0x30d5, 0x30d8, 0x30db]);

/** Lucene's CJKWidthFilter on one term (UTF-16 units, as Lucene works on chars). */
export function foldCjkWidth(term: string): string {
  const text: number[] = [];
  let changed = false;
  for (let i = 0; i < term.length; i++) {
    const ch = term.charCodeAt(i);
    if (ch >= 0xff01 && ch <= 0xff5e) {
      text.push(ch - 0xfee0);
      changed = true;
    } else if (ch >= 0xff65 && ch <= 0xff9f) {
      changed = true;
      const prev = text.length > 0 ? (text[text.length - 1] as number) : -1;
      const diff = (ch === 0xff9e || ch === 0xff9f) && prev >= 0x30a6 && prev <= 0x30fd ? combineDiff(prev, ch) : 0;
      if (diff > 0) text[text.length - 1] = prev + diff;
      else text.push(KANA_NORM[ch - 0xff65] as number);
    } else {
      text.push(ch);
    }
  }
  if (!changed) return term;
  let out = '';
  for (const c of text) out += String.fromCharCode(c);
  return out;
}

function combineDiff(prev: number, mark: number): number {
  if (mark === 0xff9f) return HALF_VOICED.has(prev) ? 2 : 0;
  return KANA_COMBINE_VOICED[prev - 0x30a6] as number;
}

export class CjkWidthFilter implements TokenFilter {
  readonly normalizes = true;
  filter(tokens: Token[]): Token[] {
    for (const t of tokens) t.term = foldCjkWidth(t.term);
    return tokens;
  }
}

export interface CjkScripts {
  han: boolean;
  hiragana: boolean;
  katakana: boolean;
  hangul: boolean;
}

const DOUBLE_TYPE = '<DOUBLE>';
const SINGLE_TYPE = '<SINGLE>';

/** One code point of a CJK run, with its offsets. */
interface Gram {
  cp: string;
  start: number;
  end: number;
}

/** A token on its way out, with its position increment as Lucene's stream carries it. */
interface Out {
  token: Token;
  increment: number;
}

/**
 * Lucene's CJKBigramFilter (Lucene 8/9, which Elasticsearch 8 uses): runs of han, hiragana,
 * katakana and hangul tokens (as the standard tokenizer types them) whose offsets touch are split
 * into code points and emitted as overlapping bigrams (`<DOUBLE>`); a run of one code point is a
 * unigram (`<SINGLE>`). With outputUnigrams every code point is also a unigram, each bigram then
 * stacked on its first unigram with positionLength 2. Other tokens pass through unchanged. A
 * port of Lucene's state machine, so its quirks hold: grams always advance by one position (a
 * gap left before a CJK token is lost), and a run is only broken by unaligned offsets.
 */
export class CjkBigramFilter implements TokenFilter {
  private readonly types: ReadonlySet<string>;

  constructor(
    scripts: CjkScripts,
    private readonly outputUnigrams: boolean,
  ) {
    const types: string[] = [];
    if (scripts.han) types.push(TOKEN_TYPES.ideographic);
    if (scripts.hiragana) types.push(TOKEN_TYPES.hiragana);
    if (scripts.katakana) types.push(TOKEN_TYPES.katakana);
    if (scripts.hangul) types.push(TOKEN_TYPES.hangul);
    this.types = new Set(types);
  }

  filter(tokens: Token[]): Token[] {
    const out: Out[] = [];
    let buffer: Gram[] = [];
    let index = 0;
    let lastEndOffset = 0;
    let ngramState = false;
    let previousPosition = -1;
    const hasBufferedUnigram = () => (this.outputUnigrams ? buffer.length - index === 1 : buffer.length === 1 && index === 0);
    const gram = (type: string, from: number, to: number, increment: number, positionLength = 1) => {
      const first = buffer[from] as Gram;
      const last = buffer[to] as Gram;
      const term = to === from ? first.cp : first.cp + last.cp;
      const token = makeToken(term, 0, first.start, last.end, type);
      if (positionLength > 1) token.positionLength = positionLength;
      out.push({ token, increment });
    };
    const flushUnigram = () => gram(SINGLE_TYPE, index, index++, 1);
    // With unigrams, a bigram is stacked on its first unigram and spans two positions.
    const flushBigram = () => gram(DOUBLE_TYPE, index, ++index, this.outputUnigrams ? 0 : 1, this.outputUnigrams ? 2 : 1);
    // ABC gives AB BC, or with unigrams A AB B BC (C waits for what follows).
    const drainBigrams = () => {
      while (buffer.length - index > 1) {
        if (!this.outputUnigrams) {
          flushBigram();
          continue;
        }
        if (ngramState) flushBigram();
        else {
          flushUnigram();
          index--;
        }
        ngramState = !ngramState;
      }
    };
    for (const t of tokens) {
      const increment = t.position - previousPosition;
      previousPosition = t.position;
      drainBigrams();
      if (this.types.has(t.type)) {
        if (t.startOffset !== lastEndOffset) {
          if (hasBufferedUnigram()) flushUnigram();
          buffer = [];
          index = 0;
        }
        refill(buffer, t);
        lastEndOffset = t.endOffset;
      } else {
        if (hasBufferedUnigram()) flushUnigram();
        out.push({ token: t, increment });
      }
    }
    drainBigrams();
    if (hasBufferedUnigram()) flushUnigram();
    let position = -1;
    return out.map(({ token, increment }) => {
      position += increment;
      token.position = position;
      return token;
    });
  }
}

/** Appends a token's code points, each with its own offsets unless the term's length differs from its span. */
function refill(buffer: Gram[], t: Token): void {
  const aligned = t.endOffset - t.startOffset === t.term.length;
  let start = t.startOffset;
  for (const cp of t.term) {
    if (aligned) {
      buffer.push({ cp, start, end: start + cp.length });
      start += cp.length;
    } else {
      buffer.push({ cp, start: t.startOffset, end: t.endOffset });
    }
  }
}

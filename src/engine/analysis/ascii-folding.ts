import type { Token } from '../contract.js';
import { makeToken, type TokenFilter } from './analysis-types.js';

/**
 * ASCII folding in the spirit of Lucene's ASCIIFoldingFilter: letters, digits and symbols
 * outside Basic Latin become their ASCII equivalents (é -> e, ß -> ss, æ -> ae, “ -> ").
 * Lucene keeps a 2,000-entry table; this derives most of it from Unicode decomposition (NFKD
 * without combining marks) plus the letters that do not decompose. Pure ASCII is returned
 * untouched without allocating.
 */
const SPECIAL: Record<string, string> = {
  ß: 'ss', ẞ: 'SS', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ð: 'd', Ð: 'D',
  ł: 'l', Ł: 'L', þ: 'th', Þ: 'TH', ı: 'i', ĸ: 'q', ŀ: 'l', Ŀ: 'L', ſ: 's', ŋ: 'n', Ŋ: 'N', ħ: 'h', Ħ: 'H',
  ŧ: 't', Ŧ: 'T', ƀ: 'b', Ɓ: 'B', ƈ: 'c', Ƈ: 'C', ɖ: 'd', Ɖ: 'D', ƒ: 'f', Ƒ: 'F', ɠ: 'g', Ɠ: 'G', ɨ: 'i',
  Ɨ: 'I', ƙ: 'k', Ƙ: 'K', ƚ: 'l', Ƚ: 'L', ɲ: 'n', Ɲ: 'N', ƥ: 'p', Ƥ: 'P', ʂ: 's', ƭ: 't', Ƭ: 'T', ʈ: 't',
  Ʈ: 'T', ʋ: 'v', Ʋ: 'V', ƴ: 'y', Ƴ: 'Y', ƶ: 'z', Ƶ: 'Z', ȥ: 'z', Ȥ: 'Z', ɇ: 'e', Ɇ: 'E', ɉ: 'j', Ɉ: 'J',
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'", '\u2035': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u201f': '"', '\u2033': '"', '\u00ab': '"', '\u00bb': '"',
  '\u2039': "'", '\u203a': "'", '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-',
  '\u2212': '-', '\u2026': '...', '\u00a0': ' ', '\u00b7': '.', '\u00d7': 'x', '\u00f7': '/',
};

const RE_MARKS = /\p{M}/gu;

function foldChar(ch: string): string {
  const special = SPECIAL[ch];
  if (special !== undefined) return special;
  const decomposed = ch.normalize('NFKD').replace(RE_MARKS, '');
  // Only take the decomposition when it is ASCII (ﬁ -> fi, ² -> 2, é -> e), otherwise keep the char.
  for (let i = 0; i < decomposed.length; i++) if (decomposed.charCodeAt(i) >= 0x80) return ch;
  return decomposed.length > 0 ? decomposed : ch;
}

const cache = new Map<string, string>();

/** @example asciiFold('Crème Brûlée') // 'Creme Brulee' */
export function asciiFold(term: string): string {
  let i = 0;
  const n = term.length;
  while (i < n && term.charCodeAt(i) < 0x80) i++;
  if (i === n) return term;
  let out = term.slice(0, i);
  for (const ch of term.slice(i)) {
    if (ch.charCodeAt(0) < 0x80) {
      out += ch;
      continue;
    }
    let folded = cache.get(ch);
    if (folded === undefined) {
      folded = foldChar(ch);
      cache.set(ch, folded);
    }
    out += folded;
  }
  return out;
}

/** `asciifolding`; with preserve_original the folded token is followed by the original at the same position. */
export class AsciiFoldingFilter implements TokenFilter {
  readonly normalizes = true;
  constructor(private readonly preserveOriginal = false) {}

  filter(tokens: Token[]): Token[] {
    if (!this.preserveOriginal) {
      for (const t of tokens) t.term = asciiFold(t.term);
      return tokens;
    }
    const out: Token[] = [];
    for (const t of tokens) {
      const folded = asciiFold(t.term);
      if (folded === t.term) {
        out.push(t);
      } else {
        out.push(makeToken(folded, t.position, t.startOffset, t.endOffset, t.type), t);
      }
    }
    return out;
  }
}

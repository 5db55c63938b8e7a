import type { Token } from '../contract.js';
import type { TokenFilter } from './analysis-types.js';

/**
 * Lowercasing and uppercasing as Lucene's LowerCaseFilter / UpperCaseFilter: per code point
 * (Java's Character.toLowerCase), so no locale or context rules: final sigma stays σ and
 * U+0130 becomes a plain i. Unchanged terms are returned as is, without allocating.
 */
export function lowercase(term: string): string {
  const n = term.length;
  let i = 0;
  for (; i < n; i++) {
    const c = term.charCodeAt(i);
    if (c >= 0x80 || (c >= 65 && c <= 90)) break;
  }
  if (i === n) return term;
  // ASCII with capitals: the engine's own toLowerCase is exact there.
  let ascii = true;
  for (let j = i; j < n; j++) {
    if (term.charCodeAt(j) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return term.toLowerCase();
  return mapCodePoints(term, lowerCodePoint);
}

export function uppercase(term: string): string {
  const n = term.length;
  let i = 0;
  for (; i < n; i++) {
    const c = term.charCodeAt(i);
    if (c >= 0x80 || (c >= 97 && c <= 122)) break;
  }
  if (i === n) return term;
  return mapCodePoints(term, upperCodePoint);
}

function mapCodePoints(term: string, map: (ch: string) => string): string {
  let out = '';
  for (const ch of term) out += map(ch);
  return out === term ? term : out;
}

/** Java's Character.toLowerCase: one code point to one code point. */
export function lowerCodePoint(ch: string): string {
  if (ch === '\u0130') return 'i';
  const lower = ch.toLowerCase();
  return lower.length === ch.length ? lower : ch;
}

/** Java's Character.toUpperCase: ß stays ß (String.toUpperCase would give SS). */
function upperCodePoint(ch: string): string {
  const upper = ch.toUpperCase();
  return upper.length === ch.length ? upper : ch;
}

export class LowercaseFilter implements TokenFilter {
  readonly normalizes = true;
  filter(tokens: Token[]): Token[] {
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] as Token;
      t.term = lowercase(t.term);
    }
    return tokens;
  }
}

export class UppercaseFilter implements TokenFilter {
  readonly normalizes = true;
  filter(tokens: Token[]): Token[] {
    for (const t of tokens) t.term = uppercase(t.term);
    return tokens;
  }
}

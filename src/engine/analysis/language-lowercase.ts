import { lowerCodePoint } from './case-filters.js';

/**
 * Lucene's language-specific lowercasing: TurkishLowerCaseFilter (dotted and dotless i) and
 * IrishLowerCaseFilter (n- and t- prefixes before capital vowels). GreekLowerCaseFilter is in
 * greek-stemmer.ts.
 */

const NON_SPACING_MARK = /^\p{Mn}$/u;
const COMBINING_DOT_ABOVE = '\u0307';

/**
 * Lucene's TurkishLowerCaseFilter: I becomes ı, unless a combining dot above follows (after
 * other non-spacing marks), in which case it becomes i and the dot goes; other code points as
 * Java's Character.toLowerCase.
 *
 * @example turkishLowercase('KIZ') // 'kız'
 */
export function turkishLowercase(term: string): string {
  const chars = Array.from(term);
  let out = '';
  let iOrAfter = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    iOrAfter = ch === 'I' || (iOrAfter && NON_SPACING_MARK.test(ch));
    if (iOrAfter) {
      if (ch === COMBINING_DOT_ABOVE) continue;
      if (ch === 'I') {
        if (beforeDot(chars, i + 1)) {
          out += 'i';
        } else {
          out += '\u0131';
          iOrAfter = false;
        }
        continue;
      }
    }
    out += lowerCodePoint(ch);
  }
  return out;
}

function beforeDot(chars: readonly string[], from: number): boolean {
  for (let i = from; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (!NON_SPACING_MARK.test(ch)) return false;
    if (ch === COMBINING_DOT_ABOVE) return true;
  }
  return false;
}

const IRISH_UPPER_VOWELS = new Set(['A', 'E', 'I', 'O', 'U', 'Á', 'É', 'Í', 'Ó', 'Ú']);

/**
 * Lucene's IrishLowerCaseFilter: n or t before a capital vowel gains a hyphen (nAthair ->
 * n-athair), then each UTF-16 unit is lowercased (Character.toLowerCase(char)).
 */
export function irishLowercase(term: string): string {
  let s = term;
  let start = 0;
  if (s.length > 1 && (s[0] === 'n' || s[0] === 't') && IRISH_UPPER_VOWELS.has(s[1] as string)) {
    s = s[0] + '-' + s.slice(1);
    start = 2;
  }
  let out = s.slice(0, start);
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0xd800 && c <= 0xdfff ? s[i] : lowerCodePoint(s[i] as string);
  }
  return out;
}

/**
 * Savoy's light ("UniNE") stemmer for Hungarian, as Lucene's HungarianLightStemmer runs it (the
 * `stemmer` filter's light_hungarian): accents folded to a e i o u, then one case ending, one
 * possessive ending and a plural -k removed, and a final vowel dropped. Lengths count UTF-16 units,
 * as Lucene's buffers do; the input is expected lowercased.
 *
 * J. Savoy, "Light Stemming Approaches for the French, Portuguese, German and Hungarian
 * Languages", SAC 2006.
 */

const FOLD: Readonly<Record<string, string>> = {
  á: 'a', é: 'e', ë: 'e', í: 'i', ó: 'o', ő: 'o', õ: 'o', ö: 'o', ú: 'u', ű: 'u', ũ: 'u', û: 'u', ü: 'u',
};
const FOLDED = /[áéëíóőõöúűũûü]/g;

const isVowel = (ch: string | undefined): boolean => ch !== undefined && 'aeiouy'.includes(ch);
const endsWithAny = (s: string, suffixes: readonly string[]): boolean => suffixes.some((x) => s.endsWith(x));
/** The character `k` places from the end (1 = last). */
const back = (s: string, k: number): string | undefined => s[s.length - k];

const CASE_3 = ['nak', 'nek', 'val', 'vel', 'ert', 'rol', 'ban', 'ben', 'bol', 'nal', 'nel', 'hoz', 'hez', 'tol'];
const CASE_2 = ['at', 'et', 'ot', 'va', 've', 'ra', 're', 'ba', 'be', 'ul', 'ig'];

/** How many characters the case ending takes. */
function caseEnding(s: string): number {
  const n = s.length;
  if (n > 6 && s.endsWith('kent')) return 4;
  if (n > 5) {
    if (endsWithAny(s, CASE_3)) return 3;
    // -al/-el after a doubled consonant (the assimilated -val/-vel): the doubling goes too
    if ((s.endsWith('al') || s.endsWith('el')) && !isVowel(back(s, 3)) && back(s, 3) === back(s, 4)) return 3;
  }
  if (n > 4) {
    if (endsWithAny(s, CASE_2)) return 2;
    if ((s.endsWith('on') || s.endsWith('en')) && !isVowel(back(s, 3))) return 2;
    const last = back(s, 1);
    if (last === 't' || last === 'n') return 1;
    if ((last === 'a' || last === 'e') && back(s, 2) === back(s, 3) && !isVowel(back(s, 2))) return 2;
  }
  return 0;
}

/** How many characters the possessive ending takes. */
function possessiveEnding(s: string): number {
  const n = s.length;
  if (n > 6) {
    if (!isVowel(back(s, 5)) && endsWithAny(s, ['atok', 'otok', 'etek'])) return 4;
    if (s.endsWith('itek') || s.endsWith('itok')) return 4;
  }
  if (n > 5) {
    if (!isVowel(back(s, 4)) && endsWithAny(s, ['unk', 'tok', 'tek'])) return 3;
    if (isVowel(back(s, 4)) && s.endsWith('juk')) return 3;
    if (s.endsWith('ink')) return 3;
  }
  if (n > 4) {
    if (!isVowel(back(s, 3)) && endsWithAny(s, ['am', 'em', 'om', 'ad', 'ed', 'od', 'uk'])) return 2;
    if (isVowel(back(s, 3)) && endsWithAny(s, ['nk', 'ja', 'je'])) return 2;
    if (endsWithAny(s, ['im', 'id', 'ik'])) return 2;
  }
  if (n > 3) {
    const last = back(s, 1);
    if ((last === 'a' || last === 'e') && !isVowel(back(s, 2))) return 1;
    if ((last === 'm' || last === 'd') && isVowel(back(s, 2))) return 1;
    if (last === 'i') return 1;
  }
  return 0;
}

/** How many characters the plural -k (with its linking vowel when the word is long enough) takes. */
function pluralEnding(s: string): number {
  if (s.length <= 3 || !s.endsWith('k')) return 0;
  return 'aoe'.includes(back(s, 2) as string) && s.length > 4 ? 2 : 1;
}

const cut = (s: string, k: number): string => (k === 0 ? s : s.slice(0, s.length - k));

/** Lucene's HungarianLightStemmer. */
export function hungarianLightStem(term: string): string {
  let s = term.replace(FOLDED, (ch) => FOLD[ch] as string);
  s = cut(s, caseEnding(s));
  s = cut(s, possessiveEnding(s));
  s = cut(s, pluralEnding(s));
  return s.length > 3 && 'aeio'.includes(back(s, 1) as string) ? s.slice(0, -1) : s;
}

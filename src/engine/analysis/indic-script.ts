/**
 * Lucene's normalizers and light stemmers for Indian scripts: IndicNormalizer (`indic_normalization`),
 * HindiNormalizer and HindiStemmer, BengaliNormalizer and BengaliStemmer. Terms are UTF-16 strings
 * and lengths count code units, as Lucene's char buffers do.
 */

/** The Unicode blocks IndicNormalizer knows: flag and first code point. */
const SCRIPTS = [
  [1, 0x0900], // Devanagari
  [2, 0x0980], // Bengali
  [4, 0x0a00], // Gurmukhi
  [8, 0x0a80], // Gujarati
  [16, 0x0b00], // Oriya
  [32, 0x0b80], // Tamil
  [64, 0x0c00], // Telugu
  [128, 0x0c80], // Kannada
  [256, 0x0d00], // Malayalam
] as const;
const [DEV, BEN, GUR, GUJ, ORI, TAM, TEL, KAN, MAL] = SCRIPTS.map(([flag]) => flag) as [number, number, number, number, number, number, number, number, number];

/**
 * IndicNormalizer's decompositions (Unicode 5.2): offsets into each script's block of ch1, ch2,
 * ch3 (-1 none, 0xFF zero-width joiner), the composed result, and the scripts they apply to.
 */
const DECOMPOSITIONS: ReadonlyArray<readonly [number, number, number, number, number]> = [
  [0x05, 0x3e, 0x45, 0x11, DEV | GUJ],
  [0x05, 0x3e, 0x46, 0x12, DEV],
  [0x05, 0x3e, 0x47, 0x13, DEV | GUJ],
  [0x05, 0x3e, 0x48, 0x14, DEV | GUJ],
  [0x05, 0x3e, -1, 0x06, DEV | BEN | GUR | GUJ | ORI],
  [0x05, 0x45, -1, 0x72, DEV],
  [0x05, 0x45, -1, 0x0d, GUJ],
  [0x05, 0x46, -1, 0x04, DEV],
  [0x05, 0x47, -1, 0x0f, GUJ],
  [0x05, 0x48, -1, 0x10, GUR | GUJ],
  [0x05, 0x49, -1, 0x11, DEV | GUJ],
  [0x05, 0x4a, -1, 0x12, DEV],
  [0x05, 0x4b, -1, 0x13, DEV | GUJ],
  [0x05, 0x4c, -1, 0x14, DEV | GUR | GUJ],
  [0x06, 0x45, -1, 0x11, DEV | GUJ],
  [0x06, 0x46, -1, 0x12, DEV],
  [0x06, 0x47, -1, 0x13, DEV | GUJ],
  [0x06, 0x48, -1, 0x14, DEV | GUJ],
  [0x07, 0x57, -1, 0x08, MAL],
  [0x09, 0x41, -1, 0x0a, DEV],
  [0x09, 0x57, -1, 0x0a, TAM | MAL],
  [0x0e, 0x46, -1, 0x10, MAL],
  [0x0f, 0x45, -1, 0x0d, DEV],
  [0x0f, 0x46, -1, 0x0e, DEV],
  [0x0f, 0x47, -1, 0x10, DEV],
  [0x0f, 0x57, -1, 0x10, ORI],
  [0x12, 0x3e, -1, 0x13, MAL],
  [0x12, 0x4c, -1, 0x14, TEL | KAN],
  [0x12, 0x55, -1, 0x13, TEL],
  [0x12, 0x57, -1, 0x14, TAM | MAL],
  [0x13, 0x57, -1, 0x14, ORI],
  [0x15, 0x3c, -1, 0x58, DEV],
  [0x16, 0x3c, -1, 0x59, DEV | GUR],
  [0x17, 0x3c, -1, 0x5a, DEV | GUR],
  [0x1c, 0x3c, -1, 0x5b, DEV | GUR],
  [0x21, 0x3c, -1, 0x5c, DEV | BEN | ORI],
  [0x22, 0x3c, -1, 0x5d, DEV | BEN | ORI],
  [0x23, 0x4d, 0xff, 0x7a, MAL],
  [0x24, 0x4d, 0xff, 0x4e, BEN],
  [0x28, 0x3c, -1, 0x29, DEV],
  [0x28, 0x4d, 0xff, 0x7b, MAL],
  [0x2b, 0x3c, -1, 0x5e, DEV | GUR],
  [0x2f, 0x3c, -1, 0x5f, DEV | BEN],
  [0x2c, 0x41, 0x41, 0x0b, TEL],
  [0x30, 0x3c, -1, 0x31, DEV],
  [0x30, 0x4d, 0xff, 0x7c, MAL],
  [0x32, 0x4d, 0xff, 0x7d, MAL],
  [0x33, 0x3c, -1, 0x34, DEV],
  [0x33, 0x4d, 0xff, 0x7e, MAL],
  [0x35, 0x41, -1, 0x2e, TEL],
  [0x3e, 0x45, -1, 0x49, DEV | GUJ],
  [0x3e, 0x46, -1, 0x4a, DEV],
  [0x3e, 0x47, -1, 0x4b, DEV | GUJ],
  [0x3e, 0x48, -1, 0x4c, DEV | GUJ],
  [0x3f, 0x55, -1, 0x40, KAN],
  [0x41, 0x41, -1, 0x42, GUR],
  [0x46, 0x3e, -1, 0x4a, TAM | MAL],
  [0x46, 0x42, 0x55, 0x4b, KAN],
  [0x46, 0x42, -1, 0x4a, KAN],
  [0x46, 0x46, -1, 0x48, MAL],
  [0x46, 0x55, -1, 0x47, TEL | KAN],
  [0x46, 0x56, -1, 0x48, TEL | KAN],
  [0x46, 0x57, -1, 0x4c, TAM | MAL],
  [0x47, 0x3e, -1, 0x4b, BEN | ORI | TAM | MAL],
  [0x47, 0x57, -1, 0x4c, BEN | ORI],
  [0x4a, 0x55, -1, 0x4b, KAN],
  [0x72, 0x3f, -1, 0x07, GUR],
  [0x72, 0x40, -1, 0x08, GUR],
  [0x72, 0x47, -1, 0x0f, GUR],
  [0x73, 0x41, -1, 0x09, GUR],
  [0x73, 0x42, -1, 0x0a, GUR],
  [0x73, 0x4b, -1, 0x13, GUR],
];

/** The script (flag, base) of a UTF-16 unit, or undefined outside the nine blocks. */
function scriptOf(c: number): readonly [number, number] | undefined {
  if (c < 0x0900 || c >= 0x0d80) return undefined;
  return SCRIPTS[(c - 0x0900) >> 7];
}

/**
 * Lucene's IndicNormalizer: composes the decomposed vowel signs and nukta forms of the Indian
 * scripts into their standard form (the composition table of Unicode 5.2, chapter 6).
 */
export function indicNormalize(term: string): string {
  const text: number[] = [];
  for (let i = 0; i < term.length; i++) text.push(term.charCodeAt(i));
  for (let pos = 0; pos < text.length; pos++) {
    const script = scriptOf(text[pos] as number);
    if (script === undefined) continue;
    const [flag, base] = script;
    const ch0 = (text[pos] as number) - base;
    if (pos + 1 >= text.length) continue;
    const next = text[pos + 1] as number;
    if (scriptOf(next) !== script) continue;
    const ch1 = next - base;
    let ch2 = -1;
    if (pos + 2 < text.length) {
      const third = text[pos + 2] as number;
      if (third === 0x200d) ch2 = 0xff;
      else if (scriptOf(third) === script) ch2 = third - base;
    }
    for (const [d0, d1, d2, result, flags] of DECOMPOSITIONS) {
      if (d0 !== ch0 || (flags & flag) === 0) continue;
      if (d1 === ch1 && (d2 < 0 || d2 === ch2)) {
        text[pos] = base + result;
        text.splice(pos + 1, d2 >= 0 ? 2 : 1);
        break;
      }
    }
  }
  return String.fromCharCode(...text);
}

const HINDI_MAP: Readonly<Record<string, string>> = {
  '\u0901': '\u0902', '\u0929': '\u0928', '\u0931': '\u0930', '\u0934': '\u0933',
  '\u0958': '\u0915', '\u0959': '\u0916', '\u095A': '\u0917', '\u095B': '\u091C',
  '\u095C': '\u0921', '\u095D': '\u0922', '\u095E': '\u092B', '\u095F': '\u092F',
  '\u0945': '\u0947', '\u0946': '\u0947', '\u0949': '\u094B', '\u094A': '\u094B',
  '\u090D': '\u090F', '\u090E': '\u090F', '\u0911': '\u0913', '\u0912': '\u0913',
  '\u0972': '\u0905', '\u0906': '\u0905', '\u0908': '\u0907', '\u090A': '\u0909',
  '\u0960': '\u090B', '\u0961': '\u090C', '\u0910': '\u090F', '\u0914': '\u0913',
  '\u0940': '\u093F', '\u0942': '\u0941', '\u0944': '\u0943', '\u0963': '\u0962',
  '\u0948': '\u0947', '\u094C': '\u094B',
};
const HINDI_DELETED = new Set(['\u093C', '\u200D', '\u200C', '\u094D']);

/**
 * Lucene's HindiNormalizer (Pingali and Varma, with Larkey's additions): dead n and candrabindu
 * to bindu, nukta forms to their base, zero-width (non-)joiners and virama removed, long vowels
 * to short ones.
 */
export function hindiNormalize(term: string): string {
  let out = '';
  for (let i = 0; i < term.length; i++) {
    const c = term[i] as string;
    if (c === '\u0928' && term[i + 1] === '\u094D') {
      out += '\u0902';
      i++;
    } else if (HINDI_DELETED.has(c)) {
      continue;
    } else {
      out += Object.hasOwn(HINDI_MAP, c) ? HINDI_MAP[c] : c;
    }
  }
  return out;
}

/** A light stemmer's rule: strip when the term is longer than `longerThan` and ends with a suffix. */
type SuffixRule = readonly [longerThan: number, remove: number, suffixes: readonly string[]];

function stripFirst(rules: readonly SuffixRule[], term: string): string {
  const len = term.length;
  for (const [longerThan, remove, suffixes] of rules) {
    if (len > longerThan && suffixes.some((s) => term.endsWith(s))) return term.slice(0, len - remove);
  }
  return term;
}

/** HindiStemmer's rules (Ramanathan and Rao), longest first; `remove` is Lucene's, not the suffix's own length. */
const HINDI_RULES: readonly SuffixRule[] = [
  [6, 5, ['ाएंगी', 'ाएंगे', 'ाऊंगी', 'ाऊंगा', 'ाइयाँ', 'ाइयों', 'ाइयां']],
  [5, 4, ['ाएगी', 'ाएगा', 'ाओगी', 'ाओगे', 'एंगी', 'ेंगी', 'एंगे', 'ेंगे', 'ूंगी', 'ूंगा', 'ातीं', 'नाओं', 'नाएं', 'ताओं', 'ताएं', 'ियाँ', 'ियों', 'ियां']],
  [4, 3, ['ाकर', 'ाइए', 'ाईं', 'ाया', 'ेगी', 'ेगा', 'ोगी', 'ोगे', 'ाने', 'ाना', 'ाते', 'ाती', 'ाता', 'तीं', 'ाओं', 'ाएं', 'ुओं', 'ुएं', 'ुआं']],
  [3, 2, ['कर', 'ाओ', 'िए', 'ाई', 'ाए', 'ने', 'नी', 'ना', 'ते', 'ीं', 'ती', 'ता', 'ाँ', 'ां', 'ों', 'ें']],
  [2, 1, ['ो', 'े', 'ू', 'ु', 'ी', 'ि', 'ा']],
];

/** Lucene's HindiStemmer. */
export const hindiStem = (term: string): string => stripFirst(HINDI_RULES, term);

/**
 * Lucene's BengaliNormalizer (UzZaman and Khan): chandrabindu removed, long vowel signs to
 * short, khio, nga, ja and ba phala, visarga, the sibilants, na and ra folded.
 */
export function bengaliNormalize(term: string): string {
  const s = term.split('');
  const del = (i: number) => {
    s.splice(i, 1);
  };
  for (let i = 0; i < s.length; i++) {
    switch (s[i]) {
      case '\u0981':
        del(i);
        i--;
        break;
      case '\u09C0':
        s[i] = '\u09BF';
        break;
      case '\u09C2':
        s[i] = '\u09C1';
        break;
      case '\u0995':
        if (i + 2 < s.length && s[i + 1] === '\u09CD' && s[i + 2] === '\u09BF') {
          if (i === 0) {
            s[i] = '\u0996';
            del(i + 2);
            del(i + 1);
          } else {
            s[i + 1] = '\u0996';
            del(i + 2);
          }
        }
        break;
      case '\u0999':
        s[i] = '\u0982';
        break;
      case '\u09AF':
        if (i - 2 === 0 && s[i - 1] === '\u09CD') {
          s[i - 1] = '\u09C7';
          if (i + 1 < s.length && s[i + 1] === '\u09BE') del(i + 1);
          del(i);
          i--;
        } else if (i - 1 >= 0 && s[i - 1] === '\u09CD') {
          del(i);
          del(i - 1);
          i -= 2;
        }
        break;
      case '\u09AC':
        if ((i >= 1 && s[i - 1] !== '\u09CD') || i === 0) break;
        if (i - 2 === 0) {
          del(i);
          del(i - 1);
          i -= 2;
        } else if (i - 5 >= 0 && s[i - 3] === '\u09CD') {
          del(i);
          del(i - 1);
          i -= 2;
        } else if (i - 2 >= 0) {
          s[i - 1] = s[i - 2] as string;
          del(i);
          i--;
        }
        break;
      case '\u0983':
        if (i === s.length - 1) {
          if (s.length <= 3) s[i] = '\u09B9';
          else del(i);
        } else {
          s[i] = s[i + 1] as string;
        }
        break;
      case '\u09B6':
      case '\u09B7':
        s[i] = '\u09B8';
        break;
      case '\u09A3':
        s[i] = '\u09A8';
        break;
      case '\u09DC':
      case '\u09DD':
        s[i] = '\u09B0';
        break;
      case '\u09CE':
        s[i] = '\u09A4';
        break;
      default:
        break;
    }
  }
  return s.join('');
}

/** BengaliStemmer's rules (Sengupta and Chaudhuri, with Savoy's), longest first; য় is the precomposed U+09DF, as in Lucene's source. */
const BENGALI_RULES: readonly SuffixRule[] = [
  [9, 8, ['িয়াছিলাম', 'িতেছিলাম', 'িতেছিলেন', 'ইতেছিলেন', 'িয়াছিলেন', 'ইয়াছিলেন']],
  [8, 7, ['িতেছিলি', 'িতেছিলে', 'িয়াছিলা', 'িয়াছিলে', 'িতেছিলা', 'িয়াছিলি', 'য়েদেরকে']],
  [7, 6, ['িতেছিস', 'িতেছেন', 'িয়াছিস', 'িয়াছেন', 'েছিলাম', 'েছিলেন', 'েদেরকে']],
  [6, 5, ['িতেছি', 'িতেছা', 'িতেছে', 'ছিলাম', 'ছিলেন', 'িয়াছি', 'িয়াছা', 'িয়াছে', 'েছিলে', 'েছিলা', 'য়েদের', 'দেরকে']],
  [5, 4, ['িলাম', 'িলেন', 'িতাম', 'িতেন', 'িবেন', 'ছিলি', 'ছিলে', 'ছিলা', 'তেছে', 'িতেছ', 'খানা', 'খানি', 'গুলো', 'গুলি', 'য়েরা', 'েদের']],
  [4, 3, ['লাম', 'িলি', 'ইলি', 'িলে', 'ইলে', 'লেন', 'িলা', 'ইলা', 'তাম', 'িতি', 'ইতি', 'িতে', 'ইতে', 'তেন', 'িতা', 'িবা', 'ইবা', 'িবি', 'ইবি', 'বেন', 'িবে', 'ইবে', 'ছেন', 'য়োন', 'য়ের', 'েরা', 'দের']],
  [3, 2, ['িস', 'েন', 'লি', 'লে', 'লা', 'তি', 'তে', 'তা', 'বি', 'বে', 'বা', 'ছি', 'ছা', 'ছে', 'ুন', 'ুক', 'টা', 'টি', 'নি', 'ের', 'তে', 'রা', 'কে']],
  [2, 1, ['ি', 'ী', 'া', 'ো', 'ে', 'ব', 'ত']],
];

/** Lucene's BengaliStemmer. */
export const bengaliStem = (term: string): string => stripFirst(BENGALI_RULES, term);

/**
 * Lucene's normalizers and light stemmers for languages written in Arabic script: Arabic
 * (ArabicNormalizer, ArabicStemmer), Persian (PersianNormalizer, PersianStemmer) and Sorani
 * (SoraniNormalizer, SoraniStemmer). Terms are UTF-16 strings, as Lucene's char buffers are, so
 * lengths count code units exactly as Lucene counts them.
 */

const ARABIC_DIACRITICS = new Set(['\u0640', '\u064B', '\u064C', '\u064D', '\u064E', '\u064F', '\u0650', '\u0651', '\u0652']);

/**
 * Lucene's ArabicNormalizer: hamza-seated alefs become bare alef, dotless yeh becomes yeh, teh
 * marbuta becomes heh, and harakat and tatweel are removed.
 *
 * @example arabicNormalize('أَحْمَد') // 'احمد'
 */
export function arabicNormalize(term: string): string {
  let out = '';
  for (let i = 0; i < term.length; i++) {
    const c = term[i] as string;
    if (c === '\u0622' || c === '\u0623' || c === '\u0625') out += '\u0627';
    else if (c === '\u0649') out += '\u064A';
    else if (c === '\u0629') out += '\u0647';
    else if (!ARABIC_DIACRITICS.has(c)) out += c;
  }
  return out;
}

const ARABIC_PREFIXES = ['\u0627\u0644', '\u0648\u0627\u0644', '\u0628\u0627\u0644', '\u0643\u0627\u0644', '\u0641\u0627\u0644', '\u0644\u0644', '\u0648'];
const ARABIC_SUFFIXES = ['\u0647\u0627', '\u0627\u0646', '\u0627\u062A', '\u0648\u0646', '\u064A\u0646', '\u064A\u0647', '\u064A\u0629', '\u0647', '\u0629', '\u064A'];

/**
 * Lucene's ArabicStemmer (Larkey's light10 without normalization): one prefix (definite article,
 * conjunction, prepositions), then every suffix in turn, each leaving at least two characters.
 *
 * @example arabicStem('كبيرة') // 'كبير'
 */
export function arabicStem(term: string): string {
  let s = term;
  for (const prefix of ARABIC_PREFIXES) {
    // wa- needs a word of four characters at least; other prefixes leave two characters
    const long = prefix.length === 1 ? s.length >= 4 : s.length >= prefix.length + 2;
    if (long && s.startsWith(prefix)) {
      s = s.slice(prefix.length);
      break;
    }
  }
  for (const suffix of ARABIC_SUFFIXES) {
    if (s.length >= suffix.length + 2 && s.endsWith(suffix)) s = s.slice(0, s.length - suffix.length);
  }
  return s;
}

/**
 * Lucene's PersianNormalizer: farsi yeh and yeh barree become yeh, keheh becomes kaf, heh with
 * yeh and heh goal become heh, and hamza above is removed.
 */
export function persianNormalize(term: string): string {
  let out = '';
  for (let i = 0; i < term.length; i++) {
    const c = term[i] as string;
    if (c === '\u06CC' || c === '\u06D2') out += '\u064A';
    else if (c === '\u06A9') out += '\u0643';
    else if (c === '\u06C0' || c === '\u06C1') out += '\u0647';
    else if (c !== '\u0654') out += c;
  }
  return out;
}

const PERSIAN_SUFFIXES = ['\u0627\u062A', '\u0627\u0646', '\u062A\u0631\u064A\u0646', '\u062A\u0631', '\u064A\u064A', '\u064A', '\u0647\u0627', '\u200C'];

/** Lucene 9's PersianStemmer (`persian_stem`, stemmer `persian`): every suffix in turn, each leaving two characters. */
export function persianStem(term: string): string {
  let s = term;
  for (const suffix of PERSIAN_SUFFIXES) {
    if (s.length >= suffix.length + 2 && s.endsWith(suffix)) s = s.slice(0, s.length - suffix.length);
  }
  return s;
}

/** Java's Character.getType(c) == FORMAT (Unicode category Cf) for one UTF-16 unit. */
const RE_FORMAT = /^\p{Cf}$/u;

/**
 * Lucene's SoraniNormalizer: yeh variants to farsi yeh, kaf to keheh, the forms of vowel e to
 * ae, heh doachashmee to heh, rreh variants (and a word-initial reh) to rreh; harakat, tatweel
 * and formatting characters are removed.
 */
export function soraniNormalize(term: string): string {
  const s = term.split('');
  let len = s.length;
  for (let i = 0; i < len; i++) {
    const c = s[i] as string;
    switch (c) {
      case '\u064A':
      case '\u0649':
        s[i] = '\u06CC';
        break;
      case '\u0643':
        s[i] = '\u06A9';
        break;
      case '\u200C':
        if (i > 0 && s[i - 1] === '\u0647') s[i - 1] = '\u06D5';
        s.splice(i, 1);
        len--;
        i--;
        break;
      case '\u0647':
        if (i === len - 1) s[i] = '\u06D5';
        break;
      case '\u0629':
        s[i] = '\u06D5';
        break;
      case '\u06BE':
        s[i] = '\u0647';
        break;
      case '\u0631':
        if (i === 0) s[i] = '\u0695';
        break;
      case '\u0692':
        s[i] = '\u0695';
        break;
      default:
        // a lone surrogate is not a format character (Character.getType of a surrogate is SURROGATE)
        if (ARABIC_DIACRITICS.has(c) || RE_FORMAT.test(c)) {
          s.splice(i, 1);
          len--;
          i--;
        }
    }
  }
  return s.join('');
}

/** Lucene's SoraniStemmer: a postposition, a possessive, then one article or plural ending. */
export function soraniStem(term: string): string {
  let s = term;
  const ends = (suffix: string) => s.endsWith(suffix);
  const cut = (n: number) => s.slice(0, s.length - n);
  // postposition
  if (s.length > 5 && ends('دا')) s = cut(2);
  else if (s.length > 4 && ends('نا')) s = cut(1);
  else if (s.length > 6 && ends('ەوە')) s = cut(3);
  // possessive pronoun
  if (s.length > 6 && (ends('مان') || ends('یان') || ends('تان'))) s = cut(3);
  const len = s.length;
  // indefinite singular ezafe
  if (len > 6 && ends('ێکی')) return cut(3);
  if (len > 7 && ends('یەکی')) return cut(4);
  // indefinite singular, definite singular and plural, indefinite plural (ezafe), demonstratives, absolute ezafe
  if (len > 5 && ends('ێک')) return cut(2);
  if (len > 6 && ends('یەک')) return cut(3);
  if (len > 6 && ends('ەکە')) return cut(3);
  if (len > 5 && ends('کە')) return cut(2);
  if (len > 7 && ends('ەکان')) return cut(4);
  if (len > 6 && ends('کان')) return cut(3);
  if (len > 7 && ends('یانی')) return cut(4);
  if (len > 6 && ends('انی')) return cut(3);
  if (len > 6 && ends('یان')) return cut(3);
  if (len > 5 && ends('ان')) return cut(2);
  if (len > 7 && ends('یانە')) return cut(4);
  if (len > 6 && ends('انە')) return cut(3);
  if (len > 5 && (ends('ایە') || ends('ەیە'))) return cut(2);
  if (len > 4 && ends('ە')) return cut(1);
  if (len > 4 && ends('ی')) return cut(1);
  return s;
}

/**
 * Lucene's light stemmers and normalizers for European languages that are not Snowball-based:
 * Czech (CzechStemmer), Latvian (LatvianStemmer), Bulgarian (BulgarianStemmer), Indonesian
 * (IndonesianStemmer), German (the old GermanStemmer of `german_stem`), Serbian
 * (SerbianNormalizationFilter) and Scandinavian (ScandinavianNormalizer, ScandinavianFoldingFilter).
 * Terms are UTF-16 strings; lengths count code units as Lucene's buffers do.
 */

const endsAny = (s: string, suffixes: readonly string[]): boolean => suffixes.some((x) => s.endsWith(x));

/** Lucene's CzechStemmer (Dolamic and Savoy): case endings, possessives, then palatalization. */
export function czechStem(term: string): string {
  let s = czechRemoveCase(term);
  if (s.length > 5 && endsAny(s, ['ov', 'in', 'ův'])) s = s.slice(0, -2);
  return s.length > 0 ? czechNormalize(s) : s;
}

function czechRemoveCase(s: string): string {
  const len = s.length;
  if (len > 7 && s.endsWith('atech')) return s.slice(0, len - 5);
  if (len > 6 && endsAny(s, ['ětem', 'etem', 'atům'])) return s.slice(0, len - 4);
  if (
    len > 5 &&
    endsAny(s, ['ech', 'ich', 'ích', 'ého', 'ěmi', 'emi', 'ému', 'ěte', 'ete', 'ěti', 'eti', 'ího', 'iho', 'ími', 'ímu', 'imu', 'ách', 'ata', 'aty', 'ých', 'ama', 'ami', 'ové', 'ovi', 'ými'])
  ) {
    return s.slice(0, len - 3);
  }
  if (len > 4 && endsAny(s, ['em', 'es', 'ém', 'ím', 'ům', 'at', 'ám', 'os', 'us', 'ým', 'mi', 'ou'])) return s.slice(0, len - 2);
  if (len > 3 && 'aeiouůyáéíýě'.includes(s[len - 1] as string)) return s.slice(0, len - 1);
  return s;
}

function czechNormalize(s: string): string {
  const len = s.length;
  if (s.endsWith('čt')) return s.slice(0, len - 2) + 'ck';
  if (s.endsWith('št')) return s.slice(0, len - 2) + 'sk';
  const last = s[len - 1] as string;
  if (last === 'c' || last === 'č') return s.slice(0, len - 1) + 'k';
  if (last === 'z' || last === 'ž') return s.slice(0, len - 1) + 'h';
  if (len > 1 && s[len - 2] === 'e') return s.slice(0, len - 2) + last;
  if (len > 2 && s[len - 2] === 'ů') return s.slice(0, len - 2) + 'o' + last;
  return s;
}

/** LatvianStemmer's affixes: suffix, vowels it holds, whether removing it fires palatalization. */
const LATVIAN_AFFIXES: ReadonlyArray<readonly [string, number, boolean]> = [
  ['ajiem', 3, false], ['ajai', 3, false], ['ajam', 2, false], ['ajām', 2, false], ['ajos', 2, false], ['ajās', 2, false],
  ['iem', 2, true], ['ajā', 2, false], ['ais', 2, false], ['ai', 2, false], ['ei', 2, false], ['ām', 1, false],
  ['am', 1, false], ['ēm', 1, false], ['īm', 1, false], ['im', 1, false], ['um', 1, false], ['us', 1, true],
  ['as', 1, false], ['ās', 1, false], ['es', 1, false], ['os', 1, true], ['ij', 1, false], ['īs', 1, false],
  ['ēs', 1, false], ['is', 1, false], ['ie', 1, false], ['u', 1, true], ['a', 1, true], ['i', 1, true],
  ['e', 1, false], ['ā', 1, false], ['ē', 1, false], ['ī', 1, false], ['ū', 1, false], ['o', 1, false],
  ['s', 0, false], ['š', 0, false],
];
const LATVIAN_VOWELS = 'aeiouāīēū';

/** Lucene's LatvianStemmer (a light version of Kreslins'): one noun or adjective ending, then palatalization. */
export function latvianStem(term: string): string {
  let vowels = 0;
  for (const c of term) if (LATVIAN_VOWELS.includes(c)) vowels++;
  for (const [affix, vc, palatalizes] of LATVIAN_AFFIXES) {
    if (vowels > vc && term.length >= affix.length + 3 && term.endsWith(affix)) {
      const stem = term.slice(0, term.length - affix.length);
      return palatalizes ? latvianUnpalatalize(stem, term[stem.length] as string) : stem;
    }
  }
  return term;
}

function latvianUnpalatalize(s: string, removed: string): string {
  const head = s.slice(0, -2);
  if (removed === 'u') {
    if (s.endsWith('kš')) return head + 'kst';
    if (s.endsWith('ņņ')) return head + 'nn';
  }
  if (endsAny(s, ['pj', 'bj', 'mj', 'vj'])) return s.slice(0, -1);
  const pairs: Record<string, string> = { šņ: 'sn', žņ: 'zn', šļ: 'sl', žļ: 'zl', ļņ: 'ln', ļļ: 'll' };
  const pair = s.slice(-2);
  if (s.length >= 2 && Object.hasOwn(pairs, pair)) return head + pairs[pair];
  const last = s[s.length - 1];
  if (last === 'č') return s.slice(0, -1) + 'c';
  if (last === 'ļ') return s.slice(0, -1) + 'l';
  if (last === 'ņ') return s.slice(0, -1) + 'n';
  return s;
}

/** Lucene's BulgarianStemmer (Savoy): article, plural, then a vowel and the ен and ъN rewrites. */
export function bulgarianStem(term: string): string {
  let s = term;
  if (s.length < 4) return s;
  if (s.length > 5 && s.endsWith('ища')) return s.slice(0, -3);
  s = bulgarianRemoveArticle(s);
  s = bulgarianRemovePlural(s);
  if (s.length > 3) {
    if (s.endsWith('я')) s = s.slice(0, -1);
    if (endsAny(s, ['а', 'о', 'е'])) s = s.slice(0, -1);
  }
  if (s.length > 4 && s.endsWith('ен')) s = s.slice(0, -2) + 'н';
  if (s.length > 5 && s[s.length - 2] === 'ъ') s = s.slice(0, -2) + (s[s.length - 1] as string);
  return s;
}

function bulgarianRemoveArticle(s: string): string {
  const len = s.length;
  if (len > 6 && s.endsWith('ият')) return s.slice(0, -3);
  if (len > 5 && endsAny(s, ['ът', 'то', 'те', 'та', 'ия'])) return s.slice(0, -2);
  if (len > 4 && s.endsWith('ят')) return s.slice(0, -2);
  return s;
}

function bulgarianRemovePlural(s: string): string {
  const len = s.length;
  if (len > 6) {
    if (s.endsWith('овци')) return s.slice(0, -3);
    if (s.endsWith('ове')) return s.slice(0, -3);
    if (s.endsWith('еве')) return s.slice(0, -3) + 'й';
  }
  if (len > 5) {
    if (s.endsWith('ища')) return s.slice(0, -3);
    if (s.endsWith('та')) return s.slice(0, -2);
    if (s.endsWith('ци')) return s.slice(0, -2) + 'к';
    if (s.endsWith('зи')) return s.slice(0, -2) + 'г';
    if (s[len - 3] === 'е' && s[len - 1] === 'и') return s.slice(0, -3) + 'я' + (s[len - 2] as string);
  }
  if (len > 4) {
    if (s.endsWith('си')) return s.slice(0, -2) + 'х';
    if (s.endsWith('и')) return s.slice(0, -1);
  }
  return s;
}

const ID_KE = 1;
const ID_PENG = 2;
const ID_DI = 4;
const ID_MENG = 8;
const ID_TER = 16;
const ID_BER = 32;
const ID_PE = 64;
const isIdVowel = (c: string | undefined): boolean => c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u';

/**
 * Lucene's IndonesianStemmer (Tala): particles and possessive pronouns, then (with
 * `stemDerivational`, the default) first- and second-order prefixes and derivational suffixes,
 * while the word keeps more than two syllables.
 */
export function indonesianStem(term: string, stemDerivational = true): string {
  let s = term;
  let flags = 0;
  let syllables = 0;
  for (const c of s) if (isIdVowel(c)) syllables++;
  if (syllables > 2 && endsAny(s, ['kah', 'lah', 'pun'])) {
    syllables--;
    s = s.slice(0, -3);
  }
  if (syllables > 2) {
    if (endsAny(s, ['ku', 'mu'])) {
      syllables--;
      s = s.slice(0, -2);
    } else if (s.endsWith('nya')) {
      syllables--;
      s = s.slice(0, -3);
    }
  }
  if (!stemDerivational) return s;

  const prefix = (n: number, flag: number, replace = '') => {
    flags |= flag;
    syllables--;
    s = replace + s.slice(n);
  };
  const firstOrder = () => {
    if (s.startsWith('meng')) prefix(4, ID_MENG);
    else if (s.startsWith('meny') && s.length > 4 && isIdVowel(s[4])) prefix(4, ID_MENG, 's');
    else if (s.startsWith('men') || s.startsWith('mem')) prefix(3, ID_MENG);
    else if (s.startsWith('me')) prefix(2, ID_MENG);
    else if (s.startsWith('peng')) prefix(4, ID_PENG);
    else if (s.startsWith('peny') && s.length > 4 && isIdVowel(s[4])) prefix(4, ID_PENG, 's');
    else if (s.startsWith('peny')) prefix(4, ID_PENG);
    else if (s.startsWith('pen') && s.length > 3 && isIdVowel(s[3])) prefix(3, ID_PENG, 't');
    else if (s.startsWith('pen') || s.startsWith('pem')) prefix(3, ID_PENG);
    else if (s.startsWith('di')) prefix(2, ID_DI);
    else if (s.startsWith('ter')) prefix(3, ID_TER);
    else if (s.startsWith('ke')) prefix(2, ID_KE);
  };
  const secondOrder = () => {
    if (s.startsWith('ber')) prefix(3, ID_BER);
    else if (s.length === 7 && s === 'belajar') prefix(3, ID_BER);
    else if (s.startsWith('be') && s.length > 4 && !isIdVowel(s[2]) && s[3] === 'e' && s[4] === 'r') prefix(2, ID_BER);
    else if (s.startsWith('per')) prefix(3, 0);
    else if (s.length === 7 && s === 'pelajar') prefix(3, 0);
    else if (s.startsWith('pe')) prefix(2, ID_PE);
  };
  const suffix = () => {
    if (s.endsWith('kan') && (flags & (ID_KE | ID_PENG | ID_PE)) === 0) {
      syllables--;
      s = s.slice(0, -3);
    } else if (s.endsWith('an') && (flags & (ID_DI | ID_MENG | ID_TER)) === 0) {
      syllables--;
      s = s.slice(0, -2);
    } else if (s.endsWith('i') && !s.endsWith('si') && (flags & (ID_BER | ID_KE | ID_PENG)) === 0) {
      syllables--;
      s = s.slice(0, -1);
    }
  };

  let before = s.length;
  if (syllables > 2) firstOrder();
  if (before !== s.length) {
    before = s.length;
    if (syllables > 2) suffix();
    if (before !== s.length && syllables > 2) secondOrder();
  } else {
    if (syllables > 2) secondOrder();
    if (syllables > 2) suffix();
  }
  return s;
}

const isJavaLetter = (c: string): boolean => /^\p{L}$/u.test(c);

/**
 * Lucene's GermanStemmer (Caumanns), the `german_stem` filter: substitutions, stripping of the
 * base suffixes e, s, n, t, em, er and nd, then the substitutions undone. Terms holding anything
 * but letters are returned lowercased and unstemmed.
 */
export function germanStem(input: string): string {
  const term = input.toLowerCase();
  for (let i = 0; i < term.length; i++) if (!isJavaLetter(term[i] as string)) return term;
  const b = term.split('');
  let subst = 0;
  // substitute
  for (let c = 0; c < b.length; c++) {
    if (c > 0 && b[c] === b[c - 1]) b[c] = '*';
    else if (b[c] === 'ä') b[c] = 'a';
    else if (b[c] === 'ö') b[c] = 'o';
    else if (b[c] === 'ü') b[c] = 'u';
    else if (b[c] === 'ß') {
      b[c] = 's';
      b.splice(c + 1, 0, 's');
      subst++;
    }
    if (c < b.length - 1) {
      const x = b[c];
      const y = b[c + 1];
      if (c < b.length - 2 && x === 's' && y === 'c' && b[c + 2] === 'h') {
        b[c] = '$';
        b.splice(c + 1, 2);
        subst += 2;
      } else if (x === 'c' && y === 'h') [b[c], subst] = ['§', subst + 1];
      else if (x === 'e' && y === 'i') [b[c], subst] = ['%', subst + 1];
      else if (x === 'i' && y === 'e') [b[c], subst] = ['&', subst + 1];
      else if (x === 'i' && y === 'g') [b[c], subst] = ['#', subst + 1];
      else if (x === 's' && y === 't') [b[c], subst] = ['!', subst + 1];
      else continue;
      if (b[c] !== '$') b.splice(c + 1, 1);
    }
  }
  const strip = () => {
    for (;;) {
      if (b.length <= 3) return;
      const last2 = (b[b.length - 2] as string) + (b[b.length - 1] as string);
      const last = b[b.length - 1];
      if (b.length + subst > 5 && last2 === 'nd') b.length -= 2;
      else if (b.length + subst > 4 && (last2 === 'em' || last2 === 'er')) b.length -= 2;
      else if (last === 'e' || last === 's' || last === 'n' || last === 't') b.length -= 1;
      else return;
    }
  };
  strip();
  // optimize
  if (b.length > 5 && b.slice(-5).join('') === 'erin*') {
    b.length -= 1;
    strip();
  }
  if (b.length > 0 && b[b.length - 1] === 'z') b[b.length - 1] = 'x';
  // resubstitute
  const RESTORE: Record<string, string> = { $: 'sch', '§': 'ch', '%': 'ei', '&': 'ie', '#': 'ig', '!': 'st' };
  for (let c = 0; c < b.length; c++) {
    const x = b[c] as string;
    if (x === '*') b[c] = b[c - 1] as string;
    else if (Object.hasOwn(RESTORE, x)) {
      const r = RESTORE[x] as string;
      b.splice(c, 1, ...r.split(''));
    }
  }
  // remove the particle denotion "ge"
  let out = b.join('');
  if (out.length > 4) {
    const at = out.indexOf('gege');
    if (at >= 0 && at < out.length - 3) out = out.slice(0, at) + out.slice(at + 2);
  }
  return out;
}

const SERBIAN: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', ђ: 'dj', đ: 'dj', е: 'e', ж: 'z', з: 'z', ž: 'z', и: 'i', ј: 'j', к: 'k',
  л: 'l', љ: 'lj', м: 'm', н: 'n', њ: 'nj', о: 'o', п: 'p', р: 'r', с: 's', т: 't', ћ: 'c', ц: 'c', ч: 'c', č: 'c',
  ć: 'c', у: 'u', ф: 'f', х: 'h', џ: 'dz', ш: 's', š: 's',
};

/** Lucene's SerbianNormalizationFilter: Cyrillic to Latin, then "bald" Latin (đ as dj). Expects lowercase input. */
export function serbianNormalize(term: string): string {
  let out = '';
  for (let i = 0; i < term.length; i++) {
    const c = term[i] as string;
    out += Object.hasOwn(SERBIAN, c) ? SERBIAN[c] : c;
  }
  return out;
}

/**
 * Lucene's ScandinavianNormalizationFilter: ä/ö become æ/ø, and the folded pairs aa, ao, ae, oe
 * and oo become å, æ and ø (keeping the case of the first letter).
 */
export function scandinavianNormalize(term: string): string {
  const s = term.split('');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === 'ä') s[i] = 'æ';
    else if (c === 'Ä') s[i] = 'Æ';
    else if (c === 'ö') s[i] = 'ø';
    else if (c === 'Ö') s[i] = 'Ø';
    else if (s.length - 1 > i) {
      const n = (s[i + 1] as string).toLowerCase();
      const next = n === 'a' || n === 'o' || n === 'e' ? n : '';
      if (next === '' || !/^[aAoO]$/.test(c as string)) continue;
      const upper = c === 'A' || c === 'O';
      if ((c === 'a' || c === 'A') && (next === 'a' || next === 'o')) s[i] = upper ? 'Å' : 'å';
      else if ((c === 'a' || c === 'A') && next === 'e') s[i] = upper ? 'Æ' : 'æ';
      else if ((c === 'o' || c === 'O') && (next === 'e' || next === 'o')) s[i] = upper ? 'Ø' : 'ø';
      else continue;
      s.splice(i + 1, 1);
    }
  }
  return s.join('');
}

/**
 * Lucene's ScandinavianFoldingFilter: å, ä, æ become a and ö, ø become o (keeping case), and the
 * second letter of aa, ae, ao, oe and oo is dropped.
 */
export function scandinavianFold(term: string): string {
  const s = term.split('');
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === 'å' || c === 'ä' || c === 'æ') s[i] = 'a';
    else if (c === 'Å' || c === 'Ä' || c === 'Æ') s[i] = 'A';
    else if (c === 'ø' || c === 'ö') s[i] = 'o';
    else if (c === 'Ø' || c === 'Ö') s[i] = 'O';
    else if (s.length - 1 > i) {
      const n = (s[i + 1] as string).toLowerCase();
      if (((c === 'a' || c === 'A') && (n === 'a' || n === 'e' || n === 'o')) || ((c === 'o' || c === 'O') && (n === 'e' || n === 'o'))) s.splice(i + 1, 1);
    }
  }
  return s.join('');
}

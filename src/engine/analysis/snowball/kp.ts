/**
 * The Kraaij-Pohlmann Dutch stemmer (W. Kraaij and R. Pohlmann, 1994) as Snowball encodes it and
 * Lucene 9 ships it (org.tartarus.snowball.ext.KpStemmer, Elasticsearch 8's `dutch_kp` stemmer
 * and `Kp` snowball language; Lucene 10 dropped it, Elasticsearch 8.16 deprecates it).
 *
 * Steps 1 to 4 remove inflectional and derivational suffixes from the end of the word, each
 * trying only the longest of its suffixes (a failed condition leaves the word as it is); then a
 * ge- prefix or infix of a past participle goes, and steps 7 and 6 tidy the end. Positions are
 * string indices; "before p" means the letters ending at index p.
 */

const VOWELS = new Set([...'aeiouy']);
const VOWELS_WX = new Set([...'aeiouywx']);
const AOU = new Set([...'aou']);
const AIOU = new Set([...'aiou']);

const isVowel = (c: string | undefined): boolean => c !== undefined && VOWELS.has(c);
const isConsonant = (c: string | undefined): boolean => c !== undefined && !VOWELS.has(c);

/** A word being stemmed, with its two regions' starts. */
class Word {
  p1 = 0;
  p2 = 0;
  constructor(public s: string) {}

  /** The letter ending at `at` (index at - 1). */
  at(at: number): string | undefined {
    return at > 0 ? this.s[at - 1] : undefined;
  }

  /** `str` ends at `at`. */
  has(str: string, at: number): boolean {
    return at >= str.length && this.s.slice(at - str.length, at) === str;
  }

  r1 = (at: number): boolean => this.p1 <= at;
  r2 = (at: number): boolean => this.p2 <= at;

  /** A vowel (or ij) ends at `at`. */
  v(at: number): boolean {
    return isVowel(this.at(at)) || this.has('ij', at);
  }

  /** A vowel or ij ends one letter before `at`. */
  vx(at: number): boolean {
    return at >= 1 && this.v(at - 1);
  }

  /** A consonant ends at `at`, and not the j of ij. */
  c(at: number): boolean {
    return !this.has('ij', at) && isConsonant(this.at(at));
  }

  /** Replaces the end of the word from `from` with `by`. */
  cut(from: number, by = ''): true {
    this.s = this.s.slice(0, from) + by;
    return true;
  }

  /**
   * A final vowel before a final consonant (not w or x) is doubled: a, o or u at the start of the
   * word or after a consonant; e likewise, unless the consonant before it follows a, i, o or u, or
   * a consonant and a, i, o or u follow one letter further back (maken -> maak, but not beter).
   */
  lengthenV(): void {
    const n = this.s.length;
    if (n < 2 || VOWELS_WX.has(this.s[n - 1] as string)) return;
    const vowel = this.s[n - 2] as string;
    const start = n - 2;
    let ok = false;
    if (AOU.has(vowel)) {
      ok = start === 0 || isConsonant(this.at(start));
    } else if (vowel === 'e') {
      if (start === 0) ok = true;
      else if (isConsonant(this.at(start))) {
        const q = start - 1;
        const aiouBefore = AIOU.has(this.at(q) ?? '');
        const nextAiouC = q >= 1 && AIOU.has(this.at(q - 1) ?? '') && isConsonant(this.at(q - 2));
        ok = !aiouBefore && !nextAiouC;
      }
    }
    if (ok) this.s = this.s.slice(0, start) + vowel + this.s.slice(start);
  }
}

/** A suffix step: the longest suffix of `rules` ending the word, then its action with the suffix's start. */
type Action = (w: Word, at: number) => boolean;
function step(rules: Readonly<Record<string, Action>>): (w: Word) => boolean {
  const suffixes = Object.keys(rules).sort((a, b) => b.length - a.length);
  return (w) => {
    const suffix = suffixes.find((s) => w.s.endsWith(s));
    return suffix !== undefined && (rules[suffix] as Action)(w, w.s.length - suffix.length);
  };
}

const step1 = step({
  "'s": (w, at) => w.cut(at),
  s: (w, at) => w.r1(at) && !(w.has('t', at) && w.r1(at - 1)) && w.c(at) && w.cut(at),
  ies: (w, at) => w.r1(at) && w.cut(at, 'ie'),
  es: (w, at) => {
    if (w.has('ar', at) && w.r1(at - 2) && w.c(at - 2)) return w.cut(at - 2) && (w.lengthenV(), true);
    if (w.has('er', at) && w.r1(at - 2) && w.c(at - 2)) return w.cut(at - 2);
    return w.r1(at) && w.c(at) && w.cut(at, 'e');
  },
  aus: (w, at) => w.r1(at) && w.v(at) && w.cut(at, 'au'),
  en: (w, at) => {
    if (w.has('hed', at) && w.r1(at - 3)) return w.cut(at - 3, 'heid');
    if (w.has('nd', at)) return w.cut(at);
    if (w.has('d', at) && w.r1(at - 1) && w.c(at - 1)) return w.cut(at - 1);
    if ((w.has('i', at) || w.has('j', at)) && w.v(at - 1)) return w.cut(at);
    return w.r1(at) && w.c(at) && w.cut(at) && (w.lengthenV(), true);
  },
  nde: (w, at) => w.cut(at, 'nd'),
});

const step2 = step({
  je: (w, at) => {
    if (w.has("'t", at)) return w.cut(at - 2);
    if (w.has('et', at) && w.r1(at - 2) && w.c(at - 2)) return w.cut(at - 2);
    if (w.has('rnt', at)) return w.cut(at - 3, 'rn');
    if (w.has('t', at) && w.r1(at - 1) && w.vx(at - 1)) return w.cut(at - 1);
    if (w.has('ink', at)) return w.cut(at - 3, 'ing');
    if (w.has('mp', at)) return w.cut(at - 2, 'm');
    if (w.has("'", at) && w.r1(at - 1)) return w.cut(at - 1);
    return w.r1(at) && w.c(at) && w.cut(at);
  },
  ge: (w, at) => w.r1(at) && w.cut(at, 'g'),
  lijke: (w, at) => w.r1(at) && w.cut(at, 'lijk'),
  ische: (w, at) => w.r1(at) && w.cut(at, 'isch'),
  de: (w, at) => w.r1(at) && w.c(at) && w.cut(at),
  te: (w, at) => w.r1(at) && w.cut(at, 't'),
  se: (w, at) => w.r1(at) && w.cut(at, 's'),
  re: (w, at) => w.r1(at) && w.cut(at, 'r'),
  le: (w, at) => w.r1(at) && w.cut(at, 'l') && (w.lengthenV(), true),
  ene: (w, at) => w.r1(at) && w.c(at) && w.cut(at, 'en') && (w.lengthenV(), true),
  ieve: (w, at) => w.r1(at) && w.c(at) && w.cut(at, 'ief'),
});

const deleteInR1: Action = (w, at) => w.r1(at) && w.cut(at);
const deleteInR1Lengthen: Action = (w, at) => w.r1(at) && w.cut(at) && (w.lengthenV(), true);
const consonantInR1Lengthen: Action = (w, at) => w.r1(at) && w.c(at) && w.cut(at) && (w.lengthenV(), true);

const step3 = step({
  atie: (w, at) => w.r1(at) && w.cut(at, 'eer'),
  iteit: deleteInR1Lengthen,
  heid: deleteInR1,
  sel: deleteInR1,
  ster: deleteInR1,
  rder: (w, at) => w.cut(at, 'r'),
  ing: deleteInR1Lengthen,
  isme: deleteInR1Lengthen,
  erij: deleteInR1Lengthen,
  arij: (w, at) => w.r1(at) && w.c(at) && w.cut(at, 'aar'),
  fie: (w, at) => w.r2(at) && w.cut(at, 'f') && (w.lengthenV(), true),
  gie: (w, at) => w.r2(at) && w.cut(at, 'g') && (w.lengthenV(), true),
  tst: (w, at) => w.r1(at) && w.c(at) && w.cut(at, 't'),
  dst: (w, at) => w.r1(at) && w.c(at) && w.cut(at, 'd'),
});

const step4a = step({
  ioneel: (w, at) => w.r1(at) && w.cut(at, 'ie'),
  atief: (w, at) => w.r1(at) && w.cut(at, 'eer'),
  baar: deleteInR1,
  naar: (w, at) => w.r1(at) && w.v(at) && w.cut(at, 'n'),
  laar: (w, at) => w.r1(at) && w.v(at) && w.cut(at, 'l'),
  raar: (w, at) => w.r1(at) && w.v(at) && w.cut(at, 'r'),
  tant: (w, at) => w.r1(at) && w.cut(at, 'teer'),
  lijker: (w, at) => w.r1(at) && w.cut(at, 'lijk'),
  lijkst: (w, at) => w.r1(at) && w.cut(at, 'lijk'),
  achtig: deleteInR1,
  achtiger: deleteInR1,
  achtigst: deleteInR1,
  eriger: consonantInR1Lengthen,
  erigst: consonantInR1Lengthen,
  erig: consonantInR1Lengthen,
  end: consonantInR1Lengthen,
});
const step4b = step({ iger: consonantInR1Lengthen, igst: consonantInR1Lengthen, ig: consonantInR1Lengthen });
const step4 = (w: Word): boolean => step4a(w) || step4b(w);

const step7 = step({ kt: (w, at) => w.cut(at, 'k'), ft: (w, at) => w.cut(at, 'f'), pt: (w, at) => w.cut(at, 'p') });

/** Doubled consonants lose a letter; a final v is f, z is s. */
const step6 = step({
  ...Object.fromEntries([...'bcdfghjklmnpqrstvwxz'].map((c) => [c + c, ((w: Word, at: number) => w.cut(at, c)) as Action])),
  v: (w, at) => w.cut(at, 'f'),
  z: (w, at) => w.cut(at, 's'),
});

/** After a removed ge-: a final d (not after n in R1) or t (not after h in R1), in R1 after a consonant. */
const step1c = step({
  d: (w, at) => w.r1(at) && w.c(at) && !(w.has('n', at) && w.r1(at - 1)) && w.cut(at),
  t: (w, at) => w.r1(at) && w.c(at) && !(w.has('h', at) && w.r1(at - 1)) && w.cut(at),
});

/**
 * R1 and R2: each starts after a consonant that follows a run of vowels (ij counting as one)
 * that follows any consonants; R2 does the same again from R1.
 */
function measure(w: Word): void {
  const s = w.s;
  const region = (from: number): number | undefined => {
    let i = from;
    while (i < s.length && !VOWELS.has(s[i] as string)) i++;
    let vowels = 0;
    for (;;) {
      if (s.startsWith('ij', i)) i += 2;
      else if (i < s.length && VOWELS.has(s[i] as string)) i += 1;
      else break;
      vowels++;
    }
    if (vowels === 0 || i >= s.length) return undefined;
    return i + 1;
  };
  w.p1 = s.length;
  w.p2 = s.length;
  const p1 = region(0);
  if (p1 === undefined) return;
  w.p1 = p1;
  w.p2 = region(p1) ?? s.length;
}

/** After index `from`, at least three letters, and a vowel followed somewhere by a consonant. */
function participleStem(s: string, from: number): boolean {
  if (from + 3 > s.length) return false;
  let i = from;
  while (i < s.length && !VOWELS.has(s[i] as string)) i++;
  while (i < s.length && VOWELS.has(s[i] as string)) i++;
  return i < s.length;
}

/**
 * Stems a Dutch word with the Kraaij-Pohlmann algorithm.
 *
 * @example kpStem('opgelopen') // 'oploop'
 */
export function kpStem(word: string): string {
  // a y at the start or after a vowel is a consonant: Y until the end
  let s = word;
  let yFound = false;
  if (s.startsWith('y')) {
    s = 'Y' + s.slice(1);
    yFound = true;
  }
  for (let i = 1; i < s.length; i++) {
    if (s[i] === 'y' && VOWELS.has(s[i - 1] as string)) {
      s = s.slice(0, i) + 'Y' + s.slice(i + 1);
      yFound = true;
    }
  }
  const w = new Word(s);
  measure(w);
  let stemmed = false;
  for (const suffixStep of [step1, step2, step3, step4]) if (suffixStep(w)) stemmed = true;

  // ge- before a participle stem
  if (w.s.startsWith('ge') && participleStem(w.s, 2)) {
    w.s = w.s.slice(2);
    measure(w);
    step1c(w);
  }
  // -ge- inside: the first ge after the first letter
  let infixRemoved = false;
  const ge = w.s.indexOf('ge', 1);
  if (ge >= 1 && participleStem(w.s, ge + 2)) {
    w.s = w.s.slice(0, ge) + w.s.slice(ge + 2);
    infixRemoved = true;
    measure(w);
    step1c(w);
  }
  if (step7(w)) stemmed = true;
  if (stemmed || infixRemoved) step6(w);
  return yFound ? w.s.replaceAll('Y', 'y') : w.s;
}

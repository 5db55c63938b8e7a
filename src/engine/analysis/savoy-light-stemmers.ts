/**
 * Savoy's light stemmers for Swedish, Russian and Norwegian as Lucene implements them
 * (SwedishLightStemmer, RussianLightStemmer, NorwegianLightStemmer, NorwegianMinimalStemmer):
 * the stemmer languages light_swedish, light_russian, light_norwegian, light_nynorsk,
 * minimal_norwegian and minimal_nynorsk. Lengths count UTF-16 units, as Lucene's buffers do.
 */

type Rule = readonly [longerThan: number, remove: number, suffixes: readonly string[]];

function firstRule(rules: readonly Rule[], s: string): string | undefined {
  for (const [longerThan, remove, suffixes] of rules) {
    if (s.length > longerThan && suffixes.some((x) => s.endsWith(x))) return s.slice(0, s.length - remove);
  }
  return undefined;
}

const SWEDISH: readonly Rule[] = [
  [7, 5, ['elser', 'heten']],
  [6, 4, ['arne', 'erna', 'ande', 'else', 'aste', 'orna', 'aren']],
  [5, 3, ['are', 'ast', 'het']],
  [4, 2, ['ar', 'er', 'or', 'en', 'at', 'te', 'et']],
];

/** Lucene's SwedishLightStemmer. */
export function swedishLightStem(term: string): string {
  const s = term.length > 4 && term.endsWith('s') ? term.slice(0, -1) : term;
  const stemmed = firstRule(SWEDISH, s);
  if (stemmed !== undefined) return stemmed;
  if (s.length > 3 && 'taen'.includes(s[s.length - 1] as string)) return s.slice(0, -1);
  return s;
}

const RUSSIAN: readonly Rule[] = [
  [6, 4, ['иями', 'оями']],
  [5, 3, ['иям', 'иях', 'оях', 'ями', 'оям', 'оьв', 'ами', 'его', 'ему', 'ери', 'ими', 'ого', 'ому', 'ыми', 'оев']],
  [4, 2, ['ая', 'яя', 'ях', 'юю', 'ах', 'ею', 'их', 'ия', 'ию', 'ьв', 'ою', 'ую', 'ям', 'ых', 'ея', 'ам', 'ем', 'ей', 'ём', 'ев', 'ий', 'им', 'ое', 'ой', 'ом', 'ов', 'ые', 'ый', 'ым', 'ми']],
];

/** Lucene's RussianLightStemmer (Dolamic and Savoy): a case ending, then ь, и or a doubled н. */
export function russianLightStem(term: string): string {
  let s = firstRule(RUSSIAN, term) ?? (term.length > 3 && 'аеиоуйыяь'.includes(term[term.length - 1] as string) ? term.slice(0, -1) : term);
  if (s.length > 3) {
    const last = s[s.length - 1];
    if (last === 'ь' || last === 'и' || (last === 'н' && s[s.length - 2] === 'н')) s = s.slice(0, -1);
  }
  return s;
}

/** NorwegianLightStemmer's rules: [longer than, remove, suffix, bokmål, nynorsk]. */
const NORWEGIAN_LIGHT: ReadonlyArray<readonly [number, number, string, boolean, boolean]> = [
  [7, 5, 'heter', true, false], [7, 5, 'heten', true, false], [7, 5, 'heita', false, true],
  [8, 6, 'heiter', false, true], [8, 6, 'leiken', false, true], [8, 6, 'leikar', false, true],
  [5, 3, 'dom', true, true], [5, 3, 'het', true, false],
  [6, 4, 'heit', false, true], [6, 4, 'semd', false, true], [6, 4, 'leik', false, true],
  [7, 5, 'elser', true, true], [7, 5, 'elsen', true, true],
  [6, 4, 'ende', true, false], [6, 4, 'ande', false, true], [6, 4, 'else', true, true], [6, 4, 'este', true, false],
  [6, 4, 'aste', false, true], [6, 4, 'eren', true, false], [6, 4, 'aren', false, true],
  [5, 3, 'ere', true, false], [5, 3, 'are', false, true], [5, 3, 'est', true, false], [5, 3, 'ast', false, true],
  [5, 3, 'ene', true, true], [5, 3, 'ane', false, true],
  [4, 2, 'er', true, true], [4, 2, 'en', true, true], [4, 2, 'et', true, true], [4, 2, 'ar', false, true],
  [4, 2, 'st', true, false], [4, 2, 'te', true, true],
];

/** Rule groups in Lucene's order: each group is one `if` of NorwegianLightStemmer. */
const NORWEGIAN_LIGHT_GROUPS = [[0, 3], [3, 6], [6, 8], [8, 11], [11, 13], [13, 20], [20, 26], [26, 32]] as const;

/** Lucene's NorwegianLightStemmer for Bokmål (`nb`, light_norwegian) or Nynorsk (`nn`, light_nynorsk). */
export function norwegianLightStem(term: string, variant: 'nb' | 'nn'): string {
  const s = term.length > 4 && term.endsWith('s') ? term.slice(0, -1) : term;
  for (const [from, to] of NORWEGIAN_LIGHT_GROUPS) {
    const group = NORWEGIAN_LIGHT.slice(from, to);
    const longerThan = (group[0] as (typeof NORWEGIAN_LIGHT)[number])[0];
    if (s.length <= longerThan) continue;
    for (const [, remove, suffix, nb, nn] of group) {
      if ((variant === 'nb' ? nb : nn) && s.endsWith(suffix)) return s.slice(0, s.length - remove);
    }
  }
  if (s.length > 3 && 'aen'.includes(s[s.length - 1] as string)) return s.slice(0, -1);
  return s;
}

/** Lucene's NorwegianMinimalStemmer for Bokmål (minimal_norwegian) or Nynorsk (minimal_nynorsk). */
export function norwegianMinimalStem(term: string, variant: 'nb' | 'nn'): string {
  const s = term.length > 4 && term.endsWith('s') ? term.slice(0, -1) : term;
  const nn = variant === 'nn';
  if (s.length > 5 && (s.endsWith('ene') || (nn && s.endsWith('ane')))) return s.slice(0, -3);
  if (s.length > 4 && (s.endsWith('er') || s.endsWith('en') || s.endsWith('et') || (nn && s.endsWith('ar')))) return s.slice(0, -2);
  if (s.length > 3 && 'ae'.includes(s[s.length - 1] as string)) return s.slice(0, -1);
  return s;
}

const isFinnishVowel = (c: string | undefined): boolean => c !== undefined && 'aeiouy'.includes(c) && c.length === 1;

/** A char buffer and length, as Lucene's stemmers work: writes land in place, cuts only shorten. */
class Chars {
  readonly s: string[];
  constructor(
    term: string,
    public len = term.length,
  ) {
    this.s = term.split('');
  }
  ends(suffix: string): boolean {
    if (suffix.length > this.len) return false;
    for (let i = 0; i < suffix.length; i++) if (this.s[this.len - suffix.length + i] !== suffix[i]) return false;
    return true;
  }
  at(i: number): string | undefined {
    return this.s[i];
  }
  toString(): string {
    return this.s.slice(0, this.len).join('');
  }
}

function finnishStep1(b: Chars): void {
  if (b.len > 8) {
    if (b.ends('kin')) {
      b.len -= 3;
      finnishStep1(b);
      return;
    }
    if (b.ends('ko')) {
      b.len -= 2;
      finnishStep1(b);
      return;
    }
  }
  if (b.len > 11) {
    if (b.ends('dellinen')) b.len -= 8;
    else if (b.ends('dellisuus')) b.len -= 9;
  }
}

function finnishStep2(b: Chars): void {
  if (b.len > 5) {
    if (b.ends('lla') || b.ends('tse') || b.ends('sti')) b.len -= 3;
    else if (b.ends('ni')) b.len -= 2;
    else if (b.ends('aa')) b.len -= 1;
  }
}

function finnishStep3(b: Chars): void {
  const len = b.len;
  if (len > 8) {
    if (b.ends('nnen')) {
      b.s[len - 4] = 's';
      b.len -= 3;
      return;
    }
    if (b.ends('ntena')) {
      b.s[len - 5] = 's';
      b.len -= 4;
      return;
    }
    if (b.ends('tten')) {
      b.len -= 4;
      return;
    }
    if (b.ends('eiden')) {
      b.len -= 5;
      return;
    }
  }
  if (len > 6) {
    if (['neen', 'niin', 'seen', 'teen', 'inen'].some((x) => b.ends(x))) {
      b.len -= 4;
      return;
    }
    if (b.at(len - 3) === 'h' && isFinnishVowel(b.at(len - 2)) && b.at(len - 1) === 'n') {
      b.len -= 3;
      return;
    }
    if (b.ends('den')) {
      b.s[len - 3] = 's';
      b.len -= 2;
      return;
    }
    if (b.ends('ksen')) {
      b.s[len - 4] = 's';
      b.len -= 3;
      return;
    }
    if (['ssa', 'sta', 'lla', 'lta', 'tta', 'ksi', 'lle'].some((x) => b.ends(x))) {
      b.len -= 3;
      return;
    }
  }
  if (len > 5) {
    if (b.ends('na') || b.ends('ne')) {
      b.len -= 2;
      return;
    }
    if (b.ends('nei')) {
      b.len -= 3;
      return;
    }
  }
  if (len > 4) {
    if (b.ends('ja') || b.ends('ta')) b.len -= 2;
    else if (b.at(len - 1) === 'a') b.len -= 1;
    else if (b.at(len - 1) === 'n' && isFinnishVowel(b.at(len - 2))) b.len -= 2;
    else if (b.at(len - 1) === 'n') b.len -= 1;
  }
}

function finnishNorm1(b: Chars): void {
  const len = b.len;
  if (len > 5 && b.ends('hde')) {
    b.s[len - 3] = 'k';
    b.s[len - 2] = 's';
    b.s[len - 1] = 'i';
  }
  if (len > 4 && (b.ends('ei') || b.ends('at'))) {
    b.len -= 2;
    return;
  }
  if (len > 3 && 'tsjeai'.includes(b.at(len - 1) as string)) b.len -= 1;
}

function finnishNorm2(b: Chars): void {
  if (b.len > 8) {
    const last = b.at(b.len - 1);
    if (last === 'e' || last === 'o' || last === 'u') b.len--;
  }
  if (b.len > 4) {
    if (b.at(b.len - 1) === 'i') b.len--;
    if (b.len > 4) {
      let ch = b.s[0] as string;
      for (let i = 1; i < b.len; i++) {
        if (b.s[i] === ch && (ch === 'k' || ch === 'p' || ch === 't')) {
          b.s.splice(i, 1);
          b.len--;
          i--;
        } else {
          ch = b.s[i] as string;
        }
      }
    }
  }
}

/** Lucene's FinnishLightStemmer (Savoy): stemmer light_finnish (and Elasticsearch's old light_finish). */
export function finnishLightStem(term: string): string {
  if (term.length < 4) return term;
  let folded = '';
  for (const c of term) folded += c === 'ä' || c === 'å' ? 'a' : c === 'ö' ? 'o' : c;
  const b = new Chars(folded);
  finnishStep1(b);
  finnishStep2(b);
  finnishStep3(b);
  finnishNorm1(b);
  finnishNorm2(b);
  return b.toString();
}

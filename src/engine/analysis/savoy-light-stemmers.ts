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

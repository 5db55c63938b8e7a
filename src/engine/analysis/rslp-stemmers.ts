import { RSLP_RULES, type RslpStep } from './rslp-rules.js';

/**
 * Lucene's RSLP stemmers (RSLPStemmerBase and the rule files that scripts/gen-rslp.mjs turns into
 * rslp-rules.ts): GalicianStemmer and GalicianMinimalStemmer (`galician`, `minimal_galician`),
 * PortugueseStemmer (`portuguese_rslp`) and PortugueseMinimalStemmer (`minimal_portuguese`).
 */

/** RSLPStemmerBase.Step.apply: the first matching rule fires; words too short or without an entry suffix pass. */
function apply(step: RslpStep, s: string): string {
  if (s.length < step.min) return s;
  if (step.conditions.length > 0 && !step.conditions.some((c) => s.endsWith(c))) return s;
  for (const [suffix, min, replacement, exceptions] of step.rules) {
    if (s.length - suffix.length < min || !s.endsWith(suffix)) continue;
    if (exceptions.length > 0 && (step.wholeWord ? exceptions.includes(s) : exceptions.some((e) => s.endsWith(e)))) continue;
    return s.slice(0, s.length - suffix.length) + replacement;
  }
  return s;
}

const GL = RSLP_RULES.galician;
const PT = RSLP_RULES.portuguese;
const step = (steps: Readonly<Record<string, RslpStep>>, name: string): RslpStep => steps[name] as RslpStep;

const GALICIAN_ACCENTS: Readonly<Record<string, string>> = { á: 'a', é: 'e', ê: 'e', í: 'i', ó: 'o', ú: 'u' };
const PORTUGUESE_ACCENTS: Readonly<Record<string, string>> = {
  à: 'a', á: 'a', â: 'a', ã: 'a', ä: 'a', å: 'a', ç: 'c', è: 'e', é: 'e', ê: 'e', ë: 'e', ì: 'i', í: 'i', î: 'i', ï: 'i',
  ñ: 'n', ò: 'o', ó: 'o', ô: 'o', õ: 'o', ö: 'o', ù: 'u', ú: 'u', û: 'u', ü: 'u', ý: 'y', ÿ: 'y',
};
const fold = (s: string, table: Readonly<Record<string, string>>): string => {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    out += Object.hasOwn(table, c) ? table[c] : c;
  }
  return out;
};

/**
 * Lucene's GalicianStemmer ("Regras do lematizador para o galego"): plural, unification, adverb,
 * augmentatives until none is left, noun or else verb, vowel, then accents off.
 *
 * @example galicianStem('corresponderá') // 'correspond'
 */
export function galicianStem(term: string): string {
  let s = apply(step(GL, 'Plural'), term);
  s = apply(step(GL, 'Unification'), s);
  s = apply(step(GL, 'Adverb'), s);
  // Lucene compares lengths, not text: a same-length replacement counts as "nothing removed"
  for (let before = -1; before !== s.length; ) {
    before = s.length;
    s = apply(step(GL, 'Augmentative'), s);
  }
  const beforeNoun = s.length;
  s = apply(step(GL, 'Noun'), s);
  if (s.length === beforeNoun) s = apply(step(GL, 'Verb'), s);
  s = apply(step(GL, 'Vowel'), s);
  return fold(s, GALICIAN_ACCENTS);
}

/** Lucene's GalicianMinimalStemmer: the plural step only. */
export const galicianMinimalStem = (term: string): string => apply(step(GL, 'Plural'), term);

/** Lucene's PortugueseStemmer (RSLP, Orengo): plural, adverb, feminine, augmentative, noun, else verb, else vowel; accents off. */
export function portugueseRslpStem(term: string): string {
  let s = apply(step(PT, 'Plural'), term);
  s = apply(step(PT, 'Adverb'), s);
  s = apply(step(PT, 'Feminine'), s);
  s = apply(step(PT, 'Augmentative'), s);
  // Lucene compares lengths, not text: a same-length replacement counts as "nothing removed"
  const beforeNoun = s.length;
  s = apply(step(PT, 'Noun'), s);
  if (s.length === beforeNoun) {
    s = apply(step(PT, 'Verb'), s);
    if (s.length === beforeNoun) s = apply(step(PT, 'Vowel'), s);
  }
  return fold(s, PORTUGUESE_ACCENTS);
}

/** Lucene's PortugueseMinimalStemmer (RSLP-S): the plural step only. */
export const portugueseMinimalStem = (term: string): string => apply(step(PT, 'Plural'), term);

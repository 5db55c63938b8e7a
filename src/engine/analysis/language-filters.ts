import { hungarianLightStem } from './hungarian-light-stemmer.js';
import type { Token } from '../contract.js';
import { illegalArgument } from '../errors.js';
import type { TokenFilter } from './analysis-types.js';
import type { ComponentParams } from './analysis-settings.js';
import { arabicNormalize, arabicStem, persianNormalize, persianStem, soraniNormalize, soraniStem } from './arabic-script.js';
import { LowercaseFilter, lowerCodePoint } from './case-filters.js';
import { KEYWORD_TOKENS, TermMapFilter } from './english-stemmers.js';
import {
  bulgarianStem,
  czechStem,
  germanStem,
  indonesianStem,
  latvianStem,
  scandinavianFold,
  scandinavianNormalize,
  serbianNormalize,
} from './european-stemmers.js';
import { greekLowercase, greekStem } from './greek-stemmer.js';
import { brazilianStem } from './brazilian-stemmer.js';
import { KStemFilter, kstem } from './kstem.js';
import { bengaliNormalize, bengaliStem, hindiNormalize, hindiStem, indicNormalize } from './indic-script.js';
import { galicianMinimalStem, galicianStem, portugueseMinimalStem, portugueseRslpStem } from './rslp-stemmers.js';
import { finnishLightStem, norwegianLightStem, norwegianMinimalStem, russianLightStem, swedishLightStem } from './savoy-light-stemmers.js';
import { spanishPluralStem } from './spanish-plural-stemmer.js';
import { irishLowercase, turkishLowercase } from './language-lowercase.js';

/**
 * The language token filters that are not Snowball-based (Lucene's Arabic, Persian, Sorani,
 * Indic, Greek, Czech, Latvian, Bulgarian, Indonesian, German, Serbian and Scandinavian
 * components), by Elasticsearch name, and the `stemmer` languages built on them.
 */

/**
 * A per-term normalization (Lucene's *NormalizationFilter): usable in normalizers, and, as
 * Lucene's filters do, applied to keyword-marked tokens too unless `respectKeywords`.
 */
export class NormalizingFilter implements TokenFilter {
  readonly normalizes = true;
  constructor(
    private readonly map: (term: string) => string,
    private readonly respectKeywords = false,
  ) {}

  filter(tokens: Token[]): Token[] {
    for (const t of tokens) if (!this.respectKeywords || !KEYWORD_TOKENS.has(t)) t.term = this.map(t.term);
    return tokens;
  }
}

type LanguageFilterFactory = (params: ComponentParams) => TokenFilter;

const stemming = (stem: (term: string) => string): LanguageFilterFactory => () => new TermMapFilter(stem);

/** Token filter types by Elasticsearch name (CommonAnalysisPlugin), one per line, alphabetical. */
export const LANGUAGE_FILTER_FACTORIES: Record<string, LanguageFilterFactory> = {
  arabic_normalization: () => new NormalizingFilter(arabicNormalize),
  arabic_stem: stemming(arabicStem),
  bengali_normalization: () => new NormalizingFilter(bengaliNormalize, true),
  brazilian_stem: stemming(brazilianStem),
  czech_stem: stemming(czechStem),
  german_stem: stemming(germanStem),
  hindi_normalization: () => new NormalizingFilter(hindiNormalize, true),
  indic_normalization: () => new NormalizingFilter(indicNormalize),
  kstem: () => new KStemFilter(),
  persian_normalization: () => new NormalizingFilter(persianNormalize),
  persian_stem: stemming(persianStem),
  scandinavian_folding: () => new NormalizingFilter(scandinavianFold),
  scandinavian_normalization: () => new NormalizingFilter(scandinavianNormalize),
  serbian_normalization: () => new NormalizingFilter(serbianNormalize),
  sorani_normalization: () => new NormalizingFilter(soraniNormalize),
};

/** `stemmer` languages (StemmerTokenFilterFactory names, matched case-insensitively), one per line. */
export const LANGUAGE_STEMMERS: Record<string, (term: string) => string> = {
  arabic: arabicStem,
  bengali: bengaliStem,
  brazilian: brazilianStem,
  bulgarian: bulgarianStem,
  czech: czechStem,
  galician: galicianStem,
  greek: greekStem,
  hindi: hindiStem,
  indonesian: indonesianStem,
  kstem,
  light_english: kstem,
  lightenglish: kstem,
  latvian: latvianStem,
  light_finish: finnishLightStem,
  light_finnish: finnishLightStem,
  light_hungarian: hungarianLightStem,
  light_norwegian: (term) => norwegianLightStem(term, 'nb'),
  light_nynorsk: (term) => norwegianLightStem(term, 'nn'),
  light_russian: russianLightStem,
  light_swedish: swedishLightStem,
  lightfinish: finnishLightStem,
  lightfinnish: finnishLightStem,
  lighthungarian: hungarianLightStem,
  lightnorwegian: (term) => norwegianLightStem(term, 'nb'),
  lightnynorsk: (term) => norwegianLightStem(term, 'nn'),
  lightrussian: russianLightStem,
  lightswedish: swedishLightStem,
  minimal_galician: galicianMinimalStem,
  minimal_norwegian: (term) => norwegianMinimalStem(term, 'nb'),
  minimal_nynorsk: (term) => norwegianMinimalStem(term, 'nn'),
  minimal_portuguese: portugueseMinimalStem,
  // Elasticsearch compares minimalNorwegian case-sensitively with the capitalized name, so it never matches
  minimalnynorsk: (term) => norwegianMinimalStem(term, 'nn'),
  minimalportuguese: portugueseMinimalStem,
  persian: persianStem,
  portuguese_rslp: portugueseRslpStem,
  sorani: soraniStem,
  spanish_plural: spanishPluralStem,
};

/** A `stemmer` filter for `language` (lowercased), or undefined when it is not one of these. */
export function languageStemmer(language: string): TokenFilter | undefined {
  const stem = Object.hasOwn(LANGUAGE_STEMMERS, language) ? LANGUAGE_STEMMERS[language] : undefined;
  return stem ? new TermMapFilter(stem) : undefined;
}

/** Elasticsearch's LowerCaseTokenFilterFactory: Lucene's LowerCaseFilter, or the Greek, Irish or Turkish one. */
export function lowercaseFilter(p: ComponentParams): TokenFilter {
  if (!p.has('language')) return new LowercaseFilter();
  const language = p.string('language', '');
  switch (language.toLowerCase()) {
    case 'greek':
      return new NormalizingFilter((term) => greekLowercase(term, lowerCodePoint));
    case 'irish':
      return new NormalizingFilter(irishLowercase);
    case 'turkish':
      return new NormalizingFilter(turkishLowercase);
    default:
      throw illegalArgument(`language [${language}] not support for lower case`);
  }
}

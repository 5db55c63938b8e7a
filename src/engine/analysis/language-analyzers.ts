import type { ComponentParams } from './analysis-settings.js';
import type { CharFilter, TokenFilter } from './analysis-types.js';
import { arabicNormalize, arabicStem, persianNormalize, soraniNormalize, soraniStem } from './arabic-script.js';
import { LowercaseFilter, lowerCodePoint } from './case-filters.js';
import { ChainAnalyzer } from './chain-analyzer.js';
import { KeywordMarkerFilter, TermMapFilter } from './english-stemmers.js';
import { bulgarianStem, czechStem, indonesianStem, latvianStem } from './european-stemmers.js';
import { greekLowercase, greekStem } from './greek-stemmer.js';
import { brazilianStem } from './brazilian-stemmer.js';
import { bengaliNormalize, bengaliStem, hindiNormalize, hindiStem, indicNormalize } from './indic-script.js';
import { galicianStem } from './rslp-stemmers.js';
import { NormalizingFilter } from './language-filters.js';
import { DecimalDigitFilter } from './simple-filters.js';
import { StandardTokenizer } from './standard-tokenizer.js';
import { ENGLISH_STOP_WORDS, StopFilter, namedStopWords, resolveStopWords } from './stop-filter.js';

/**
 * The language analyzers Elasticsearch builds on Lucene's non-Snowball components (ArabicAnalyzer,
 * BrazilianAnalyzer, BulgarianAnalyzer, BengaliAnalyzer, CzechAnalyzer, GalicianAnalyzer, GreekAnalyzer, HindiAnalyzer,
 * IndonesianAnalyzer, LatvianAnalyzer, PersianAnalyzer, SoraniAnalyzer, and the `chinese`
 * analyzer), each chained exactly as its Lucene 9 class chains it. `stopwords` replaces the
 * language's stop words; `stem_exclusion` marks words the stemmer leaves alone, where the
 * Elasticsearch provider reads it (not for greek, persian or chinese).
 */

/** One analyzer: its stop list and its filters, given the stop filter and the stem-exclusion marker (if any). */
interface LanguageSpec {
  readonly stop: string;
  readonly stemExclusion: boolean;
  readonly chain: (stop: TokenFilter, exclude: TokenFilter[]) => TokenFilter[];
  readonly charFilters?: () => CharFilter[];
}

const normalizing = (map: (term: string) => string, respectKeywords = false): TokenFilter => new NormalizingFilter(map, respectKeywords);
const stem = (map: (term: string) => string): TokenFilter => new TermMapFilter(map);

/** The common shape (BrazilianAnalyzer, CzechAnalyzer...): lowercase, stop words, stem exclusion, then the stemmer. */
const lowercaseStopStem = (stop: string, stemmer: (term: string) => string): LanguageSpec => ({
  stop,
  stemExclusion: true,
  chain: (stopFilter, exclude) => [new LowercaseFilter(), stopFilter, ...exclude, stem(stemmer)],
});

/** BengaliAnalyzer and HindiAnalyzer: lowercase, decimal digits, stem exclusion, Indic then the language's normalization, stop words, the stemmer. */
const indicLanguage = (stop: string, normalize: (term: string) => string, stemmer: (term: string) => string): LanguageSpec => ({
  stop,
  stemExclusion: true,
  chain: (stopFilter, exclude) => [
    new LowercaseFilter(),
    new DecimalDigitFilter(),
    ...exclude,
    normalizing(indicNormalize),
    normalizing(normalize, true),
    stopFilter,
    stem(stemmer),
  ],
});

/** Lucene's PersianCharFilter: the zero-width non-joiner becomes a space (same length, so offsets stay). */
const PERSIAN_CHAR_FILTER: CharFilter = {
  apply: (text) => ({ text: text.replaceAll('\u200C', ' '), correctOffset: (offset) => offset }),
};

/** Analyzer types by Elasticsearch name, one per line, alphabetical. */
const LANGUAGE_ANALYZERS: Record<string, LanguageSpec> = {
  arabic: {
    stop: '_arabic_',
    stemExclusion: true,
    chain: (stop, exclude) => [new LowercaseFilter(), new DecimalDigitFilter(), stop, normalizing(arabicNormalize), ...exclude, stem(arabicStem)],
  },
  bengali: indicLanguage('_bengali_', bengaliNormalize, bengaliStem),
  brazilian: lowercaseStopStem('_brazilian_', brazilianStem),
  bulgarian: lowercaseStopStem('_bulgarian_', bulgarianStem),
  czech: lowercaseStopStem('_czech_', czechStem),
  galician: lowercaseStopStem('_galician_', galicianStem),
  greek: {
    stop: '_greek_',
    stemExclusion: false,
    chain: (stop) => [normalizing((term) => greekLowercase(term, lowerCodePoint)), stop, stem(greekStem)],
  },
  hindi: indicLanguage('_hindi_', hindiNormalize, hindiStem),
  indonesian: lowercaseStopStem('_indonesian_', indonesianStem),
  latvian: lowercaseStopStem('_latvian_', latvianStem),
  // Lucene 9's PersianAnalyzer does not stem (Lucene 10's does; Elasticsearch 8 runs Lucene 9)
  persian: {
    stop: '_persian_',
    stemExclusion: false,
    chain: (stop) => [new LowercaseFilter(), new DecimalDigitFilter(), normalizing(arabicNormalize), normalizing(persianNormalize), stop],
    charFilters: () => [PERSIAN_CHAR_FILTER],
  },
  sorani: {
    stop: '_sorani_',
    stemExclusion: true,
    chain: (stop, exclude) => [normalizing(soraniNormalize), new LowercaseFilter(), new DecimalDigitFilter(), stop, ...exclude, stem(soraniStem)],
  },
};

/** Elasticsearch analyzer types this file builds. */
export const LANGUAGE_ANALYZER_TYPES: readonly string[] = ['chinese', ...Object.keys(LANGUAGE_ANALYZERS)];

/**
 * Builds the language analyzer `type` (undefined when it is not one of this file's), with
 * `stopwords` and `stem_exclusion` read as Elasticsearch's providers read them.
 */
export function createLanguageAnalyzer(type: string, name: string, p: ComponentParams, gap: number): ChainAnalyzer | undefined {
  if (type === 'chinese') {
    // Elasticsearch's ChineseAnalyzerProvider: Lucene's StandardAnalyzer with English stop words
    const filters = [new LowercaseFilter(), new StopFilter(ENGLISH_STOP_WORDS)];
    return new ChainAnalyzer(name, new StandardTokenizer(), filters, [], gap);
  }
  const spec = Object.hasOwn(LANGUAGE_ANALYZERS, type) ? LANGUAGE_ANALYZERS[type] : undefined;
  if (spec === undefined) return undefined;
  const stop = new StopFilter(resolveStopWords(p.settings.stopwords, namedStopWords(spec.stop) ?? [], p.where));
  const exclusion = spec.stemExclusion ? (p.list('stem_exclusion', true) ?? []) : [];
  const exclude = exclusion.length > 0 ? [new KeywordMarkerFilter(new Set(exclusion))] : [];
  return new ChainAnalyzer(name, new StandardTokenizer(), spec.chain(stop, exclude), spec.charFilters?.() ?? [], gap);
}

import type { TokenFilter } from './analysis-types.js';
import type { ComponentParams } from './analysis-settings.js';
import { LowercaseFilter } from './case-filters.js';
import { ChainAnalyzer } from './chain-analyzer.js';
import { KeywordMarkerFilter, TermMapFilter, possessiveFilter } from './english-stemmers.js';
import { StemmerOverrideFilter } from './keyword-filters.js';
import { NormalizingFilter } from './language-filters.js';
import { irishLowercase, turkishLowercase } from './language-lowercase.js';
import { ElisionFilter } from './simple-filters.js';
import { serbianNormalize } from './european-stemmers.js';
import { snowballStemmerNamed } from './snowball/snowball-languages.js';
import { StandardTokenizer } from './standard-tokenizer.js';
import { ENGLISH_STOP_WORDS, StopFilter, namedStopWords, resolveStopWords } from './stop-filter.js';

/** A Lucene 9 language analyzer built on a Snowball stemmer. */
interface SnowballLanguage {
  /** The named stop list (Elasticsearch's `_danish_`...), the analyzer's default stop words. */
  stop: string;
  /** The Snowball stemmer (SnowballFilter's name). */
  stemmer: string;
  /** Filters before lowercasing (elision, Irish hyphenation stop words, the Turkish apostrophe). */
  before?: () => TokenFilter[];
  /** The lowercasing filter (Turkish and Irish have their own). */
  lowercase?: () => TokenFilter;
  /** Lucene's DutchAnalyzer stem dictionary (StemmerOverrideFilter before the stemmer). */
  overrides?: ReadonlyMap<string, string>;
  /** Filters after the stemmer (Serbian's normalization to "bald" Latin). */
  after?: () => TokenFilter[];
}

const turkishLowercaseFilter = (): TokenFilter => new NormalizingFilter(turkishLowercase);
const irishLowercaseFilter = (): TokenFilter => new NormalizingFilter(irishLowercase);

/** Lucene's ApostropheFilter (TurkishAnalyzer): a term ends before its first ' or ’. */
const apostropheFilter = (): TokenFilter => ({
  filter(tokens) {
    for (const t of tokens) {
      const at = t.term.search(/['\u2019]/);
      if (at >= 0) t.term = t.term.slice(0, at);
    }
    return tokens;
  },
});

/** Lucene's CatalanAnalyzer.DEFAULT_ARTICLES (elided, case-insensitive). */
const CATALAN_ARTICLES = ['d', 'l', 'm', 'n', 's', 't'];
/** Lucene's IrishAnalyzer.DEFAULT_ARTICLES and HYPHENATIONS (both case-insensitive). */
const IRISH_ARTICLES = ['d', 'm', 'b'];
const IRISH_HYPHENATIONS = ['h', 'n', 't'];
/** Lucene's DutchAnalyzer.DEFAULT_STEM_DICT. */
const DUTCH_STEM_DICT = new Map([
  ['fiets', 'fiets'],
  ['bromfiets', 'bromfiets'],
  ['ei', 'eier'],
  ['kind', 'kinder'],
]);

/**
 * The language analyzers of Lucene 9 (Elasticsearch 8's `danish`, `dutch`, ... analyzers) that
 * are: standard tokenizer, [elision / hyphenation stop words / apostrophe], lowercase (Turkish's
 * and Irish's own), stop words, stem exclusion (SetKeywordMarkerFilter), [Dutch's stem
 * dictionary], SnowballFilter, [Serbian's SerbianNormalizationFilter].
 */
export const SNOWBALL_LANGUAGE_ANALYZERS: Readonly<Record<string, SnowballLanguage>> = {
  armenian: { stop: '_armenian_', stemmer: 'Armenian' },
  basque: { stop: '_basque_', stemmer: 'Basque' },
  catalan: { stop: '_catalan_', stemmer: 'Catalan', before: () => [new ElisionFilter(CATALAN_ARTICLES, true)] },
  danish: { stop: '_danish_', stemmer: 'Danish' },
  dutch: { stop: '_dutch_', stemmer: 'Dutch', overrides: DUTCH_STEM_DICT },
  finnish: { stop: '_finnish_', stemmer: 'Finnish' },
  hungarian: { stop: '_hungarian_', stemmer: 'Hungarian' },
  estonian: { stop: '_estonian_', stemmer: 'Estonian' },
  // LithuanianAnalyzer and SerbianAnalyzer (Lucene 9): the stemmer, then for Serbian the
  // normalization of Cyrillic and diacritics to "bald" Latin, after stemming
  lithuanian: { stop: '_lithuanian_', stemmer: 'Lithuanian' },
  serbian: { stop: '_serbian_', stemmer: 'Serbian', after: () => [new NormalizingFilter(serbianNormalize)] },
  irish: {
    stop: '_irish_',
    stemmer: 'Irish',
    before: () => [new StopFilter(IRISH_HYPHENATIONS, true), new ElisionFilter(IRISH_ARTICLES, true)],
    lowercase: irishLowercaseFilter,
  },
  norwegian: { stop: '_norwegian_', stemmer: 'Norwegian' },
  romanian: { stop: '_romanian_', stemmer: 'Romanian' },
  russian: { stop: '_russian_', stemmer: 'Russian' },
  swedish: { stop: '_swedish_', stemmer: 'Swedish' },
  turkish: { stop: '_turkish_', stemmer: 'Turkish', before: () => [apostropheFilter()], lowercase: turkishLowercaseFilter },
};

export const SNOWBALL_ANALYZER_TYPES = Object.keys(SNOWBALL_LANGUAGE_ANALYZERS);

/** One of the analyzers above with its `stopwords` and `stem_exclusion` parameters, or undefined. */
export function snowballLanguageAnalyzer(type: string, name: string, p: ComponentParams, gap: number): ChainAnalyzer | undefined {
  const spec = Object.hasOwn(SNOWBALL_LANGUAGE_ANALYZERS, type) ? SNOWBALL_LANGUAGE_ANALYZERS[type] : undefined;
  if (spec === undefined) return undefined;
  const stop = resolveStopWords(p.settings.stopwords, namedStopWords(spec.stop) ?? [], p.where);
  const exclusion = p.list('stem_exclusion', true) ?? [];
  const filters: TokenFilter[] = [
    ...(spec.before?.() ?? []),
    spec.lowercase?.() ?? new LowercaseFilter(),
    new StopFilter(stop),
    ...(exclusion.length > 0 ? [new KeywordMarkerFilter(new Set(exclusion))] : []),
    ...(spec.overrides ? [new StemmerOverrideFilter(spec.overrides)] : []),
    new TermMapFilter(snowballStemmerNamed(spec.stemmer)),
    ...(spec.after?.() ?? []),
  ];
  return new ChainAnalyzer(name, new StandardTokenizer(), filters, [], gap);
}

/** SnowballAnalyzerProvider's default stop words per language (exact names); others have none. */
const SNOWBALL_ANALYZER_STOP: Readonly<Record<string, () => readonly string[]>> = {
  English: () => ENGLISH_STOP_WORDS,
  Dutch: () => namedStopWords('_dutch_') ?? [],
  German: () => namedStopWords('_german_') ?? [],
  German2: () => namedStopWords('_german_') ?? [],
  French: () => namedStopWords('_french_') ?? [],
};

/**
 * Elasticsearch's `snowball` analyzer (its own SnowballAnalyzer): standard tokenizer, the English
 * possessive filter for English, Porter and Lovins, lowercase (Turkish's for Turkish), stop words,
 * SnowballFilter. The `language` is taken as given (not capitalized, unlike the filter).
 */
export function snowballAnalyzer(name: string, p: ComponentParams, gap: number): ChainAnalyzer {
  const language = p.string('language', p.string('name', 'English'));
  const defaults = Object.hasOwn(SNOWBALL_ANALYZER_STOP, language) ? (SNOWBALL_ANALYZER_STOP[language] as () => readonly string[])() : [];
  const stop = resolveStopWords(p.settings.stopwords, defaults, p.where);
  const stem = snowballStemmerNamed(language);
  const filters: TokenFilter[] = [
    ...(language === 'English' || language === 'Porter' || language === 'Lovins' ? [possessiveFilter()] : []),
    language === 'Turkish' ? turkishLowercaseFilter() : new LowercaseFilter(),
    ...(stop.length > 0 ? [new StopFilter(stop)] : []),
    new TermMapFilter(stem),
  ];
  return new ChainAnalyzer(name, new StandardTokenizer(), filters, [], gap);
}

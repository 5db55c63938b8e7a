import type { Analyzer } from '../contract.js';
import { illegalArgument, unsupported } from '../errors.js';
import { ComponentParams, type ComponentSettings } from './analysis-settings.js';
import { AsciiFoldingFilter } from './ascii-folding.js';
import { LowercaseFilter } from './case-filters.js';
import { CjkBigramFilter, CjkWidthFilter } from './cjk-filters.js';
import { ChainAnalyzer, ChainNormalizer, DEFAULT_POSITION_INCREMENT_GAP } from './chain-analyzer.js';
import { KeywordTokenizer, lowercaseTokenizer, whitespaceTokenizer } from './char-tokenizers.js';
import { TermMapFilter, porterStemFilter, possessiveFilter } from './english-stemmers.js';
import { snowballAnalyzer, snowballLanguageAnalyzer } from './snowball-analyzers.js';
import type { TokenFilter } from './analysis-types.js';
import {
  frenchLightStem,
  germanLightStem,
  germanNormalizationFilter,
  italianLightStem,
  portugueseLightStem,
  spanishLightStem,
} from './light-stemmers.js';
import { PatternTokenizer, compileJavaPattern } from './pattern-components.js';
import { ElisionFilter, FRENCH_ELISION_ARTICLES, FingerprintFilter } from './simple-filters.js';
import { DEFAULT_MAX_TOKEN_LENGTH, StandardTokenizer } from './standard-tokenizer.js';
import { ENGLISH_STOP_WORDS, StopFilter, namedStopWords, resolveStopWords } from './stop-filter.js';
import { LANGUAGE_ANALYZER_TYPES, createLanguageAnalyzer } from './language-analyzers.js';

/** Analyzer types Elasticsearch has built in and this engine implements. */
export const BUILT_IN_ANALYZER_TYPES = [
  'standard', 'simple', 'whitespace', 'keyword', 'stop', 'english', 'pattern', 'fingerprint',
  'french', 'german', 'spanish', 'italian', 'portuguese', 'snowball', 'cjk',
  'armenian', 'basque', 'catalan', 'danish', 'dutch', 'estonian', 'finnish', 'hungarian', 'irish', 'lithuanian',
  'norwegian', 'romanian', 'russian', 'serbian', 'swedish', 'turkish',
] as const;
export type BuiltInAnalyzerType = (typeof BUILT_IN_ANALYZER_TYPES)[number];

/** Elasticsearch analyzer types (language analyzers and others) that are not implemented here. */
const UNSUPPORTED_ANALYZER_TYPES = new Set(['thai']);

/** Lucene's ItalianAnalyzer.DEFAULT_ARTICLES (elided, case-insensitive). */
const ITALIAN_ARTICLES = ['c', 'l', 'all', 'dall', 'dell', 'nell', 'sull', 'coll', 'pell', 'gl', 'agl', 'dagl', 'degl', 'negl', 'sugl', 'un', 'm', 't', 's', 'v', 'd'];

/**
 * The language analyzers built on Savoy's light stemmers, as Lucene's FrenchAnalyzer,
 * GermanAnalyzer, SpanishAnalyzer, ItalianAnalyzer and PortugueseAnalyzer chain them: standard
 * tokenizer, elision (French, Italian), lowercase, stop words, stem exclusion, stemmer.
 */
const LANGUAGE_ANALYZERS: Record<string, { stop: string; elision?: readonly string[]; filters: () => TokenFilter[]; stem: (term: string) => string }> = {
  french: { stop: '_french_', elision: FRENCH_ELISION_ARTICLES, filters: () => [], stem: frenchLightStem },
  german: { stop: '_german_', filters: () => [germanNormalizationFilter()], stem: germanLightStem },
  spanish: { stop: '_spanish_', filters: () => [], stem: spanishLightStem },
  italian: { stop: '_italian_', elision: ITALIAN_ARTICLES, filters: () => [], stem: italianLightStem },
  portuguese: { stop: '_portuguese_', filters: () => [], stem: portugueseLightStem },
};

function languageAnalyzer(type: string, name: string, p: ComponentParams, gap: number): ChainAnalyzer | undefined {
  const spec = LANGUAGE_ANALYZERS[type];
  if (spec === undefined) return undefined;
  const stop = resolveStopWords(p.settings.stopwords, namedStopWords(spec.stop) ?? [], p.where);
  const exclusion = p.list('stem_exclusion', true) ?? [];
  const filters: TokenFilter[] = [
    ...(spec.elision ? [new ElisionFilter(spec.elision, true)] : []),
    new LowercaseFilter(),
    new StopFilter(stop),
    ...spec.filters(),
    new TermMapFilter(spec.stem, exclusion.length > 0 ? new Set(exclusion) : undefined),
  ];
  return new ChainAnalyzer(name, new StandardTokenizer(), filters, [], gap);
}

const isBuiltInType = (type: string): type is BuiltInAnalyzerType =>
  (BUILT_IN_ANALYZER_TYPES as readonly string[]).includes(type) || LANGUAGE_ANALYZER_TYPES.includes(type);

/**
 * Builds a built-in analyzer type with its parameters (`{ type: "standard", stopwords: "_english_" }`).
 * Returns undefined for types Elasticsearch does not have.
 */
export function createBuiltInAnalyzer(type: string, name: string, settings: ComponentSettings = {}, configDir?: string): ChainAnalyzer | undefined {
  // stopwords_path: the file's words stand for an absent `stopwords` (Analysis.parseStopWords)
  const fileWords = settings.stopwords === undefined || settings.stopwords === null ? new ComponentParams(settings, '', '', configDir).wordFile('stopwords_path') : undefined;
  const p = new ComponentParams(fileWords === undefined ? settings : { ...settings, stopwords: fileWords }, `[index.analysis.analyzer.${name}]`, '', configDir);
  const gap = p.int('position_increment_gap', DEFAULT_POSITION_INCREMENT_GAP, 0);
  const nonSnowball = createLanguageAnalyzer(type, name, p, gap);
  if (nonSnowball) return nonSnowball;
  if (!isBuiltInType(type)) {
    if (UNSUPPORTED_ANALYZER_TYPES.has(type)) throw unsupported(`${type} analyzer`);
    return undefined;
  }
  const language = languageAnalyzer(type, name, p, gap) ?? snowballLanguageAnalyzer(type, name, p, gap);
  if (language) return language;
  switch (type) {
    case 'standard': {
      const stop = resolveStopWords(p.settings.stopwords, [], p.where);
      const filters = [new LowercaseFilter(), ...(stop.length > 0 ? [new StopFilter(stop)] : [])];
      return new ChainAnalyzer(name, new StandardTokenizer(p.int('max_token_length', DEFAULT_MAX_TOKEN_LENGTH)), filters, [], gap);
    }
    case 'simple':
      return new ChainAnalyzer(name, lowercaseTokenizer(), [], [], gap);
    case 'whitespace':
      return new ChainAnalyzer(name, whitespaceTokenizer(), [], [], gap);
    case 'keyword':
      return new ChainAnalyzer(name, new KeywordTokenizer(), [], [], gap);
    case 'stop': {
      const stop = resolveStopWords(p.settings.stopwords, ENGLISH_STOP_WORDS, p.where);
      return new ChainAnalyzer(name, lowercaseTokenizer(), [new StopFilter(stop)], [], gap);
    }
    case 'english': {
      const stop = resolveStopWords(p.settings.stopwords, ENGLISH_STOP_WORDS, p.where);
      const exclusion = p.list('stem_exclusion', true) ?? [];
      // Lucene's order is possessive, then lowercase; lowercasing first (fused into the
      // tokenizer) gives the same terms, as the possessive filter accepts 'S and 's alike.
      const filters = [
        new LowercaseFilter(),
        possessiveFilter(),
        new StopFilter(stop),
        porterStemFilter(exclusion.length > 0 ? new Set(exclusion) : undefined),
      ];
      return new ChainAnalyzer(name, new StandardTokenizer(), filters, [], gap);
    }
    case 'snowball':
      return snowballAnalyzer(name, p, gap);
    case 'cjk': {
      // Lucene's CJKAnalyzer: standard tokenizer, width folding, lowercase, bigrams, stop words.
      const stop = resolveStopWords(p.settings.stopwords, namedStopWords('_cjk_') ?? [], p.where);
      const scripts = { han: true, hiragana: true, katakana: true, hangul: true };
      const filters = [new CjkWidthFilter(), new LowercaseFilter(), new CjkBigramFilter(scripts, false), new StopFilter(stop)];
      return new ChainAnalyzer(name, new StandardTokenizer(), filters, [], gap);
    }
    case 'pattern': {
      // Elasticsearch's PatternAnalyzer: split on \W+, lowercase (by default), no stop words.
      const tokenizer = new PatternTokenizer(compileJavaPattern(p.string('pattern', '\\W+'), p.string('flags', ''), p, 'pattern'));
      const stop = resolveStopWords(p.settings.stopwords, [], p.where);
      const filters = [...(p.bool('lowercase', true) ? [new LowercaseFilter()] : []), ...(stop.length > 0 ? [new StopFilter(stop)] : [])];
      return new ChainAnalyzer(name, tokenizer, filters, [], gap);
    }
    case 'fingerprint': {
      // Lucene's FingerprintAnalyzer: standard, lowercase, ASCII folding, stop, fingerprint.
      const stop = resolveStopWords(p.settings.stopwords, [], p.where);
      const filters = [
        new LowercaseFilter(),
        new AsciiFoldingFilter(),
        ...(stop.length > 0 ? [new StopFilter(stop)] : []),
        new FingerprintFilter(p.string('separator', ' '), p.int('max_output_size', 255)),
      ];
      return new ChainAnalyzer(name, new StandardTokenizer(), filters, [], gap);
    }
  }
}

const builtIns = new Map<string, ChainAnalyzer>();

/**
 * A pre-built analyzer by name (`standard`, `simple`, `whitespace`, `keyword`, `stop`,
 * `english`, `pattern`, `fingerprint`), shared and stateless; undefined for any other name.
 *
 * @example builtInAnalyzer('standard')?.analyze('Hello World') // hello@0, world@1
 */
export function builtInAnalyzer(name: string): Analyzer | undefined {
  if (!isBuiltInType(name)) return undefined;
  let analyzer = builtIns.get(name);
  if (!analyzer) {
    analyzer = createBuiltInAnalyzer(name, name);
    if (!analyzer) throw illegalArgument(`failed to find analyzer [${name}]`);
    builtIns.set(name, analyzer);
  }
  return analyzer;
}

/** Elasticsearch's pre-built `lowercase` normalizer. */
export const LOWERCASE_NORMALIZER = new ChainNormalizer('lowercase', [new LowercaseFilter()]);

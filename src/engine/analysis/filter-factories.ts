import type { Token } from '../contract.js';
import { illegalArgument, unsupported } from '../errors.js';
import type { TokenFilter } from './analysis-types.js';
import type { ComponentParams } from './analysis-settings.js';
import { AsciiFoldingFilter } from './ascii-folding.js';
import { UppercaseFilter } from './case-filters.js';
import { CjkBigramFilter, CjkWidthFilter } from './cjk-filters.js';
import { KeywordMarkerFilter, TermMapFilter, minimalEnglishFilter, porterStemFilter, possessiveFilter } from './english-stemmers.js';
import {
  frenchLightStem,
  frenchMinimalStem,
  germanLightStem,
  germanMinimalStem,
  germanNormalizationFilter,
  italianLightStem,
  portugueseLightStem,
  spanishLightStem,
} from './light-stemmers.js';
import { NGramTokenFilter } from './ngrams.js';
import { CommonGramsFilter } from './common-grams.js';
import { DictionaryCompoundWordFilter, HyphenationCompoundWordFilter } from './compound-words.js';
import type { CompoundOptions } from './compound-words.js';
import { loadHyphenationTree } from './hyphenation-patterns.js';
import { readConfigFile } from './word-files.js';
import { hunspellFilter } from './hunspell/hunspell-filter.js';
import { MinHashFilter } from './min-hash.js';
import { conditionFilter, multiplexerFilter, predicateTokenFilter } from './referring-filters.js';
import { ClassicFilter } from './classic-tokenizer.js';
import { ShingleFilter } from './shingle-filter.js';
import { PatternCaptureFilter, PatternReplaceFilter, compileJavaPattern } from './pattern-components.js';
import {
  DecimalDigitFilter,
  ElisionFilter,
  FingerprintFilter,
  LengthFilter,
  TrimFilter,
  TruncateFilter,
  UniqueFilter,
} from './simple-filters.js';
import { ENGLISH_STOP_WORDS, StopFilter, resolveStopWords } from './stop-filter.js';
import { UnboundSynonymFilter } from './synonym-filter.js';
import { englishSnowballStem } from './english-snowball.js';
import { snowballStemmerNamed } from './snowball/snowball-languages.js';
import { FlattenGraphFilter } from './flatten-graph.js';
import { KeywordRepeatFilter, StemmerOverrideFilter, parseStemmerOverrides } from './keyword-filters.js';
import { WD_FLAGS, WordDelimiterFilter, WordDelimiterGraphFilter, parseTypeTable } from './word-delimiter.js';
import type { FactoryContext } from './tokenizer-factories.js';
import { LANGUAGE_FILTER_FACTORIES, languageStemmer, lowercaseFilter } from './language-filters.js';
import { deprecationWarning } from '../deprecation.js';

type FilterFactory = (params: ComponentParams, ctx: FactoryContext) => TokenFilter;

const JAVA_INT_MAX = 2147483647;

/** The `stemmer` languages built on Savoy's light and minimal stemmers (Elasticsearch names). */
const LIGHT_STEMMERS: Record<string, (term: string) => string> = {
  light_french: frenchLightStem,
  lightfrench: frenchLightStem,
  minimal_french: frenchMinimalStem,
  minimalfrench: frenchMinimalStem,
  light_german: germanLightStem,
  lightgerman: germanLightStem,
  minimal_german: germanMinimalStem,
  minimalgerman: germanMinimalStem,
  light_spanish: spanishLightStem,
  lightspanish: spanishLightStem,
  light_italian: italianLightStem,
  lightitalian: italianLightStem,
  light_portuguese: portugueseLightStem,
  lightportuguese: portugueseLightStem,
  porter2: englishSnowballStem,
};

/** AbstractCompoundWordTokenFilterFactory: the word list (required, inline or a file) and the sizes. */
function compoundOptions(p: ComponentParams): CompoundOptions {
  const words = p.words('word_list');
  if (words === undefined) throw illegalArgument(`word_list must be provided for [${p.name}], either as a path to a file, or directly`);
  return {
    words,
    ignoreCase: p.bool('word_list_case', false),
    minWordSize: p.int('min_word_size', 5),
    minSubwordSize: p.int('min_subword_size', 2),
    maxSubwordSize: p.int('max_subword_size', 15),
    onlyLongestMatch: p.bool('only_longest_match', false),
  };
}

/** `snowball` with Lucene's SnowballFilter, by its class name (snowball/snowball-languages.ts). */
const snowball: FilterFactory = (p) => {
  // SnowballTokenFilterFactory capitalizes the language (`english` is English)
  const given = p.string('language', p.string('name', 'English'));
  return new TermMapFilter(snowballStemmerNamed(given.charAt(0).toUpperCase() + given.slice(1)));
};

/**
 * The `stemmer` languages StemmerTokenFilterFactory (Elasticsearch 8) runs as a SnowballFilter,
 * lowercase, with the Snowball stemmer each names. dutch_kp and lovins (removed in 9.0) are
 * deprecated since 8.16: the request that builds one is answered with a deprecation Warning header.
 */
const SNOWBALL_STEMMER_LANGUAGES: Readonly<Record<string, string>> = {
  armenian: 'Armenian', basque: 'Basque', catalan: 'Catalan', danish: 'Danish', dutch: 'Dutch', dutch_kp: 'Kp', dutchkp: 'Kp',
  kp: 'Kp', lovins: 'Lovins', estonian: 'Estonian', finnish: 'Finnish', french: 'French', german: 'German', german2: 'German2',
  hungarian: 'Hungarian', irish: 'Irish', italian: 'Italian', lithuanian: 'Lithuanian', norwegian: 'Norwegian', portuguese: 'Portuguese',
  romanian: 'Romanian', russian: 'Russian', serbian: 'Serbian', spanish: 'Spanish', swedish: 'Swedish', turkish: 'Turkish',
};

const stemmer: FilterFactory = (params) => {
  const language = params.string('language', params.string('name', 'english'));
  const light = Object.hasOwn(LIGHT_STEMMERS, language.toLowerCase()) ? LIGHT_STEMMERS[language.toLowerCase()] : undefined;
  if (light) return new TermMapFilter(light);
  const nonSnowball = languageStemmer(language.toLowerCase());
  if (nonSnowball) return nonSnowball;
  const snowballName = Object.hasOwn(SNOWBALL_STEMMER_LANGUAGES, language.toLowerCase()) ? SNOWBALL_STEMMER_LANGUAGES[language.toLowerCase()] : undefined;
  if (snowballName === 'Kp' || snowballName === 'Lovins') {
    const name = snowballName === 'Kp' ? 'dutch_kp' : 'lovins';
    deprecationWarning(`The [${name}] stemmer is deprecated and will be removed in a future version.`);
  }
  if (snowballName !== undefined) return new TermMapFilter(snowballStemmerNamed(snowballName));
  switch (language.toLowerCase()) {
    case 'english':
    case 'porter':
      return porterStemFilter();
    case 'possessive_english':
    case 'possessiveenglish':
      return possessiveFilter();
    case 'minimal_english':
    case 'minimalenglish':
      return minimalEnglishFilter();
    default:
      // StemmerTokenFilterFactory's last resort: SnowballFilter by the capitalized name (`nepali`
      // is Nepali), which refuses a class it cannot load
      return new TermMapFilter(snowballStemmerNamed(language.charAt(0).toUpperCase() + language.slice(1)));
  }
};

const ngram: FilterFactory = (params, ctx) => {
  const minGram = params.int('min_gram', 1);
  const maxGram = params.int('max_gram', 2);
  const diff = maxGram - minGram;
  if (diff > ctx.maxNgramDiff) {
    throw illegalArgument(
      `The difference between max_gram and min_gram in NGram Token Filter must be less than or equal to: [${ctx.maxNgramDiff}] but was [${diff}]. This limit can be set by changing the [index.max_ngram_diff] index level setting.`,
    );
  }
  return new NGramTokenFilter({ minGram, maxGram, preserveOriginal: params.bool('preserve_original', false), edge: false });
};

const edgeNgram: FilterFactory = (params) => {
  const side = params.string('side', 'front');
  if (side !== 'front') throw illegalArgument(`side must be "front", got [${side}]; use the reverse filter around edge_ngram instead`);
  return new NGramTokenFilter({
    minGram: params.int('min_gram', 1),
    maxGram: params.int('max_gram', 2),
    preserveOriginal: params.bool('preserve_original', false),
    edge: true,
  });
};

const shingle: FilterFactory = (params, ctx) => {
  const maxShingleSize = params.int('max_shingle_size', 2);
  const minShingleSize = params.int('min_shingle_size', 2);
  const outputUnigrams = params.bool('output_unigrams', true);
  const diff = maxShingleSize - minShingleSize + (outputUnigrams ? 1 : 0);
  if (diff > ctx.maxShingleDiff) {
    throw illegalArgument(
      `In Shingle TokenFilter the difference between max_shingle_size and min_shingle_size (and +1 if outputting unigrams) must be less than or equal to: [${ctx.maxShingleDiff}] but was [${diff}]. This limit can be set by changing the [index.max_shingle_diff] index level setting.`,
    );
  }
  return new ShingleFilter({
    minShingleSize,
    maxShingleSize,
    outputUnigrams,
    outputUnigramsIfNoShingles: params.bool('output_unigrams_if_no_shingles', false),
    tokenSeparator: params.string('token_separator', ' '),
    fillerToken: params.string('filler_token', '_'),
  });
};

/** `word_delimiter` and `word_delimiter_graph`, with WordDelimiter(Graph)TokenFilterFactory's defaults. */
const wordDelimiter =
  (graph: boolean): FilterFactory =>
  (p) => {
    const flag = (key: string, value: number, fallback: boolean) => (p.bool(key, fallback) ? value : 0);
    const flags =
      flag('generate_word_parts', WD_FLAGS.generateWordParts, true) |
      flag('generate_number_parts', WD_FLAGS.generateNumberParts, true) |
      flag('catenate_words', WD_FLAGS.catenateWords, false) |
      flag('catenate_numbers', WD_FLAGS.catenateNumbers, false) |
      flag('catenate_all', WD_FLAGS.catenateAll, false) |
      flag('split_on_case_change', WD_FLAGS.splitOnCaseChange, true) |
      flag('preserve_original', WD_FLAGS.preserveOriginal, false) |
      flag('split_on_numerics', WD_FLAGS.splitOnNumerics, true) |
      flag('stem_english_possessive', WD_FLAGS.stemEnglishPossessive, true) |
      (graph ? flag('ignore_keywords', WD_FLAGS.ignoreKeywords, false) : 0);
    const typeTable = p.words('type_table');
    const protectedWords = p.words('protected_words');
    const options = {
      flags,
      ...(typeTable !== undefined ? { table: parseTypeTable(typeTable) } : {}),
      ...(protectedWords !== undefined ? { protectedWords: new Set(protectedWords) } : {}),
    };
    return graph ? new WordDelimiterGraphFilter({ ...options, adjustOffsets: p.bool('adjust_offsets', true) }) : new WordDelimiterFilter(options);
  };

/** `synonym` and `synonym_graph` with inline Solr-format rules. */
const synonyms =
  (graph: boolean): FilterFactory =>
  (p) => {
    if (p.has('synonyms_set')) throw unsupported('synonyms_set');
    const format = p.string('format', 'solr');
    if (format !== 'solr') throw unsupported(`synonym format ${format}`);
    // a synonyms file is read whole by the Solr parser, which skips blank lines and # comments
    const rules = p.list('synonyms') ?? p.wordFile('synonyms_path');
    if (rules === undefined) throw illegalArgument('synonym requires either `synonyms`, `synonyms_set` or `synonyms_path` to be configured');
    return new UnboundSynonymFilter({ rules, expand: p.bool('expand', true), lenient: p.bool('lenient', false), graph });
  };

/** A filter from a per-token predicate (keep, keep_types). */
const retaining = (keep: (t: Token) => boolean): TokenFilter => ({
  filter(tokens) {
    let out = 0;
    for (const t of tokens) if (keep(t)) tokens[out++] = t;
    tokens.length = out;
    return tokens;
  },
});

/** Token filter types by Elasticsearch name; each also exists pre-built under its name. */
export const FILTER_FACTORIES: Record<string, FilterFactory> = {
  ...LANGUAGE_FILTER_FACTORIES,
  lowercase: lowercaseFilter,
  uppercase: () => new UppercaseFilter(),
  asciifolding: (p) => new AsciiFoldingFilter(p.bool('preserve_original', false)),
  stop: (p) => {
    return new StopFilter(resolveStopWords(p.settings.stopwords ?? p.wordFile('stopwords_path'), ENGLISH_STOP_WORDS, p.where), p.bool('ignore_case', false));
  },
  porter_stem: () => porterStemFilter(),
  stemmer,
  edge_ngram: edgeNgram,
  ngram,
  shingle,
  trim: () => new TrimFilter(),
  unique: (p) => new UniqueFilter(p.bool('only_on_same_position', false)),
  length: (p) => new LengthFilter(p.int('min', 0), p.int('max', JAVA_INT_MAX)),
  truncate: (p) => {
    // TruncateTokenFilterFactory: no default length (the pre-built `truncate` has 10, see PREBUILT_SETTINGS)
    const length = p.int('length', -1);
    if (length <= 0) throw illegalArgument('length parameter must be provided');
    return new TruncateFilter(length);
  },
  reverse: () => ({
    filter(tokens) {
      for (const t of tokens) t.term = Array.from(t.term).reverse().join('');
      return tokens;
    },
  }),
  limit: (p) => {
    const max = p.int('max_token_count', 1);
    return { filter: (tokens) => (tokens.length > max ? tokens.slice(0, max) : tokens) };
  },
  keep: (p) => {
    // KeepWordFilterFactory: exactly one of the list and the file
    if (p.has('keep_words') === p.has('keep_words_path')) throw illegalArgument('keep requires either `keep_words` or `keep_words_path` to be configured');
    const words = p.words('keep_words') ?? [];
    const caseFold = p.bool('keep_words_case', false);
    const set = new Set(caseFold ? words.map((w) => w.toLowerCase()) : words);
    return retaining((t) => set.has(caseFold ? t.term.toLowerCase() : t.term));
  },
  keep_types: (p) => {
    if (!p.has('types')) throw illegalArgument('keep_types requires `types` to be configured');
    const types = new Set(p.list('types') ?? []);
    const include = p.string('mode', 'include') !== 'exclude';
    return retaining((t) => types.has(t.type) === include);
  },
  synonym: synonyms(false),
  synonym_graph: synonyms(true),
  pattern_replace: (p) => {
    if (!p.has('pattern')) throw illegalArgument(`pattern is missing for [${p.name}] token filter of type 'pattern_replace'`);
    return new PatternReplaceFilter(compileJavaPattern(p.string('pattern', ''), p.string('flags', ''), p, 'pattern'), p.string('replacement', ''), p.bool('all', true));
  },
  keyword_marker: (p) => {
    // KeywordMarkerTokenFilterFactory checks the conflict before it reads a keywords file
    if (p.has('keywords_pattern') && (p.has('keywords') || p.has('keywords_path'))) {
      throw illegalArgument('cannot specify both `keywords_pattern` and `keywords` or `keywords_path`');
    }
    const keywords = p.words('keywords');
    const pattern = p.has('keywords_pattern') ? compileJavaPattern(p.string('keywords_pattern', ''), '', p, 'keywords_pattern', true) : undefined;
    if (keywords === undefined && pattern === undefined) {
      throw illegalArgument('keyword filter requires either `keywords`, `keywords_path`, or `keywords_pattern` to be configured');
    }
    const ignoreCase = p.bool('ignore_case', false);
    return new KeywordMarkerFilter(new Set((keywords ?? []).map((k) => (ignoreCase ? k.toLowerCase() : k))), pattern, ignoreCase);
  },
  word_delimiter: wordDelimiter(false),
  word_delimiter_graph: wordDelimiter(true),
  keyword_repeat: () => new KeywordRepeatFilter(),
  remove_duplicates: () => new UniqueFilter(true),
  stemmer_override: (p) => {
    const rules = p.words('rules');
    if (rules === undefined) throw illegalArgument('stemmer_override requires either `rules` or `rules_path` to be configured');
    return new StemmerOverrideFilter(parseStemmerOverrides(rules));
  },
  german_normalization: () => germanNormalizationFilter(),
  flatten_graph: () => new FlattenGraphFilter(),
  pattern_capture: (p) => {
    const patterns = p.list('patterns');
    if (patterns === undefined) throw illegalArgument(`required setting 'patterns' is missing for token filter [${p.name}]`);
    return new PatternCaptureFilter(
      patterns.map((pattern) => compileJavaPattern(pattern, '', p, 'patterns')),
      p.bool('preserve_original', true),
    );
  },
  snowball,
  fingerprint: (p) => new FingerprintFilter(p.string('separator', ' '), p.int('max_output_size', 255)),
  decimal_digit: () => new DecimalDigitFilter(),
  elision: (p) => {
    // ElisionTokenFilterFactory: articles are required (the pre-built `elision` has French's, see PREBUILT_SETTINGS)
    const articles = p.words('articles');
    if (!articles) throw illegalArgument('elision filter requires [articles] or [articles_path] setting');
    return new ElisionFilter(articles, p.bool('articles_case', false));
  },
  cjk_width: () => new CjkWidthFilter(),
  cjk_bigram: (p) => {
    // Elasticsearch's CJKBigramFilterFactory: every script is bigrammed unless ignored (unknown names are ignored too).
    const ignored = new Set(p.list('ignored_scripts') ?? []);
    const scripts = { han: !ignored.has('han'), hiragana: !ignored.has('hiragana'), katakana: !ignored.has('katakana'), hangul: !ignored.has('hangul') };
    return new CjkBigramFilter(scripts, p.bool('output_unigrams', false));
  },
  classic: () => new ClassicFilter(),
  common_grams: (p) => {
    const words = resolveStopWords(p.settings.common_words ?? p.wordFile('common_words_path'), [], p.where);
    if (words.length === 0) throw illegalArgument('missing or empty [common_words] or [common_words_path] configuration for common_grams token filter');
    return new CommonGramsFilter(words, p.bool('ignore_case', false), p.bool('query_mode', false));
  },
  condition: (p, ctx) => conditionFilter(p, ctx.filter),
  dictionary_decompounder: (p) => {
    return new DictionaryCompoundWordFilter(compoundOptions(p));
  },
  hyphenation_decompounder: (p) => {
    // AbstractCompoundWordTokenFilterFactory's checks first, then the patterns
    const options = compoundOptions(p);
    const path = p.string('hyphenation_patterns_path', '');
    if (path === '') throw illegalArgument('hyphenation_patterns_path is a required setting.');
    let xml: string;
    try {
      xml = readConfigFile(p.configDir, 'hyphenation_patterns_path', path);
    } catch {
      // HyphenationCompoundWordTokenFilterFactory wraps every failure (missing, unreadable, denied) in this
      throw illegalArgument('Exception while reading hyphenation_patterns_path.');
    }
    const hyphenator = loadHyphenationTree(xml);
    // Lucene 9's options (Elasticsearch 8.x); only their defaults are built
    if (p.bool('no_sub_matches', false)) throw unsupported('no_sub_matches of hyphenation_decompounder');
    if (p.bool('no_overlapping_matches', false)) throw unsupported('no_overlapping_matches of hyphenation_decompounder');
    return new HyphenationCompoundWordFilter({ ...options, hyphenator });
  },
  min_hash: (p) => {
    const bucketCount = p.int('bucket_count', 512);
    return new MinHashFilter({
      hashCount: p.int('hash_count', 1),
      bucketCount,
      hashSetSize: p.int('hash_set_size', 1),
      withRotation: p.bool('with_rotation', bucketCount > 1),
    });
  },
  multiplexer: (p, ctx) => multiplexerFilter(p, ctx.filter),
  predicate_token_filter: predicateTokenFilter,
  hunspell: hunspellFilter,
  apostrophe: () => ({
    filter(tokens) {
      for (const t of tokens) {
        const at = t.term.search(/['\u2019]/);
        if (at >= 0) t.term = t.term.slice(0, at);
      }
      return tokens;
    },
  }),
};

/** Elasticsearch filters this engine knows of but does not implement. */
const UNSUPPORTED_FILTERS = new Set([
  'phonetic', 'icu_folding',
  'delimited_payload',
]);

/** Builds a token filter of `type`; undefined when Elasticsearch has no such type. */
export function createFilter(type: string, params: ComponentParams, ctx: FactoryContext): TokenFilter | undefined {
  const factory = Object.hasOwn(FILTER_FACTORIES, type) ? FILTER_FACTORIES[type] : undefined;
  if (factory) return factory(params, ctx);
  if (UNSUPPORTED_FILTERS.has(type)) throw unsupported(`${type} token filter`);
  return undefined;
}

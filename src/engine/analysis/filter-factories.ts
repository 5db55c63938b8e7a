import type { Token } from '../contract.js';
import { illegalArgument, unsupported } from '../errors.js';
import type { TokenFilter } from './analysis-types.js';
import type { ComponentParams } from './analysis-settings.js';
import { AsciiFoldingFilter } from './ascii-folding.js';
import { LowercaseFilter, UppercaseFilter } from './case-filters.js';
import { CjkBigramFilter, CjkWidthFilter } from './cjk-filters.js';
import { KeywordMarkerFilter, minimalEnglishFilter, porterStemFilter, possessiveFilter } from './english-stemmers.js';
import { NGramTokenFilter } from './ngrams.js';
import { ShingleFilter } from './shingle-filter.js';
import { PatternReplaceFilter, compileJavaPattern } from './pattern-components.js';
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
import type { FactoryContext } from './tokenizer-factories.js';

type FilterFactory = (params: ComponentParams, ctx: FactoryContext) => TokenFilter;

const JAVA_INT_MAX = 2147483647;

const stemmer: FilterFactory = (params) => {
  const language = params.string('language', params.string('name', 'english'));
  switch (language) {
    case 'english':
    case 'porter':
      return porterStemFilter();
    case 'possessive_english':
      return possessiveFilter();
    case 'minimal_english':
      return minimalEnglishFilter();
    default:
      throw unsupported(`stemmer language ${language}`);
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

/** `synonym` and `synonym_graph` with inline Solr-format rules. */
const synonyms =
  (graph: boolean): FilterFactory =>
  (p) => {
    if (p.has('synonyms_path')) throw unsupported('synonyms_path');
    if (p.has('synonyms_set')) throw unsupported('synonyms_set');
    const format = p.string('format', 'solr');
    if (format !== 'solr') throw unsupported(`synonym format ${format}`);
    const rules = p.list('synonyms');
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
  lowercase: (p) => {
    if (p.has('language')) throw unsupported(`lowercase filter language ${p.string('language', '')}`);
    return new LowercaseFilter();
  },
  uppercase: () => new UppercaseFilter(),
  asciifolding: (p) => new AsciiFoldingFilter(p.bool('preserve_original', false)),
  stop: (p) => {
    if (p.has('stopwords_path')) throw unsupported('stopwords_path');
    return new StopFilter(resolveStopWords(p.settings.stopwords, ENGLISH_STOP_WORDS, p.where), p.bool('ignore_case', false));
  },
  porter_stem: () => porterStemFilter(),
  stemmer,
  edge_ngram: edgeNgram,
  ngram,
  shingle,
  trim: () => new TrimFilter(),
  unique: (p) => new UniqueFilter(p.bool('only_on_same_position', false)),
  length: (p) => new LengthFilter(p.int('min', 0), p.int('max', JAVA_INT_MAX)),
  truncate: (p) => new TruncateFilter(p.int('length', 10)),
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
    if (p.has('keep_words_path')) throw unsupported('keep_words_path');
    const words = p.list('keep_words') ?? [];
    const caseFold = p.bool('keep_words_case', false);
    const set = new Set(caseFold ? words.map((w) => w.toLowerCase()) : words);
    return retaining((t) => set.has(caseFold ? t.term.toLowerCase() : t.term));
  },
  keep_types: (p) => {
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
    if (p.has('keywords_path')) throw unsupported('keywords_path');
    const keywords = p.list('keywords');
    const pattern = p.has('keywords_pattern') ? compileJavaPattern(p.string('keywords_pattern', ''), '', p, 'keywords_pattern', true) : undefined;
    if (keywords !== undefined && pattern !== undefined) {
      throw illegalArgument('cannot specify both `keywords_pattern` and `keywords` or `keywords_path`');
    }
    if (keywords === undefined && pattern === undefined) {
      throw illegalArgument('keyword filter requires either `keywords`, `keywords_path`, or `keywords_pattern` to be configured');
    }
    const ignoreCase = p.bool('ignore_case', false);
    return new KeywordMarkerFilter(new Set((keywords ?? []).map((k) => (ignoreCase ? k.toLowerCase() : k))), pattern, ignoreCase);
  },
  fingerprint: (p) => new FingerprintFilter(p.string('separator', ' '), p.int('max_output_size', 255)),
  decimal_digit: () => new DecimalDigitFilter(),
  elision: (p) => new ElisionFilter(p.list('articles') ?? undefined, p.bool('articles_case', false)),
  cjk_width: () => new CjkWidthFilter(),
  cjk_bigram: (p) => {
    // Elasticsearch's CJKBigramFilterFactory: every script is bigrammed unless ignored (unknown names are ignored too).
    const ignored = new Set(p.list('ignored_scripts') ?? []);
    const scripts = { han: !ignored.has('han'), hiragana: !ignored.has('hiragana'), katakana: !ignored.has('katakana'), hangul: !ignored.has('hangul') };
    return new CjkBigramFilter(scripts, p.bool('output_unigrams', false));
  },
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
  'word_delimiter', 'word_delimiter_graph', 'pattern_capture',
  'snowball', 'kstem', 'hunspell', 'common_grams', 'phonetic', 'icu_folding',
  'min_hash', 'multiplexer', 'condition',
  'predicate_token_filter', 'delimited_payload', 'dictionary_decompounder', 'hyphenation_decompounder',
  'classic', 'keyword_repeat', 'remove_duplicates', 'stemmer_override', 'flatten_graph', 'porter2',
]);

/** Builds a token filter of `type`; undefined when Elasticsearch has no such type. */
export function createFilter(type: string, params: ComponentParams, ctx: FactoryContext): TokenFilter | undefined {
  const factory = FILTER_FACTORIES[type];
  if (factory) return factory(params, ctx);
  if (UNSUPPORTED_FILTERS.has(type)) throw unsupported(`${type} token filter`);
  return undefined;
}

import type { HunspellService } from './hunspell/hunspell-service.js';
import { illegalArgument, unsupported } from '../errors.js';
import type { TokenFilter, Tokenizer } from './analysis-types.js';
import type { ComponentParams } from './analysis-settings.js';
import { KeywordTokenizer, charGroupTokenizer, letterTokenizer, lowercaseTokenizer, whitespaceTokenizer } from './char-tokenizers.js';
import { NGramTokenizer, TOKEN_CHAR_CLASSES, tokenCharPredicate, type TokenCharClass } from './ngrams.js';
import { ClassicTokenizer } from './classic-tokenizer.js';
import { PathHierarchyTokenizer } from './path-hierarchy.js';
import { PatternTokenizer, compileJavaPattern } from './pattern-components.js';
import { DEFAULT_MAX_TOKEN_LENGTH, StandardTokenizer } from './standard-tokenizer.js';
import { SimplePatternSplitTokenizer, SimplePatternTokenizer } from './simple-pattern.js';
import { UaxUrlEmailTokenizer } from './uax-url-email-tokenizer.js';

/** Limits and context the factories need from the index settings. */
export interface FactoryContext {
  maxNgramDiff: number;
  maxShingleDiff: number;
  /**
   * The index's token filter of this name (its own definitions, then the pre-built ones), for
   * the filters that refer to others (condition, multiplexer); undefined when there is none.
   */
  filter?: (name: string) => TokenFilter | undefined;
  /** The node's hunspell dictionaries (absent: the hunspell filter finds none). */
  hunspell?: HunspellService;
}

type TokenizerFactory = (params: ComponentParams, ctx: FactoryContext) => Tokenizer;

function tokenChars(params: ComponentParams): (cp: number) => boolean {
  const classes = params.list('token_chars', true) ?? [];
  for (const c of classes) {
    if (!(TOKEN_CHAR_CLASSES as readonly string[]).includes(c)) {
      throw illegalArgument(`Unknown token type: '${c}', must be one of [${TOKEN_CHAR_CLASSES.join(', ')}]`);
    }
  }
  const custom = params.string('custom_token_chars', '');
  if (classes.includes('custom') && custom === '') {
    throw illegalArgument('Token type: [custom] requires setting [custom_token_chars]');
  }
  return tokenCharPredicate(classes as TokenCharClass[], custom);
}

const ngram: TokenizerFactory = (params, ctx) => {
  const minGram = params.int('min_gram', 1);
  const maxGram = params.int('max_gram', 2);
  const diff = maxGram - minGram;
  if (diff > ctx.maxNgramDiff) {
    throw illegalArgument(
      `The difference between max_gram and min_gram in NGram Tokenizer must be less than or equal to: [${ctx.maxNgramDiff}] but was [${diff}]. This limit can be set by changing the [index.max_ngram_diff] index level setting.`,
    );
  }
  return new NGramTokenizer({ minGram, maxGram, isTokenChar: tokenChars(params), edge: false });
};

const edgeNgram: TokenizerFactory = (params) =>
  new NGramTokenizer({
    minGram: params.int('min_gram', 1),
    maxGram: params.int('max_gram', 2),
    isTokenChar: tokenChars(params),
    edge: true,
  });

/** `path_hierarchy` (also registered under its old name `PathHierarchy`). */
const pathHierarchy: TokenizerFactory = (p) => {
  const oneChar = (key: string, fallback: string) => {
    const v = p.string(key, fallback);
    if (v.length !== 1) throw illegalArgument(`${key} must be a one char value`);
    return v;
  };
  const delimiter = oneChar('delimiter', '/');
  if (p.int('buffer_size', 1024) < 0) throw illegalArgument('bufferSize cannot be negative');
  const skip = p.int('skip', 0);
  if (skip < 0) throw illegalArgument('skip cannot be negative');
  return new PathHierarchyTokenizer(delimiter, oneChar('replacement', delimiter), skip, p.bool('reverse', false));
};

/** Tokenizer types by Elasticsearch name; each also exists pre-built under its name. */
export const TOKENIZER_FACTORIES: Record<string, TokenizerFactory> = {
  standard: (p) => new StandardTokenizer(p.int('max_token_length', DEFAULT_MAX_TOKEN_LENGTH)),
  letter: () => letterTokenizer(),
  lowercase: () => lowercaseTokenizer(),
  whitespace: (p) => whitespaceTokenizer(p.int('max_token_length', 255)),
  keyword: () => new KeywordTokenizer(),
  ngram,
  edge_ngram: edgeNgram,
  pattern: (p) => new PatternTokenizer(compileJavaPattern(p.string('pattern', '\\W+'), p.string('flags', ''), p, 'pattern'), p.int('group', -1)),
  PathHierarchy: pathHierarchy,
  path_hierarchy: pathHierarchy,
  classic: (p) => new ClassicTokenizer(p.int('max_token_length', DEFAULT_MAX_TOKEN_LENGTH)),
  simple_pattern: (p) => new SimplePatternTokenizer(p.string('pattern', '')),
  simple_pattern_split: (p) => new SimplePatternSplitTokenizer(p.string('pattern', '')),
  uax_url_email: (p) => new UaxUrlEmailTokenizer(p.int('max_token_length', DEFAULT_MAX_TOKEN_LENGTH)),
  char_group: (p) => charGroupTokenizer(p.list('tokenize_on_chars') ?? [], p.int('max_token_length', 255)),
};

/** Elasticsearch tokenizers this engine knows of but does not implement: a clear 400, not "unknown". */
const UNSUPPORTED_TOKENIZERS = new Set([
  'thai', 'icu_tokenizer', 'kuromoji_tokenizer', 'nori_tokenizer', 'smartcn_tokenizer',
]);

/** Builds a tokenizer of `type`; undefined when Elasticsearch has no such type. */
export function createTokenizer(type: string, params: ComponentParams, ctx: FactoryContext): Tokenizer | undefined {
  const factory = Object.hasOwn(TOKENIZER_FACTORIES, type) ? TOKENIZER_FACTORIES[type] : undefined;
  if (factory) return factory(params, ctx);
  if (UNSUPPORTED_TOKENIZERS.has(type)) throw unsupported(`${type} tokenizer`);
  return undefined;
}

import type { HunspellService } from './hunspell/hunspell-service.js';
import type { AnalysisRegistry } from '../contract.js';
import { illegalArgument } from '../errors.js';
import type { CharFilter, TokenFilter, Tokenizer } from './analysis-types.js';
import { ComponentParams, readAnalysisSettings, type ComponentSettings } from './analysis-settings.js';
import { LOWERCASE_NORMALIZER, builtInAnalyzer, createBuiltInAnalyzer } from './built-in-analyzers.js';
import { ChainAnalyzer, ChainNormalizer, DEFAULT_POSITION_INCREMENT_GAP } from './chain-analyzer.js';
import { createCharFilter } from './char-filters.js';
import { createFilter } from './filter-factories.js';
import { FRENCH_ELISION_ARTICLES } from './simple-filters.js';
import { createTokenizer, type FactoryContext } from './tokenizer-factories.js';

export type Kind = 'tokenizer' | 'filter' | 'char_filter';

/**
 * Where Elasticsearch's pre-configured component differs from its type's defaults
 * (CommonAnalysisPlugin: the pre-built edge_ngram filter emits 1-grams only).
 */
const PREBUILT_SETTINGS: Record<string, ComponentSettings> = {
  'filter:edge_ngram': { max_gram: 1 },
  // the pre-configured filters whose factories require settings (CommonAnalysisPlugin.getPreConfiguredTokenFilters):
  // elision with FrenchAnalyzer.DEFAULT_ARTICLES (an ignore-case set), truncate at 10
  'filter:elision': { articles: FRENCH_ELISION_ARTICLES, articles_case: true },
  'filter:truncate': { length: 10 },
};

const typeOf = (def: ComponentSettings): string | undefined => {
  const t = def.type;
  return t === undefined || t === null ? undefined : String(t);
};

/** A list setting: an array, or a string Elasticsearch reads as a comma-separated list. */
const asList = (v: unknown): string[] => {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map(String);
  return String(v)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
};

/**
 * One index's analysis components, built (and validated) once from its settings, as
 * Elasticsearch does at create-index: a bad definition fails the index creation with
 * Elasticsearch's message. Names not defined by the index fall back to the pre-built ones.
 */
export class IndexAnalysisRegistry implements AnalysisRegistry {
  readonly context: FactoryContext;
  private readonly tokenizers = new Map<string, Tokenizer>();
  private readonly filters = new Map<string, TokenFilter>();
  private readonly charFilters = new Map<string, CharFilter>();
  private readonly analyzers = new Map<string, ChainAnalyzer>();
  private readonly normalizers = new Map<string, ChainNormalizer>();
  private readonly prebuilt = new Map<string, Tokenizer | TokenFilter | CharFilter | undefined>();
  /** Why a type could not be built with no settings (its factory's own error), by `kind:name`. */
  private readonly prebuiltErrors = new Map<string, unknown>();
  /** The index's filter definitions, for filters that refer to others defined after them. */
  private readonly filterDefs: Record<string, ComponentSettings>;
  /** The analyzers the index's settings define. */
  private readonly ownAnalyzers: ReadonlySet<string>;
  /** Filters being built, to refuse a filter that refers to itself through others. */
  private readonly building = new Set<string>();

  /** The node's config directory, where `*_path` settings name files. */
  readonly configDir: string | undefined;

  constructor(indexSettings: unknown, environment: AnalysisEnvironment = {}) {
    this.configDir = environment.configDir;
    const settings = readAnalysisSettings(indexSettings);
    this.context = {
      maxNgramDiff: settings.maxNgramDiff,
      maxShingleDiff: settings.maxShingleDiff,
      filter: (name) => this.referencedFilter(name),
      ...(environment.hunspell ? { hunspell: environment.hunspell } : {}),
    };
    this.filterDefs = settings.filter;
    for (const [name, def] of Object.entries(settings.tokenizer)) this.tokenizers.set(name, this.define('tokenizer', name, def));
    for (const name of Object.keys(settings.filter)) this.referencedFilter(name);
    for (const [name, def] of Object.entries(settings.char_filter)) this.charFilters.set(name, this.define('char_filter', name, def));
    for (const [name, def] of Object.entries(settings.analyzer)) this.analyzers.set(name, this.buildAnalyzer(name, def));
    this.ownAnalyzers = new Set(Object.keys(settings.analyzer));
    for (const [name, def] of Object.entries(settings.normalizer)) this.normalizers.set(name, this.buildNormalizer(name, def));
    if (this.analyzers.has('default_index')) {
      throw illegalArgument('setting [index.analysis.analyzer.default_index] is not supported anymore, use [index.analysis.analyzer.default] instead');
    }
    for (const name of this.analyzers.keys()) {
      if (name.startsWith('_')) throw illegalArgument(`analyzer name must not start with '_'. got "${name}"`);
    }
  }

  /** The analyzer `name`: the index's own, else a pre-built one; `default` is the index default (standard). */
  analyzer(name: string): ChainAnalyzer | undefined {
    const own = this.analyzers.get(name);
    if (own) return own;
    if (name === 'default') {
      const standard = builtInAnalyzer('standard') as ChainAnalyzer;
      const named = standard.renamed('default');
      this.analyzers.set('default', named);
      return named;
    }
    return builtInAnalyzer(name) as ChainAnalyzer | undefined;
  }

  /** Whether `name` is an analyzer the index's settings define (not a pre-built one). */
  hasOwnAnalyzer(name: string): boolean {
    return this.ownAnalyzers.has(name);
  }

  normalizer(name: string): ChainNormalizer | undefined {
    return this.normalizers.get(name) ?? (name === 'lowercase' ? LOWERCASE_NORMALIZER : undefined);
  }

  /** A tokenizer by name (index-defined or pre-built), for `_analyze` and custom analyzers. */
  tokenizer(name: string): Tokenizer | undefined {
    return this.tokenizers.get(name) ?? (this.prebuiltComponent('tokenizer', name) as Tokenizer | undefined);
  }

  filter(name: string): TokenFilter | undefined {
    return this.filters.get(name) ?? (this.prebuiltComponent('filter', name) as TokenFilter | undefined);
  }

  /**
   * A filter another filter refers to (condition, multiplexer): built on first reference, so
   * the order of the definitions does not matter, as Elasticsearch resolves them once all exist.
   */
  private referencedFilter(name: string): TokenFilter | undefined {
    const built = this.filters.get(name);
    if (built) return built;
    if (!Object.hasOwn(this.filterDefs, name)) return this.prebuiltComponent('filter', name) as TokenFilter | undefined;
    if (this.building.has(name)) throw illegalArgument(`token filter [${name}] refers to itself through [${[...this.building].join(', ')}]`);
    this.building.add(name);
    try {
      const filter = this.define('filter', name, this.filterDefs[name] as ComponentSettings);
      this.filters.set(name, filter);
      return filter;
    } finally {
      this.building.delete(name);
    }
  }

  charFilter(name: string): CharFilter | undefined {
    return this.charFilters.get(name) ?? (this.prebuiltComponent('char_filter', name) as CharFilter | undefined);
  }

  /** Builds an anonymous component from an inline definition (`{ "type": "stop", ... }`). */
  inline(kind: 'tokenizer', def: ComponentSettings): Tokenizer;
  inline(kind: 'filter', def: ComponentSettings): TokenFilter;
  inline(kind: 'char_filter', def: ComponentSettings): CharFilter;
  inline(kind: Kind, def: ComponentSettings): Tokenizer | TokenFilter | CharFilter {
    const type = typeOf(def);
    if (type === undefined) throw illegalArgument(`Missing [type] setting for anonymous ${kind}: ${JSON.stringify(def)}`);
    return this.define(kind, `__anonymous__${type}`, def);
  }

  private define(kind: 'tokenizer', name: string, def: ComponentSettings): Tokenizer;
  private define(kind: 'filter', name: string, def: ComponentSettings): TokenFilter;
  private define(kind: 'char_filter', name: string, def: ComponentSettings): CharFilter;
  private define(kind: Kind, name: string, def: ComponentSettings): Tokenizer | TokenFilter | CharFilter;
  private define(kind: Kind, name: string, def: ComponentSettings): Tokenizer | TokenFilter | CharFilter {
    const type = typeOf(def);
    if (type === undefined) throw illegalArgument(`${kind} [${name}] must specify either an analyzer type, or a tokenizer`);
    const built = this.create(kind, type, new ComponentParams(def, `[index.analysis.${kind}.${name}]`, name, this.configDir));
    if (!built) throw illegalArgument(`Unknown ${kind} type [${type}] for [${name}]`);
    return built;
  }

  private create(kind: Kind, type: string, params: ComponentParams): Tokenizer | TokenFilter | CharFilter | undefined {
    if (kind === 'tokenizer') return createTokenizer(type, params, this.context);
    if (kind === 'filter') return createFilter(type, params, this.context);
    return createCharFilter(type, params);
  }

  private prebuiltComponent(kind: Kind, name: string): Tokenizer | TokenFilter | CharFilter | undefined {
    const key = `${kind}:${name}`;
    if (this.prebuilt.has(key)) return this.prebuilt.get(key);
    let built: Tokenizer | TokenFilter | CharFilter | undefined;
    // Pre-built components are the types with default parameters; a type that needs parameters
    // (mapping without mappings) has no pre-built instance.
    try {
      built = this.create(kind, name, new ComponentParams(PREBUILT_SETTINGS[`${kind}:${name}`] ?? {}, `[${name}]`, name));
    } catch (e) {
      built = undefined;
      this.prebuiltErrors.set(key, e);
    }
    this.prebuilt.set(key, built);
    return built;
  }

  /**
   * The error of a component type that exists but cannot be built without settings (`keep` without
   * `keep_words`): what its factory throws when `_analyze` names it bare; undefined for a name that
   * is no type (create() answers undefined for those) or one that builds.
   */
  settingsError(kind: Kind, name: string): unknown {
    this.prebuiltComponent(kind, name);
    return this.prebuiltErrors.get(`${kind}:${name}`);
  }

  private buildAnalyzer(name: string, def: ComponentSettings): ChainAnalyzer {
    const type = typeOf(def);
    if (type === undefined && def.tokenizer === undefined) {
      throw illegalArgument(`analyzer [${name}] must specify either an analyzer type, or a tokenizer`);
    }
    if (type !== undefined && type !== 'custom') {
      const analyzer = createBuiltInAnalyzer(type, name, def, this.configDir);
      if (!analyzer) throw illegalArgument(`Unknown analyzer type [${type}] for [${name}]`);
      return analyzer;
    }
    const params = new ComponentParams(def, `[index.analysis.analyzer.${name}]`);
    const tokenizerName = def.tokenizer;
    if (tokenizerName === undefined || tokenizerName === null) {
      throw illegalArgument(`Custom Analyzer [${name}] must be configured with a tokenizer`);
    }
    const tokenizer = this.tokenizer(String(tokenizerName));
    if (!tokenizer) throw illegalArgument(`Custom Analyzer [${name}] failed to find tokenizer under name [${String(tokenizerName)}]`);
    const charFilters = asList(def.char_filter).map((n) => {
      const cf = this.charFilter(n);
      if (!cf) throw illegalArgument(`Custom Analyzer [${name}] failed to find char_filter under name [${n}]`);
      return cf;
    });
    const filters = asList(def.filter).map((n) => {
      const f = this.filter(n);
      if (!f) throw illegalArgument(`Custom Analyzer [${name}] failed to find filter under name [${n}]`);
      return f;
    });
    const gap = params.int('position_increment_gap', DEFAULT_POSITION_INCREMENT_GAP, 0);
    return new ChainAnalyzer(name, tokenizer, filters, charFilters, gap);
  }

  private buildNormalizer(name: string, def: ComponentSettings): ChainNormalizer {
    const type = typeOf(def);
    if (type !== undefined && type !== 'custom') throw illegalArgument(`Unknown normalizer type [${type}] for [${name}]`);
    if (def.tokenizer !== undefined) throw illegalArgument(`Custom normalizer [${name}] cannot configure a tokenizer`);
    const charFilters = asList(def.char_filter).map((n) => {
      const cf = this.charFilter(n);
      if (!cf) throw illegalArgument(`Custom normalizer [${name}] failed to find char_filter under name [${n}]`);
      if (!cf.normalizes) throw illegalArgument(`Custom normalizer [${name}] may not use char filter [${n}]`);
      return cf;
    });
    const filters = asList(def.filter).map((n) => {
      const f = this.filter(n);
      if (!f) throw illegalArgument(`Custom normalizer [${name}] failed to find filter under name [${n}]`);
      if (!f.normalizes) throw illegalArgument(`Custom normalizer [${name}] may not use filter [${n}]`);
      return f;
    });
    return new ChainNormalizer(name, filters, charFilters);
  }
}

/**
 * Builds the analysis registry of an index from its settings, in any of the forms create-index
 * accepts (`{ analysis }`, `{ index: { analysis } }`, flattened `index.analysis.*` keys).
 * Throws EngineError 400 `illegal_argument_exception` with Elasticsearch's message for unknown
 * components and bad parameters.
 *
 * @example
 * const registry = createAnalysisRegistry({ analysis: { analyzer: { folded: {
 *   type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] } } } });
 * registry.analyzer('folded')?.analyze('Crème brûlée'); // creme@0, brulee@1
 */
export function createAnalysisRegistry(indexSettings: unknown, environment: AnalysisEnvironment = {}): IndexAnalysisRegistry {
  return new IndexAnalysisRegistry(indexSettings, environment);
}

/** What the analysis components need from the node: its config directory (word files, `*_path`) and its hunspell dictionaries. */
export interface AnalysisEnvironment {
  configDir?: string;
  hunspell?: HunspellService;
}

import type { Analyzer, AnalysisRegistry, Normalizer, Token } from '../contract.js';
import { EngineError, illegalArgument, unsupported } from '../errors.js';
import type { CharFilter, TokenFilter, Tokenizer } from './analysis-types.js';
import type { ComponentSettings } from './analysis-settings.js';
import { createAnalysisRegistry, IndexAnalysisRegistry } from './analysis-registry.js';
import { ChainAnalyzer, ChainNormalizer, type AnalysisRun } from './chain-analyzer.js';
import { KeywordTokenizer } from './char-tokenizers.js';
import { explainAnalyzer, explainChain, type NamedStage } from './analyze-explain.js';

const KNOWN_FIELDS = new Set(['text', 'analyzer', 'tokenizer', 'filter', 'char_filter', 'normalizer', 'field', 'explain', 'attributes']);
/** Lucene's default offset gap between the values of a multi-valued field. */
const OFFSET_GAP = 1;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

let globalRegistry: IndexAnalysisRegistry | undefined;

/** Anything `_analyze` can run: an analyzer or a normalizer, with per-run detail when we built it. */
interface Runnable {
  positionIncrementGap: number;
  run(text: string): AnalysisRun;
  /** The `explain: true` detail, where the engine builds it. */
  explain?(texts: string[], attributes: ReadonlySet<string> | undefined): Record<string, unknown>;
}

function runnable(analyzer: Analyzer): Runnable {
  if (analyzer instanceof ChainAnalyzer) return analyzer;
  // An analyzer from elsewhere (a field callback): positions and offsets from its tokens alone.
  return {
    positionIncrementGap: analyzer.positionIncrementGap,
    run(text) {
      const tokens = analyzer.analyze(text);
      const positionCount = tokens.reduce((max, t) => Math.max(max, t.position + 1), 0);
      return { tokens, positionCount, endOffset: text.length };
    },
  };
}

function normalizerRunnable(normalizer: Normalizer): Runnable {
  if (normalizer instanceof ChainNormalizer) return { positionIncrementGap: 0, run: (text) => normalizer.run(text) };
  return {
    positionIncrementGap: 0,
    run(text) {
      const term = normalizer.normalize(text);
      return { tokens: [{ term, position: 0, startOffset: 0, endOffset: text.length, type: 'word' }], positionCount: 1, endOffset: text.length };
    },
  };
}

function validate(body: Record<string, unknown>, hasIndex: boolean): void {
  for (const key of Object.keys(body)) {
    if (!KNOWN_FIELDS.has(key)) throw new EngineError(400, 'x_content_parse_exception', `[analyze_request] unknown field [${key}]`);
  }
  const errors: string[] = [];
  const text = body.text;
  const hasFilters = Array.isArray(body.filter) ? body.filter.length > 0 : body.filter !== undefined;
  const hasCharFilters = Array.isArray(body.char_filter) ? body.char_filter.length > 0 : body.char_filter !== undefined;
  if (text === undefined || text === null || (Array.isArray(text) && text.length === 0)) errors.push('text is missing');
  if (body.normalizer !== undefined) {
    if (!hasIndex) errors.push('index is required if normalizer is specified');
    if (body.tokenizer !== undefined || body.analyzer !== undefined) errors.push('tokenizer/analyze should be null if normalizer is specified');
  }
  if (body.analyzer !== undefined && (body.tokenizer !== undefined || hasFilters || hasCharFilters)) {
    errors.push('cannot define extra components on a named analyzer');
  }
  if (body.normalizer !== undefined && (body.tokenizer !== undefined || hasFilters || hasCharFilters)) {
    errors.push('cannot define extra components on a named normalizer');
  }
  if (errors.length > 0) {
    const reason = `Validation Failed: ${errors.map((e, i) => `${i + 1}: ${e};`).join('')}`;
    throw new EngineError(400, 'action_request_validation_exception', reason);
  }
}

function texts(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw illegalArgument(`[text] must be a string or an array of strings, got [${JSON.stringify(v)}]`);
  });
}

function resolveComponent<T>(
  kind: 'tokenizer' | 'filter' | 'char_filter',
  spec: unknown,
  global: boolean,
  lookup: (name: string) => T | undefined,
  inline: (def: ComponentSettings) => T,
  settingsError?: (name: string) => unknown,
): T {
  if (isObject(spec)) return inline(spec);
  if (typeof spec !== 'string') throw illegalArgument(`[${kind}] must be a name or an object definition, got [${JSON.stringify(spec)}]`);
  // AnalysisRegistry.getComponentFactory: without an index, a factory registered with
  // requiresAnalysisSettings refuses to be built (AnalysisProvider.get); with one, a name the index
  // does not define is the global factory of that type built with no settings, which throws its
  // own error when it needs some
  if (global && REQUIRES_SETTINGS[kind].has(spec)) throw illegalArgument("Analysis settings required - can't instantiate analysis factory");
  const found = lookup(spec);
  if (found !== undefined) return found;
  const factoryError = settingsError?.(spec);
  if (factoryError !== undefined) throw factoryError;
  throw illegalArgument(`failed to find ${global ? 'global ' : ''}${kind} under [${spec}]`);
}

/**
 * The factories registered with requiresAnalysisSettings (CommonAnalysisPlugin, AnalysisModule),
 * less those that also have a pre-configured instance (common_grams, elision, truncate): without
 * an index, Elasticsearch finds the pre-configured one first.
 */
const REQUIRES_SETTINGS: Record<'tokenizer' | 'filter' | 'char_filter', ReadonlySet<string>> = {
  tokenizer: new Set(),
  filter: new Set([
    'condition',
    'dictionary_decompounder',
    'hunspell',
    'hyphenation_decompounder',
    'keep',
    'keep_types',
    'keyword_marker',
    'pattern_capture',
    'pattern_replace',
    'predicate_token_filter',
    'stemmer_override',
    'synonym',
    'synonym_graph',
  ]),
  char_filter: new Set(['mapping', 'pattern_replace']),
};

/** A component's name in the explain detail: its own, or `__anonymous__<type>` for an inline one. */
const componentName = (spec: unknown): string => (isObject(spec) ? `__anonymous__${String(spec.type)}` : String(spec));

function pickRunnable(
  registry: AnalysisRegistry | undefined,
  body: Record<string, unknown>,
  fieldAnalyzer: ((field: string) => Analyzer | undefined) | undefined,
  globalComponents: AnalysisRegistry | undefined,
): Runnable {
  const global = registry === undefined;
  const own = registry instanceof IndexAnalysisRegistry ? registry : undefined;
  const components = own ?? (globalComponents instanceof IndexAnalysisRegistry ? globalComponents : (globalRegistry ??= createAnalysisRegistry({})));
  if (body.analyzer !== undefined) {
    const name = String(body.analyzer);
    const analyzer = registry ? registry.analyzer(name) : components.analyzer(name);
    if (!analyzer) throw illegalArgument(global ? `failed to find global analyzer [${name}]` : `failed to find analyzer [${name}]`);
    // a pre-built analyzer is reported whole; an index's custom one would list its components (not built)
    const prebuilt = !(own?.hasOwnAnalyzer(name) ?? false) && analyzer instanceof ChainAnalyzer ? analyzer : undefined;
    return prebuilt ? { ...runnable(analyzer), run: (text) => prebuilt.run(text), explain: (texts, only) => explainAnalyzer(prebuilt, texts, only) } : runnable(analyzer);
  }
  if (body.normalizer !== undefined) {
    const name = String(body.normalizer);
    const normalizer = registry?.normalizer(name);
    if (!normalizer) throw illegalArgument(`failed to find normalizer under [${name}]`);
    return normalizerRunnable(normalizer);
  }
  const filterSpecs = body.filter === undefined ? [] : Array.isArray(body.filter) ? body.filter : [body.filter];
  const charFilterSpecs = body.char_filter === undefined ? [] : Array.isArray(body.char_filter) ? body.char_filter : [body.char_filter];
  if (body.tokenizer !== undefined || filterSpecs.length > 0 || charFilterSpecs.length > 0) {
    const tokenizer: Tokenizer =
      body.tokenizer === undefined
        ? new KeywordTokenizer()
        : resolveComponent('tokenizer', body.tokenizer, global, (n) => components.tokenizer(n), (d) => components.inline('tokenizer', d), (n) => components.settingsError('tokenizer', n));
    const filters = filterSpecs.map((s): TokenFilter =>
      resolveComponent('filter', s, global, (n) => components.filter(n), (d) => components.inline('filter', d), (n) => components.settingsError('filter', n)),
    );
    const charFilters = charFilterSpecs.map((s): CharFilter =>
      resolveComponent('char_filter', s, global, (n) => components.charFilter(n), (d) => components.inline('char_filter', d), (n) => components.settingsError('char_filter', n)),
    );
    // Elasticsearch's ad-hoc CustomAnalyzer for _analyze has a position increment gap of 0.
    const chain = new ChainAnalyzer('_custom_', tokenizer, filters, charFilters, 0);
    const named = <T>(specs: unknown[], parts: T[]): Array<NamedStage<T>> => parts.map((component, i) => ({ name: componentName(specs[i]), component }));
    return {
      positionIncrementGap: 0,
      run: (text) => chain.run(text),
      explain: (texts, only) =>
        explainChain({ name: body.tokenizer === undefined ? 'keyword' : componentName(body.tokenizer), component: tokenizer }, named(filterSpecs, filters), named(charFilterSpecs, charFilters), texts, only),
    };
  }
  if (body.field !== undefined) {
    if (global) throw illegalArgument('analysis based on a specific field requires an index');
    const analyzer = fieldAnalyzer?.(String(body.field)) ?? registry?.analyzer('default');
    if (analyzer) return runnable(analyzer);
  }
  const fallback = registry?.analyzer('default') ?? components.analyzer('standard');
  if (!fallback) throw illegalArgument('failed to find analyzer [standard]');
  return runnable(fallback);
}

function tokenJson(t: Token, position: number, offset: number): Record<string, unknown> {
  const json: Record<string, unknown> = {
    token: t.term,
    start_offset: t.startOffset + offset,
    end_offset: t.endOffset + offset,
    type: t.type,
    position,
  };
  if (t.positionLength !== undefined && t.positionLength > 1) json.positionLength = t.positionLength;
  return json;
}

/**
 * The `_analyze` API: `{ tokens: [{ token, start_offset, end_offset, type, position }] }` for
 * an `analyzer`, a `normalizer`, a `field` (through `fieldAnalyzer`), or an ad-hoc chain of
 * `tokenizer` / `filter` / `char_filter` (names or inline definitions). `registry` is the
 * index's, or undefined for `POST /_analyze` without an index. Several `text` values continue
 * positions after the analyzer's position_increment_gap and offsets after a gap of 1, as
 * Elasticsearch does. Throws EngineError with Elasticsearch's messages.
 *
 * @example analyzeRequest(undefined, { analyzer: 'standard', text: 'Hello World' })
 * // { tokens: [{ token: 'hello', start_offset: 0, end_offset: 5, type: '<ALPHANUM>', position: 0 }, ...] }
 */
export function analyzeRequest(
  registry: AnalysisRegistry | undefined,
  body: Record<string, unknown>,
  fieldAnalyzer?: (field: string) => Analyzer | undefined,
  maxTokenCount = MAX_TOKEN_COUNT_DEFAULT,
  /** Without an index: the node's components (its config directory for word files); else ones with no config directory. */
  globalComponents?: AnalysisRegistry,
): Record<string, unknown> {
  validate(body, registry !== undefined);
  const target = pickRunnable(registry, body, fieldAnalyzer, globalComponents);
  const tokens: Array<Record<string, unknown>> = [];
  let lastPosition = -1;
  let lastOffset = 0;
  for (const text of texts(body.text)) {
    const run = target.run(text);
    const base = lastPosition + 1;
    // TransportAnalyzeAction's TokenCounter: the tokens of all the texts together
    if (tokens.length + run.tokens.length > maxTokenCount) throw tooManyTokens(maxTokenCount);
    for (const t of run.tokens) tokens.push(tokenJson(t, base + t.position, lastOffset));
    lastPosition = base + run.positionCount - 1 + target.positionIncrementGap;
    lastOffset += run.endOffset + OFFSET_GAP;
  }
  // explain lists every stage, the last of which is the stream above: past the limit it fails the
  // same way (checked first)
  if (body.explain === true || body.explain === 'true') {
    if (!target.explain) throw unsupported('explain in _analyze of an index-defined analyzer, a normalizer or a field');
    const attributes = body.attributes === undefined ? undefined : new Set((Array.isArray(body.attributes) ? body.attributes : [body.attributes]).map(String));
    return { detail: target.explain(texts(body.text), attributes !== undefined && attributes.size > 0 ? attributes : undefined) };
  }
  return { tokens };
}

/** index.analyze.max_token_count's default, also the limit of `_analyze` without an index. */
export const MAX_TOKEN_COUNT_DEFAULT = 10_000;

/** Elasticsearch throws an IllegalStateException here, hence a 500. */
function tooManyTokens(max: number): EngineError {
  return new EngineError(
    500,
    'illegal_state_exception',
    `The number of tokens produced by calling _analyze has exceeded the allowed maximum of [${max}]. This limit can be set by changing the [index.analyze.max_token_count] index level setting.`,
  );
}

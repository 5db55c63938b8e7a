import type { Analyzer, IndexView } from '../../contract.js';
import { ChainAnalyzer } from '../../analysis/chain-analyzer.js';
import { ShingleFilter } from '../../analysis/shingle-filter.js';
import { EngineError, parsingError, unsupported } from '../../errors.js';
import { isObject } from '../parse-util.js';
import { DirectCandidateGenerator } from './candidate-generator.js';
import { defaultSpellcheckerSettings, parseSpellcheckerOption } from './direct-spell-checker.js';
import type { SpellcheckerSettings } from './direct-spell-checker.js';
import { FieldTerms } from './field-terms.js';
import { getCorrections, joinCorrection } from './noisy-channel.js';
import type { PhraseOption, SuggestEntry } from './suggest-result.js';
import { boolOption, floatOption, intOption, parseCommonOption, requireField, stringOption } from './suggest-options.js';
import type { CommonSpec } from './suggest-options.js';
import { mappedField, suggestAnalyzer } from './suggestion-context.js';
import { DEFAULT_SMOOTHING, WordScorer, parseSmoothing } from './word-scorer.js';
import type { SmoothingModel } from './word-scorer.js';

/**
 * The phrase suggester (PhraseSuggester): "did you mean" over the whole text with a noisy
 * channel model — candidates per token from direct generators, paths scored by an n-gram
 * language model over the field (gram_size from its shingle filter), best corrections above
 * the input's own score x confidence.
 */

export interface GeneratorSpec {
  field: string;
  settings: SpellcheckerSettings;
  size: number;
  preFilter?: string;
  postFilter?: string;
}

export interface PhraseSpec extends CommonSpec {
  maxErrors: number;
  separator: string;
  realWordErrorLikelihood: number;
  confidence: number;
  gramSize?: number;
  forceUnigrams: boolean;
  tokenLimit: number;
  preTag?: string;
  postTag?: string;
  smoothing?: SmoothingModel;
  generators: GeneratorSpec[];
}

const illegal = (reason: string): EngineError => new EngineError(400, 'illegal_argument_exception', reason);
const xcontent = (reason: string): EngineError => new EngineError(400, 'x_content_parse_exception', `[1:1] ${reason}`);

function parseGenerator(v: unknown): GeneratorSpec {
  if (!isObject(v)) throw xcontent('[direct_generator] failed to parse');
  const settings = defaultSpellcheckerSettings();
  const g: Partial<GeneratorSpec> = { settings, size: 5 };
  for (const [key, value] of Object.entries(v)) {
    if (parseSpellcheckerOption(settings, 'direct_generator', key, value)) continue;
    switch (key) {
      case 'field':
        g.field = stringOption('direct_generator', key, value);
        break;
      case 'size':
        g.size = intOption('direct_generator', key, value);
        if (g.size <= 0) throw illegal('Size must be positive');
        break;
      case 'pre_filter':
        g.preFilter = stringOption('direct_generator', key, value);
        break;
      case 'post_filter':
        g.postFilter = stringOption('direct_generator', key, value);
        break;
      default:
        throw xcontent(`[direct_generator] unknown field [${key}]`);
    }
  }
  if (g.field === undefined) throw xcontent('Required [field]');
  return g as GeneratorSpec;
}

/** PhraseSuggestionBuilder.fromXContent. */
export function parsePhrase(body: Record<string, unknown>): PhraseSpec {
  const common: Partial<CommonSpec> = {};
  const spec: Omit<PhraseSpec, 'field'> = {
    maxErrors: Math.fround(0.5),
    separator: ' ',
    realWordErrorLikelihood: Math.fround(0.95),
    confidence: 1,
    forceUnigrams: true,
    tokenLimit: 10,
    generators: [],
  };
  for (const [key, value] of Object.entries(body)) {
    if (Array.isArray(value)) {
      if (key !== 'direct_generator') throw parsingError(`suggester[phrase]  doesn't support array field [${key}]`);
      for (const g of value) spec.generators.push(parseGenerator(g));
      continue;
    }
    if (isObject(value)) {
      if (key === 'smoothing') {
        if (spec.smoothing) throw illegal('only one smoothing model supported');
        spec.smoothing = parseSmoothing(value);
      } else if (key === 'highlight') {
        for (const [k, tag] of Object.entries(value)) {
          if (k === 'pre_tag') spec.preTag = stringOption('highlight', k, tag);
          else if (k === 'post_tag') spec.postTag = stringOption('highlight', k, tag);
          else throw parsingError(`suggester[phrase][highlight] doesn't support field [${k}]`);
        }
        if ((spec.preTag === undefined) !== (spec.postTag === undefined)) throw illegal('Pre and post tag must both be null or both not be null.');
      } else if (key === 'collate') {
        throw unsupported('phrase suggester collate');
      } else {
        throw parsingError(`suggester[phrase]  doesn't support array field [${key}]`);
      }
      continue;
    }
    if (parseCommonOption(common, 'phrase', key, value)) continue;
    switch (key) {
      case 'real_word_error_likelihood':
        spec.realWordErrorLikelihood = floatOption('phrase', key, value);
        if (spec.realWordErrorLikelihood <= 0) throw illegal('real_word_error_likelihood must be > 0.0');
        break;
      case 'confidence':
        spec.confidence = floatOption('phrase', key, value);
        if (spec.confidence < 0) throw illegal('confidence must be >= 0.0');
        break;
      case 'separator':
        spec.separator = stringOption('phrase', key, value);
        break;
      case 'max_errors':
        spec.maxErrors = floatOption('phrase', key, value);
        if (spec.maxErrors <= 0) throw illegal('max_error must be > 0.0');
        break;
      case 'gram_size':
        spec.gramSize = intOption('phrase', key, value);
        if (spec.gramSize < 1) throw illegal('gramSize must be >= 1');
        break;
      case 'force_unigrams':
        spec.forceUnigrams = boolOption('phrase', key, value);
        break;
      case 'token_limit':
        spec.tokenLimit = intOption('phrase', key, value);
        if (spec.tokenLimit <= 0) throw illegal('token_limit must be >= 1');
        break;
      default:
        throw parsingError(`suggester[phrase] doesn't support field [${key}]`);
    }
  }
  return { ...common, ...spec, field: requireField(common) };
}

/**
 * The analyzer's shingle filter, read by analyzing distinct probe words: its max_shingle_size
 * and whether unigrams come out (PhraseSuggestionBuilder.getShingleFilterFactory).
 */
function shingleInfo(analyzer: Analyzer): { maxShingleSize: number; unigrams: boolean } | undefined {
  if (!(analyzer instanceof ChainAnalyzer) || !analyzer.filters.some((f) => f instanceof ShingleFilter)) return undefined;
  const tokens = analyzer.analyze('qa qb qc qd qe qf qg qh');
  let max = 1;
  for (const t of tokens) if (t.type === 'shingle') max = Math.max(max, t.positionLength ?? 1);
  return { maxShingleSize: max, unigrams: tokens.some((t) => t.type !== 'shingle') };
}

const sizes = (spec: CommonSpec): { size: number; shardSize: number } => {
  const size = spec.size ?? 5;
  return { size, shardSize: spec.shardSize ?? Math.max(size, 5) };
};

type PhraseEntry = SuggestEntry<PhraseOption> & { cutoff: number };

export function phraseShard(spec: PhraseSpec, text: string, view: IndexView): PhraseEntry {
  const info = mappedField(view, spec.field);
  const analyzer = suggestAnalyzer(view, info, spec.analyzer);
  const analyzerNamed = (name: string): Analyzer => {
    const a = view.analysis.analyzer(name);
    if (!a) throw illegal(`Analyzer [${name}] doesn't exists`);
    return a;
  };
  let gramSize = spec.gramSize ?? 1;
  const generators = [...spec.generators];
  if (spec.gramSize === undefined || generators.length === 0) {
    const shingles = shingleInfo(analyzer);
    if (spec.gramSize === undefined && shingles) gramSize = shingles.maxShingleSize;
    if (generators.length === 0) {
      if (shingles && !shingles.unigrams && spec.forceUnigrams) {
        throw illegal(
          `The default candidate generator for phrase suggest can't operate on field: [${spec.field}] since it doesn't emit unigrams. If this is intentional try to set the candidate generator field explicitly`,
        );
      }
      generators.push({ field: spec.field, settings: defaultSpellcheckerSettings(), size: 5 });
    }
  }
  const gens = generators.map((g) => ({ g, pre: g.preFilter !== undefined ? analyzerNamed(g.preFilter) : undefined, post: g.postFilter !== undefined ? analyzerNamed(g.postFilter) : undefined }));
  const entry: PhraseEntry = { text, offset: 0, length: text.length, options: [], cutoff: Number.MIN_VALUE };
  if (view.numDocs === 0) return entry;
  const rwl = spec.realWordErrorLikelihood;
  const { shardSize } = sizes(spec);
  const direct = gens
    .map(({ g, pre, post }) => ({ terms: new FieldTerms(view, g.field), g, pre, post }))
    .filter((x) => x.terms.exists)
    .map(({ terms, g, pre, post }) => new DirectCandidateGenerator(terms, g.settings, g.size, rwl, pre, post));
  const suggestTerms = new FieldTerms(view, spec.field);
  if (direct.length === 0 || !suggestTerms.exists) return entry;
  const scorer = new WordScorer(suggestTerms, rwl, spec.separator, spec.smoothing ?? DEFAULT_SMOOTHING);
  const result = getCorrections(analyzer.analyze(text), direct, scorer, {
    realWordLikelihood: rwl,
    requireUnigram: spec.forceUnigrams,
    tokenLimit: spec.tokenLimit,
    maxErrors: spec.maxErrors,
    numCorrections: shardSize,
    confidence: spec.confidence,
    gramSize,
  });
  entry.cutoff = result.cutoffScore;
  for (const c of result.corrections) {
    const score = Math.fround(c.score);
    // PhraseSuggestion.Entry.addOption keeps options above the cutoff (the float score)
    if (!(score > entry.cutoff)) continue;
    const text = joinCorrection(c, ' ');
    const option: PhraseOption =
      spec.preTag !== undefined ? { text, highlighted: joinCorrection(c, ' ', spec.preTag, spec.postTag), score } : { text, score };
    entry.options.push(option);
  }
  return entry;
}

/** Suggestion.reduce for phrases: options merged by text (best score), above the highest cutoff, best first, to `size`. */
export function reducePhrase(spec: PhraseSpec, shards: PhraseEntry[]): PhraseEntry | undefined {
  const leader = shards[0];
  if (!leader) return undefined;
  const { size } = sizes(spec);
  if (shards.length === 1) return { ...leader, options: leader.options.slice(0, size) };
  const cutoff = Math.max(...shards.map((s) => s.cutoff));
  const merged = new Map<string, PhraseOption>();
  for (const s of shards) {
    for (const o of s.options) {
      const m = merged.get(o.text);
      if (!m) merged.set(o.text, { ...o });
      else m.score = Math.max(m.score, o.score);
    }
  }
  const options = [...merged.values()]
    .filter((o) => o.score > cutoff)
    .sort((a, b) => b.score - a.score || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    .slice(0, size);
  return { ...leader, cutoff, options };
}

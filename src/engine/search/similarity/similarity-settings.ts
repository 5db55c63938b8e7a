import { EngineError, illegalArgument } from '../../errors.js';
import { Bm25Similarity, BOOLEAN_SIMILARITY, DEFAULT_BM25 } from './bm25-similarity.js';
import { AFTER_EFFECT_B, AFTER_EFFECT_L, BASIC_MODEL_G, BASIC_MODEL_IF, BASIC_MODEL_IN, BASIC_MODEL_INE, DfrSimilarity } from './dfr-similarity.js';
import type { AfterEffect, BasicModel } from './dfr-similarity.js';
import { DfiSimilarity, INDEPENDENCE_CHI_SQUARED, INDEPENDENCE_SATURATED, INDEPENDENCE_STANDARDIZED } from './dfi-similarity.js';
import type { Independence } from './dfi-similarity.js';
import { DISTRIBUTION_LL, DISTRIBUTION_SPL, IbSimilarity, LAMBDA_DF, LAMBDA_TTF } from './ib-similarity.js';
import type { Distribution, Lambda } from './ib-similarity.js';
import { LmDirichletSimilarity, LmJelinekMercerSimilarity } from './lm-similarity.js';
import { buildScriptedSimilarity } from './scripted-similarity.js';
import { NO_NORMALIZATION, normalizationH1, normalizationH2, normalizationH3, normalizationZ } from './similarity-base.js';
import type { Normalization } from './similarity-base.js';
import type { Similarity } from './sim-scorer.js';
import type { MappingLookup } from '../../contract.js';

/** `index.similarity.<name>.<setting>`: SimilarityService reads the group of every name. */
export const SIMILARITY_PREFIX = 'index.similarity.';

/** The similarity types SimilarityService builds (BUILT_IN); `BM25` and `boolean` are also names fields may use as they are. */
const BUILT_IN = ['BM25', 'boolean', 'DFR', 'IB', 'LMDirichlet', 'LMJelinekMercer', 'DFI', 'scripted'] as const;
type SimilarityType = (typeof BUILT_IN)[number];

const BASIC_MODELS: Record<string, BasicModel> = { g: BASIC_MODEL_G, if: BASIC_MODEL_IF, in: BASIC_MODEL_IN, ine: BASIC_MODEL_INE };
/** Lucene 8 dropped them; Elasticsearch refuses them on indices created since 7.0. */
const LEGACY_BASIC_MODELS = ['be', 'd', 'p'];
const AFTER_EFFECTS: Record<string, AfterEffect> = { b: AFTER_EFFECT_B, l: AFTER_EFFECT_L };
const INDEPENDENCE: Record<string, Independence> = { standardized: INDEPENDENCE_STANDARDIZED, saturated: INDEPENDENCE_SATURATED, chisquared: INDEPENDENCE_CHI_SQUARED };
const DISTRIBUTIONS: Record<string, Distribution> = { ll: DISTRIBUTION_LL, spl: DISTRIBUTION_SPL };
const LAMBDAS: Record<string, Lambda> = { df: LAMBDA_DF, ttf: LAMBDA_TTF };
const NORMALIZATION_PARAMS = ['normalization', 'normalization.h1.c', 'normalization.h2.c', 'normalization.h3.c', 'normalization.z.z'];

/** Settings each type takes besides `type` (SimilarityProviders.assertSettingsIsSubsetOf). */
const ALLOWED: Record<Exclude<SimilarityType, 'scripted'>, readonly string[]> = {
  BM25: ['k1', 'b', 'discount_overlaps'],
  boolean: [],
  DFR: ['basic_model', 'after_effect', ...NORMALIZATION_PARAMS],
  IB: ['distribution', 'lambda', ...NORMALIZATION_PARAMS],
  LMDirichlet: ['mu'],
  LMJelinekMercer: ['lambda'],
  DFI: ['independence_measure'],
};

/** The settings of one named similarity, keys relative to `index.similarity.<name>.`. */
export type SimilarityGroup = Record<string, string>;

/** Java's Set.toString of the keys (HashSet order is not reproducible; sorted). */
const setText = (keys: string[]): string => `[${[...keys].sort().join(', ')}]`;

function lookup<T>(table: Record<string, T>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Settings.getAsFloat: Float.parseFloat, a settings_exception naming the setting otherwise. */
function floatSetting(group: SimilarityGroup, key: string, fallback: number): number {
  const raw = group[key];
  if (raw === undefined) return fallback;
  const text = raw.trim();
  const value = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?$/.test(text) ? Number(text.replace(/[fFdD]$/, '')) : /^[+-]?(NaN|Infinity)$/.test(text) ? Number(text) : undefined;
  if (value === undefined) throw new EngineError(500, 'settings_exception', `Failed to parse float setting [${key}] with value [${raw}]`);
  return Math.fround(value);
}

function normalization(group: SimilarityGroup): Normalization {
  const name = group.normalization;
  const c = (key: string, fallback: number, max?: number): number => {
    const value = floatSetting(group, key, fallback);
    // Normalization's constructors: a non-negative finite value
    if (!Number.isFinite(value) || value < 0 || (max !== undefined && value > max)) throw illegalArgument(`illegal c value: ${value}, must be a non-negative finite value`);
    return value;
  };
  switch (name) {
    case 'no':
      return NO_NORMALIZATION;
    case 'h1':
      return normalizationH1(c('normalization.h1.c', 1));
    case 'h2':
      return normalizationH2(c('normalization.h2.c', 1));
    case 'h3':
      return normalizationH3(c('normalization.h3.c', 800));
    case 'z':
      return normalizationZ(floatSetting(group, 'normalization.z.z', 0.3));
    default:
      throw illegalArgument(`Unsupported Normalization [${name ?? 'null'}]`);
  }
}

function bm25(group: SimilarityGroup): Similarity {
  const k1 = floatSetting(group, 'k1', 1.2);
  const b = floatSetting(group, 'b', 0.75);
  const overlaps = group.discount_overlaps;
  if (overlaps !== undefined && overlaps !== 'true' && overlaps !== 'false') throw illegalArgument(`Failed to parse value [${overlaps}] as only [true] or [false] are allowed.`);
  // BM25Similarity's constructor
  if (!Number.isFinite(k1) || k1 < 0) throw illegalArgument(`illegal k1 value: ${javaFloatText(k1)}, must be a non-negative finite value`);
  if (Number.isNaN(b) || b < 0 || b > 1) throw illegalArgument(`illegal b value: ${javaFloatText(b)}, must be between 0 and 1`);
  // `discount_overlaps: false` changes the norm, which is written when a doc is indexed (SimilarityService.countsOverlaps)
  return k1 === DEFAULT_BM25.k1 && b === DEFAULT_BM25.b ? DEFAULT_BM25 : new Bm25Similarity(k1, b);
}

const javaFloatText = (x: number): string => (Number.isInteger(x) ? x.toFixed(1) : String(x));

function build(type: Exclude<SimilarityType, 'scripted'>, group: SimilarityGroup): Similarity {
  switch (type) {
    case 'BM25':
      return bm25(group);
    case 'boolean':
      return BOOLEAN_SIMILARITY;
    case 'DFR': {
      const model = group.basic_model;
      if (model !== undefined && LEGACY_BASIC_MODELS.includes(model)) throw illegalArgument(`Basic model [${model}] isn't supported anymore, please use another model.`);
      const basic = lookup(BASIC_MODELS, model);
      if (!basic) throw illegalArgument(`Unsupported BasicModel [${model ?? 'null'}], expected one of ${setText(Object.keys(BASIC_MODELS))}`);
      const effectName = group.after_effect;
      if (effectName === 'no') throw illegalArgument(`After effect [no] isn't supported anymore, please use another effect.`);
      const effect = lookup(AFTER_EFFECTS, effectName);
      if (!effect) throw illegalArgument(`Unsupported AfterEffect [${effectName ?? 'null'}], expected one of ${setText(Object.keys(AFTER_EFFECTS))}`);
      return new DfrSimilarity(basic, effect, normalization(group));
    }
    case 'IB': {
      const distribution = lookup(DISTRIBUTIONS, group.distribution);
      if (!distribution) throw illegalArgument(`Unsupported Distribution [${group.distribution ?? 'null'}]`);
      const lambda = lookup(LAMBDAS, group.lambda);
      if (!lambda) throw illegalArgument(`Unsupported Lambda [${group.lambda ?? 'null'}]`);
      return new IbSimilarity(distribution, lambda, normalization(group));
    }
    case 'DFI': {
      const measure = lookup(INDEPENDENCE, group.independence_measure);
      if (!measure) throw illegalArgument(`Unsupported IndependenceMeasure [${group.independence_measure ?? 'null'}], expected one of ${setText(Object.keys(INDEPENDENCE))}`);
      return new DfiSimilarity(measure);
    }
    case 'LMDirichlet': {
      const mu = floatSetting(group, 'mu', 2000);
      if (!Number.isFinite(mu) || mu < 0) throw illegalArgument(`illegal mu value: ${javaFloatText(mu)}, must be a non-negative finite value`);
      return new LmDirichletSimilarity(mu);
    }
    case 'LMJelinekMercer': {
      const lambda = floatSetting(group, 'lambda', 0.1);
      if (!(lambda > 0 && lambda <= 1)) throw illegalArgument('lambda must be in the range (0 .. 1]');
      return new LmJelinekMercerSimilarity(lambda);
    }
  }
}

/**
 * SimilarityService's constructor for one `index.similarity.<name>` group: a name that is not a
 * built-in one, a known `type`, no unknown setting (an error on indices created since 7.0), then
 * the provider's own parsing.
 */
export function buildSimilarity(name: string, group: SimilarityGroup): Similarity {
  if ((BUILT_IN as readonly string[]).includes(name)) throw illegalArgument(`Cannot redefine built-in Similarity [${name}]`);
  const type = group.type;
  if (type === undefined) throw illegalArgument(`Similarity [${name}] must have an associated type`);
  if (!(BUILT_IN as readonly string[]).includes(type)) throw illegalArgument(`Unknown Similarity type [${type}] for [${name}]`);
  if (type === 'scripted') return buildScriptedSimilarity(name, group);
  const kind = type as Exclude<SimilarityType, 'scripted'>;
  const unknown = Object.keys(group).filter((k) => k !== 'type' && !ALLOWED[kind].includes(k));
  if (unknown.length > 0) throw illegalArgument(`Unknown settings for similarity of type [${type}]: ${setText(unknown)}`);
  return build(kind, group);
}

/** The `index.similarity.*` settings grouped by similarity name (IndexModule.SIMILARITY_SETTINGS_PREFIX groups). */
export function similarityGroups(flat: Record<string, unknown>): Map<string, SimilarityGroup> {
  const groups = new Map<string, SimilarityGroup>();
  for (const [key, value] of Object.entries(flat)) {
    if (!key.startsWith(SIMILARITY_PREFIX) || value === null || value === undefined) continue;
    const rest = key.slice(SIMILARITY_PREFIX.length);
    const dot = rest.indexOf('.');
    // Settings.getGroups: a value directly under the prefix has no group
    if (dot <= 0) throw new EngineError(500, 'settings_exception', `Failed to get setting group for [${SIMILARITY_PREFIX}] setting prefix and setting [${key}] because of a missing '.'`);
    const name = rest.slice(0, dot);
    let group = groups.get(name);
    if (!group) groups.set(name, (group = {}));
    group[rest.slice(dot + 1)] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return groups;
}

/**
 * An index's similarities by name: its `index.similarity.*` groups, then the defaults `BM25` and
 * `boolean` (which no group may redefine). `default` (a group of that name) is what fields without
 * a `similarity` are scored with; BM25 (LegacyBM25Similarity) otherwise.
 */
export class SimilarityService {
  private readonly byName = new Map<string, Similarity>();
  /** Similarities with `discount_overlaps: false` (BM25, scripted: the others always discount). */
  private readonly countingOverlaps = new Set<string>();
  readonly defaultSimilarity: Similarity;

  constructor(flat: Record<string, unknown>) {
    for (const [name, group] of similarityGroups(flat)) {
      this.byName.set(name, buildSimilarity(name, group));
      if (group.discount_overlaps === 'false') this.countingOverlaps.add(name);
    }
    this.byName.set('BM25', DEFAULT_BM25);
    this.byName.set('boolean', BOOLEAN_SIMILARITY);
    this.defaultSimilarity = this.byName.get('default') ?? DEFAULT_BM25;
  }

  /** The similarity a field's mapping names, or undefined when the index defines none of that name. */
  get(name: string): Similarity | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /**
   * Whether the norm of a field scored by `name` (its mapping's `similarity`; the index's
   * `default` otherwise) counts tokens at the position of the one before (position increment 0:
   * synonyms, word_delimiter's catenations) in its length, as Lucene's computeNorm does when
   * discountOverlaps is false: `state.getLength()` rather than `getLength() - getNumOverlap()`.
   */
  countsOverlaps(name: string | undefined): boolean {
    return this.countingOverlaps.has(name ?? 'default');
  }
}

/** TypeParsers.parseSimilarity: a field's `similarity` must name one of the index's similarities. */
export function checkFieldSimilarities(lookup: MappingLookup, service: SimilarityService): void {
  for (const path of lookup.fieldPaths()) {
    const name = lookup.field(path)?.similarity;
    if (name !== undefined && !service.has(name)) throw new EngineError(400, 'mapper_parsing_exception', `Unknown Similarity type [${name}] for field [${path}]`);
  }
}

import { EngineError, illegalArgument, unsupported } from '../../errors.js';
import { compilePainless, numericResult } from '../script/painless.js';
import type { CompiledScript, SimilarityScriptVars } from '../script/painless.js';
import { LENGTH_TABLE, intToByte4 } from '../small-float.js';
import { expl, sumScorer } from './sim-scorer.js';
import type { CollectionStats, SimExplanation, SimScorer, Similarity, TermStats } from './sim-scorer.js';
import type { SimilarityGroup } from './similarity-settings.js';

/**
 * The `scripted` similarity (Elasticsearch's ScriptedSimilarity): per term, an optional weight
 * script (SimilarityWeightScript: `query`, `field`, `term`; 1 without one) computed once, then a
 * score script (SimilarityScript: `weight`, `query`, `field`, `term`, `doc`) per document, its
 * double result cast to float; a phrase sums its terms' scores in double. The norm is the one-byte
 * length Lucene encodes (SmallFloat.intToByte4), `doc.length` its decoded value. As
 * SimilarityService does, the similarity is checked when the index is created (no negative score,
 * no score falling as the frequency rises or rising as the length does, on fixed statistics), and
 * a negative score at search time counts as 0 (NonNegativeScoresSimilarity without assertions).
 */
export class ScriptedSimilarity implements Similarity {
  readonly kind = 'other' as const;
  readonly needsTotalTermFreq = true;
  private readonly script: CompiledScript;
  private readonly weightScript: CompiledScript | undefined;
  /** ScriptedSimilarity.toString, as explanations print it. */
  private readonly label: string;

  constructor(script: CompiledScript, weightScript: CompiledScript | undefined) {
    this.script = script;
    this.weightScript = weightScript;
    this.label = `ScriptedSimilarity(weightScript=[${weightScript?.description ?? 'null'}], script=[${script.description}])`;
  }

  scorer(boost: number, collection: CollectionStats, terms: readonly TermStats[]): SimScorer {
    const subs = terms.map((term) => this.termScorer(boost, collection, term));
    return sumScorer(subs, 'Sum of:');
  }

  private termScorer(boost: number, collection: CollectionStats, term: TermStats): SimScorer {
    const vars: SimilarityScriptVars = {
      weight: 1,
      boost: Math.fround(boost),
      docCount: collection.docCount,
      sumDocFreq: collection.sumDocFreq,
      sumTotalTermFreq: collection.sumTotalTermFreq,
      docFreq: term.docFreq,
      totalTermFreq: term.totalTermFreq,
      freq: 0,
      length: 0,
    };
    if (this.weightScript) vars.weight = numericResult(this.weightScript, this.weightScript.run({ doc: 0, values: () => [], similarity: vars }));
    const raw = (freq: number, norm: number): number => {
      vars.freq = Math.fround(freq);
      vars.length = LENGTH_TABLE[norm] ?? 0;
      return Math.fround(numericResult(this.script, this.script.run({ doc: 0, values: () => [], similarity: vars })));
    };
    return {
      score: (freq, norm) => Math.max(raw(freq, norm), 0),
      explain: (freq, norm) => {
        const score = raw(freq.value, norm);
        const e = this.explanation(score, vars, freq, norm);
        // NonNegativeScoresSimilarity.explain
        return score < 0 ? expl(0, 'max of:', [e, expl(0, 'Minimum allowed score')]) : e;
      },
    };
  }

  private explanation(score: number, v: SimilarityScriptVars, freq: SimExplanation, norm: number): SimExplanation {
    return expl(score, `score from ${this.label} computed from:`, [
      expl(v.weight, 'weight'),
      expl(v.boost, 'query.boost'),
      expl(v.docCount, 'field.docCount'),
      expl(v.sumDocFreq, 'field.sumDocFreq'),
      expl(v.sumTotalTermFreq, 'field.sumTotalTermFreq'),
      expl(v.docFreq, 'term.docFreq'),
      expl(v.totalTermFreq, 'term.totalTermFreq'),
      { value: freq.value, description: 'doc.freq', details: freq.details },
      expl(LENGTH_TABLE[norm] ?? 0, 'doc.length'),
    ]);
  }

  /** The raw (possibly negative) score of one term for SimilarityService's checks. */
  checkScore(boost: number, collection: CollectionStats, term: TermStats, freq: number, length: number): { score: number; text: string } {
    const s = this.termScorer(boost, collection, term);
    const norm = intToByte4(length);
    const e = s.explain({ value: freq, description: 'term freq', details: [] }, norm);
    const score = e.description === 'max of:' ? (e.details[0] as SimExplanation).value : e.value;
    return { score, text: explanationText(e.description === 'max of:' ? (e.details[0] as SimExplanation) : e, freq) };
  }
}

/**
 * Lucene's Explanation.toString ("value = description", details indented two spaces); `freq` is
 * printed as the Integer SimilarityService gives it, the statistics as longs.
 */
function explanationText(e: SimExplanation, freq: number, depth = 0): string {
  const integral = new Set(['field.docCount', 'field.sumDocFreq', 'field.sumTotalTermFreq', 'term.docFreq', 'term.totalTermFreq', 'doc.length']);
  const value = integral.has(e.description) || e.description === 'doc.freq' ? String(e.description === 'doc.freq' ? freq : e.value) : javaFloatText(e.value);
  let out = `${'  '.repeat(depth)}${value} = ${e.description}\n`;
  for (const d of e.details) out += explanationText(d, freq, depth + 1);
  return out;
}

const javaFloatText = (x: number): string => (Number.isInteger(x) && Math.abs(x) < 1e7 ? x.toFixed(1) : String(x));

/** Settings of `script` / `weight_script` (`script.source`, `script.lang`, `script.params.<k>`), as Script.parse(Settings) reads them. */
function scriptSettings(group: SimilarityGroup, prefix: string): { source?: string; lang?: string; id?: string; params: Record<string, unknown> } | undefined {
  const keys = Object.keys(group).filter((k) => k.startsWith(`${prefix}.`));
  if (keys.length === 0) return undefined;
  const params: Record<string, unknown> = {};
  for (const k of keys) {
    const rest = k.slice(prefix.length + 1);
    if (rest.startsWith('params.')) params[rest.slice('params.'.length)] = group[k];
    else if (!['source', 'lang', 'id', 'options'].includes(rest) && !rest.startsWith('options.')) throw new EngineError(400, 'x_content_parse_exception', `[script] unknown field [${rest}]`);
  }
  return { source: group[`${prefix}.source`], lang: group[`${prefix}.lang`], id: group[`${prefix}.id`], params };
}

function compile(group: SimilarityGroup, prefix: string, name: string, context: 'score' | 'weight'): CompiledScript | undefined {
  const spec = scriptSettings(group, prefix);
  if (spec === undefined) {
    if (context === 'weight') return undefined;
    throw illegalArgument('must specify either [source] for an inline script or [id] for a stored script');
  }
  if (spec.id !== undefined) {
    if (spec.source !== undefined) throw illegalArgument('must specify either [source] for an inline script or [id] for a stored script');
    throw unsupported(`a stored script in the scripted similarity [${name}]`);
  }
  if (spec.source === undefined) throw illegalArgument('must specify either [source] for an inline script or [id] for a stored script');
  const lang = spec.lang ?? 'painless';
  if (lang !== 'painless') throw unsupported(`script lang [${lang}] in the scripted similarity [${name}]`);
  return compilePainless(spec.source, spec.params, () => undefined, false, { similarity: context });
}

/** SimilarityService.validateSimilarity's statistics: maxDoc 1200, docCount 1100, sumTotalTermFreq 3000, sumDocFreq 2000; docFreq 100, totalTermFreq 130; boost 2. */
const CHECK_COLLECTION: CollectionStats = { docCount: 1100, sumTotalTermFreq: 3000, sumDocFreq: 2000 };
const CHECK_TERM: TermStats = { docFreq: 100, totalTermFreq: 130 };

function validate(sim: ScriptedSimilarity): void {
  for (let freq = 1; freq <= 10; freq++) {
    const r = sim.checkScore(2, CHECK_COLLECTION, CHECK_TERM, freq, 20);
    if (r.score < 0) throw illegalArgument(`Similarities should not return negative scores:\n${r.text}`);
  }
  let previous = 0;
  for (let freq = 1; freq <= 10; freq++) {
    const r = sim.checkScore(2, CHECK_COLLECTION, CHECK_TERM, freq, 20);
    if (r.score < previous) {
      const before = sim.checkScore(2, CHECK_COLLECTION, CHECK_TERM, freq - 1, 20);
      throw illegalArgument(`Similarity scores should not decrease when term frequency increases:\n${before.text}\n${r.text}`);
    }
    previous = r.score;
  }
  let previousScore = 3.4028234663852886e38;
  for (let length = 1; length <= 10; length++) {
    const r = sim.checkScore(2, CHECK_COLLECTION, CHECK_TERM, 1, length);
    if (r.score > previousScore) {
      // the message explains norm - 1 and norm: the lengths below 24 encode as themselves
      const before = sim.checkScore(2, CHECK_COLLECTION, CHECK_TERM, 1, length - 1);
      throw illegalArgument(`Similarity scores should not increase when norm increases:\n${before.text}\n${r.text}`);
    }
    previousScore = r.score;
  }
}

/** ScriptedSimilarityProvider: `script` (required), `weight_script`, `discount_overlaps`; then SimilarityService's checks. */
export function buildScriptedSimilarity(name: string, group: SimilarityGroup): Similarity {
  const overlaps = group.discount_overlaps;
  if (overlaps !== undefined && overlaps !== 'true' && overlaps !== 'false') throw illegalArgument(`Failed to parse value [${overlaps}] as only [true] or [false] are allowed.`);
  // `discount_overlaps: false` counts overlapping tokens in the norm: applied when documents are indexed (SimilarityService.countsOverlaps)
  const script = compile(group, 'script', name, 'score') as CompiledScript;
  const sim = new ScriptedSimilarity(script, compile(group, 'weight_script', name, 'weight'));
  validate(sim);
  return sim;
}

import { expl, floatText } from './sim-scorer.js';
import type { SimExplanation } from './sim-scorer.js';
import { SimilarityBase, log2 } from './similarity-base.js';
import type { BasicStats, Normalization } from './similarity-base.js';

/**
 * Lucene's DFR basic models in their monotonic form (Lucene 8+): the score of the basic model
 * times the after effect, which hands over aeTimes1pTfn = afterEffect * (1 + tfn).
 */
export interface BasicModel {
  readonly label: string;
  score(stats: BasicStats, tfn: number, aeTimes1pTfn: number): number;
  explain(stats: BasicStats, tfn: number, aeTimes1pTfn: number): SimExplanation;
}

const tfnNode = (tfn: number): SimExplanation => expl(tfn, 'tfn, normalized term frequency');
/** What a basic model's explanation shows: its own value, score * (1 + tfn) / aeTimes1pTfn. */
const ownValue = (m: BasicModel, s: BasicStats, tfn: number, ae: number): number => (m.score(s, tfn, ae) * (1 + tfn)) / ae;

/** BasicModelG: B - (B - A) / (1 + tfn), lambda = F / (N + F) with F = ttf + 1. */
export const BASIC_MODEL_G: BasicModel = {
  label: 'G',
  score(s, tfn, ae) {
    const F = s.totalTermFreq + 1;
    const N = s.numberOfDocuments;
    const lambda = F / (N + F);
    const A = log2(lambda + 1);
    const B = log2((1 + lambda) / lambda);
    return (B - (B - A) / (1 + tfn)) * ae;
  },
  explain(s, tfn, ae) {
    const F = s.totalTermFreq + 1;
    const N = s.numberOfDocuments;
    return expl(ownValue(this, s, tfn, ae), 'BasicModelG, computed as log2(lambda + 1) + tfn * log2((1 + lambda) / lambda) from:', [
      tfnNode(tfn),
      expl(F / (N + F), 'lambda, computed as F / (N + F) from:', [expl(F, 'F, total number of occurrences of term across all docs + 1'), expl(N, 'N, total number of documents with field')]),
    ]);
  },
};

/** The I(...) models: A * aeTimes1pTfn * (1 - 1 / (1 + tfn)). */
function informative(label: string, name: string, formula: string, a: (s: BasicStats) => number, details: (s: BasicStats) => SimExplanation[]): BasicModel {
  return {
    label,
    score: (s, tfn, ae) => a(s) * ae * (1 - 1 / (1 + tfn)),
    explain(s, tfn, ae) {
      return expl(ownValue(this, s, tfn, ae), `${name}, computed as ${formula} from:`, [tfnNode(tfn), ...details(s)]);
    },
  };
}

const NODE_N = (s: BasicStats): SimExplanation => expl(s.numberOfDocuments, 'N, total number of documents with field');

export const BASIC_MODEL_IF = informative(
  'I(F)',
  'BasicModelIF',
  'tfn * log2(1 + (N + 1) / (F + 0.5))',
  (s) => log2(1 + (s.numberOfDocuments + 1) / (s.totalTermFreq + 0.5)),
  (s) => [NODE_N(s), expl(s.totalTermFreq, 'F, total number of occurrences of term across all documents')],
);

export const BASIC_MODEL_IN = informative(
  'I(n)',
  'BasicModelIn',
  'tfn * log2((N + 1) / (n + 0.5))',
  (s) => log2((s.numberOfDocuments + 1) / (s.docFreq + 0.5)),
  (s) => [NODE_N(s), expl(s.docFreq, 'n, number of documents containing term')],
);

const ne = (s: BasicStats): number => {
  const N = s.numberOfDocuments;
  return N * (1 - Math.pow((N - 1) / N, s.totalTermFreq));
};

export const BASIC_MODEL_INE = informative(
  'I(ne)',
  'BasicModelIne',
  'tfn * log2((N + 1) / (ne + 0.5))',
  (s) => log2((s.numberOfDocuments + 1) / (ne(s) + 0.5)),
  (s) => [expl(ne(s), 'ne, computed as N * (1 - Math.pow((N - 1) / N, F)) from:', [NODE_N(s), expl(s.totalTermFreq, 'F, total number of occurrences of term across all docs')])],
);

/** DFR's first normalization of the information gain. */
export interface AfterEffect {
  readonly label: string;
  scoreTimes1pTfn(stats: BasicStats): number;
  explain(stats: BasicStats, tfn: number): SimExplanation;
}

/** AfterEffectB: (F + 1) / (n * (tfn + 1)) with F = ttf + 1, n = df + 1. */
export const AFTER_EFFECT_B: AfterEffect = {
  label: 'B',
  scoreTimes1pTfn: (s) => (s.totalTermFreq + 1 + 1) / (s.docFreq + 1),
  explain(s, tfn) {
    return expl(this.scoreTimes1pTfn(s) / (1 + tfn), 'AfterEffectB, computed as (F + 1) / (n * (tfn + 1)) from:', [
      tfnNode(tfn),
      expl(s.totalTermFreq, 'F, total number of occurrences of term across all documents + 1'),
      expl(s.docFreq, 'n, number of documents containing term + 1'),
      tfnNode(tfn),
    ]);
  },
};

/** AfterEffectL (Laplace): 1 / (tfn + 1). */
export const AFTER_EFFECT_L: AfterEffect = {
  label: 'L',
  scoreTimes1pTfn: () => 1,
  explain: (_s, tfn) => expl(1 / (1 + tfn), 'AfterEffectL, computed as 1 / (tfn + 1) from:', [tfnNode(tfn)]),
};

/** Lucene's DFRSimilarity: boost * basicModel.score(stats, tfn, afterEffect * (1 + tfn)). */
export class DfrSimilarity extends SimilarityBase {
  protected readonly simpleName = 'DFRSimilarity';
  constructor(
    private readonly basicModel: BasicModel,
    private readonly afterEffect: AfterEffect,
    private readonly normalization: Normalization,
  ) {
    super();
  }

  score(s: BasicStats, freq: number, docLen: number): number {
    const tfn = this.normalization.tfn(s, freq, docLen);
    return s.boost * this.basicModel.score(s, tfn, this.afterEffect.scoreTimes1pTfn(s));
  }

  override explain(s: BasicStats, freq: SimExplanation, docLen: number): SimExplanation {
    const tfn = this.normalization.tfn(s, freq.value, docLen);
    const details = [
      ...(s.boost !== 1 ? [expl(s.boost, 'boost, query boost')] : []),
      this.normalization.explain(s, freq.value, docLen),
      this.basicModel.explain(s, tfn, this.afterEffect.scoreTimes1pTfn(s)),
      this.afterEffect.explain(s, tfn),
    ];
    return expl(
      Math.fround(this.score(s, freq.value, docLen)),
      `score(${this.simpleName}, freq=${floatText(freq.value)}), computed as boost * basicModel.score(stats, tfn) * afterEffect.score(stats, tfn) from:`,
      details,
    );
  }
}

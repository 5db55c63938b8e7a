import { expl, floatText } from './sim-scorer.js';
import type { SimExplanation } from './sim-scorer.js';
import { SimilarityBase, log2 } from './similarity-base.js';
import type { BasicStats } from './similarity-base.js';

/** DFI's measure of divergence from independence. */
export interface Independence {
  readonly label: string;
  score(freq: number, expected: number): number;
}

export const INDEPENDENCE_STANDARDIZED: Independence = { label: 'Standardized', score: (freq, expected) => (freq - expected) / Math.sqrt(expected) };
export const INDEPENDENCE_SATURATED: Independence = { label: 'Saturated', score: (freq, expected) => (freq - expected) / expected };
export const INDEPENDENCE_CHI_SQUARED: Independence = { label: 'ChiSquared', score: (freq, expected) => ((freq - expected) * (freq - expected)) / expected };

/** Lucene's DFISimilarity: expected = (F + 1) * dl / (T + 1); 0 when freq <= expected, else boost * log2(measure + 1). */
export class DfiSimilarity extends SimilarityBase {
  protected readonly simpleName = 'DFISimilarity';
  constructor(private readonly independence: Independence) {
    super();
  }

  private expected(s: BasicStats, docLen: number): number {
    return ((s.totalTermFreq + 1) * docLen) / (s.numberOfFieldTokens + 1);
  }

  score(s: BasicStats, freq: number, docLen: number): number {
    const expected = this.expected(s, docLen);
    if (freq <= expected) return 0;
    return s.boost * log2(this.independence.score(freq, expected) + 1);
  }

  override explain(s: BasicStats, freq: SimExplanation, docLen: number): SimExplanation {
    const expected = this.expected(s, docLen);
    const expectedExpl = expl(expected, 'expected, computed as (F + 1) * dl / (T + 1) from:', [
      expl(s.totalTermFreq, 'F, total number of occurrences of term across all docs'),
      expl(docLen, 'dl, length of field'),
      expl(s.numberOfFieldTokens, 'T, total number of tokens in the field'),
    ]);
    const name = `score(${this.simpleName}, freq=${floatText(freq.value)})`;
    if (freq.value <= expected) return expl(0, `${name}, equals to 0`);
    const measure = this.independence.score(freq.value, expected);
    return expl(Math.fround(this.score(s, freq.value, docLen)), `${name}, computed as boost * log2(measure + 1) from:`, [
      expl(s.boost, 'boost, query boost'),
      expl(measure, 'measure, computed as independence.score(freq, expected) from:', [freq, expectedExpl]),
    ]);
  }
}

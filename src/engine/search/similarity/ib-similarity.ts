import { expl, floatText } from './sim-scorer.js';
import type { SimExplanation } from './sim-scorer.js';
import { SimilarityBase } from './similarity-base.js';
import type { BasicStats, Normalization } from './similarity-base.js';

/** IB's probabilistic distribution of the normalized frequency. */
export interface Distribution {
  readonly label: string;
  score(stats: BasicStats, tfn: number, lambda: number): number;
}

/** DistributionLL (log-logistic): -log(lambda / (tfn + lambda)). */
export const DISTRIBUTION_LL: Distribution = { label: 'LL', score: (_s, tfn, lambda) => -Math.log(lambda / (tfn + lambda)) };

/** DistributionSPL (smoothed power-law), with Lucene's guards against log(0). */
export const DISTRIBUTION_SPL: Distribution = {
  label: 'SPL',
  score(_s, tfn, lambda) {
    let q = 1 - 1 / (tfn + 1);
    if (q === 1) q = 1 - Number.EPSILON / 2; // Math.nextDown(1.0)
    let numerator = Math.pow(lambda, q);
    if (numerator === lambda) numerator = lambda >= 1 ? nextDown(lambda) : nextUp(lambda);
    return -Math.log((numerator - lambda) / (1 - lambda));
  },
};

const F64 = new Float64Array(1);
const I64 = new BigInt64Array(F64.buffer);
function nextUp(x: number): number {
  F64[0] = x;
  I64[0] = (I64[0] as bigint) + (x >= 0 ? 1n : -1n);
  return F64[0] as number;
}
function nextDown(x: number): number {
  F64[0] = x;
  I64[0] = (I64[0] as bigint) + (x > 0 ? -1n : 1n);
  return F64[0] as number;
}

/** Math.nextUp / nextDown of a float. */
const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);
function floatStep(x: number, up: boolean): number {
  F32[0] = x;
  I32[0] = (I32[0] as number) + (up === x >= 0 ? 1 : -1);
  return F32[0] as number;
}

/** IB's lambda parameter: a float. */
export interface Lambda {
  readonly label: string;
  lambda(stats: BasicStats): number;
  explain(stats: BasicStats): SimExplanation;
}

/** LambdaDF: (n + 1) / (N + 1), never exactly 1. */
export const LAMBDA_DF: Lambda = {
  label: 'D',
  lambda(s) {
    const l = Math.fround((s.docFreq + 1) / (s.numberOfDocuments + 1));
    return l === 1 ? floatStep(l, false) : l;
  },
  explain(s) {
    return expl(this.lambda(s), 'LambdaDF, computed as (n + 1) / (N + 1) from:', [expl(s.docFreq, 'n, number of documents containing term'), expl(s.numberOfDocuments, 'N, total number of documents with field')]);
  },
};

/** LambdaTTF: (F + 1) / (N + 1), never exactly 1. */
export const LAMBDA_TTF: Lambda = {
  label: 'L',
  lambda(s) {
    const l = Math.fround((s.totalTermFreq + 1) / (s.numberOfDocuments + 1));
    return l === 1 ? floatStep(l, true) : l;
  },
  explain(s) {
    return expl(this.lambda(s), 'LambdaTTF, computed as (F + 1) / (N + 1) from:', [expl(s.totalTermFreq, 'F, total number of occurrences of term across all documents'), expl(s.numberOfDocuments, 'N, total number of documents with field')]);
  },
};

/** Lucene's IBSimilarity: boost * distribution.score(stats, normalization.tfn(stats, freq, docLen), lambda.lambda(stats)). */
export class IbSimilarity extends SimilarityBase {
  protected readonly simpleName = 'IBSimilarity';
  constructor(
    private readonly distribution: Distribution,
    private readonly lambda: Lambda,
    private readonly normalization: Normalization,
  ) {
    super();
  }

  score(s: BasicStats, freq: number, docLen: number): number {
    return s.boost * this.distribution.score(s, this.normalization.tfn(s, freq, docLen), this.lambda.lambda(s));
  }

  override explain(s: BasicStats, freq: SimExplanation, docLen: number): SimExplanation {
    const normExpl = this.normalization.explain(s, freq.value, docLen);
    const lambdaExpl = this.lambda.explain(s);
    return expl(
      Math.fround(this.score(s, freq.value, docLen)),
      `score(${this.simpleName}, freq=${floatText(freq.value)}), computed as boost * distribution.score(stats, normalization.tfn(stats, freq, docLen), lambda.lambda(stats)) from:`,
      [
        ...(s.boost !== 1 ? [expl(s.boost, 'boost, query boost')] : []),
        normExpl,
        lambdaExpl,
        expl(this.distribution.score(s, this.normalization.tfn(s, freq.value, docLen), this.lambda.lambda(s)), `Distribution${this.distribution.label}`),
      ],
    );
  }
}

import { LENGTH_TABLE } from '../small-float.js';
import { expl, floatText, sumScorer } from './sim-scorer.js';
import type { CollectionStats, SimExplanation, SimScorer, Similarity, TermStats } from './sim-scorer.js';

/** Lucene's BasicStats: what SimilarityBase's formulas read, in double. */
export interface BasicStats {
  numberOfDocuments: number;
  numberOfFieldTokens: number;
  avgFieldLength: number;
  docFreq: number;
  totalTermFreq: number;
  boost: number;
  /** LMSimilarity's LMStats: (F + 1) / (T + 1). */
  collectionProbability: number;
}

export const log2 = (x: number): number => Math.log(x) / Math.LN2;

/**
 * Lucene's SimilarityBase (DFR, IB, DFI, LM*): per term a BasicStats from the collection and term
 * statistics (avgFieldLength = sumTotalTermFreq / docCount in double), a score in double from the
 * freq and the doc length decoded from the norm byte (LENGTH_TABLE), cast to float; a phrase sums
 * the scores of its terms (MultiSimilarity.MultiSimScorer, "sum of:").
 */
export abstract class SimilarityBase implements Similarity {
  readonly kind = 'other' as const;
  readonly needsTotalTermFreq = true;
  /** The class's simple name, as explanations print it (DFRSimilarity). */
  protected abstract readonly simpleName: string;

  /** The score in double (SimilarityBase.score(stats, freq, docLen)). */
  abstract score(stats: BasicStats, freq: number, docLen: number): number;

  /** The explanation of a score; the default is SimilarityBase's "computed from:" with `details`. */
  explain(stats: BasicStats, freq: SimExplanation, docLen: number): SimExplanation {
    return expl(Math.fround(this.score(stats, freq.value, docLen)), `score(${this.simpleName}, freq=${floatText(freq.value)}), computed from:`, this.details(stats, freq.value, docLen));
  }

  protected details(_stats: BasicStats, _freq: number, _docLen: number): SimExplanation[] {
    return [];
  }

  protected fillStats(stats: BasicStats, _collection: CollectionStats, _term: TermStats): void {
    void stats;
  }

  scorer(boost: number, collection: CollectionStats, terms: readonly TermStats[]): SimScorer {
    const subs = terms.map((term) => {
      const stats: BasicStats = {
        numberOfDocuments: collection.docCount,
        numberOfFieldTokens: collection.sumTotalTermFreq,
        avgFieldLength: collection.sumTotalTermFreq / collection.docCount,
        docFreq: term.docFreq,
        totalTermFreq: term.totalTermFreq,
        boost: Math.fround(boost),
        collectionProbability: 0,
      };
      this.fillStats(stats, collection, term);
      return this.basicScorer(stats);
    });
    return sumScorer(subs, 'sum of:');
  }

  private basicScorer(stats: BasicStats): SimScorer {
    return {
      score: (freq, norm) => Math.fround(this.score(stats, Math.fround(freq), LENGTH_TABLE[norm] ?? 0)),
      explain: (freq, norm) => this.explain(stats, freq, LENGTH_TABLE[norm] ?? 0),
    };
  }
}

/** Lucene's term-frequency normalizations (DFR and IB's `normalization`). */
export interface Normalization {
  tfn(stats: BasicStats, tf: number, len: number): number;
  explain(stats: BasicStats, tf: number, len: number): SimExplanation;
  /** Its toString in the similarity's name (DFR GB2). */
  readonly label: string;
}

function normExplanation(name: string, formula: string, value: number, stats: BasicStats, tf: number, len: number, params: SimExplanation[]): SimExplanation {
  return expl(value, `${name}${formula}`, [
    expl(tf, 'tf, number of occurrences of term in the document'),
    ...params,
    expl(stats.avgFieldLength, 'avgfl, average length of field across all documents'),
    expl(len, 'fl, field length of the document'),
  ]);
}

/** Normalization.NoNormalization ("no"). */
export const NO_NORMALIZATION: Normalization = {
  label: '',
  tfn: (_s, tf) => tf,
  explain: () => expl(1, 'no normalization'),
};

/** NormalizationH1: tf * c * (avgfl / fl). */
export function normalizationH1(c: number): Normalization {
  const fc = Math.fround(c);
  const n: Normalization = {
    label: '1',
    tfn: (s, tf, len) => tf * fc * (s.avgFieldLength / len),
    explain: (s, tf, len) => normExplanation('NormalizationH1', ', computed as tf * c * (avgfl / fl) from:', n.tfn(s, tf, len), s, tf, len, [expl(fc, 'c, hyper-parameter')]),
  };
  return n;
}

/** NormalizationH2: tf * log2(1 + c * avgfl / fl). */
export function normalizationH2(c: number): Normalization {
  const fc = Math.fround(c);
  const n: Normalization = {
    label: '2',
    tfn: (s, tf, len) => tf * log2(1 + (fc * s.avgFieldLength) / len),
    explain: (s, tf, len) => normExplanation('NormalizationH2', ', computed as tf * log2(1 + c * avgfl / fl) from:', n.tfn(s, tf, len), s, tf, len, [expl(fc, 'c, hyper-parameter')]),
  };
  return n;
}

/** NormalizationH3 (Dirichlet priors): (tf + mu * ((F + 1) / (T + 1))) / (fl + mu) * mu, the ratio in float. */
export function normalizationH3(mu: number): Normalization {
  const fmu = Math.fround(mu);
  const n: Normalization = {
    label: `3(${floatText(fmu)})`,
    tfn: (s, tf, len) => ((tf + Math.fround(fmu * Math.fround(Math.fround(s.totalTermFreq + 1) / Math.fround(s.numberOfFieldTokens + 1)))) / (len + fmu)) * fmu,
    explain: (s, tf, len) =>
      expl(n.tfn(s, tf, len), 'NormalizationH3, computed as (tf + mu * ((F+1) / (T+1))) / (fl + mu) * mu from:', [
        expl(tf, 'tf, number of occurrences of term in the document'),
        expl(fmu, 'mu, smoothing parameter'),
        expl(s.totalTermFreq, 'F,  total number of occurrences of term across all documents'),
        expl(s.numberOfFieldTokens, 'T, total number of tokens of the field across all documents'),
        expl(len, 'fl, field length of the document'),
      ]),
  };
  return n;
}

/** NormalizationZ (Pareto-Zipf): tf * (avgfl / fl) ^ z. */
export function normalizationZ(z: number): Normalization {
  const fz = Math.fround(z);
  const n: Normalization = {
    label: `Z(${floatText(fz)})`,
    tfn: (s, tf, len) => tf * Math.pow(s.avgFieldLength / len, fz),
    explain: (s, tf, len) => normExplanation('NormalizationZ', ', computed as tf * Math.pow(avgfl / fl, z) from:', n.tfn(s, tf, len), s, tf, len, [expl(fz, 'z, relates to specificity of the language')]),
  };
  return n;
}

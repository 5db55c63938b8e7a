import { javaFloat } from '../float-format.js';

/** A node of Lucene's Explanation tree (value as a Java float, description, details). */
export interface SimExplanation {
  value: number;
  description: string;
  details: SimExplanation[];
}

/** An explanation node; the value is printed as the Java float it is. */
export const expl = (value: number, description: string, details: SimExplanation[] = []): SimExplanation => ({ value: javaFloat(value), description, details });

/** Float.toString of a Java float, as Lucene writes values into descriptions ("1.0", "0.5"). */
/** One scorer per term of a phrase or synonym group: their scores summed in float (Lucene's multi-term stats). */
export function sumScorer(subs: readonly SimScorer[], description: string): SimScorer {
  if (subs.length === 1) return subs[0] as SimScorer;
  return {
    score(freq, norm) {
      let sum = 0;
      for (const s of subs) sum += s.score(freq, norm);
      return Math.fround(sum);
    },
    explain(freq, norm) {
      return expl(this.score(freq.value, norm), description, subs.map((s) => s.explain(freq, norm)));
    },
  };
}

export function floatText(x: number): string {
  const v = javaFloat(x);
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

/** Lucene's CollectionStatistics of one field (deleted documents included). */
export interface CollectionStats {
  docCount: number;
  sumTotalTermFreq: number;
  sumDocFreq: number;
}

/** Lucene's TermStatistics of one term. */
export interface TermStats {
  docFreq: number;
  totalTermFreq: number;
}

/** Similarity.SimScorer: the score of one doc from its (sloppy) frequency and its one-byte norm (1 without norms). */
export interface SimScorer {
  score(freq: number, norm: number): number;
  explain(freq: SimExplanation, norm: number): SimExplanation;
}

/**
 * Lucene's Similarity, as Elasticsearch's SimilarityService builds it for a field: a factory of
 * scorers from the query boost and the collection and term statistics (several terms: a phrase).
 */
export interface Similarity {
  /** `BM25` when the field is scored by (Legacy)BM25, the only similarity BM25F and some explanations know. */
  readonly kind: 'BM25' | 'other';
  /** Whether the scorer reads totalTermFreq (BM25 does not: it is then not gathered). */
  readonly needsTotalTermFreq: boolean;
  scorer(boost: number, collection: CollectionStats, terms: readonly TermStats[]): SimScorer;
}

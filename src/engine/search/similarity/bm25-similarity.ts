import { BM25_B, BM25_K1, bm25AvgFieldLength, bm25Idf, bm25Norm, bm25NormCache } from '../bm25.js';
import { expl } from './sim-scorer.js';
import type { CollectionStats, SimScorer, Similarity, TermStats } from './sim-scorer.js';

const f = Math.fround;

/**
 * Elasticsearch's BM25 (SimilarityProviders.createBM25Similarity): LegacyBM25Similarity(k1, b),
 * Lucene's BM25Similarity handed boost * (1 + k1); `legacy` false is Lucene's own BM25Similarity
 * (what a percolator's MemoryIndex scores with). A phrase's idf is the sum of its terms' idf.
 * The explanation is explain.ts's (it reads k1 and b from here).
 */
export class Bm25Similarity implements Similarity {
  readonly kind = 'BM25' as const;
  readonly needsTotalTermFreq = false;
  constructor(
    readonly k1 = BM25_K1,
    readonly b = BM25_B,
    readonly legacy = true,
  ) {}

  /** The boost BM25Similarity sees: boost * (1 + k1) in float for the legacy form. */
  boosted(boost: number): number {
    return this.legacy ? f(f(boost) * f(1 + f(this.k1))) : f(boost);
  }

  scorer(boost: number, collection: CollectionStats, terms: readonly TermStats[]): SimScorer {
    // BM25Similarity.idfExplain(TermStatistics[]): summed in double, then a float
    let idf = 0;
    for (const t of terms) idf += bm25Idf(t.docFreq, collection.docCount);
    const weight = f(this.boosted(boost) * f(idf));
    const normCache = bm25NormCache(bm25AvgFieldLength(collection.sumTotalTermFreq, collection.docCount), this.k1, this.b);
    return {
      score: (freq, norm) => bm25Norm(freq, norm, weight, normCache),
      explain: (freq, norm) => expl(bm25Norm(freq.value, norm, weight, normCache), 'BM25', [freq]),
    };
  }
}

/** The default similarity of an Elasticsearch 8 index, and of fields mapped `similarity: BM25`. */
export const DEFAULT_BM25 = new Bm25Similarity();
/** Lucene's BM25Similarity as a MemoryIndex scores with it. */
export const LUCENE_BM25 = new Bm25Similarity(BM25_K1, BM25_B, false);

/** BooleanSimilarity: every matching term (or phrase) scores its query boost. */
export const BOOLEAN_SIMILARITY: Similarity = {
  kind: 'other',
  needsTotalTermFreq: false,
  scorer(boost) {
    const b = f(boost);
    return {
      score: () => b,
      explain: () => expl(b, 'score(BooleanWeight), computed from:', [expl(b, 'boost, query boost')]),
    };
  },
};

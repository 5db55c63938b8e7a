import { LENGTH_TABLE, intToByte4 } from './small-float.js';

/** Lucene 9 BM25Similarity defaults, as Elasticsearch 8 uses them. */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

const f = Math.fround;

/**
 * Elasticsearch 8's default similarity is LegacyBM25Similarity: Lucene's BM25Similarity with the
 * query boost multiplied by (k1 + 1) in float (2.2), the factor Lucene 8+ dropped from the
 * numerator. It shows in `_explain` as the `boost` detail.
 */
export const LEGACY_BM25_FACTOR = f(1 + f(BM25_K1));

/** The boost LegacyBM25Similarity hands BM25Similarity: boost * (1 + k1), in float. */
export function bm25Boost(boost: number): number {
  return f(f(boost) * LEGACY_BM25_FACTOR);
}

// weight = boost * (k1 + 1) * idf: the constant factor of every doc's score for one term (or phrase);
// `legacy` false: Lucene's own BM25Similarity, boost * idf (what a MemoryIndex searcher scores with)
export function bm25Weight(boost: number, idf: number, legacy = true): number {
  return f((legacy ? bm25Boost(boost) : f(boost)) * f(idf));
}

// idf = ln(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5))   (float, as BM25Similarity.idf)
export function bm25Idf(docFreq: number, docCount: number): number {
  return f(Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5)));
}

/** avgdl = sumTotalTermFreq / docCount, as a float; 1 when the field has no documents. */
export function bm25AvgFieldLength(sumTotalTermFreq: number, docCount: number): number {
  return docCount > 0 ? f(sumTotalTermFreq / docCount) : 1;
}

/**
 * The 256-entry cache BM25Similarity builds per (field, query): 1 / (k1 * (1 - b + b * dl / avgdl))
 * for every norm byte, so the inner loop is one multiplication and one division.
 */
export function bm25NormCache(avgdl: number, k1 = BM25_K1, b = BM25_B): Float32Array {
  const cache = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    cache[i] = f(1 / f(k1 * f(f(1 - b) + f(f(b * (LENGTH_TABLE[i] ?? 0)) / avgdl))));
  }
  return cache;
}

// score = boost * (k1 + 1) * idf * freq / (freq + k1 * (1 - b + b * dl / avgdl)), dl = byte4ToInt(intToByte4(length));
// `weight` is bm25Weight(boost, idf), which carries the (k1 + 1) factor.
export function bm25(freq: number, fieldLength: number, weight: number, normCache: Float32Array): number {
  return bm25Norm(freq, intToByte4(fieldLength), weight, normCache);
}

/** BM25 from the encoded norm byte, in Lucene's monotonic form: weight - weight / (1 + freq * normInverse). */
export function bm25Norm(freq: number, norm: number, weight: number, normCache: Float32Array): number {
  const normInverse = normCache[norm] ?? 0;
  return f(weight - f(weight / f(1 + f(freq * normInverse))));
}

/** Statistics of one field for BM25: the idf inputs and the norm cache. */
export interface Bm25FieldStats {
  docCount: number;
  avgdl: number;
  normCache: Float32Array;
}

import { illegalArgument, unsupported } from '../errors.js';
import { DEFAULT_BM25, LUCENE_BM25 } from './similarity/bm25-similarity.js';
import type { TermPostings } from '../contract.js';
import { bm25AvgFieldLength, bm25Idf, bm25Norm, bm25NormCache, bm25Weight } from './bm25.js';
import { disjunction } from './boolean-scorers.js';
import type { PrimitiveOf } from './primitive.js';
import { Scorer, TermScorer } from './scorer.js';
import { LENGTH_TABLE, intToByte4 } from './small-float.js';
import { NO_NORMS_BYTE } from './norms.js';
import type { Weight, WeightContext } from './weight.js';

/**
 * Lucene's CombinedFieldQuery (BM25F): the fields act as one pseudo-field. Its statistics merge
 * the fields' (docCount and docFreq the max, sumTotalTermFreq the weighted sum, truncated to a
 * long at each step as Java's `long += double`); a doc's frequency is the weighted sum of its
 * term frequencies, its length the weighted sum of its decoded field lengths re-encoded to one
 * norm byte (MultiNormsLeafSimScorer); then BM25 (LegacyBM25Similarity) as for one term.
 */
export function combinedWeight(p: PrimitiveOf<'combined'>, ctx: WeightContext): Weight {
  const fields = [...p.fields].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  // CombinedFieldsQueryBuilder.validateSimilarity: no per-field similarity, and the index's is BM25
  for (const { field } of fields) {
    if (ctx.view.mapping.field(field)?.similarity !== undefined) throw illegalArgument('[combined_fields] queries cannot be used with per-field similarities');
  }
  const sim = fields.length > 0 ? ctx.similarity((fields[0] as { field: string }).field) : DEFAULT_BM25;
  if (sim.kind !== 'BM25') throw illegalArgument('[combined_fields] queries can only be used with the [BM25] similarity');
  if (sim !== DEFAULT_BM25 && sim !== LUCENE_BM25) throw unsupported('[combined_fields] under a default BM25 similarity with its own k1 and b');
  let docCount = 0;
  let sumTtf = 0;
  for (const { field, weight } of fields) {
    const st = ctx.view.fieldStats(field);
    if (!st) continue;
    docCount = Math.max(docCount, st.docCount);
    sumTtf = Math.trunc(sumTtf + Math.fround(weight) * st.sumTotalTermFreq);
  }
  let docFreq = 0;
  for (const { field } of fields) for (const term of p.terms) docFreq = Math.max(docFreq, ctx.view.docFreq(field, term));
  if (docFreq === 0) return { scorer: () => null };
  const weight = bm25Weight(p.boost, bm25Idf(docFreq, docCount), ctx.legacyBm25);
  const normCache = bm25NormCache(bm25AvgFieldLength(sumTtf, docCount));
  return {
    scorer(seg) {
      const subs: Array<{ post: TermPostings; weight: number }> = [];
      for (const { field, weight: w } of fields) {
        for (const term of p.terms) {
          const post = seg.postings(field, term);
          if (post && post.docs.length > 0) subs.push({ post, weight: w });
        }
      }
      if (subs.length === 0) return null;
      // MultiNormsLeafSimScorer: only the fields indexed with norms make up the length (none: norm 1)
      const norms = fields.flatMap(({ field, weight: w }) => {
        const n = ctx.norms(seg, field);
        return n === null ? [] : [{ norms: n, weight: w }];
      });
      return new CombinedFieldScorer(subs, norms, weight, normCache);
    },
  };
}

class CombinedFieldScorer extends Scorer {
  private readonly terms: TermScorer[];
  private readonly union: Scorer;
  constructor(
    private readonly subs: Array<{ post: TermPostings; weight: number }>,
    private readonly norms: Array<{ norms: Uint8Array; weight: number }>,
    private readonly weight: number,
    private readonly normCache: Float32Array,
  ) {
    super();
    this.terms = subs.map(({ post }) => new TermScorer(post.docs, post.freqs, null, null));
    this.union = this.terms.length === 1 ? (this.terms[0] as Scorer) : disjunction(this.terms);
  }
  nextDoc(): number {
    return (this.doc = this.union.nextDoc());
  }
  advance(target: number): number {
    return (this.doc = this.union.advance(target));
  }
  score(): number {
    let freq = 0;
    this.terms.forEach((t, i) => {
      if (t.doc === this.doc) freq = Math.fround(freq + Math.fround((this.subs[i] as { weight: number }).weight * t.freq()));
    });
    let length = 0;
    for (const { norms, weight } of this.norms) {
      const b = norms[this.doc] as number;
      if (b !== 0) length = Math.fround(length + Math.fround(weight * (LENGTH_TABLE[b] as number)));
    }
    return bm25Norm(freq, this.norms.length === 0 ? NO_NORMS_BYTE : intToByte4(Math.round(length)), this.weight, this.normCache);
  }
  cost(): number {
    return this.union.cost();
  }
}

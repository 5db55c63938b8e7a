import type { SegmentView } from '../contract.js';
import { bm25AvgFieldLength, bm25Idf, BM25_B, BM25_K1 } from './bm25.js';
import { javaFloat } from './float-format.js';
import type { Primitive } from './primitive.js';
import { byte4ToInt, intToByte4 } from './small-float.js';
import { createWeight } from './weight.js';
import type { WeightContext } from './weight.js';

/**
 * `explain: true`: an Elasticsearch-shaped explanation tree, best effort. Values are the
 * engine's real scores (each node re-scored on the doc); BM25 term nodes carry Lucene 9's
 * details (boost, idf from n and N, tf from freq, k1, b, dl, avgdl). Other nodes summarise.
 */
export interface Explanation {
  value: number;
  description: string;
  details: Explanation[];
}

const node = (value: number, description: string, details: Explanation[] = []): Explanation => ({ value: javaFloat(value), description, details });

function scoreOn(p: Primitive, ctx: WeightContext, seg: SegmentView, doc: number): number | null {
  const s = createWeight(p, ctx, true).scorer(seg);
  if (!s || s.advance(doc) !== doc) return null;
  return s.score();
}

function pushBoost(p: Primitive, boost: number): Primitive {
  if (boost === 1 || p.op === 'none') return p;
  if (p.op === 'named') return { ...p, inner: pushBoost(p.inner, boost) };
  return { ...p, boost: p.boost * boost };
}

function termExplanation(field: string, term: string, boost: number, docFreqOverride: number | undefined, ctx: WeightContext, seg: SegmentView, doc: number, docId: number): Explanation | null {
  const post = seg.postings(field, term);
  if (!post) return null;
  const i = post.docs.indexOf(doc);
  if (i < 0) return null;
  const st = ctx.view.fieldStats(field);
  if (!st) return null;
  const hasFreqs = ctx.hasFreqs(field);
  const freq = hasFreqs ? (post.freqs[i] ?? 1) : 1;
  const n = docFreqOverride ?? ctx.view.docFreq(field, term);
  const N = st.docCount;
  const idf = bm25Idf(n, N);
  const avgdl = bm25AvgFieldLength(hasFreqs ? st.sumTotalTermFreq : st.sumDocFreq, N);
  const length = ctx.norms(seg, field) ? seg.fieldLength(field, doc) : 1;
  const dl = byte4ToInt(intToByte4(length));
  const tf = freq / (freq + BM25_K1 * (1 - BM25_B + (BM25_B * dl) / avgdl));
  const value = scoreOn({ op: 'term', field, term, boost, ...(docFreqOverride !== undefined ? { docFreq: docFreqOverride } : {}) }, ctx, seg, doc) ?? boost * idf * tf;
  return node(value, `weight(${field}:${term} in ${docId}) [PerFieldSimilarity], result of:`, [
    node(value, `score(freq=${freq.toFixed(1)}), computed as boost * idf * tf from:`, [
      node(boost, 'boost'),
      node(idf, 'idf, computed as log(1 + (N - n + 0.5) / (n + 0.5)) from:', [
        node(n, 'n, number of documents containing term'),
        node(N, 'N, total number of documents with field'),
      ]),
      node(tf, 'tf, computed as freq / (freq + k1 * (1 - b + b * dl / avgdl)) from:', [
        node(freq, 'freq, occurrences of term within document'),
        node(BM25_K1, 'k1, term saturation parameter'),
        node(BM25_B, 'b, length normalization parameter'),
        node(dl, dl === length ? 'dl, length of field' : 'dl, length of field (approximate)'),
        node(avgdl, 'avgdl, average length of field'),
      ]),
    ]),
  ]);
}

/** The explanation of `doc` for a primitive query, or null when it does not match. */
export function explain(p: Primitive, ctx: WeightContext, seg: SegmentView, doc: number, docId: number): Explanation | null {
  const value = scoreOn(p, ctx, seg, doc);
  if (value === null) return null;
  switch (p.op) {
    case 'term':
      return termExplanation(p.field, p.term, p.boost, p.docFreq, ctx, seg, doc, docId) ?? node(value, `weight(${p.field}:${p.term} in ${docId})`);
    case 'bool': {
      const scored = [...p.must, ...p.should].map((c) => explain(pushBoost(c, p.boost), ctx, seg, doc, docId)).filter((e): e is Explanation => e !== null);
      const filters = p.filter.map((c) => explain(c, ctx, seg, doc, docId)).filter((e): e is Explanation => e !== null);
      if (scored.length === 0) return node(value, 'match on required clause(s), score 0', filters);
      return node(value, 'sum of:', scored);
    }
    case 'dismax': {
      const subs = p.subs.map((c) => explain(pushBoost(c, p.boost), ctx, seg, doc, docId)).filter((e): e is Explanation => e !== null);
      return node(value, p.tieBreaker === 0 ? 'max of:' : `max plus ${p.tieBreaker} times others of:`, subs);
    }
    case 'named':
      return explain(p.inner, ctx, seg, doc, docId);
    case 'all':
      return node(value, '*:*');
    case 'const':
    case 'docs':
      return node(value, `${p.op === 'docs' ? p.label : 'ConstantScore'}`);
    case 'phrase':
      return node(value, `weight(${p.field}:"${p.terms.map((a) => (a.length > 1 ? `(${a.join(' ')})` : a[0])).join(' ')}"${p.slop > 0 ? `~${p.slop}` : ''} in ${docId}) [PerFieldSimilarity], result of BM25 with the summed idf of the phrase terms and the phrase frequency`);
    case 'synonym':
      return node(value, `weight(Synonym(${p.terms.map((t) => `${p.field}:${t}`).join(' ')}) in ${docId}) [PerFieldSimilarity]`);
    case 'boosting':
      return node(value, 'boosting: positive score, times negative_boost where the negative query matches', [explain(p.positive, ctx, seg, doc, docId)].filter((e): e is Explanation => e !== null));
    case 'function_score':
      return node(value, `function score, score mode [${p.scoreMode}], boost mode [${p.boostMode}]`, [explain(p.inner, ctx, seg, doc, docId)].filter((e): e is Explanation => e !== null));
    case 'nested':
      return node(value, `Score based on ${p.scoreMode} of the child docs of [${p.path}]`);
    case 'none':
      return null;
  }
}

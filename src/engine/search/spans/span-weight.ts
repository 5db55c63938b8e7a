import type { SegmentView } from '../../contract.js';
import { ScoredDocsScorer } from '../intervals/interval-weight.js';
import { NO_NORMS_BYTE } from '../norms.js';
import type { PrimitiveOf } from '../primitive.js';
import type { Weight, WeightContext } from '../weight.js';
import type { SpanContext, SpanSource, SpanTerm } from './span-source.js';
import { NO_MORE_POSITIONS } from './spans.js';
import type { Spans } from './spans.js';

/**
 * SpanWeight + SpanScorer: the weight's field is the outermost span query's field (a field mask
 * outermost scores as its query); its idf is the sum of the idf of every distinct term of the tree
 * (SpanQuery.getTermStates, a TreeMap by field then term; span_not counts its include only), with
 * that field's docCount; a doc's sloppy frequency sums `1 / (1 + width)` over its matches (float),
 * scored by BM25 with the field's norms and LegacyBM25Similarity's (k1 + 1).
 */

/** Term order of Lucene's Term.compareTo: field, then the term's UTF-8 bytes (= code point order). */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] as string).codePointAt(0)! - (y[i] as string).codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** The distinct terms of a span tree in TreeMap order, with the docFreq of each (0: absent). */
export function spanTermStats(source: SpanSource, ctx: WeightContext): Array<SpanTerm & { df: number }> {
  const all: SpanTerm[] = [];
  source.collectTerms(all);
  const seen = new Map<string, SpanTerm & { df: number }>();
  for (const t of all) {
    const key = `${t.field}\u0000${t.term}`;
    if (!seen.has(key)) seen.set(key, { ...t, df: t.docFreq ?? ctx.view.docFreq(t.field, t.term) });
  }
  return [...seen.values()].sort((a, b) => compareCodePoints(a.field, b.field) || compareCodePoints(a.term, b.term));
}

export function spanContext(ctx: WeightContext): SpanContext {
  return {
    hasPositions: (field) => ctx.hasFreqs(field) && ctx.view.mapping.field(field)?.withoutPositions === undefined,
    noPositions(field, term) {
      throw ctx.shardFailure(`field "${field}" was indexed without position data; cannot run SpanTermQuery (term=${term})`, 'illegal_state_exception');
    },
  };
}

/** The sloppy frequency of one doc's spans (SpanScorer.setFreqCurrentDoc), in float. */
function sloppyFreq(spans: Spans): number {
  let freq = 0;
  while (spans.nextStartPosition() !== NO_MORE_POSITIONS) freq = Math.fround(freq + 1 / (1 + spans.width()));
  return freq;
}

/** The doc's sloppy frequency, or null when it does not match (for `explain`). */
export function spanFreq(p: PrimitiveOf<'span'>, ctx: WeightContext, seg: SegmentView, doc: number): number | null {
  const leaf = p.source.leaf(seg, spanContext(ctx));
  const spans = leaf?.at(doc) ?? null;
  return spans ? sloppyFreq(spans) : null;
}

export function spanWeight(p: PrimitiveOf<'span'>, ctx: WeightContext): Weight {
  const scoring = p.source.scoring();
  const field = scoring.field;
  // SpanWeight.buildSimScorer: the field's similarity over the distinct terms that exist (BM25 sums their idf)
  const sim = ctx.similarity(field);
  const collection = ctx.collectionStats(field);
  const terms = spanTermStats(scoring, ctx)
    .filter((t) => t.df > 0)
    .map((t) => ctx.termStats(t.field, t.term, sim, t.df));
  const scorer = collection && terms.length > 0 ? sim.scorer(p.boost, collection, terms) : null;
  const spanCtx = spanContext(ctx);
  return {
    scorer(seg) {
      const leaf = p.source.leaf(seg, spanCtx);
      if (!leaf) return null;
      const norms = ctx.norms(seg, field);
      const docs: number[] = [];
      const scores: number[] = [];
      for (const doc of leaf.docs) {
        const spans = leaf.at(doc);
        if (!spans) continue;
        const freq = sloppyFreq(spans);
        docs.push(doc);
        scores.push(scorer ? scorer.score(freq, norms === null ? NO_NORMS_BYTE : (norms[doc] as number)) : 0);
      }
      return docs.length === 0 ? null : new ScoredDocsScorer(Int32Array.from(docs), Float32Array.from(scores));
    },
  };
}

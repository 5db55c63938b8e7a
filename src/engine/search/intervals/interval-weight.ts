import type { SegmentView } from '../../contract.js';
import type { PrimitiveOf } from '../primitive.js';
import { NO_MORE_DOCS, Scorer, firstAtLeast } from '../scorer.js';
import type { Weight } from '../weight.js';
import { NO_MORE_INTERVALS } from './interval-iterator.js';
import type { IntervalIterator } from './interval-iterator.js';

/**
 * IntervalQuery's weight: a doc matches when its iterator has an interval; its score is Lucene's
 * default IntervalScoreFunction, saturation with pivot 1: `boost * (1 - 1 / (1 + freq))` where
 * the sloppy frequency sums `1 / max(width - minExtent + 1, 1)` over the doc's intervals (floats).
 */
export function intervalsWeight(p: PrimitiveOf<'intervals'>): Weight {
  const minExtent = p.source.minExtent();
  const boost = Math.fround(p.boost);
  return {
    scorer(seg) {
      const leaf = p.source.leaf(seg);
      if (!leaf) return null;
      const docs: number[] = [];
      const scores: number[] = [];
      for (const doc of leaf.docs) {
        const freq = sloppyFreq(leaf.at(doc), minExtent);
        if (freq === null) continue;
        docs.push(doc);
        scores.push(saturation(boost, freq));
      }
      return docs.length === 0 ? null : new ScoredDocsScorer(Int32Array.from(docs), Float32Array.from(scores));
    },
  };
}

/** IntervalScoreFunction.saturationFunction(1): `w * (1 - k / (k + S))`, k = 1, in floats. */
export const saturation = (weight: number, freq: number): number => Math.fround(weight * Math.fround(1 - Math.fround(1 / Math.fround(1 + freq))));

/** IntervalScorer's sloppy frequency of a doc's intervals, or null when it has none. */
function sloppyFreq(it: IntervalIterator | null, minExtent: number): number | null {
  if (!it || it.nextInterval() === NO_MORE_INTERVALS) return null;
  let freq = 0;
  do {
    const length = it.end() - it.start() + 1;
    freq = Math.fround(freq + Math.fround(1 / Math.max(length - minExtent + 1, 1)));
  } while (it.nextInterval() !== NO_MORE_INTERVALS);
  return freq;
}

/** The sloppy frequency of one doc (for `explain`), or null when it does not match. */
export function intervalsFreq(p: PrimitiveOf<'intervals'>, seg: SegmentView, doc: number): number | null {
  const leaf = p.source.leaf(seg);
  return leaf ? sloppyFreq(leaf.at(doc), p.source.minExtent()) : null;
}

/** Docs with the scores computed for them. */
export class ScoredDocsScorer extends Scorer {
  private i = -1;
  constructor(
    private readonly docs: Int32Array,
    private readonly scores: Float32Array,
  ) {
    super();
  }
  nextDoc(): number {
    this.i++;
    return (this.doc = this.i < this.docs.length ? (this.docs[this.i] as number) : NO_MORE_DOCS);
  }
  advance(target: number): number {
    this.i = firstAtLeast(this.docs, this.i + 1, target);
    return (this.doc = this.i < this.docs.length ? (this.docs[this.i] as number) : NO_MORE_DOCS);
  }
  score(): number {
    return this.scores[this.i] as number;
  }
  cost(): number {
    return this.docs.length;
  }
}

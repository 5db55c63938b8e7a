import type { SimScorer } from './similarity/sim-scorer.js';
import { NO_NORMS_BYTE } from './norms.js';

/**
 * Doc-at-a-time iterators over one segment, as Lucene's Scorer: `doc` is -1 before the first
 * `nextDoc()`, NO_MORE_DOCS after the last. `score()` is valid on the current doc only.
 */
export const NO_MORE_DOCS = 0x7fffffff;

export abstract class Scorer {
  doc = -1;
  abstract nextDoc(): number;
  /** Moves to the first doc >= target (target > doc). */
  abstract advance(target: number): number;
  abstract score(): number;
  /** Estimated number of matches, to lead conjunctions with the rarest clause. */
  abstract cost(): number;
}

/**
 * A scorer whose score is computed per document over an inner scorer's matches (function_score,
 * script_score): the score is computed once per doc, and with `min_score` it decides whether the
 * doc matches at all (Elasticsearch's MinScoreScorer).
 */
export abstract class ComputedScoreScorer extends Scorer {
  protected current = 0;
  private computed = -1;
  constructor(
    protected readonly inner: Scorer,
    protected readonly minScore: number | undefined,
  ) {
    super();
  }
  /** The score of the current doc. */
  protected abstract compute(): number;
  private settle(doc: number): number {
    // with min_score the score decides whether the doc matches; otherwise it is computed lazily
    while (doc !== NO_MORE_DOCS) {
      this.doc = doc;
      if (this.minScore === undefined) return doc;
      this.current = this.compute();
      this.computed = doc;
      if (this.current >= this.minScore) return doc;
      doc = this.inner.nextDoc();
    }
    return (this.doc = NO_MORE_DOCS);
  }
  nextDoc(): number {
    return this.settle(this.inner.nextDoc());
  }
  advance(target: number): number {
    return this.settle(this.inner.advance(target));
  }
  score(): number {
    if (this.computed !== this.doc) {
      this.current = this.compute();
      this.computed = this.doc;
    }
    return this.current;
  }
  cost(): number {
    return this.inner.cost();
  }
}

/**
 * The first index at or after `from` whose doc is at least `target` (`docs.length` when none):
 * galloping from `from`, then a binary search in the bracket found, so nearby targets cost a
 * few comparisons and far ones log(n).
 */
export function firstAtLeast(docs: Int32Array, from: number, target: number): number {
  let lo = from;
  let step = 1;
  let hi = lo;
  while (hi < docs.length && (docs[hi] ?? 0) < target) {
    lo = hi + 1;
    hi += step;
    step <<= 1;
  }
  if (hi > docs.length) hi = docs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((docs[mid] ?? 0) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A disjunction's score from its matching clauses' sum and max, in Java floats: the sum
 * (bool should), or dis_max's `max + tie_breaker * (sum - max)`; a negative `tieBreaker` means sum.
 */
export function disjunctionScore(sum: number, max: number, tieBreaker: number): number {
  if (tieBreaker < 0) return Math.fround(sum);
  return Math.fround(max + Math.fround(tieBreaker * Math.fround(sum - max)));
}

/** Iterates a sorted doc list (postings, a constant-score set); `i` is the current entry. */
abstract class SortedDocsScorer extends Scorer {
  protected i = -1;
  constructor(protected readonly docs: Int32Array) {
    super();
  }
  nextDoc(): number {
    this.i++;
    this.doc = this.i < this.docs.length ? (this.docs[this.i] ?? NO_MORE_DOCS) : NO_MORE_DOCS;
    return this.doc;
  }
  advance(target: number): number {
    this.i = firstAtLeast(this.docs, this.i + 1, target);
    this.doc = this.i < this.docs.length ? (this.docs[this.i] ?? NO_MORE_DOCS) : NO_MORE_DOCS;
    return this.doc;
  }
  cost(): number {
    return this.docs.length;
  }
}

/** A sorted list of docs with one constant score. */
export class DocListScorer extends SortedDocsScorer {
  constructor(
    docs: Int32Array,
    private readonly constant: number,
    /** Per-doc scores at boost `constant` (distance_feature); absent: every doc scores `constant`. */
    private readonly perDoc?: (doc: number, boost: number) => number,
  ) {
    super(docs);
  }
  score(): number {
    return this.perDoc ? this.perDoc(this.doc, this.constant) : this.constant;
  }
}

/**
 * Lucene's two-phase iteration: an approximation (the docs that have a doc value) whose docs are
 * confirmed one at a time by `matches` (the value test of a doc-values query), with one constant
 * score. `nextDoc`/`advance` do both steps; a profiled scorer runs them apart, timing the
 * approximation as next_doc/advance and the confirmation as `match`, as ProfileScorer times a
 * TwoPhaseIterator.
 */
export class TwoPhaseScorer extends Scorer {
  private i = -1;
  constructor(
    private readonly approximation: Int32Array,
    private readonly confirm: (doc: number) => boolean,
    private readonly constant: number,
  ) {
    super();
  }
  /** Moves the approximation to its next doc. */
  approximationNext(): number {
    this.i++;
    return (this.doc = this.i < this.approximation.length ? (this.approximation[this.i] ?? NO_MORE_DOCS) : NO_MORE_DOCS);
  }
  /** Moves the approximation to its first doc >= target. */
  approximationAdvance(target: number): number {
    this.i = firstAtLeast(this.approximation, this.i + 1, target);
    return (this.doc = this.i < this.approximation.length ? (this.approximation[this.i] ?? NO_MORE_DOCS) : NO_MORE_DOCS);
  }
  /** Whether the approximation's current doc matches. */
  matches(): boolean {
    return this.confirm(this.doc);
  }
  nextDoc(): number {
    let d = this.approximationNext();
    while (d !== NO_MORE_DOCS && !this.matches()) d = this.approximationNext();
    return d;
  }
  advance(target: number): number {
    let d = this.approximationAdvance(target);
    while (d !== NO_MORE_DOCS && !this.matches()) d = this.approximationNext();
    return d;
  }
  score(): number {
    return this.constant;
  }
  cost(): number {
    return this.approximation.length;
  }
}

/** Every doc of the segment (match_all). */
export class AllScorer extends Scorer {
  constructor(
    private readonly maxDoc: number,
    private readonly constant: number,
  ) {
    super();
  }
  nextDoc(): number {
    return (this.doc = this.doc + 1 < this.maxDoc ? this.doc + 1 : NO_MORE_DOCS);
  }
  advance(target: number): number {
    return (this.doc = target < this.maxDoc ? target : NO_MORE_DOCS);
  }
  score(): number {
    return this.constant;
  }
  cost(): number {
    return this.maxDoc;
  }
}

/** Postings of one term scored by the field's similarity; `norms` is null for fields indexed without norms. */
export class TermScorer extends SortedDocsScorer {
  constructor(
    docs: Int32Array,
    /** null for fields indexed without freqs: every freq is 1. */
    private readonly freqs: Int32Array | null,
    /** null: a term read for its frequencies only (a synonym's or BM25F's part). */
    private readonly sim: SimScorer | null,
    private readonly norms: Uint8Array | null,
  ) {
    super(docs);
  }
  freq(): number {
    return this.freqs === null ? 1 : (this.freqs[this.i] ?? 0);
  }
  score(): number {
    const norm = this.norms === null ? NO_NORMS_BYTE : (this.norms[this.doc] as number);
    return this.sim === null ? 0 : this.sim.score(this.freqs === null ? 1 : (this.freqs[this.i] ?? 0), norm);
  }
}

/** Wraps a scorer with a constant score (constant_score, filters that need a score). */
export class ConstantScorer extends Scorer {
  constructor(
    private readonly inner: Scorer,
    private readonly constant: number,
  ) {
    super();
  }
  nextDoc(): number {
    return (this.doc = this.inner.nextDoc());
  }
  advance(target: number): number {
    return (this.doc = this.inner.advance(target));
  }
  score(): number {
    return this.constant;
  }
  cost(): number {
    return this.inner.cost();
  }
}

/** Drains a scorer into a sorted doc list (for filters evaluated once per segment). */
export function drain(s: Scorer): Int32Array {
  let out = new Int32Array(16);
  let n = 0;
  for (let d = s.nextDoc(); d !== NO_MORE_DOCS; d = s.nextDoc()) {
    if (n === out.length) {
      const bigger = new Int32Array(n * 2);
      bigger.set(out);
      out = bigger;
    }
    out[n++] = d;
  }
  return out.subarray(0, n);
}

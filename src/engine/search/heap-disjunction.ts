import { NO_MORE_DOCS, Scorer, disjunctionScore } from './scorer.js';

/**
 * A disjunction over many clauses (fuzzy expansions, long query strings) as Lucene's
 * DisiPriorityQueue: a binary min-heap of clauses by current doc, so moving to the next doc
 * costs O(log n) per matching clause instead of a scan of all n. Scores sum the clauses on
 * the current doc (or dis_max them with `tieBreaker` >= 0); `minShouldMatch` as BooleanQuery.
 */
export class HeapDisjunctionScorer extends Scorer {
  private readonly heap: Int32Array;
  private readonly stack: Int32Array;
  constructor(
    private readonly subs: Scorer[],
    private readonly minShouldMatch = 1,
    private readonly tieBreaker = -1,
  ) {
    super();
    this.heap = Int32Array.from(subs.keys());
    this.stack = new Int32Array(subs.length);
  }

  private docOf(h: number): number {
    return (this.subs[this.heap[h] as number] as Scorer).doc;
  }

  private siftDown(pos: number): void {
    const heap = this.heap;
    const n = heap.length;
    const x = heap[pos] as number;
    const xd = (this.subs[x] as Scorer).doc;
    for (;;) {
      const l = 2 * pos + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && this.docOf(r) < this.docOf(l)) c = r;
      if (this.docOf(c) >= xd) break;
      heap[pos] = heap[c] as number;
      pos = c;
    }
    heap[pos] = x;
  }

  private topSub(): Scorer {
    return this.subs[this.heap[0] as number] as Scorer;
  }

  /** Visits the clauses positioned on `doc` (a subtree at the top of the heap). */
  private forEachAt(doc: number, visit: (s: Scorer) => void): void {
    const stack = this.stack;
    let sp = 0;
    if (this.heap.length > 0 && this.docOf(0) === doc) stack[sp++] = 0;
    while (sp > 0) {
      const h = stack[--sp] as number;
      visit(this.subs[this.heap[h] as number] as Scorer);
      const l = 2 * h + 1;
      if (l < this.heap.length && this.docOf(l) === doc) stack[sp++] = l;
      if (l + 1 < this.heap.length && this.docOf(l + 1) === doc) stack[sp++] = l + 1;
    }
  }

  private settle(): number {
    for (;;) {
      const min = this.heap.length > 0 ? this.topSub().doc : NO_MORE_DOCS;
      if (min === NO_MORE_DOCS || this.minShouldMatch <= 1) return (this.doc = min);
      let count = 0;
      this.forEachAt(min, () => count++);
      if (count >= this.minShouldMatch) return (this.doc = min);
      while (this.topSub().doc === min) {
        this.topSub().nextDoc();
        this.siftDown(0);
      }
    }
  }

  nextDoc(): number {
    const cur = this.doc;
    while (this.heap.length > 0 && this.topSub().doc <= cur) {
      this.topSub().nextDoc();
      this.siftDown(0);
    }
    return this.settle();
  }

  advance(target: number): number {
    while (this.heap.length > 0 && this.topSub().doc < target) {
      this.topSub().advance(target);
      this.siftDown(0);
    }
    return this.settle();
  }

  score(): number {
    let sum = 0;
    let max = 0;
    this.forEachAt(this.doc, (s) => {
      const v = s.score();
      sum += v;
      if (v > max) max = v;
    });
    return disjunctionScore(sum, max, this.tieBreaker);
  }

  cost(): number {
    let c = 0;
    for (const s of this.subs) c += s.cost();
    return c;
  }
}

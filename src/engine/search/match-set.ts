import type { IndexView, SegmentView } from '../contract.js';

/** One segment of one target, in global (shard, segment) order. */
export interface Leaf {
  /** Index into the execution's (successful) target states. */
  target: number;
  /** Position of the target among all the (name-sorted) targets: ES's shard request index. */
  shard: number;
  view: IndexView;
  segment: SegmentView;
  /** First doc number of this segment within its index (for `_doc` / `_shard_doc`). */
  docBase: number;
}

/**
 * The documents a query matched, before post_filter, as parallel typed arrays: what the
 * hits phase ranks and what aggregation phases (part 2) collect over.
 */
export class MatchSet {
  leaf: Int32Array = new Int32Array(64);
  doc: Int32Array = new Int32Array(64);
  score: Float32Array = new Float32Array(64);
  count = 0;
  constructor(readonly leaves: Leaf[]) {}

  push(leaf: number, doc: number, score: number): void {
    if (this.count === this.doc.length) this.grow();
    const i = this.count++;
    this.leaf[i] = leaf;
    this.doc[i] = doc;
    this.score[i] = score;
  }

  private grow(): void {
    const n = this.doc.length * 2;
    const leaf = new Int32Array(n);
    leaf.set(this.leaf);
    const doc = new Int32Array(n);
    doc.set(this.doc);
    const score = new Float32Array(n);
    score.set(this.score);
    this.leaf = leaf;
    this.doc = doc;
    this.score = score;
  }
}

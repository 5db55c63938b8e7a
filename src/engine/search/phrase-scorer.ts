import type { SimScorer } from './similarity/sim-scorer.js';
import { NO_NORMS_BYTE } from './norms.js';
import { NO_MORE_DOCS, Scorer } from './scorer.js';

/**
 * (Multi)PhraseQuery over one segment: a conjunction of the positions' postings, then the
 * phrase frequency from positions. slop 0 counts exact matches (ExactPhraseMatcher); slop > 0
 * sums 1 / (1 + matchLength) over the matches Lucene's SloppyPhraseMatcher finds (without its
 * special handling of repeated terms).
 */

/** Postings of one phrase position: docs ascending and each doc's positions ascending. */
export interface PositionPostings {
  docs: Int32Array;
  positions: ReadonlyArray<Int32Array>;
}

export class PhraseScorer extends Scorer {
  private readonly idx: Int32Array;
  private readonly order: number[];
  private freqValue = 0;
  /** Positions of the phrase holding the same term, ordered by offset (SloppyPhraseMatcher's rptGroups). */
  private readonly repeatGroups: number[][];
  private readonly groupOf: Int32Array;
  constructor(
    private readonly postings: PositionPostings[],
    private readonly offsets: number[],
    private readonly slop: number,
    private readonly sim: SimScorer,
    private readonly norms: Uint8Array | null,
    /** A key per position (its term, or its alternatives) to find repeated terms. */
    termKeys: string[] = [],
  ) {
    super();
    this.idx = new Int32Array(postings.length).fill(-1);
    const byKey = new Map<string, number[]>();
    termKeys.forEach((k, i) => byKey.set(k, [...(byKey.get(k) ?? []), i]));
    this.repeatGroups = [...byKey.values()].filter((g) => g.length > 1).map((g) => g.sort((a, b) => (offsets[a] as number) - (offsets[b] as number)));
    this.groupOf = new Int32Array(postings.length).fill(-1);
    this.repeatGroups.forEach((g, gi) => g.forEach((i) => (this.groupOf[i] = gi)));
    this.order = postings.map((_, i) => i).sort((a, b) => (postings[a]?.docs.length ?? 0) - (postings[b]?.docs.length ?? 0));
  }

  private seek(i: number, target: number): number {
    const docs = (this.postings[i] as PositionPostings).docs;
    const cur = this.idx[i] as number;
    // already on or past the target (a clause that overshot in a previous round)
    if (cur >= 0 && cur < docs.length && (docs[cur] as number) >= target) return docs[cur] as number;
    let lo = cur + 1;
    let hi = docs.length;
    if (lo < hi && (docs[lo] ?? 0) < target) {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((docs[mid] ?? 0) < target) lo = mid + 1;
        else hi = mid;
      }
    }
    this.idx[i] = lo;
    return lo < docs.length ? (docs[lo] ?? NO_MORE_DOCS) : NO_MORE_DOCS;
  }

  private next(target: number): number {
    const lead = this.order[0] as number;
    let doc = this.seek(lead, target);
    for (;;) {
      if (doc === NO_MORE_DOCS) return (this.doc = NO_MORE_DOCS);
      let agreed = true;
      for (let k = 1; k < this.order.length; k++) {
        const i = this.order[k] as number;
        const d = this.seek(i, doc);
        if (d !== doc) {
          doc = this.seek(lead, d);
          agreed = false;
          break;
        }
      }
      if (!agreed) continue;
      this.freqValue = this.slop === 0 ? this.exactFreq() : this.sloppyFreq();
      if (this.freqValue > 0) return (this.doc = doc);
      doc = this.seek(lead, doc + 1);
    }
  }

  private positionsOf(i: number): Int32Array {
    return (this.postings[i] as PositionPostings).positions[this.idx[i] as number] as Int32Array;
  }

  private exactFreq(): number {
    const n = this.postings.length;
    const first = this.positionsOf(0);
    const cursors = new Int32Array(n);
    let freq = 0;
    for (let a = 0; a < first.length; a++) {
      const start = (first[a] as number) - (this.offsets[0] as number);
      let all = true;
      for (let i = 1; i < n; i++) {
        const ps = this.positionsOf(i);
        const want = start + (this.offsets[i] as number);
        let c = cursors[i] as number;
        while (c < ps.length && (ps[c] as number) < want) c++;
        cursors[i] = c;
        if (c >= ps.length) return freq;
        if (ps[c] !== want) all = false;
      }
      if (all) freq++;
    }
    return freq;
  }

  private sloppyFreq(): number {
    const n = this.postings.length;
    const offsets = this.offsets;
    const lists: Int32Array[] = [];
    const cur = new Int32Array(n);
    const pos = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      lists.push(this.positionsOf(i));
      pos[i] = (lists[i]?.[0] ?? 0) - (offsets[i] as number);
    }
    let end = -Infinity;
    const advancePP = (i: number): boolean => {
      const c = (cur[i] as number) + 1;
      const list = lists[i] as Int32Array;
      if (c >= list.length) return false;
      cur[i] = c;
      pos[i] = (list[c] as number) - (offsets[i] as number);
      if ((pos[i] as number) > end) end = pos[i] as number;
      return true;
    };
    // SloppyPhraseMatcher's repeats: positions of the same term must not share a document position.
    // Start condition: the j-th repeat (by query offset) is advanced j times.
    const groups = this.repeatGroups;
    for (const g of groups) {
      for (let j = 1; j < g.length; j++) for (let k = 0; k < j; k++) if (!advancePP(g[j] as number)) return 0;
    }
    for (let i = 0; i < n; i++) if ((pos[i] as number) > end) end = pos[i] as number;
    const actual = (i: number): number => (pos[i] as number) + (offsets[i] as number);
    const lesser = (a: number, b: number): number =>
      (pos[a] as number) < (pos[b] as number) || (pos[a] === pos[b] && (offsets[a] as number) < (offsets[b] as number)) ? a : b;
    const advanceRpts = (i: number): boolean => {
      const g = this.groupOf[i] as number;
      if (g < 0) return true;
      const members = groups[g] as number[];
      let p = i;
      for (;;) {
        const at = actual(p);
        const other = members.find((m) => m !== p && actual(m) === at);
        if (other === undefined) return true;
        p = lesser(p, other); // advance the lesser of the two colliding positions
        if (!advancePP(p)) return false;
      }
    };
    const less = (a: number, b: number): boolean =>
      (pos[a] as number) < (pos[b] as number) ||
      (pos[a] === pos[b] && ((offsets[a] as number) < (offsets[b] as number) || (offsets[a] === offsets[b] && a < b)));
    // linear scans over the n positions stand in for Lucene's PhraseQueue (n is a phrase length)
    const top = (except: number): number => {
      let best = -1;
      for (let i = 0; i < n; i++) if (i !== except && (best === -1 || less(i, best))) best = i;
      return best;
    };
    let freq = 0;
    let pp = top(-1);
    let matchLength = end - (pos[pp] as number);
    let next = pos[top(pp)] as number;
    for (;;) {
      if (!advancePP(pp)) break;
      if (groups.length > 0 && !advanceRpts(pp)) break;
      if ((pos[pp] as number) > next) {
        // done minimizing this match
        if (matchLength <= this.slop) freq += 1 / (1 + matchLength);
        pp = top(-1);
        next = pos[top(pp)] as number;
        matchLength = end - (pos[pp] as number);
      } else {
        const m2 = end - (pos[pp] as number);
        if (m2 < matchLength) matchLength = m2;
      }
    }
    if (matchLength <= this.slop) freq += 1 / (1 + matchLength);
    return Math.fround(freq);
  }

  nextDoc(): number {
    return this.next(this.doc + 1);
  }
  advance(target: number): number {
    return this.next(target);
  }
  freq(): number {
    return this.freqValue;
  }
  score(): number {
    return this.sim.score(this.freqValue, this.norms === null ? NO_NORMS_BYTE : (this.norms[this.doc] as number));
  }
  cost(): number {
    return (this.postings[this.order[0] as number] as PositionPostings).docs.length;
  }
}

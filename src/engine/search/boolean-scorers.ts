import { HeapDisjunctionScorer } from './heap-disjunction.js';
import { NO_MORE_DOCS, Scorer, disjunctionScore } from './scorer.js';

/** The scorers a boolean query combines into (Lucene's ConjunctionScorer, DisjunctionScorer, ...). */

const f = Math.fround;

/** All of `required` match; the score sums `scoring` (filters are required but not scored). */
export class ConjunctionScorer extends Scorer {
  private readonly lead: Scorer;
  private readonly others: Scorer[];
  constructor(
    required: Scorer[],
    private readonly scoring: Scorer[],
  ) {
    super();
    const sorted = [...required].sort((a, b) => a.cost() - b.cost());
    this.lead = sorted[0] as Scorer;
    this.others = sorted.slice(1);
  }
  private align(target: number): number {
    let doc = target;
    // leapfrog: advance every other clause to the lead's doc; restart when one overshoots
    outer: while (doc !== NO_MORE_DOCS) {
      for (const s of this.others) {
        const d = s.doc < doc ? s.advance(doc) : s.doc;
        if (d > doc) {
          doc = this.lead.advance(d);
          continue outer;
        }
      }
      return (this.doc = doc);
    }
    return (this.doc = NO_MORE_DOCS);
  }
  nextDoc(): number {
    return this.align(this.lead.nextDoc());
  }
  advance(target: number): number {
    return this.align(this.lead.advance(target));
  }
  score(): number {
    let s = 0;
    for (const c of this.scoring) s += c.score();
    return f(s);
  }
  cost(): number {
    return this.lead.cost();
  }
}

/**
 * Any of `subs` (at least `minShouldMatch` of them). The score is the sum of the matching
 * clauses, or, with `tieBreaker` >= 0, dis_max: max + tieBreaker * (sum - max).
 */
export class DisjunctionScorer extends Scorer {
  private readonly subs: Scorer[];
  constructor(
    subs: Scorer[],
    private readonly minShouldMatch = 1,
    private readonly tieBreaker = -1,
  ) {
    super();
    this.subs = subs;
  }
  private settle(): number {
    const subs = this.subs;
    for (;;) {
      let min = NO_MORE_DOCS;
      for (let i = 0; i < subs.length; i++) {
        const d = (subs[i] as Scorer).doc;
        if (d < min) min = d;
      }
      if (min === NO_MORE_DOCS || this.minShouldMatch <= 1) return (this.doc = min);
      let count = 0;
      for (let i = 0; i < subs.length; i++) if ((subs[i] as Scorer).doc === min) count++;
      if (count >= this.minShouldMatch) return (this.doc = min);
      for (let i = 0; i < subs.length; i++) {
        const s = subs[i] as Scorer;
        if (s.doc === min) s.nextDoc();
      }
    }
  }
  nextDoc(): number {
    const subs = this.subs;
    const cur = this.doc;
    for (let i = 0; i < subs.length; i++) {
      const s = subs[i] as Scorer;
      if (s.doc <= cur) s.nextDoc();
    }
    return this.settle();
  }
  advance(target: number): number {
    const subs = this.subs;
    for (let i = 0; i < subs.length; i++) {
      const s = subs[i] as Scorer;
      if (s.doc < target) s.advance(target);
    }
    return this.settle();
  }
  score(): number {
    const subs = this.subs;
    const doc = this.doc;
    let sum = 0;
    let max = 0;
    for (let i = 0; i < subs.length; i++) {
      const s = subs[i] as Scorer;
      if (s.doc === doc) {
        const v = s.score();
        sum += v;
        if (v > max) max = v;
      }
    }
    return disjunctionScore(sum, max, this.tieBreaker);
  }
  cost(): number {
    let c = 0;
    for (const s of this.subs) c += s.cost();
    return c;
  }
}

/** `req` minus the docs of `excl` (must_not). */
export class ReqExclScorer extends Scorer {
  constructor(
    private readonly req: Scorer,
    private readonly excl: Scorer,
  ) {
    super();
  }
  private skip(doc: number): number {
    while (doc !== NO_MORE_DOCS) {
      const e = this.excl.doc < doc ? this.excl.advance(doc) : this.excl.doc;
      if (e !== doc) break;
      doc = this.req.nextDoc();
    }
    return (this.doc = doc);
  }
  nextDoc(): number {
    return this.skip(this.req.nextDoc());
  }
  advance(target: number): number {
    return this.skip(this.req.advance(target));
  }
  score(): number {
    return this.req.score();
  }
  cost(): number {
    return this.req.cost();
  }
}

/** `req`, plus the score of `opt` where it also matches (should clauses beside a must). */
export class ReqOptScorer extends Scorer {
  constructor(
    private readonly req: Scorer,
    private readonly opt: Scorer,
  ) {
    super();
  }
  nextDoc(): number {
    return (this.doc = this.req.nextDoc());
  }
  advance(target: number): number {
    return (this.doc = this.req.advance(target));
  }
  score(): number {
    const doc = this.doc;
    const base = this.req.score();
    const o = this.opt.doc < doc ? this.opt.advance(doc) : this.opt.doc;
    return o === doc ? f(base + this.opt.score()) : base;
  }
  cost(): number {
    return this.req.cost();
  }
}

/** A disjunction: a linear scan for a few clauses, a heap beyond (as Lucene's DisiPriorityQueue). */
export function disjunction(subs: Scorer[], minShouldMatch = 1, tieBreaker = -1): Scorer {
  return subs.length > 8 ? new HeapDisjunctionScorer(subs, minShouldMatch, tieBreaker) : new DisjunctionScorer(subs, minShouldMatch, tieBreaker);
}

import { IntervalIterator, IntervalQueue, NO_MORE_INTERVALS } from './interval-iterator.js';

/**
 * The interval iterators Lucene's sources combine their sub-iterators with, one document at a
 * time (the algorithms of Lucene's `org.apache.lucene.queries.intervals`, minimal-interval
 * semantics). Each constructor does what Lucene's `reset()` does when the iterators reach a doc.
 */

/** BLOCK (a phrase): each sub-interval starts right after the previous one ends. */
export class BlockIterator extends IntervalIterator {
  private s = -1;
  private e = -1;
  constructor(private readonly subs: IntervalIterator[]) {
    super();
  }
  start(): number {
    return this.s;
  }
  end(): number {
    return this.e;
  }
  gaps(): number {
    return 0;
  }
  nextInterval(): number {
    const subs = this.subs;
    const at = (i: number) => subs[i] as IntervalIterator;
    if (at(0).nextInterval() === NO_MORE_INTERVALS) return (this.s = this.e = NO_MORE_INTERVALS);
    let i = 1;
    while (i < subs.length) {
      while (at(i).start() <= at(i - 1).end()) {
        if (at(i).nextInterval() === NO_MORE_INTERVALS) return (this.s = this.e = NO_MORE_INTERVALS);
      }
      if (at(i).start() === at(i - 1).end() + 1) {
        i++;
      } else {
        if (at(0).nextInterval() === NO_MORE_INTERVALS) return (this.s = this.e = NO_MORE_INTERVALS);
        i = 1;
      }
    }
    this.s = at(0).start();
    this.e = at(subs.length - 1).end();
    return this.s;
  }
}

/** ORDERED: the sub-intervals in order, not overlapping, minimized. */
export class OrderedIterator extends IntervalIterator {
  private s = -1;
  private e = -1;
  private slop = -1;
  constructor(private readonly subs: IntervalIterator[]) {
    super();
    (subs[0] as IntervalIterator).nextInterval();
  }
  start(): number {
    return this.s;
  }
  end(): number {
    return this.e;
  }
  gaps(): number {
    return this.slop;
  }
  nextInterval(): number {
    const subs = this.subs;
    const at = (i: number) => subs[i] as IntervalIterator;
    this.s = this.e = this.slop = NO_MORE_INTERVALS;
    let lastStart = NO_MORE_INTERVALS;
    let minimizing = false;
    let i = 1;
    for (;;) {
      for (;;) {
        if (at(i - 1).end() >= lastStart) return this.s;
        if (i === subs.length || (minimizing && at(i).start() > at(i - 1).end())) break;
        do {
          if (at(i).end() >= lastStart || at(i).nextInterval() === NO_MORE_INTERVALS) return this.s;
        } while (at(i).start() <= at(i - 1).end());
        i++;
      }
      this.s = at(0).start();
      if (this.s === NO_MORE_INTERVALS) return (this.e = NO_MORE_INTERVALS);
      this.e = at(subs.length - 1).end();
      let slop = this.e - this.s + 1;
      for (const sub of subs) slop -= sub.width();
      this.slop = slop;
      lastStart = at(subs.length - 1).start();
      i = 1;
      if (at(0).nextInterval() === NO_MORE_INTERVALS) return this.s;
      minimizing = true;
    }
  }
}

/** UNORDERED: every sub-interval in any order (they may overlap), minimized. */
export class UnorderedIterator extends IntervalIterator {
  private readonly queue: IntervalQueue;
  private s = -1;
  private e = -1;
  private slop = 0;
  private queueEnd = -1;
  constructor(private readonly subs: IntervalIterator[]) {
    super();
    this.queue = new IntervalQueue(subs.length, (a, b) => a.start() < b.start() || (a.start() === b.start() && a.end() >= b.end()));
    for (const it of subs) {
      if (it.nextInterval() === NO_MORE_INTERVALS) break;
      this.queue.add(it);
      this.updateRightExtreme(it);
    }
  }
  start(): number {
    return this.s;
  }
  end(): number {
    return this.e;
  }
  gaps(): number {
    return this.slop;
  }
  private updateRightExtreme(it: IntervalIterator): void {
    if (it.end() > this.queueEnd) this.queueEnd = it.end();
  }
  nextInterval(): number {
    const q = this.queue;
    const n = this.subs.length;
    while (q.size() === n && q.top().start() === this.s) {
      const it = q.pop();
      if (it && it.nextInterval() !== NO_MORE_INTERVALS) {
        q.add(it);
        this.updateRightExtreme(it);
      }
    }
    if (q.size() < n) return (this.s = this.e = NO_MORE_INTERVALS);
    do {
      this.s = q.top().start();
      this.e = this.queueEnd;
      let slop = this.width();
      for (const it of this.subs) slop -= it.width();
      this.slop = slop;
      if (q.top().end() === this.e) return this.s;
      const it = q.pop();
      if (it && it.nextInterval() !== NO_MORE_INTERVALS) {
        q.add(it);
        this.updateRightExtreme(it);
      }
    } while (q.size() === n && this.e === this.queueEnd);
    return this.s;
  }
}

const EMPTY = -1;
const EXHAUSTED = -2;

/** OR: the sub-intervals in order of end (narrowest first), skipping those containing the last one returned. */
export class DisjunctionIterator extends IntervalIterator {
  private readonly queue: IntervalQueue;
  private current: IntervalIterator | typeof EMPTY | typeof EXHAUSTED = EMPTY;
  constructor(subs: IntervalIterator[]) {
    super();
    this.queue = new IntervalQueue(subs.length, (a, b) => a.end() < b.end() || (a.end() === b.end() && a.start() >= b.start()));
    for (const it of subs) {
      it.nextInterval();
      this.queue.add(it);
    }
  }
  start(): number {
    const c = this.current;
    return c === EMPTY ? -1 : c === EXHAUSTED ? NO_MORE_INTERVALS : c.start();
  }
  end(): number {
    const c = this.current;
    return c === EMPTY ? -1 : c === EXHAUSTED ? NO_MORE_INTERVALS : c.end();
  }
  gaps(): number {
    const c = this.current;
    return typeof c === 'number' ? 0 : c.gaps();
  }
  nextInterval(): number {
    const q = this.queue;
    if (this.current === EMPTY || this.current === EXHAUSTED) {
      if (q.size() > 0) this.current = q.top();
      return this.start();
    }
    const s = this.current.start();
    const e = this.current.end();
    while (q.size() > 0 && contains(q.top(), s, e)) {
      const it = q.pop();
      if (it && it.nextInterval() !== NO_MORE_INTERVALS) q.add(it);
    }
    if (q.size() === 0) {
      this.current = EXHAUSTED;
      return NO_MORE_INTERVALS;
    }
    this.current = q.top();
    return this.current.start();
  }
}

const contains = (it: IntervalIterator, s: number, e: number): boolean => s >= it.start() && s <= it.end() && e >= it.start() && e <= it.end();

/** A sub-iterator's intervals that `accept` keeps (MAXGAPS). */
export class FilterIterator extends IntervalIterator {
  constructor(
    private readonly inner: IntervalIterator,
    private readonly accept: (it: IntervalIterator) => boolean,
  ) {
    super();
  }
  start(): number {
    return this.inner.start();
  }
  end(): number {
    return this.inner.end();
  }
  gaps(): number {
    return this.inner.gaps();
  }
  nextInterval(): number {
    while (this.inner.nextInterval() !== NO_MORE_INTERVALS) if (this.accept(this.inner)) return this.inner.start();
    return NO_MORE_INTERVALS;
  }
}

/** EXTEND: the sub-intervals widened by `before` and `after` positions (gaps are the sub-iterator's). */
export class ExtendedIterator extends IntervalIterator {
  private positioned = false;
  constructor(
    private readonly inner: IntervalIterator,
    private readonly before: number,
    private readonly after: number,
  ) {
    super();
  }
  start(): number {
    if (!this.positioned) return -1;
    const s = this.inner.start();
    return s === NO_MORE_INTERVALS ? NO_MORE_INTERVALS : Math.max(0, s - this.before);
  }
  end(): number {
    if (!this.positioned) return -1;
    const e = this.inner.end();
    if (e === NO_MORE_INTERVALS) return NO_MORE_INTERVALS;
    const x = e + this.after;
    // Java int overflow saturates one below NO_MORE_INTERVALS
    return x >= NO_MORE_INTERVALS ? NO_MORE_INTERVALS - 1 : x;
  }
  gaps(): number {
    return this.inner.gaps();
  }
  nextInterval(): number {
    this.positioned = true;
    this.inner.nextInterval();
    return this.start();
  }
}

/** PRECEDING / FOLLOWING: the one position before or after each sub-interval (before/after filters). */
export class OffsetIterator extends IntervalIterator {
  constructor(
    private readonly inner: IntervalIterator,
    private readonly before: boolean,
  ) {
    super();
  }
  start(): number {
    if (this.before) {
      const pos = this.inner.start();
      if (pos === -1) return -1;
      if (pos === NO_MORE_INTERVALS) return NO_MORE_INTERVALS;
      return Math.max(0, pos - 1);
    }
    const end = this.inner.end();
    if (end === -1) return -1;
    if (end === NO_MORE_INTERVALS) return NO_MORE_INTERVALS;
    return end + 1 === NO_MORE_INTERVALS ? NO_MORE_INTERVALS - 1 : end + 1;
  }
  end(): number {
    return this.start();
  }
  gaps(): number {
    return 0;
  }
  nextInterval(): number {
    this.inner.nextInterval();
    return this.start();
  }
}

/**
 * RepeatingIntervalsSource's iterator: `copies` consecutive intervals of one source taken as
 * one (a term repeated in an ordered or unordered rule), its width the sum of theirs as Lucene
 * computes it.
 */
export class DuplicateIterator extends IntervalIterator {
  private readonly cache: Int32Array;
  private base = 0;
  private started = false;
  private exhausted = false;
  constructor(
    private readonly inner: IntervalIterator,
    private readonly copies: number,
  ) {
    super();
    this.cache = new Int32Array(copies * 2).fill(-1);
  }
  start(): number {
    return this.exhausted ? NO_MORE_INTERVALS : (this.cache[(this.base % this.copies) * 2] as number);
  }
  end(): number {
    return this.exhausted ? NO_MORE_INTERVALS : (this.cache[((this.base + this.copies - 1) % this.copies) * 2 + 1] as number);
  }
  override width(): number {
    let w = 0;
    for (let i = 0; i < this.copies; i++) {
      const pos = (this.base + i) % this.copies;
      // Lucene's DuplicateIntervalIterator.width() subtracts end from start, kept as it is
      w += (this.cache[pos * 2] as number) - (this.cache[pos * 2 + 1] as number) + 1;
    }
    return w;
  }
  gaps(): number {
    return this.end() - this.start() + 1 - this.width();
  }
  nextInterval(): number {
    if (this.exhausted) return NO_MORE_INTERVALS;
    if (!this.started) {
      for (let i = 0; i < this.copies; i++) if (this.cacheNext(i) === NO_MORE_INTERVALS) return NO_MORE_INTERVALS;
      this.base = 0;
      this.started = true;
      return this.start();
    }
    const insert = this.base % this.copies;
    this.base = (this.base + 1) % this.copies;
    return this.cacheNext(insert);
  }
  private cacheNext(slot: number): number {
    if (this.inner.nextInterval() === NO_MORE_INTERVALS) {
      this.exhausted = true;
      return NO_MORE_INTERVALS;
    }
    this.cache[slot * 2] = this.inner.start();
    this.cache[slot * 2 + 1] = this.inner.end();
    return this.start();
  }
}

/** The relations between a source `a` and a reference `b` (ES's interval filters). */
export const RELATIONS = ['containing', 'contained_by', 'overlapping', 'not_containing', 'not_contained_by', 'not_overlapping'] as const;
export type Relation = (typeof RELATIONS)[number];

/**
 * `a`'s intervals in a relation to `b`'s. The positive relations (Lucene's
 * FilteringIntervalIterator) need `b` to have an interval in the doc; the negative ones
 * (RelativeIterator) return all of `a` when `b` is absent (`b` null).
 */
export class RelationIterator extends IntervalIterator {
  private bpos: boolean;
  constructor(
    private readonly relation: Relation,
    private readonly a: IntervalIterator,
    private readonly b: IntervalIterator | null,
  ) {
    super();
    this.bpos = b !== null && (this.negative() || b.nextInterval() !== NO_MORE_INTERVALS);
  }
  private negative(): boolean {
    return this.relation.startsWith('not_');
  }
  start(): number {
    return !this.negative() && !this.bpos ? NO_MORE_INTERVALS : this.a.start();
  }
  end(): number {
    return !this.negative() && !this.bpos ? NO_MORE_INTERVALS : this.a.end();
  }
  gaps(): number {
    return this.a.gaps();
  }
  nextInterval(): number {
    const a = this.a;
    if (!this.bpos) return this.negative() ? a.nextInterval() : NO_MORE_INTERVALS;
    const b = this.b as IntervalIterator;
    switch (this.relation) {
      case 'containing':
        while (a.nextInterval() !== NO_MORE_INTERVALS) {
          while (b.start() < a.start() && b.end() < a.end()) if (b.nextInterval() === NO_MORE_INTERVALS) return NO_MORE_INTERVALS;
          if (a.start() <= b.start() && a.end() >= b.end()) return a.start();
        }
        return NO_MORE_INTERVALS;
      case 'contained_by':
        while (a.nextInterval() !== NO_MORE_INTERVALS) {
          while (b.end() < a.end()) if (b.nextInterval() === NO_MORE_INTERVALS) return this.lostB();
          if (b.start() <= a.start()) return a.start();
        }
        return this.lostB();
      case 'overlapping':
        while (a.nextInterval() !== NO_MORE_INTERVALS) {
          while (b.end() < a.start()) if (b.nextInterval() === NO_MORE_INTERVALS) return this.lostB();
          if (b.start() <= a.end()) return a.start();
        }
        return this.lostB();
      case 'not_containing':
        while (a.nextInterval() !== NO_MORE_INTERVALS) {
          while (b.start() < a.start() && b.end() < a.end()) {
            if (b.nextInterval() === NO_MORE_INTERVALS) {
              this.bpos = false;
              return a.start();
            }
          }
          if (b.start() > a.end()) return a.start();
        }
        return NO_MORE_INTERVALS;
      case 'not_contained_by':
        while (a.nextInterval() !== NO_MORE_INTERVALS) {
          while (b.end() < a.end()) if (b.nextInterval() === NO_MORE_INTERVALS) return a.start();
          if (a.start() < b.start()) return a.start();
        }
        return NO_MORE_INTERVALS;
      case 'not_overlapping':
        while (a.nextInterval() !== NO_MORE_INTERVALS) {
          while (b.end() < a.start()) {
            if (b.nextInterval() === NO_MORE_INTERVALS) {
              this.bpos = false;
              return a.start();
            }
          }
          if (b.start() > a.end()) return a.start();
        }
        return NO_MORE_INTERVALS;
    }
  }
  private lostB(): number {
    this.bpos = false;
    return NO_MORE_INTERVALS;
  }
}

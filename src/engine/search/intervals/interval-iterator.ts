import { LucenePriorityQueue } from '../lucene-priority-queue.js';
/**
 * Lucene's IntervalIterator, for one document at a time: `start()`/`end()` are -1 before the
 * first `nextInterval()`, NO_MORE_INTERVALS once exhausted. An iterator is built fresh for each
 * document (Lucene resets its iterators when they move to a new document), so every iterator
 * here starts in the state Lucene's `reset()` leaves it in.
 */
export const NO_MORE_INTERVALS = 0x7fffffff;

export abstract class IntervalIterator {
  abstract start(): number;
  abstract end(): number;
  /** Positions inside the interval not covered by its sub-intervals. */
  abstract gaps(): number;
  /** Moves to the next interval; returns its start, or NO_MORE_INTERVALS. */
  abstract nextInterval(): number;
  width(): number {
    return this.end() - this.start() + 1;
  }
}

/** The positions of one term in one document, each a one-position interval. */
export class TermIntervalIterator extends IntervalIterator {
  private i = -1;
  private pos = -1;
  constructor(private readonly positions: Int32Array) {
    super();
  }
  start(): number {
    return this.pos;
  }
  end(): number {
    return this.pos;
  }
  gaps(): number {
    return 0;
  }
  nextInterval(): number {
    this.i++;
    this.pos = this.i < this.positions.length ? (this.positions[this.i] as number) : NO_MORE_INTERVALS;
    return this.pos;
  }
}

/** Lucene's PriorityQueue of interval iterators (ties break as Lucene breaks them). */
export class IntervalQueue extends LucenePriorityQueue<IntervalIterator> {}

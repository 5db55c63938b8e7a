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

/**
 * Lucene's PriorityQueue (a 1-based binary heap; `lessThan` decides the top), kept literal so
 * that ties between iterators break as Lucene breaks them.
 */
export class IntervalQueue {
  private readonly heap: Array<IntervalIterator | undefined>;
  private n = 0;
  constructor(
    maxSize: number,
    private readonly lessThan: (a: IntervalIterator, b: IntervalIterator) => boolean,
  ) {
    this.heap = new Array<IntervalIterator | undefined>(maxSize + 1);
  }
  size(): number {
    return this.n;
  }
  clear(): void {
    this.heap.fill(undefined);
    this.n = 0;
  }
  top(): IntervalIterator {
    return this.heap[1] as IntervalIterator;
  }
  add(it: IntervalIterator): void {
    this.n++;
    this.heap[this.n] = it;
    this.upHeap(this.n);
  }
  pop(): IntervalIterator | undefined {
    if (this.n === 0) return undefined;
    const result = this.heap[1];
    this.heap[1] = this.heap[this.n];
    this.heap[this.n] = undefined;
    this.n--;
    this.downHeap(1);
    return result;
  }
  private upHeap(origPos: number): void {
    let i = origPos;
    const node = this.heap[i] as IntervalIterator;
    let j = i >>> 1;
    while (j > 0 && this.lessThan(node, this.heap[j] as IntervalIterator)) {
      this.heap[i] = this.heap[j];
      i = j;
      j = j >>> 1;
    }
    this.heap[i] = node;
  }
  private downHeap(i: number): void {
    const node = this.heap[i];
    if (node === undefined) return;
    let j = i << 1;
    let k = j + 1;
    if (k <= this.n && this.lessThan(this.heap[k] as IntervalIterator, this.heap[j] as IntervalIterator)) j = k;
    while (j <= this.n && this.lessThan(this.heap[j] as IntervalIterator, node)) {
      this.heap[i] = this.heap[j];
      i = j;
      j = i << 1;
      k = j + 1;
      if (k <= this.n && this.lessThan(this.heap[k] as IntervalIterator, this.heap[j] as IntervalIterator)) j = k;
    }
    this.heap[i] = node;
  }
}

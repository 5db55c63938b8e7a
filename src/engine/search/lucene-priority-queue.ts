/**
 * Lucene's PriorityQueue: a 1-based binary heap whose top is the least element by `lessThan`,
 * kept literal (upHeap and downHeap step for step) so that ties break as Lucene breaks them:
 * interval iterators and spans are ordered by it, and their match order decides scores and
 * explanations.
 */
export class LucenePriorityQueue<T> {
  private readonly heap: Array<T | undefined>;
  private n = 0;
  constructor(
    private readonly maxSize: number,
    private readonly lessThan: (a: T, b: T) => boolean,
  ) {
    this.heap = new Array<T | undefined>(maxSize + 1);
  }
  size(): number {
    return this.n;
  }
  clear(): void {
    this.heap.fill(undefined);
    this.n = 0;
  }
  top(): T {
    return this.heap[1] as T;
  }
  add(element: T): void {
    this.n++;
    this.heap[this.n] = element;
    this.upHeap(this.n);
  }
  /** Adds while there is room, else replaces the top when `element` is not less than it; returns what fell out (or undefined). */
  insertWithOverflow(element: T): T | undefined {
    if (this.n < this.maxSize) {
      this.add(element);
      return undefined;
    }
    if (this.n > 0 && !this.lessThan(element, this.heap[1] as T)) {
      const ret = this.heap[1] as T;
      this.heap[1] = element;
      this.updateTop();
      return ret;
    }
    return element;
  }
  /** Pops every element, largest first (Lucene's `for (i = size - 1; i >= 0; i--) list[i] = pop()`). */
  drainDescending(): T[] {
    const out = new Array<T>(this.n);
    for (let i = this.n - 1; i >= 0; i--) out[i] = this.pop() as T;
    return out;
  }
  pop(): T | undefined {
    if (this.n === 0) return undefined;
    const result = this.heap[1];
    this.heap[1] = this.heap[this.n];
    this.heap[this.n] = undefined;
    this.n--;
    this.downHeap(1);
    return result;
  }
  updateTop(): T {
    this.downHeap(1);
    return this.heap[1] as T;
  }
  private upHeap(origPos: number): void {
    let i = origPos;
    const node = this.heap[i] as T;
    let j = i >>> 1;
    while (j > 0 && this.lessThan(node, this.heap[j] as T)) {
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
    if (k <= this.n && this.lessThan(this.heap[k] as T, this.heap[j] as T)) j = k;
    while (j <= this.n && this.lessThan(this.heap[j] as T, node)) {
      this.heap[i] = this.heap[j];
      i = j;
      j = i << 1;
      k = j + 1;
      if (k <= this.n && this.lessThan(this.heap[k] as T, this.heap[j] as T)) j = k;
    }
    this.heap[i] = node;
  }
}

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
    maxSize: number,
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

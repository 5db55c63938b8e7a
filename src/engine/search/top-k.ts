/**
 * Bounded selection of the k best entries (by `before(a, b)`: a ranks before b) out of n,
 * with a binary heap whose root is the worst kept entry: O(n log k), k entries of memory.
 * Returns the selected entry indices in rank order.
 */
export function selectTopK(n: number, k: number, before: (a: number, b: number) => boolean, accept?: (i: number) => boolean): Int32Array {
  const cap = Math.min(k, n);
  if (cap <= 0) return new Int32Array(0);
  const heap = new Int32Array(cap);
  let size = 0;
  // heap order: parent ranks after (is worse than) its children
  const worse = (a: number, b: number): boolean => before(b, a);
  const siftUp = (pos: number): void => {
    const x = heap[pos] as number;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const p = heap[parent] as number;
      if (!worse(x, p)) break;
      heap[pos] = p;
      pos = parent;
    }
    heap[pos] = x;
  };
  const siftDown = (pos: number): void => {
    const x = heap[pos] as number;
    for (;;) {
      const l = 2 * pos + 1;
      if (l >= size) break;
      const r = l + 1;
      let c = l;
      if (r < size && worse(heap[r] as number, heap[l] as number)) c = r;
      const cv = heap[c] as number;
      if (!worse(cv, x)) break;
      heap[pos] = cv;
      pos = c;
    }
    heap[pos] = x;
  };
  for (let i = 0; i < n; i++) {
    if (accept && !accept(i)) continue;
    if (size < cap) {
      heap[size] = i;
      siftUp(size++);
    } else if (before(i, heap[0] as number)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  const out = Array.from(heap.subarray(0, size));
  out.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  return Int32Array.from(out);
}

import type { SegmentView } from '../contract.js';

/**
 * Block-join parents of nested documents at any level. A segment lays out every nested object
 * before the object that holds it (grandchildren, then their child, ..., then the top-level
 * document), so the parent of a doc at `comments.votes` within the nested path `comments` is the
 * first doc after it whose path is `comments`: Lucene's `parentBits.nextSetBit(child)` with the
 * parent filter of that path (ESToParentBlockJoinQuery, ParentChildrenBlockJoinQuery).
 */

/** Per segment and parent path: for each doc, the first doc at or after it with that path (-1: none before the block ends). */
const nextOfPath = new WeakMap<SegmentView, Map<string, Int32Array>>();

function table(seg: SegmentView, path: string): Int32Array {
  let byPath = nextOfPath.get(seg);
  if (!byPath) nextOfPath.set(seg, (byPath = new Map()));
  let next = byPath.get(path);
  if (next) return next;
  // one backward pass; a top-level doc ends a block, so no parent is found across blocks
  next = new Int32Array(seg.maxDoc);
  let last = -1;
  for (let d = seg.maxDoc - 1; d >= 0; d--) {
    const p = seg.nestedPath(d);
    if (p === undefined) last = -1;
    else if (p === path) last = d;
    next[d] = last;
  }
  byPath.set(path, next);
  return next;
}

/**
 * The parent of nested doc `doc` in the parent space `parentPath`: the nested object of that path
 * holding it, or the top-level document when `parentPath` is undefined.
 */
export function nestedParentOf(seg: SegmentView, doc: number, parentPath: string | undefined): number {
  if (parentPath === undefined) return seg.parentOf(doc);
  return table(seg, parentPath)[doc + 1 < seg.maxDoc ? doc + 1 : doc] ?? -1;
}

/** The nested paths from the outermost to `path` itself (`a`, `a.b` for `a.b` when both are nested). */
export function nestedChain(nestedPaths: readonly string[], path: string): string[] {
  return nestedPaths.filter((p) => p === path || path.startsWith(`${p}.`)).sort((a, b) => a.length - b.length);
}

import { EngineError } from '../../../errors.js';
import type { AggSpec, BucketType, DocSet } from '../agg-types.js';
import { fieldReaders } from '../values-source.js';
import { checkKeys, optString, requireField, xContentError } from './options.js';
import { OUTSIDE_NESTED, bucketSubs } from './subs.js';

/**
 * Single-bucket aggregations that change the DocSet: `missing` (docs without a value),
 * `global` (every doc of the target indexes, whatever the query), `nested` (the nested child
 * docs at a path of the docs in the bucket: Lucene block join keeps them right before their
 * parent) and `reverse_nested` (back to the parents, or to the enclosing nested level `path`).
 */

export const missingAgg: BucketType = {
  validate(spec) {
    checkKeys(spec, ['field', 'missing', 'script', 'value_type', 'format']);
    requireField(spec);
  },
  collect(spec, docs, ctx) {
    const readers = fieldReaders(docs, requireField(spec), 'millis');
    const pos: number[] = [];
    for (let i = 0; i < docs.count; i++) {
      const r = readers[docs.leaf[i] as number];
      const v = r ? r.values(docs.doc[i] as number) : undefined;
      if (!v || v.length === 0) pos.push(i);
    }
    return { typed: 'missing', result: { doc_count: pos.length, ...bucketSubs(spec, docs, pos, ctx) } };
  },
};

export const globalAgg: BucketType = {
  validate(spec) {
    checkKeys(spec, []);
  },
  collect(spec, _docs, ctx) {
    const all = ctx.allDocs();
    return { typed: 'global', result: { doc_count: all.count, ...(spec.subs.length > 0 ? ctx.runSubs(spec.subs, all) : {}) } };
  },
};

function nestedPath(spec: AggSpec, required: boolean): string | undefined {
  checkKeys(spec, ['path']);
  const path = optString(spec, 'path');
  if (path === undefined && required) throw xContentError(`[${spec.type}] failed to parse field [path]`, new EngineError(400, 'illegal_argument_exception', `[nested] requires path`));
  return path;
}

/** A DocSet from (leaf, doc) pairs collected in ascending order. */
function docSet(docs: DocSet, leaf: number[], doc: number[]): DocSet {
  const n = doc.length;
  return { leaves: docs.leaves, leaf: Int32Array.from(leaf), doc: Int32Array.from(doc), score: new Float32Array(n).fill(Number.NaN), count: n };
}

export const nestedAgg: BucketType = {
  validate(spec) {
    nestedPath(spec, true);
  },
  collect(spec, docs, ctx) {
    const path = nestedPath(spec, true) as string;
    let mapped = false;
    for (const st of ctx.exec.states) {
      const m = st.view.mapping;
      if (m.nestedPaths().includes(path)) mapped = true;
      else if (m.field(path) !== undefined || m.fieldPaths().some((f) => f.startsWith(`${path}.`))) {
        throw new EngineError(400, 'illegal_argument_exception', `[nested] nested path [${path}] is not nested`);
      }
    }
    const leafOut: number[] = [];
    const docOut: number[] = [];
    if (mapped) {
      const stack: number[] = [];
      for (let i = 0; i < docs.count; i++) {
        const li = docs.leaf[i] as number;
        const d = docs.doc[i] as number;
        const seg = (docs.leaves[li] as DocSet['leaves'][number]).segment;
        const own = seg.nestedPath(d);
        // children sit right before their parent (deepest first): walk down while inside d's block
        for (let j = d - 1; j >= 0; j--) {
          const p = seg.nestedPath(j);
          if (p === undefined) break;
          if (own === undefined ? seg.parentOf(j) !== d : !p.startsWith(`${own}.`)) break;
          if (p === path && seg.isLive(j)) stack.push(j);
        }
        while (stack.length > 0) {
          leafOut.push(li);
          docOut.push(stack.pop() as number);
        }
      }
    }
    const children = docSet(docs, leafOut, docOut);
    return { typed: 'nested', result: { doc_count: children.count, ...(spec.subs.length > 0 ? ctx.runSubs(spec.subs, children) : {}) } };
  },
};

export const reverseNestedAgg: BucketType = {
  validate(spec) {
    nestedPath(spec, false);
  },
  collect(spec, docs, ctx) {
    if (OUTSIDE_NESTED.has(spec)) {
      throw new EngineError(400, 'illegal_argument_exception', `Reverse nested aggregation [${spec.name}] can only be used inside a [nested] aggregation`);
    }
    const path = nestedPath(spec, false);
    const leafOut: number[] = [];
    const docOut: number[] = [];
    let lastLeaf = -1;
    let lastDoc = -1;
    for (let i = 0; i < docs.count; i++) {
      const li = docs.leaf[i] as number;
      const d = docs.doc[i] as number;
      const seg = (docs.leaves[li] as DocSet['leaves'][number]).segment;
      let parent: number;
      if (path === undefined) parent = seg.parentOf(d);
      else {
        // the enclosing nested doc at `path` is the first doc of that path after d (ancestors follow their children)
        parent = -1;
        for (let j = d + 1; j < seg.maxDoc; j++) {
          const p = seg.nestedPath(j);
          if (p === undefined) break;
          if (p === path) {
            parent = j;
            break;
          }
        }
        if (parent === -1) {
          throw new EngineError(400, 'illegal_argument_exception', `Reverse nested aggregation [${spec.name}] path [${path}] is not an enclosing nested path`);
        }
      }
      if (li === lastLeaf && parent === lastDoc) continue;
      lastLeaf = li;
      lastDoc = parent;
      leafOut.push(li);
      docOut.push(parent);
    }
    const parents = docSet(docs, leafOut, docOut);
    return { typed: 'reverse_nested', result: { doc_count: parents.count, ...(spec.subs.length > 0 ? ctx.runSubs(spec.subs, parents) : {}) } };
  },
};

import { parsingError, tokenOf } from '../../../errors.js';
import { joinerOf } from '../../../index/mapping/join-field.js';
import type { AggSpec, BucketType, DocSet } from '../agg-types.js';

/**
 * `children` and `parent` (the parent-join module's ParentToChildrenAggregator and
 * ChildrenToParentAggregator, both a ParentJoinAggregator): the bucket's documents of one side of
 * a relation give their link values (`<join>#<parent>`, per shard), then every live document of
 * the other side in the shard with one of those values is collected, whatever the query, once,
 * in doc order, with a score of 1. An index without the relation (or without a join field) gives
 * an empty bucket.
 */

/** ChildrenAggregationBuilder.parse / ParentAggregationBuilder.parse: `{type: "<child relation>"}`. */
function childType(spec: AggSpec): string {
  let type: string | undefined;
  for (const [key, v] of Object.entries(spec.body)) {
    if (typeof v !== 'string') throw parsingError(`Unexpected token ${tokenOf(v)} in [${spec.name}].`);
    if (key !== 'type') throw parsingError(`Unknown key for a VALUE_STRING in [${spec.name}]: [${key}].`);
    type = v;
  }
  if (type === undefined) throw parsingError(`Missing [child_type] field for ${spec.type} aggregation [${spec.name}]`);
  return type;
}

/** The join of one relation's side `from` to its side `to` (`children`: parent -> child; `parent`: child -> parent). */
function joined(docs: DocSet, all: DocSet, type: string, toChildren: boolean): DocSet {
  const keys = new Set<string>();
  /** The link value of a doc of the `from` (or `to`) side, keyed by its shard; undefined when it is not of that side. */
  const linkOf = (set: DocSet, i: number, fromSide: boolean): string | undefined => {
    const leaf = set.leaves[set.leaf[i] as number];
    if (!leaf) return undefined;
    const joiner = joinerOf(leaf.view.mapping);
    const parent = joiner?.parentOf(type);
    if (!joiner || parent === undefined) return undefined;
    const doc = set.doc[i] as number;
    const relation = leaf.segment.keywordValues(joiner.field, doc)?.[0];
    if (relation !== (fromSide === toChildren ? parent : type)) return undefined;
    const value = leaf.segment.keywordValues(joiner.parentJoinField(type), doc)?.[0];
    return value === undefined ? undefined : `${leaf.target}\u0000${value}`;
  };
  for (let i = 0; i < docs.count; i++) {
    const key = linkOf(docs, i, true);
    if (key !== undefined) keys.add(key);
  }
  const leaf: number[] = [];
  const doc: number[] = [];
  if (keys.size > 0) {
    for (let i = 0; i < all.count; i++) {
      const key = linkOf(all, i, false);
      if (key === undefined || !keys.has(key)) continue;
      leaf.push(all.leaf[i] as number);
      doc.push(all.doc[i] as number);
    }
  }
  // the sub-aggregations are replayed with a score of 1 (ParentJoinAggregator's Scorable)
  return { leaves: all.leaves, leaf: Int32Array.from(leaf), doc: Int32Array.from(doc), score: new Float32Array(doc.length).fill(1), count: doc.length };
}

function joinAgg(toChildren: boolean): BucketType {
  return {
    validate(spec) {
      childType(spec);
    },
    collect(spec, docs, ctx) {
      const out = joined(docs, ctx.allDocs(), childType(spec), toChildren);
      return { typed: spec.type, result: { doc_count: out.count, ...(spec.subs.length > 0 ? ctx.runSubs(spec.subs, out) : {}) } };
    },
  };
}

export const childrenAgg: BucketType = joinAgg(true);
export const parentAgg: BucketType = joinAgg(false);

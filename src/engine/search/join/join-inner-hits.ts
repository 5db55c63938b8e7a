import type { SearchParams, SearchTarget } from '../../contract.js';
import { EngineError } from '../../errors.js';
import { joinerOf } from '../../index/mapping/join-field.js';
import type { Execution } from '../executor.js';
import type { InnerHitSpec } from '../inner-hits.js';
import type { Leaf } from '../match-set.js';
import type { Query } from '../query.js';

/**
 * `inner_hits` of has_child and has_parent (ParentChildInnerHitContextBuilder): for each hit, a
 * search of its own on the hit's shard with the inner hit's options: the has_child query's inner
 * query restricted to the children of the hit (`<join>#<parent>` is the hit's `_id`, the relation
 * is the child's), or the has_parent query's inner query restricted to the hit's parent (`_id` is
 * the hit's link value). The inner query scores as it does in the search (same shard, same
 * statistics); a hit that is no side of the relation gets no inner hits.
 */

interface Definition {
  name: string;
  /** has_child (the hit's children) or has_parent (the hit's parent). */
  children: boolean;
  /** The child relation (has_child) or the parent relation (has_parent). */
  type: string;
  queryJson: unknown;
  spec: InnerHitSpec;
  ignoreUnmapped: boolean;
}

/** The join queries with inner_hits in a query (extractInnerHitBuilders: through compound queries, not into a nested or join query). */
function collect(q: Query, out: Definition[]): void {
  switch (q.kind) {
    case 'bool':
      for (const c of [...q.must, ...q.should, ...q.filter, ...q.mustNot]) collect(c, out);
      return;
    case 'constant_score':
      return collect(q.filter, out);
    case 'dis_max':
      for (const c of q.queries) collect(c, out);
      return;
    case 'boosting':
      collect(q.positive, out);
      return collect(q.negative, out);
    case 'function_score':
    case 'script_score':
      return collect(q.query, out);
    case 'has_child':
    case 'has_parent': {
      if (!q.innerHits) return;
      const type = q.kind === 'has_child' ? q.type : q.parentType;
      const name = q.innerHits.name ?? type;
      if (out.some((d) => d.name === name)) throw new EngineError(400, 'illegal_argument_exception', `[inner_hits] already contains an entry for key [${name}]`);
      out.push({ name, children: q.kind === 'has_child', type, queryJson: q.queryJson, spec: q.innerHits, ignoreUnmapped: q.ignoreUnmapped });
      return;
    }
    default:
      return;
  }
}

/** The inner hit definitions of a search (its query and post_filter). */
export function joinInnerHitDefinitions(query: Query, postFilter: Query | undefined): Definition[] {
  const out: Definition[] = [];
  collect(query, out);
  if (postFilter) collect(postFilter, out);
  return out;
}

/** The query of one hit's inner hits, or undefined when the hit's index has no join field. */
function innerQuery(def: Definition, leaf: Leaf, doc: number): Record<string, unknown> | undefined {
  const joiner = joinerOf(leaf.view.mapping);
  if (!joiner) {
    if (def.ignoreUnmapped) return undefined;
    throw new EngineError(500, 'illegal_state_exception', 'no join field has been configured');
  }
  const seg = leaf.segment;
  const none = { match_none: {} };
  if (seg.keywordValues(joiner.field, doc)?.[0] === undefined) return none;
  if (def.children) {
    const filter = [{ term: { [joiner.parentJoinField(def.type)]: seg.id(doc) } }, { term: { [joiner.field]: def.type } }];
    return { bool: { must: [def.queryJson], filter } };
  }
  const parentId = seg.keywordValues(joiner.childJoinField(def.type), doc)?.[0];
  if (parentId === undefined) return none;
  return { bool: { must: [def.queryJson], filter: [{ ids: { values: [parentId] } }] } };
}

/** The inner hit's options as a search body; it highlights with the inner query alone, as InnerHitSubContext does (not the hit filter). */
function bodyOf(def: Definition): Record<string, unknown> {
  const highlight = def.spec.body.highlight;
  if (typeof highlight !== 'object' || highlight === null || Array.isArray(highlight) || 'highlight_query' in highlight) return def.spec.body;
  return { ...def.spec.body, highlight: { ...highlight, highlight_query: def.queryJson } };
}

export type ShardSearch = (target: SearchTarget, body: Record<string, unknown>, params: SearchParams) => Record<string, unknown>;

/** Adds the join inner hits to the page's hits (after the nested ones, as ES orders its definitions by query). */
export function addJoinInnerHits(exec: Execution, hits: Array<{ hit: Record<string, unknown>; hitIndex: number }>, search: ShardSearch): void {
  const { req } = exec;
  const defs = joinInnerHitDefinitions(req.query, req.postFilter);
  if (defs.length === 0) return;
  for (const st of exec.states) {
    const max = Number(st.view.setting?.('index.max_inner_result_window') ?? 100);
    for (const def of defs) {
      if (def.spec.from + def.spec.size > max) {
        throw new EngineError(
          400,
          'illegal_argument_exception',
          `Inner result window is too large, the inner hit definition's [${def.name}]'s from + size must be less than or equal to: [${max}] but was [${def.spec.from + def.spec.size}]. This limit can be set by changing the [index.max_inner_result_window] index level setting.`,
        );
      }
    }
  }
  // one shard's fetch sub-phase: never a cached shard request of its own
  const params: SearchParams = { request_cache: false, ...(req.totalHitsAsInt ? { rest_total_hits_as_int: true } : {}) };
  for (const { hit, hitIndex } of hits) {
    const m = exec.hitIdx[hitIndex] as number;
    const leaf = exec.leaves[exec.matches.leaf[m] as number] as Leaf;
    const doc = exec.matches.doc[m] as number;
    const target = exec.states[leaf.target]?.target;
    if (!target) continue;
    const inner: Record<string, unknown> = {};
    for (const def of defs) {
      const query = innerQuery(def, leaf, doc);
      if (query === undefined) continue;
      const response = search(target, { ...bodyOf(def), track_total_hits: true, query }, params);
      inner[def.name] = { hits: response.hits };
    }
    if (Object.keys(inner).length > 0) hit.inner_hits = { ...(hit.inner_hits as Record<string, unknown> | undefined), ...inner };
  }
}

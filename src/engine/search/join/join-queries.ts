import type { IndexView, SegmentView } from '../../contract.js';
import { EngineError, unsupported } from '../../errors.js';
import { joinerOf } from '../../index/mapping/join-field.js';
import type { Joiner } from '../../index/mapping/join-field.js';
import { NONE } from '../primitive.js';
import type { Primitive } from '../primitive.js';
import type { HasChildQuery, HasParentQuery, JoinScoreMode, ParentIdQuery, Query } from '../query.js';
import type { RewriteContext } from '../rewrite-context.js';
import { NO_MORE_DOCS } from '../scorer.js';
import { WeightContext, createWeight } from '../weight.js';

/**
 * has_child, has_parent and parent_id for one shard, as HasChildQueryBuilder.LateParsingQuery and
 * Lucene's JoinUtil.createJoinQuery (global ordinals) run them: the `from` query (the inner query
 * filtered to one relation) is searched over the whole shard and every match's link value
 * (`<join>#<parent>`) collected, with its count and its scores combined by the score mode (float
 * arithmetic, in collection order); then the `to` documents (the other side of the relation) whose
 * own link value was collected match, scored with that value's combined score times the boost.
 * Without a score mode (and without min/max children) the match scores the boost.
 */

type Rewrite = (q: Query, ctx: RewriteContext) => Primitive;

const term = (field: string, value: string): Query => ({ kind: 'term', field, value, caseInsensitive: false, boost: 1 });

/** `query` filtered to the documents of one relation (Queries.filtered). */
function filtered(query: Query, joinField: string, relation: string): Query {
  return { kind: 'bool', must: [query], should: [], filter: [term(joinField, relation)], mustNot: [], boost: 1 };
}

/** A link value's collected children (or parent): how many, and their combined score. */
interface Collected {
  count: number;
  score: number;
}

/** GlobalOrdinalsWithScoreCollector: the `from` matches of the shard, by link value. */
function collect(shard: IndexView, from: Primitive, field: string, mode: JoinScoreMode): Map<string, Collected> {
  // LateParsingQuery searches with an IndexSearcher of its own: the shard's statistics, even under dfs_query_then_fetch
  const view = shard.localView ?? shard;
  const wctx = new WeightContext(view, (reason, type = 'query_shard_exception') => new EngineError(400, type, reason, { index_uuid: view.uuid, index: view.index }));
  const weight = createWeight(from, wctx, mode !== 'none');
  const out = new Map<string, Collected>();
  for (const seg of view.segments) {
    const scorer = weight.scorer(seg);
    if (!scorer) continue;
    for (let d = scorer.nextDoc(); d !== NO_MORE_DOCS; d = scorer.nextDoc()) {
      if (!seg.isLive(d)) continue;
      const value = seg.keywordValues(field, d)?.[0];
      if (value === undefined) continue;
      const score = mode === 'none' ? 0 : Math.fround(scorer.score());
      const seen = out.get(value);
      if (!seen) out.set(value, { count: 1, score });
      else {
        seen.count++;
        if (mode === 'sum' || mode === 'avg') seen.score = Math.fround(seen.score + score);
        else if (mode === 'max') seen.score = Math.max(seen.score, score);
        else if (mode === 'min') seen.score = Math.min(seen.score, score);
      }
    }
  }
  return out;
}

interface JoinSpec {
  label: string;
  from: Primitive;
  /** The link field both sides share. */
  field: string;
  /** The relations of the `to` documents. */
  toRelations: readonly string[];
  mode: JoinScoreMode;
  min: number;
  max: number;
  boost: number;
}

/** JoinUtil.createJoinQuery as a set of docs per segment, scored per doc. */
function joinPrimitive(view: IndexView, joiner: Joiner, spec: JoinSpec): Primitive {
  let collected: Map<string, Collected> | undefined;
  const matches = (): Map<string, Collected> => (collected ??= collect(view, spec.from, spec.field, spec.mode));
  const doMinMax = spec.min > 1 || spec.max < 2147483647;
  const accepts = (c: Collected | undefined): c is Collected => c !== undefined && (!doMinMax || (c.count >= spec.min && c.count <= spec.max));
  const linked = (seg: SegmentView, d: number): Collected | undefined => {
    const relation = seg.keywordValues(joiner.field, d)?.[0];
    if (relation === undefined || !spec.toRelations.includes(relation)) return undefined;
    const value = seg.keywordValues(spec.field, d)?.[0];
    return value === undefined ? undefined : matches().get(value);
  };
  return {
    op: 'docs',
    boost: spec.boost,
    label: spec.label,
    match: (seg) => {
      if (matches().size === 0) return new Int32Array(0);
      const out: number[] = [];
      for (let d = 0; d < seg.maxDoc; d++) if (accepts(linked(seg, d))) out.push(d);
      return Int32Array.from(out);
    },
    // GlobalOrdinalsQuery / GlobalOrdinalsWithScoreQuery explain: the doc's join value (the scored one with its boost)
    describe: (seg, doc) => `A match, join value ${seg.keywordValues(spec.field, doc)?.[0] ?? ''}`,
    describeBoost: spec.mode !== 'none' || doMinMax,
    score: (seg) => (doc, boost) => {
      const c = linked(seg, doc);
      if (!c || spec.mode === 'none') return boost;
      const value = spec.mode === 'avg' ? Math.fround(c.score / c.count) : c.score;
      return Math.fround(value * boost);
    },
  };
}

/** The joining queries walk top-level documents: inside a nested query they are refused, not answered. */
function checkJoining(ctx: RewriteContext, name: string): void {
  ctx.checkExpensive('joining');
  if (ctx.nestedPath !== undefined) throw unsupported(`${name} query inside nested query [${ctx.nestedPath}]`);
}

export function rewriteHasChild(q: HasChildQuery, ctx: RewriteContext, rewrite: Rewrite): Primitive {
  checkJoining(ctx, 'has_child');
  const joiner = joinerOf(ctx.view.mapping);
  if (!joiner) return q.ignoreUnmapped ? NONE : ctx.fail(`[has_child] no join field has been configured`);
  const parent = joiner.parentOf(q.type);
  if (parent === undefined) return q.ignoreUnmapped ? NONE : ctx.fail(`[has_child] join field [${joiner.field}] doesn't hold [${q.type}] as a child`);
  const from = rewrite(filtered(q.query, joiner.field, q.type), ctx);
  return joinPrimitive(ctx.view, joiner, {
    label: `has_child(${q.type})`,
    from,
    field: joiner.parentJoinField(q.type),
    toRelations: [parent],
    mode: q.scoreMode,
    min: q.minChildren,
    max: q.maxChildren,
    boost: q.boost,
  });
}

export function rewriteHasParent(q: HasParentQuery, ctx: RewriteContext, rewrite: Rewrite): Primitive {
  checkJoining(ctx, 'has_parent');
  const joiner = joinerOf(ctx.view.mapping);
  if (!joiner) return q.ignoreUnmapped ? NONE : ctx.fail(`[has_parent] no join field has been configured`);
  if (!joiner.isParent(q.parentType)) return q.ignoreUnmapped ? NONE : ctx.fail(`[has_parent] join field [${joiner.field}] doesn't hold [${q.parentType}] as a parent`);
  const from = rewrite(filtered(q.query, joiner.field, q.parentType), ctx);
  return joinPrimitive(ctx.view, joiner, {
    label: `has_parent(${q.parentType})`,
    from,
    field: joiner.childJoinField(q.parentType),
    toRelations: joiner.childrenOf(q.parentType),
    mode: q.score ? 'max' : 'none',
    min: 1,
    max: 2147483647,
    boost: q.boost,
  });
}

/** ParentIdQueryBuilder: a term on the link field (scored), filtered to the child relation. */
export function rewriteParentId(q: ParentIdQuery, ctx: RewriteContext, rewrite: Rewrite): Primitive {
  checkJoining(ctx, 'parent_id');
  const joiner = joinerOf(ctx.view.mapping);
  if (!joiner) return q.ignoreUnmapped ? NONE : ctx.fail(`[parent_id] no join field found for index [${ctx.view.index}]`);
  if (!joiner.isChild(q.type)) return q.ignoreUnmapped ? NONE : ctx.fail(`[parent_id] no relation found for child [${q.type}]`);
  const query: Query = { kind: 'bool', must: [term(joiner.parentJoinField(q.type), q.id)], should: [], filter: [term(joiner.field, q.type)], mustNot: [], boost: q.boost };
  return rewrite(query, ctx);
}

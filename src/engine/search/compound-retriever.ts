import type { SearchTarget } from '../contract.js';
import { unwrapped } from './constant-keyword.js';
import { executeSteps } from './executor.js';
import type { ExecuteOptions } from './executor.js';
import type { Leaf } from './match-set.js';
import { NONE } from './primitive.js';
import type { Primitive } from './primitive.js';
import type { KnnSelection, RankDocsQuery } from './query.js';
import type { RewriteContext } from './rewrite-context.js';
import { parseChildSearch } from './search-request.js';
import type { SearchRequest } from './search-request.js';

/**
 * A compound retriever (CompoundRetrieverBuilder.rewrite), run before the request's own query
 * phase: the child retriever's search (size the rank window, scores sorted, the `rescorer`
 * retriever's rescorers added by finalizeSourceBuilder) gives the rank docs with their scores, and
 * the request then searches those (RankDocsRetrieverBuilder.extractToSearchSourceBuilder): its
 * query scores each rank doc with its rank score and, when the request needs them, every other
 * match of the child with 0 (they count in the total and the aggregations, never reach the page), the page is cut to the rank docs
 * (`size` shrinks to rank docs - from), and a child `min_score` makes the request's own
 * `min_score` the smallest positive float, so the zero-scored matches drop out.
 *
 * Docs are kept by shard view, segment and doc number, so two docs with one `_id` (custom routing
 * on two shards) stay apart.
 */
export function* resolveCompound(targets: SearchTarget[], req: SearchRequest, opts: ExecuteOptions, extensionKeys: ReadonlySet<string>): Generator<void, void> {
  const plan = req.compound;
  if (!plan) return;
  const child = parseChildSearch(plan, { rescore: plan.rescore }, extensionKeys);
  yield* resolveCompound(targets, child, opts, extensionKeys);
  const exec = yield* executeSteps(targets, child, { ...opts, window: { size: child.from + child.size, scroll: false } });
  const docs: KnnSelection = new Map();
  const put = (m: number, score: number): void => {
    const leaf = exec.leaves[exec.matches.leaf[m] as number] as Leaf;
    const view = unwrapped(leaf.view);
    let bySeg = docs.get(view);
    if (!bySeg) docs.set(view, (bySeg = new Map()));
    const seg = unwrapped(leaf.segment);
    let byDoc = bySeg.get(seg);
    if (!byDoc) bySeg.set(seg, (byDoc = new Map()));
    byDoc.set(exec.matches.doc[m] as number, score);
  };
  const top = exec.top(plan.rankWindowSize);
  if (needsTail(req, top.length)) {
    for (let j = 0; j < exec.hitIdx.length; j++) {
      if (j % 4096 === 4095) yield;
      put(exec.hitIdx[j] as number, 0);
    }
  }
  for (const j of top) put(exec.hitIdx[j] as number, Math.fround(exec.hitScore(j)));
  req.query = { kind: 'rank_docs', docs, boost: 1 };
  req.size = Math.min(req.size, Math.max(0, top.length - req.from));
  if (plan.minScore !== undefined) req.minScore = plan.minScore;
  else if (plan.innerMinScore) req.minScore = MIN_FLOAT;
  delete req.compound;
}

/**
 * RankDocsRetrieverBuilder: the child's other matches join the rank docs only when the request
 * needs them: aggregations, explain, profile, or a total tracked past the rank docs (a nested
 * child's search tracks no total, so it reads the rank docs alone).
 */
function needsTail(req: SearchRequest, rankDocs: number): boolean {
  const tracked = req.trackTotalHits === true || (typeof req.trackTotalHits === 'number' && req.trackTotalHits > rankDocs);
  return tracked || req.extensions.aggs !== undefined || req.extensions.aggregations !== undefined || req.explain || req.profile === true;
}

/** Java's Float.MIN_VALUE. */
const MIN_FLOAT = 1.401298464324817e-45;

/** The rank docs of one shard as a query (rewrite.ts). */
export function rewriteRankDocs(q: RankDocsQuery, ctx: RewriteContext): Primitive {
  const selection = q.docs.get(unwrapped(ctx.view));
  if (!selection || selection.size === 0) return NONE;
  return {
    op: 'docs',
    boost: q.boost,
    label: 'RankDocsQuery',
    match: (seg) => Int32Array.from([...(selection.get(unwrapped(seg))?.keys() ?? [])].sort((a, b) => a - b)),
    score: (seg) => {
      const scores = selection.get(unwrapped(seg));
      return (doc, boost) => Math.fround((scores?.get(doc) ?? 0) * boost);
    },
  };
}

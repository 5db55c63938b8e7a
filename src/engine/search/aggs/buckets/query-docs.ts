import { EngineError } from '../../../errors.js';
import { searchSettingsOf } from '../../search-settings.js';
import { parseQuery } from '../../parse-query.js';
import type { Query } from '../../query.js';
import { rewrite } from '../../rewrite.js';
import { RewriteContext } from '../../rewrite-context.js';
import { drain } from '../../scorer.js';
import { WeightContext, createWeight } from '../../weight.js';
import type { Weight } from '../../weight.js';
import type { AggContext, DocSet } from '../agg-types.js';

/**
 * Runs a query DSL object over a DocSet, as the filter and filters aggregations do: the query
 * is rewritten per target index in filter context, its scorer drained once per segment into a
 * bitset (cached per request), and the DocSet's positions that hit the bitset kept.
 */

const parsed = new WeakMap<object, Query>();
const bitsets = new WeakMap<Query, Map<number, Uint8Array | null>>();

/** Parses (and memoises) a query of an aggregation body; throws the query parser's errors. */
export function aggQuery(json: unknown): Query {
  if (typeof json === 'object' && json !== null) {
    const hit = parsed.get(json);
    if (hit) return hit;
    const q = parseQuery(json);
    parsed.set(json, q);
    return q;
  }
  return parseQuery(json);
}

/** The docs of leaf `leafIdx` (of `docs.leaves`) that match `q`, as a bitset over its segment (null: none). */
export function matchesOf(q: Query, leafIdx: number, docs: DocSet, ctx: AggContext): Uint8Array | null {
  let perLeaf = bitsets.get(q);
  if (!perLeaf) {
    perLeaf = new Map();
    bitsets.set(q, perLeaf);
  }
  if (perLeaf.has(leafIdx)) return perLeaf.get(leafIdx) ?? null;
  const leaf = docs.leaves[leafIdx];
  if (!leaf) return null;
  const weights = weightsOf(q, ctx);
  const weight = weights.get(leaf.target);
  const scorer = weight ? weight.scorer(leaf.segment) : null;
  let bits: Uint8Array | null = null;
  if (scorer) {
    bits = new Uint8Array(leaf.segment.maxDoc);
    const hits = drain(scorer);
    for (let i = 0; i < hits.length; i++) bits[hits[i] as number] = 1;
  }
  perLeaf.set(leafIdx, bits);
  return bits;
}

const weightCache = new WeakMap<Query, Map<number, Weight>>();

function weightsOf(q: Query, ctx: AggContext): Map<number, Weight> {
  let m = weightCache.get(q);
  if (m) return m;
  m = new Map();
  ctx.exec.states.forEach((st, target) => {
    const view = st.view;
    const rctx = new RewriteContext(view, ctx.nowMs);
    const settings = searchSettingsOf(ctx.params);
    if (settings) {
      rctx.scripts = settings.scripts;
      rctx.allowExpensiveQueries = settings.allowExpensiveQueries;
    }
    const wctx = new WeightContext(view, (reason, type = 'query_shard_exception') =>
      new EngineError(400, type, reason, type === 'query_shard_exception' ? { index_uuid: view.uuid, index: view.index } : {}),
    );
    const prim = rctx.asFilter(() => rewrite(q, rctx));
    (m as Map<number, Weight>).set(target, createWeight(prim, wctx, false));
  });
  weightCache.set(q, m);
  return m;
}

/** Positions of `docs` that match `q`, ascending. */
export function matchingPositions(q: Query, docs: DocSet, ctx: AggContext): Int32Array {
  const out = new Int32Array(docs.count);
  let n = 0;
  let lastLeaf = -1;
  let bits: Uint8Array | null = null;
  for (let i = 0; i < docs.count; i++) {
    const li = docs.leaf[i] as number;
    if (li !== lastLeaf) {
      bits = matchesOf(q, li, docs, ctx);
      lastLeaf = li;
    }
    if (bits !== null && bits[docs.doc[i] as number] === 1) out[n++] = i;
  }
  return out.subarray(0, n);
}

import type { SearchTarget, SegmentView } from '../../contract.js';
import { illegalArgument } from '../../errors.js';
import { parseQuery } from '../parse-query.js';
import type { KnnQuery, KnnSelection, Query } from '../query.js';
import { rewrite } from '../rewrite.js';
import { RewriteContext } from '../rewrite-context.js';
import type { ScriptPolicy } from '../script/script-spec.js';
import { NUM_CANDS_LIMIT, parseKnn, shardTopK } from './knn-query.js';

/**
 * The top-level `knn` search option (KnnSearchBuilder, DFS phase): each shard finds its k nearest
 * documents, the coordinator keeps the k best over all shards (ties by shard, then doc), and each
 * shard's query becomes a bool `should` of the request's query and one query per knn search that
 * matches the kept documents with their scores times the boost (DfsQueryPhase's
 * KnnScoreDocQueryBuilder): a document matching both has the sum of the scores.
 */

/** `knn`: one object or several; k defaults to the request size, num_candidates to 1.5 k (at most 10,000). */
export function parseKnnSearch(body: unknown, size: number): KnnQuery[] {
  const list = Array.isArray(body) ? body : [body];
  return list.map((item) => {
    const q = parseKnn(item, parseQuery, true);
    const k = q.k ?? size;
    const numCandidates = q.numCandidates ?? Math.round(Math.min(1.5 * k, NUM_CANDS_LIMIT));
    if (k < 1) throw illegalArgument('[k] must be greater than 0');
    if (numCandidates < k) throw illegalArgument('[num_candidates] cannot be less than [k]');
    if (numCandidates > NUM_CANDS_LIMIT) throw illegalArgument(`[num_candidates] cannot exceed [${NUM_CANDS_LIMIT}]`);
    return { ...q, k, numCandidates };
  });
}

interface Found {
  position: number;
  view: unknown;
  seg: SegmentView;
  segIndex: number;
  doc: number;
  score: number;
}

/**
 * Runs the DFS phase of the knn searches over the targets (in shard order) and returns the query
 * each shard then runs; a shard whose knn search fails is reported through `fail` and left out.
 */
export function knnSearchQuery(
  targets: SearchTarget[],
  knn: KnnQuery[],
  query: Query | undefined,
  opts: { nowMs: number; scripts?: ScriptPolicy; fail: (t: SearchTarget, e: unknown) => void },
): Query {
  const failed = new Set<SearchTarget>();
  const nodes: KnnQuery[] = knn.map((q) => {
    const found: Found[] = [];
    targets.forEach((t, position) => {
      if (failed.has(t)) return;
      const ctx = new RewriteContext(t.view, opts.nowMs);
      if (opts.scripts) ctx.scripts = opts.scripts;
      const filter = t.aliasFilter ? [...q.filter, parseQuery(t.aliasFilter)] : q.filter;
      try {
        const selection = shardTopK({ ...q, filter }, ctx, q.k as number, rewrite);
        const segments = t.view.segments;
        for (const [seg, docs] of selection) {
          for (const [doc, score] of docs) found.push({ position, view: t.view, seg, segIndex: segments.indexOf(seg), doc, score });
        }
      } catch (e) {
        failed.add(t);
        opts.fail(t, e);
      }
    });
    found.sort((a, b) => b.score - a.score || a.position - b.position || a.segIndex - b.segIndex || a.doc - b.doc);
    const selected: KnnSelection = new Map();
    for (const f of found.slice(0, q.k)) {
      let bySeg = selected.get(f.view);
      if (!bySeg) selected.set(f.view, (bySeg = new Map()));
      let docs = bySeg.get(f.seg);
      if (!docs) bySeg.set(f.seg, (docs = new Map()));
      docs.set(f.doc, f.score);
    }
    return { ...q, selected };
  });
  const clauses: Query[] = [...(query ? [query] : []), ...nodes];
  if (clauses.length === 1) return clauses[0] as Query;
  return { kind: 'bool', must: [], should: clauses, filter: [], mustNot: [], boost: 1 };
}

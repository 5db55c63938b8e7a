import type { Execution, TargetState } from './executor.js';
import type { Leaf } from './match-set.js';
import { combineScores } from './rescore.js';
import type { RescoreSpec } from './rescore.js';
import { NO_MORE_DOCS } from './scorer.js';
import { selectTopK } from './top-k.js';

/**
 * The rescore phase as Elasticsearch runs it (RescorePhase, QueryRescorer): every shard keeps its
 * first max(from + size, window_size) hits by score (after collapsing its own hits), each rescorer
 * in turn re-scores the first `window_size` of them, resorts them (score desc, doc asc), multiplies
 * the scores past the window by `query_weight` and resorts the whole list; the coordinator merges
 * the shards' lists by score (and collapses them again).
 */
export interface Rescored {
  /** Hits (indices into exec.hitIdx) in final rank order. */
  order: Int32Array;
  /** Scores after rescoring, by hit index. */
  scores: Map<number, number>;
  /** Per rescorer, the hits it re-scored (QueryRescorer explains those with the rescore query). */
  rescoredBy: Array<Set<number>>;
  maxScore: number;
}

interface Entry {
  j: number;
  score: number;
  /** The doc's id within its shard (docBase + doc): the tiebreaker of equal scores. */
  shardDoc: number;
  leaf: Leaf;
  doc: number;
}

const byScore = (a: Entry, b: Entry): number => (b.score - a.score) || a.shardDoc - b.shardDoc;

/** Scores of the rescore query on the given entries (null where it does not match). */
function secondPass(state: TargetState, k: number, entries: Entry[]): Array<number | null> {
  const weight = state.rescore?.[k];
  const out = new Array<number | null>(entries.length).fill(null);
  if (!weight) return out;
  const order = entries.map((_, i) => i).sort((a, b) => (entries[a] as Entry).shardDoc - (entries[b] as Entry).shardDoc);
  let scorer: ReturnType<typeof weight.scorer> | undefined;
  let leaf: Leaf | undefined;
  for (const i of order) {
    const e = entries[i] as Entry;
    if (e.leaf !== leaf) {
      leaf = e.leaf;
      scorer = weight.scorer(leaf.segment);
    }
    if (!scorer) continue;
    const at = scorer.doc >= e.doc ? scorer.doc : scorer.advance(e.doc);
    if (at === e.doc && at !== NO_MORE_DOCS) out[i] = scorer.score();
  }
  return out;
}

function rescoreShard(entries: Entry[], state: TargetState, specs: RescoreSpec[], rescoredBy: Array<Set<number>>): Entry[] {
  let list = entries;
  specs.forEach((spec, k) => {
    const window = list.slice(0, spec.windowSize);
    const secondary = secondPass(state, k, window);
    window.forEach((e, i) => {
      const s = secondary[i];
      const primary = Math.fround(e.score * spec.queryWeight);
      e.score = s === null || s === undefined ? primary : combineScores(spec.scoreMode, primary, Math.fround(s * spec.rescoreQueryWeight));
      rescoredBy[k]?.add(e.j);
    });
    window.sort(byScore);
    const rest = list.slice(window.length);
    for (const e of rest) e.score = Math.fround(e.score * spec.queryWeight);
    list = [...window, ...rest];
    if (rest.length > 0) list.sort(byScore);
  });
  return list;
}

/** Runs the request's rescorers over each shard's top hits and merges the shards' lists. */
export function rescoreHits(exec: Execution, heads: Int32Array | null, groupKeys: ReadonlyArray<number | string | null> | undefined): Rescored {
  const { matches, hitIdx, req } = exec;
  const specs = req.rescore;
  const topN = Math.max(req.from + req.size, ...specs.map((s) => s.windowSize));
  const candidates = heads ?? Int32Array.from(hitIdx.keys());
  const perShard = new Map<number, number[]>();
  for (const j of candidates) {
    const leaf = exec.leaves[matches.leaf[hitIdx[j] as number] as number] as Leaf;
    const list = perShard.get(leaf.target) ?? [];
    list.push(j);
    perShard.set(leaf.target, list);
  }
  const rescoredBy = specs.map(() => new Set<number>());
  const lists: Entry[][] = [];
  for (const [target, js] of [...perShard.entries()].sort((a, b) => a[0] - b[0])) {
    const entries = js.map((j): Entry => {
      const m = hitIdx[j] as number;
      const leaf = exec.leaves[matches.leaf[m] as number] as Leaf;
      const doc = matches.doc[m] as number;
      return { j, score: matches.score[m] as number, shardDoc: leaf.docBase + doc, leaf, doc };
    });
    const top = selectTopK(entries.length, topN, (a, b) => byScore(entries[a] as Entry, entries[b] as Entry) < 0);
    const state = exec.states[target] as TargetState;
    lists.push(rescoreShard(Array.from(top, (i) => entries[i] as Entry), state, specs, rescoredBy));
  }
  // the coordinator's merge: score desc, then shard order, then doc (SearchPhaseController.sortDocs)
  const merged = lists.flatMap((l, shard) => l.map((e) => ({ e, shard }))).sort((a, b) => (b.e.score - a.e.score) || a.shard - b.shard || a.e.shardDoc - b.e.shardDoc);
  const seen = new Set<number | string | null>();
  const order: number[] = [];
  const scores = new Map<number, number>();
  for (const { e } of merged) {
    if (groupKeys) {
      const key = groupKeys[e.j] ?? null;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    order.push(e.j);
    scores.set(e.j, e.score);
  }
  const maxScore = lists.reduce((max, l) => (l.length > 0 ? Math.max(max, (l[0] as Entry).score) : max), -Infinity);
  return { order: Int32Array.from(order), scores, rescoredBy, maxScore };
}

import { RelevanceError } from '../errors.js';
import type { MetricSpec } from './metrics.js';
import { toRankEvalMetric } from './metrics.js';

/**
 * The `_rank_eval` side of an evaluation: rated searches (one per normalised search term) into the
 * body Elasticsearch (or the embedded engine) evaluates, and its answer back into per-term scores.
 * Keys of ranked hits are `${_index}/${_id}`, the form src/relevance's metrics compare them with.
 *
 * @example
 * const body = rankEvalBody([{ id: 'berlin', request: { query: { match: { title: 'berlin' } } }, ratings: [{ index: 'blog', id: '7', rating: 2 }] }], parseMetricSpec('ndcg@10'));
 * const result = readRankEvalResponse(await client.rankEval({ index: 'blog', ...body }));
 */

export interface RatedSearch {
  /** The request id: the normalised search term. */
  id: string;
  /** The search body replayed (its `size` and `_source` are set by `_rank_eval`). */
  request: Record<string, unknown>;
  ratings: ReadonlyArray<{ index: string; id: string; rating: number }>;
}

export interface RankEvalBody {
  requests: Array<{ id: string; request: Record<string, unknown>; ratings: Array<{ _index: string; _id: string; rating: number }> }>;
  metric: Record<string, Record<string, unknown>>;
}

/** The body of a `_rank_eval` request scoring `searches` with `spec`. */
export function rankEvalBody(searches: readonly RatedSearch[], spec: MetricSpec): RankEvalBody {
  if (searches.length === 0) throw new RelevanceError('ARGUMENT_INVALID', 'no rated searches to evaluate: _rank_eval needs at least one search term with judgments');
  const seen = new Set<string>();
  for (const search of searches) {
    if (seen.has(search.id)) throw new RelevanceError('ARGUMENT_INVALID', `rated search "${search.id}" appears twice: one request per search term`);
    seen.add(search.id);
  }
  return {
    requests: searches.map((s) => ({ id: s.id, request: s.request, ratings: s.ratings.map((r) => ({ _index: r.index, _id: r.id, rating: r.rating })) })),
    metric: toRankEvalMetric(spec),
  };
}

export interface RequestScore {
  score: number;
  /** Top-k hits in rank order, as `${_index}/${_id}`. */
  ranked: string[];
  unrated: number;
}

export interface RankEvalResult {
  /** Mean over the requests that ran (NaN when none did). */
  overall: number;
  scores: Map<string, RequestScore>;
  /** Request id -> `type: reason` of the search that failed. */
  failures: Map<string, string>;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a `_rank_eval` response body; throws when it is not one. */
export function readRankEvalResponse(response: unknown): RankEvalResult {
  if (!isObject(response) || !isObject(response.details)) {
    throw new RelevanceError('SEARCH_FAILED', `the _rank_eval answer has no "details" object: ${JSON.stringify(response)?.slice(0, 200)}`);
  }
  const overall = response.metric_score === 'NaN' ? NaN : Number(response.metric_score);
  const scores = new Map<string, RequestScore>();
  for (const [id, detail] of Object.entries(response.details)) {
    if (!isObject(detail)) continue;
    const hits = Array.isArray(detail.hits) ? (detail.hits as Json[]) : [];
    const ranked = hits.map((h) => (isObject(h.hit) ? `${String(h.hit._index)}/${String(h.hit._id)}` : ''));
    const unrated = Array.isArray(detail.unrated_docs) ? detail.unrated_docs.length : 0;
    scores.set(id, { score: Number(detail.metric_score), ranked, unrated });
  }
  const failures = new Map<string, string>();
  if (isObject(response.failures)) {
    for (const [id, failure] of Object.entries(response.failures)) {
      const error = isObject(failure) && isObject(failure.error) ? failure.error : {};
      const root = Array.isArray(error.root_cause) && isObject(error.root_cause[0]) ? error.root_cause[0] : error;
      failures.set(id, `${String(root.type ?? error.type ?? 'error')}: ${String(root.reason ?? error.reason ?? 'unknown')}`);
    }
  }
  return { overall, scores, failures };
}

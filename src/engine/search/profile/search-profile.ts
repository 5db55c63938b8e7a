import type { DfsStatistics, SearchParams } from '../../contract.js';
import { unsupported } from '../../errors.js';
import type { Execution } from '../executor.js';
import type { SearchRequest } from '../search-request.js';
import { NODE_ID } from '../shard-failure.js';

/**
 * The `profile` section of a search response (SearchProfileResults): one entry per shard searched,
 * sorted by its `[nodeId][index][shard]` id, with the query phase (the query tree, rewrite time and
 * collectors: query-profile.ts) and the fetch phase (fetch-profile.ts). What the engine does not
 * profile as Elasticsearch does is refused with a 400 rather than answered with another tree.
 */

/** Refuses the parts of a search whose profile the engine does not build. */
export function checkProfiled(req: SearchRequest, body: Record<string, unknown>, _params: SearchParams): void {
  if (!req.profile) return;
  const refuse = (what: string): never => {
    throw unsupported(`profile with ${what}`);
  };
  if (req.extensions.highlight !== undefined) refuse('highlight');
  if (body.post_filter !== undefined) refuse('post_filter');
  if (req.collapse) refuse('collapse');
  if (req.rescore.length > 0) refuse('rescore');
  if (req.explain) refuse('explain');
  if (req.version || req.seqNoPrimaryTerm) refuse('version or seq_no_primary_term');
  if (req.docvalueFields.length > 0 || req.scriptFields.length > 0 || req.storedFields) refuse('docvalue_fields, script_fields or stored_fields');
  if (req.trackScores && req.sort.length > 0) refuse('track_scores');
}

/** QueryPhaseCollector and the collector under it: top hits by score or by sort, or only the count. */
function collectors(exec: Execution, nanos: number): Array<Record<string, unknown>> {
  const { req } = exec;
  const child = req.size === 0 ? { name: 'TotalHitCountCollector', reason: 'search_count' } : { name: req.sort.length > 0 ? 'SimpleFieldCollector' : 'SimpleTopScoreDocCollector', reason: 'search_top_hits' };
  return [{ name: 'QueryPhaseCollector', reason: 'search_query_phase', time_in_nanos: nanos, children: [{ ...child, time_in_nanos: nanos }] }];
}

/**
 * The dfs phase of a dfs_query_then_fetch search over several shards (DfsProfiler): the engine
 * reads the statistics of every shard when the shard's weights ask for them, so the section times
 * those reads (term_statistics: docFreq, collection_statistics: field statistics). Its rewrite and
 * weight are the query phase's (profiled there), so they count 0 here.
 */
function dfsSection(dfs: DfsStatistics): Record<string, unknown> {
  const breakdown = {
    term_statistics: Number(dfs.termNanos),
    collection_statistics: Number(dfs.collectionNanos),
    collection_statistics_count: dfs.collectionCount,
    create_weight: 0,
    term_statistics_count: dfs.termCount,
    rewrite_count: 0,
    create_weight_count: 0,
    rewrite: 0,
  };
  return { statistics: { type: 'statistics', description: 'collect term statistics', time_in_nanos: Number(dfs.termNanos + dfs.collectionNanos), breakdown } };
}

export function profileSection(exec: Execution): Record<string, unknown> {
  const shards = exec.states.map((st, target) => {
    const index = st.view.index;
    const shard = st.view.shardId ?? 0;
    const profiler = st.profiler;
    // collection time: the loop over the query's matches, less the time its scorers took (their own nodes)
    const collect = profiler ? profiler.collectNanos - profiler.scorerNanos() : 0n;
    const out: Record<string, unknown> = {
      id: `[${NODE_ID}][${index}][${shard}]`,
      node_id: NODE_ID,
      shard_id: shard,
      index,
      cluster: '(local)',
      ...(st.view.dfsStatistics ? { dfs: dfsSection(st.view.dfsStatistics) } : {}),
      searches: [{ query: profiler ? profiler.roots.map((n) => n.toJSON()) : [], rewrite_time: Number(profiler?.rewriteNanos ?? 0n), collector: collectors(exec, Number(collect > 0n ? collect : 0n)) }],
      aggregations: exec.aggProfiles?.get(target) ?? [],
    };
    const fetch = exec.fetchProfiles?.get(target);
    if (fetch) out.fetch = fetch.toJSON();
    return out;
  });
  shards.sort((a, b) => (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0));
  return { shards };
}

import type { IndexView, SearchParams, SearchTarget } from '../contract.js';
import { MAX_NANOS, encodeNanos, nanosField } from '../date-nanos.js';
import { unsupported } from '../errors.js';
import type { DateOptions } from './field-values.js';
import { toDateMillis, toDateNanos } from './field-values.js';
import { parseQuery } from './parse-query.js';
import type { Query, RangeQuery } from './query.js';
import { RewriteContext } from './rewrite-context.js';
import { rewrite } from './rewrite.js';

/**
 * The can_match pre-filter phase (CanMatchPreFilterSearchPhase, SearchService.canMatch): before the
 * query phase, each shard rewrites the query against its own reader; a shard whose query rewrites to
 * match_none is skipped (counted in `_shards.skipped` and as successful). When every shard could
 * be skipped, the first one (by index name, then shard number) still runs, so the response is a
 * real one.
 *
 * When it runs (SearchRequest / TransportSearchAction.shouldPreFilterSearchShards): a
 * query_then_fetch whose query could rewrite to match_none (a query other than match_all, no
 * suggest, no top-level `global` aggregation nor terms aggregation with min_doc_count 0) or whose
 * first sort is on a field, over more shards than `pre_filter_shard_size` (default 128, or 1 with a
 * primary field sort).
 *
 * What rewrites to match_none here, as in Elasticsearch: a `range` on a field the shard does not
 * map, or on a date / date_nanos field whose values on the shard (all its documents' points,
 * deleted ones until merged away) lie outside the range (DateFieldType.isFieldWithinQuery: DISJOINT);
 * a `bool` with such a clause in `must` or `filter`. A query whose shard-level rewrite the engine
 * cannot tell for certain keeps its shard (it runs, and matches nothing there if Elasticsearch would
 * have skipped it: the hits and aggregations are the same, only `_shards.skipped` can be lower).
 * That is what happens when the phase runs on its own (a sort on a field over several shards), so
 * an application's search is never refused for it; when the request asks for the phase itself
 * (`pre_filter_shard_size`) such a query is refused with a 400 rather than answered with a
 * `_shards.skipped` Elasticsearch might not give.
 */

/** SearchRequest.DEFAULT_PRE_FILTER_SHARD_SIZE. */
const DEFAULT_PRE_FILTER_SHARD_SIZE = 128;

type Relation = 'none' | 'match' | 'unknown';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** AggregatorFactories.Builder.mustVisitAllDocs: a top-level `global`, or a terms aggregation with min_doc_count 0. */
function mustVisitAllDocs(aggs: unknown): boolean {
  if (!isRecord(aggs)) return false;
  for (const def of Object.values(aggs)) {
    if (!isRecord(def)) continue;
    if ('global' in def) return true;
    const terms = def.terms;
    if (isRecord(terms) && Number(terms.min_doc_count ?? 1) === 0) return true;
  }
  return false;
}

/** FieldSortBuilder.getPrimaryFieldSortOrNull: the first sort is on a field (not _score, _doc, a script...). */
function hasPrimaryFieldSort(sort: unknown): boolean {
  const first = Array.isArray(sort) ? sort[0] : sort;
  if (first === undefined || first === null) return false;
  const name = typeof first === 'string' ? first : isRecord(first) ? Object.keys(first)[0] : undefined;
  return name !== undefined && !['_score', '_doc', '_script', '_geo_distance', '_shard_doc'].includes(name);
}

/** SearchService.canRewriteToMatchNone. */
function canRewriteToMatchNone(body: Record<string, unknown>): boolean {
  const query = body.query;
  if (!isRecord(query) || 'match_all' in query || body.suggest !== undefined) return false;
  return !mustVisitAllDocs(body.aggs ?? body.aggregations);
}

/**
 * The targets the can_match phase skips (empty when it does not run or skips nothing). Throws a 400
 * when it would run and the engine cannot tell what a shard's rewrite would give.
 */
export function canMatchSkips(targets: SearchTarget[], body: Record<string, unknown>, params: SearchParams, nowMs: number): Set<SearchTarget> {
  const skipped = new Set<SearchTarget>();
  if (params.search_type === 'dfs_query_then_fetch' || targets.length === 0) return skipped;
  const rewritable = canRewriteToMatchNone(body);
  const fieldSort = hasPrimaryFieldSort(body.sort);
  const asked = (params as Record<string, unknown>).pre_filter_shard_size;
  const threshold = typeof asked === 'number' ? asked : fieldSort ? 1 : DEFAULT_PRE_FILTER_SHARD_SIZE;
  if (!(rewritable || fieldSort) || !(threshold < targets.length)) return skipped;
  // a primary field sort with a query that cannot rewrite to match_none: every shard can match
  if (!rewritable) return skipped;
  const query = parseQuery(body.query);
  const aliasFilters = new Map<string, Query>();
  for (const target of targets) {
    const ctx = new RewriteContext(target.view, nowMs);
    let relation = relationOf(query, target.view, ctx);
    if (relation !== 'none' && target.aliasFilter) {
      const key = JSON.stringify(target.aliasFilter);
      if (!aliasFilters.has(key)) aliasFilters.set(key, parseQuery(target.aliasFilter));
      const filter = relationOf(aliasFilters.get(key) as Query, target.view, ctx);
      relation = filter === 'none' ? 'none' : relation === 'unknown' || filter === 'unknown' ? 'unknown' : 'match';
    }
    if (relation === 'unknown' && typeof asked === 'number') throw unsupported('the can_match pre-filter phase (pre_filter_shard_size) for this query');
    if (relation === 'none') skipped.add(target);
  }
  if (skipped.size === targets.length) {
    // run at least one shard to give a real response: the first in shard order
    const first = [...targets].sort((a, b) => (a.view.index < b.view.index ? -1 : a.view.index > b.view.index ? 1 : (a.view.shardId ?? 0) - (b.view.shardId ?? 0)))[0] as SearchTarget;
    skipped.delete(first);
  }
  return skipped;
}

/** What the shard-level rewrite of a query gives on this shard, as far as the engine can tell. */
function relationOf(q: Query, view: IndexView, ctx: RewriteContext): Relation {
  switch (q.kind) {
    case 'match_all':
      return 'match';
    case 'match_none':
      return 'none';
    case 'range':
      return rangeRelation(q, view, ctx);
    case 'term':
    case 'terms':
    case 'prefix':
    case 'wildcard':
      // doIndexMetadataRewrite: on a constant_keyword field these are match_all or match_none
      if (view.mapping.field(q.field)?.type === 'constant_keyword') return rewrite(q, ctx).op === 'none' ? 'none' : 'match';
      return plainFieldRelation(q.field, view);
    case 'match':
    case 'exists':
    case 'regexp':
    case 'fuzzy':
      return plainFieldRelation(q.field, view);
    case 'constant_score':
      return relationOf(q.filter, view, ctx);
    // builders whose shard-level rewrite never returns match_none themselves (they parse their text,
    // or wrap the rewritten inner query, in doToQuery/doRewrite)
    case 'ids':
      // IdsQueryBuilder.doRewrite: no ids is match_none
      return q.values.length === 0 ? 'none' : 'match';
    // (the geo query builders have no doRewrite: an unmapped field becomes match_none only in doToQuery)
    case 'multi_match':
    case 'query_string':
    case 'simple_query_string':
    case 'geo_distance':
    case 'geo_bounding_box':
    case 'geo_polygon':
    case 'geo_shape':
    case 'geo_grid':
      return 'match';
    case 'function_score': {
      // whether a match_none inner query makes the function_score match_none is left undecided
      const inner = relationOf(q.query, view, ctx);
      return inner === 'match' ? 'match' : 'unknown';
    }
    case 'bool': {
      // BoolQueryBuilder.doRewrite: a must or filter clause that is match_none makes the bool match_none
      let out: Relation = 'match';
      for (const clause of [...q.must, ...q.filter]) {
        const r = relationOf(clause, view, ctx);
        if (r === 'none') return 'none';
        if (r === 'unknown') out = 'unknown';
      }
      // should and must_not clauses: the bool is not match_none because of them only when they all can match
      for (const clause of [...q.should, ...q.mustNot]) if (relationOf(clause, view, ctx) !== 'match') out = 'unknown';
      return out;
    }
    default:
      return 'unknown';
  }
}

/**
 * A term-level or match query on a field the shard maps as an ordinary field: its shard-level
 * rewrite keeps it (only an unmapped field, or a constant one such as `_index` or constant_keyword,
 * can turn it into match_none, which the engine leaves undecided).
 */
function plainFieldRelation(field: string, view: IndexView): Relation {
  const f = view.mapping.field(field);
  if (!f || field.startsWith('_')) return 'unknown';
  return 'match';
}

/** RangeQueryBuilder.getRelation on a shard: unmapped is DISJOINT; dates compare with the shard's min and max. */
function rangeRelation(q: RangeQuery, view: IndexView, ctx: RewriteContext): Relation {
  const f = view.mapping.field(q.field);
  if (!f) return 'none';
  if (f.type !== 'date' && f.type !== 'date_nanos') return 'unknown';
  const opts: DateOptions = { ...(q.format ? { format: q.format } : {}), ...(q.timeZone ? { timeZone: q.timeZone } : {}) };
  if (f.type === 'date') {
    // DateFieldType.isFieldWithinQuery: gt parses rounding up then +1, lt rounding down then -1
    const lo = q.gt !== undefined ? toDateMillis(ctx, f, q.gt, true, opts) + 1 : q.gte !== undefined ? toDateMillis(ctx, f, q.gte, false, opts) : -Infinity;
    const hi = q.lt !== undefined ? toDateMillis(ctx, f, q.lt, false, opts) - 1 : q.lte !== undefined ? toDateMillis(ctx, f, q.lte, true, opts) : Infinity;
    let min = Infinity;
    let max = -Infinity;
    for (const segment of view.segments) {
      const bounds = segmentBounds(segment, f.path, () => {
        let lo = Infinity;
        let hi = -Infinity;
        for (let d = 0; d < segment.maxDoc; d++) {
          const vs = segment.numericValues(f.path, d);
          if (!vs || vs.length === 0) continue;
          lo = Math.min(lo, vs[0] as number);
          hi = Math.max(hi, vs[vs.length - 1] as number);
        }
        return lo > hi ? undefined : [lo, hi];
      });
      if (!bounds) continue;
      min = Math.min(min, bounds[0]);
      max = Math.max(max, bounds[1]);
    }
    if (min > max) return 'none';
    return max < lo || min > hi ? 'none' : 'match';
  }
  const lo = q.gt !== undefined ? toDateNanos(ctx, f, q.gt, true, opts) + 1n : q.gte !== undefined ? toDateNanos(ctx, f, q.gte, false, opts) : 0n;
  const hi = q.lt !== undefined ? toDateNanos(ctx, f, q.lt, false, opts) - 1n : q.lte !== undefined ? toDateNanos(ctx, f, q.lte, true, opts) : MAX_NANOS;
  const from = encodeNanos(lo < 0n ? 0n : lo);
  const to = encodeNanos(hi > MAX_NANOS ? MAX_NANOS : hi < 0n ? 0n : hi);
  let min: string | undefined;
  let max: string | undefined;
  const field = nanosField(f.path);
  for (const segment of view.segments) {
    const bounds = segmentBounds(segment, field, () => {
      let lo: string | undefined;
      let hi: string | undefined;
      for (let d = 0; d < segment.maxDoc; d++) {
        const vs = segment.keywordValues(field, d);
        if (!vs) continue;
        for (const v of vs) {
          if (lo === undefined || v < lo) lo = v;
          if (hi === undefined || v > hi) hi = v;
        }
      }
      return lo === undefined || hi === undefined ? undefined : [lo, hi];
    });
    if (!bounds) continue;
    if (min === undefined || bounds[0] < min) min = bounds[0];
    if (max === undefined || bounds[1] > max) max = bounds[1];
  }
  if (min === undefined || max === undefined) return 'none';
  if (hi < 0n) return 'none';
  return max < from || min > to ? 'none' : 'match';
}

type Segment = IndexView['segments'][number];
const BOUNDS = new WeakMap<object, Map<string, readonly [number, number] | readonly [string, string] | undefined>>();

/**
 * A segment's smallest and largest value of a field (its points' min and max, as Lucene keeps them
 * per segment), computed once per segment: a segment's values never change (deletes are kept
 * apart), so a search does not scan every document on each request.
 */
function segmentBounds<T extends readonly [number, number] | readonly [string, string]>(segment: Segment, field: string, compute: () => T | undefined): T | undefined {
  // keyed by the segment's immutable core when it has one (a reader is made per refresh)
  const key: object = (segment as { core?: object }).core ?? segment;
  let perField = BOUNDS.get(key);
  if (!perField) BOUNDS.set(key, (perField = new Map()));
  if (!perField.has(field)) perField.set(field, compute());
  return perField.get(field) as T | undefined;
}

/**
 * `_field_caps` with an `index_filter` (FieldCapabilitiesFetcher.canMatchShard): whether the filter,
 * rewritten on one of the index's shards, is still something other than match_none. A filter whose
 * shard-level rewrite the engine cannot tell is refused with a 400 rather than guessed.
 */
export function indexFilterCanMatch(filter: unknown, views: readonly IndexView[], nowMs: number): boolean {
  const query = parseQuery(filter);
  let unknown = false;
  for (const view of views) {
    const relation = relationOf(query, view, new RewriteContext(view, nowMs));
    if (relation === 'match') return true;
    if (relation === 'unknown') unknown = true;
  }
  if (unknown) throw unsupported('this [index_filter] query in _field_caps (the engine cannot tell whether its shard-level rewrite matches nothing)');
  return false;
}

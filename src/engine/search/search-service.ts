import type { RequestCacheStats, SearchParams, SearchService, SearchTarget } from '../contract.js';
import { trackClockReads } from './date-math.js';
import { canMatchSkips } from './can-match.js';
import type { ClockReads } from './date-math.js';
import { ShardRequestCache } from './request-cache.js';
import { searchSettingsOf } from './search-settings.js';
import type { ScriptPolicy } from './script/script-spec.js';
import { EngineError, parsingError } from '../errors.js';
import { executeSteps } from './executor.js';
import { runPaced, runSteps } from './paced-run.js';
import type { Pacer } from './paced-run.js';
import type { Execution } from './executor.js';
import { groupQuery } from './collapse.js';
import { buildHitsSteps } from './hits.js';
import { addJoinInnerHits } from './join/join-inner-hits.js';
import type { ShardSearch } from './join/join-inner-hits.js';
import { javaFloat } from './float-format.js';
import { parseQuery } from './parse-query.js';
import type { SearchPhase } from './phases.js';
import { SearchContexts } from './search-contexts.js';
import { parseSearchRequest } from './search-request.js';
import { resolveCompound } from './compound-retriever.js';
import type { SearchRequest } from './search-request.js';
import { ShardTargetFailure, allShardsFailed, shardFailureBody } from './shard-failure.js';
import type { ShardFailure } from './shard-failure.js';
import { parseTimeValue } from './time-value.js';
import { checkProfiled, profileSection } from './profile/search-profile.js';
import type { DocumentLookup } from './document-lookup.js';
import { withRuntimeFields } from './runtime/runtime-view.js';

export interface SearchServiceOptions {
  /** Phases answering aggregations, highlight, suggest... (part 2). */
  phases?: SearchPhase[];
  /** Clock for `now` in date math and for keep-alive expiry (tests freeze it). */
  now?: () => number;
}

/**
 * The search layer's entry point for the REST layer: `_search`, `_count`, scroll and PIT.
 *
 * @example
 * const search = createSearchService();
 * search.search([{ view }], { query: { match: { title: 'fox' } } }, {});
 */
export function createSearchService(options: SearchServiceOptions = {}): SearchService {
  return new EmbeddedSearchService(options);
}

class EmbeddedSearchService implements SearchService {
  private readonly now: () => number;
  private readonly contexts: SearchContexts;
  private readonly phases: SearchPhase[];
  private readonly extensionKeys: Set<string>;
  private readonly requestCache = new ShardRequestCache();

  constructor(options: SearchServiceOptions) {
    this.now = options.now ?? Date.now;
    this.contexts = new SearchContexts(this.now);
    this.phases = options.phases ?? [];
    this.extensionKeys = new Set(this.phases.flatMap((p) => p.keys));
  }

  search(targets: SearchTarget[], body: Record<string, unknown>, params: SearchParams): Record<string, unknown> {
    return runSteps(this.searchSteps(targets, body, params));
  }

  /** The search of one shard (a join inner hit's own search). */
  private readonly shardSearch: ShardSearch = (target, body, params) => this.search([target], body, params);

  /**
   * `_search` that lets other requests run while it collects, fetches and runs its phases (every
   * ~10 ms of work) and stops when the signal aborts (the HTTP client disconnected).
   */
  searchAsync(targets: SearchTarget[], body: Record<string, unknown>, params: SearchParams, pace?: Pacer | AbortSignal): Promise<Record<string, unknown>> {
    return runPaced(this.searchSteps(targets, body, params), pace);
  }

  /** The search with a record of its clock reads (the request cache keeps only results that did not read it). */
  private *searchSteps(targets: SearchTarget[], body: Record<string, unknown>, params: SearchParams): Generator<void, Record<string, unknown>> {
    const reads: ClockReads = { usedNow: false };
    return yield* trackClockReads(this.trackedSearchSteps(targets, body, params, reads), reads);
  }

  private *trackedSearchSteps(targets: SearchTarget[], body: Record<string, unknown>, params: SearchParams, reads: ClockReads): Generator<void, Record<string, unknown>> {
    const started = this.now();
    const req = parseSearchRequest(body ?? {}, params, this.extensionKeys);
    if (typeof params.timeout === 'string') req.timeoutMs = parseTimeValue(params.timeout, 'timeout');
    const scroll = typeof params.scroll === 'string' ? params.scroll : undefined;
    let pitId: string | undefined;
    if (req.pit) {
      if (scroll !== undefined) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: using [point in time] is not allowed in a scroll context;');
      const keep = req.pit.keepAlive !== undefined ? parseTimeValue(req.pit.keepAlive, 'keep_alive') : undefined;
      targets = this.contexts.pit(req.pit.id, keep).targets;
      pitId = req.pit.id;
    }
    if (scroll !== undefined) {
      if (req.from > 0) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: using [from] is not allowed in a scroll context;');
      if (req.searchAfter) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: `search_after` cannot be used in a scroll context.;');
      if (req.trackTotalHits === false) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: disabling [track_total_hits] is not allowed in a scroll context;');
      if (req.rescore.length > 0) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: using [rescore] is not allowed in a scroll context;');
      if (req.collapse) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: cannot use `collapse` in a scroll context;');
      req.trackTotalHits = true;
    }
    if (req.slice && scroll === undefined && !req.pit) {
      throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: [slice] can only be used with [scroll] or [point-in-time] requests;');
    }
    if (scroll !== undefined) this.contexts.checkScrollCapacity(targets.length);
    checkProfiled(req, body ?? {}, params);
    const given = targets;
    targets = yield* withRuntimeFields(targets, req.runtimeMappings, body);
    // runtime values are computed per search: such a search is not cached
    const runtime = targets.some((t, i) => t !== given[i]);
    const skipped = canMatchSkips(targets, body ?? {}, params, started);
    const searched = skipped.size === 0 ? targets : targets.filter((t) => !skipped.has(t));
    const plan = runtime ? undefined : this.requestCache.plan(searched, body ?? {}, params, req.size, { scroll: scroll !== undefined, pit: pitId !== undefined, kind: 'search' });
    const cached = plan ? this.requestCache.lookup(plan) : undefined;
    if (cached) {
      cached.took = Math.max(0, Math.round(this.now() - started));
      return cached;
    }
    const response = yield* this.searchWithShardFailures(targets, body, params, req, { started, scroll, pitId, skipped });
    if (plan && !reads.usedNow && response.timed_out !== true && (response._shards as { failed?: number } | undefined)?.failed === 0) this.requestCache.store(plan, response);
    return response;
  }

  private *searchWithShardFailures(
    targets: SearchTarget[],
    body: Record<string, unknown>,
    params: SearchParams,
    req: SearchRequest,
    run: { started: number; scroll: string | undefined; pitId: string | undefined; skipped: ReadonlySet<SearchTarget> },
  ): Generator<void, Record<string, unknown>> {
    const { started, scroll, pitId, skipped } = run;
    // a shard that fails on its own (ShardTargetFailure) is dropped and the search runs again over the
    // others, as Elasticsearch reduces the shards that answered and lists the failed one
    const failed = { failures: [] as ShardFailure[], targets: new Set<SearchTarget>() };
    for (;;) {
      try {
        return yield* this.searchOnce(targets, body, params, req, { started, scroll, pitId, failed, skipped });
      } catch (e) {
        if (!(e instanceof ShardTargetFailure) || failed.targets.has(e.target)) throw e;
        failed.failures.push(e.toShardFailure());
        failed.targets.add(e.target);
        if (failed.targets.size + skipped.size === targets.length) throw allShardsFailed(failed.failures);
      }
    }
  }

  private *searchOnce(
    targets: SearchTarget[],
    body: Record<string, unknown>,
    params: SearchParams,
    req: SearchRequest,
    run: { started: number; scroll: string | undefined; pitId: string | undefined; failed: { failures: ShardFailure[]; targets: Set<SearchTarget> }; skipped: ReadonlySet<SearchTarget> },
  ): Generator<void, Record<string, unknown>> {
    const { started, scroll, pitId } = run;
    const options = {
      failed: run.failed,
      skipped: run.skipped,
      nowMs: started,
      ...settingsOptions(params),
      ...(req.timeoutMs !== undefined && req.timeoutMs >= 0 ? { deadline: performance.now() + req.timeoutMs } : {}),
      pit: pitId !== undefined,
    };
    // a compound retriever's child search runs first; the query then reads its rank docs
    yield* resolveCompound(targets, req, { ...options, window: { size: 0, scroll: false } }, this.extensionKeys);
    const exec = yield* executeSteps(targets, req, {
      ...options,
      window: scroll !== undefined ? { size: req.size, scroll: true } : { size: req.from + req.size, scroll: false },
    });
    if (exec.failures.length > 0 && (params.allow_partial_search_results === false || body.allow_partial_search_results === false)) {
      const err = allShardsFailed(exec.failures);
      throw new EngineError(err.status, err.type, 'Partial shards failure', err.extra, err.causedBy);
    }
    const withSort = req.explicitSort;
    let ranked: Int32Array;
    let page: ArrayLike<number>;
    let scrollId: string | undefined;
    if (scroll !== undefined) {
      ranked = exec.top(exec.total);
      page = ranked.subarray(0, req.size);
      scrollId = this.contexts.openScroll({
        exec,
        ranked,
        position: page.length,
        size: req.size,
        withSort,
        expiresAt: this.now() + parseTimeValue(scroll, 'scroll'),
        shards: targets.length,
      });
    } else {
      ranked = exec.top(req.from + req.size);
      page = ranked.subarray(Math.min(req.from, ranked.length));
    }
    const response: Record<string, unknown> = {};
    if (scrollId !== undefined) response._scroll_id = scrollId;
    if (pitId !== undefined) response.pit_id = pitId;
    Object.assign(response, this.envelope(exec, started));
    try {
      const hits = yield* buildHitsSteps(exec, page, withSort);
      addJoinInnerHits(exec, hits, this.shardSearch);
      response.hits = this.hitsSection(exec, req, hits.map((h) => h.hit));
      yield* this.runPhases(exec, req, hits, response, params, started);
      this.expandGroups(targets, exec, hits, params);
      if (req.profile) response.profile = profileSection(exec);
    } catch (e) {
      if (scrollId !== undefined) this.contexts.clearScroll([scrollId]);
      throw e;
    }
    return response;
  }

  /**
   * ExpandSearchPhase: each collapsed hit's `inner_hits`, one search per hit and inner hit
   * definition: the search's query restricted to the hit's group, with the definition's options.
   */
  private expandGroups(targets: SearchTarget[], exec: Execution, hits: Array<{ hit: Record<string, unknown>; hitIndex: number }>, params: SearchParams): void {
    const { req } = exec;
    const collapse = req.collapse;
    if (!collapse || collapse.innerHits.length === 0) return;
    const innerParams: SearchParams = req.totalHitsAsInt ? { rest_total_hits_as_int: true } : {};
    if (params.search_type !== undefined) innerParams.search_type = params.search_type;
    if (req.namedQueriesScore) innerParams.include_named_queries_score = true;
    if (params.search_settings !== undefined) innerParams.search_settings = params.search_settings;
    for (const { hit, hitIndex } of hits) {
      const query = groupQuery(collapse.field, exec.groupKeys?.[hitIndex] ?? null, req.queryJson);
      const inner: Record<string, unknown> = {};
      for (const spec of collapse.innerHits) {
        const body: Record<string, unknown> = { ...spec.body, query };
        if (req.postFilterJson !== undefined) body.post_filter = req.postFilterJson;
        try {
          inner[spec.name] = { hits: this.search(targets, body, innerParams).hits };
        } catch (e) {
          if (!(e instanceof EngineError)) throw e;
          throw new EngineError(e.status, 'search_phase_execution_exception', 'failed to expand hits', { phase: 'expand', grouped: true, failed_shards: [] }, e);
        }
      }
      hit.inner_hits = { ...(hit.inner_hits as Record<string, unknown> | undefined), ...inner };
    }
  }

  private envelope(exec: Execution, started: number): Record<string, unknown> {
    const out: Record<string, unknown> = { took: Math.max(0, Math.round(this.now() - started)), timed_out: exec.timedOut };
    if (exec.req.terminateAfter !== undefined) out.terminated_early = exec.terminatedEarly;
    out._shards = this.shards(exec);
    return out;
  }

  private shards(exec: Execution): Record<string, unknown> {
    // a shard the can_match phase skipped counts as successful too
    const total = exec.states.length + exec.failures.length + exec.skipped;
    const s: Record<string, unknown> = { total, successful: exec.states.length + exec.skipped, skipped: exec.skipped, failed: exec.failures.length };
    if (exec.failures.length > 0) s.failures = exec.failures.map(shardFailureBody);
    return s;
  }

  private hitsSection(exec: Execution, req: SearchRequest, hits: Array<Record<string, unknown>>): Record<string, unknown> {
    const section: Record<string, unknown> = {};
    const track = req.trackTotalHits;
    const total = exec.total;
    if (track !== false) {
      const cap = track === true || track === -1 ? Infinity : track;
      const value = Math.min(total, cap);
      section.total = req.totalHitsAsInt ? value : { value, relation: total > cap ? 'gte' : 'eq' };
    } else if (req.totalHitsAsInt) {
      section.total = -1;
    }
    const showMax = exec.needsScores && (exec.sort.some((s) => s.kind === 'score') || req.trackScores);
    section.max_score = showMax && Number.isFinite(exec.maxScore) && (req.size > 0 || !exec.sort.some((s) => s.kind === 'score')) ? javaFloat(exec.maxScore) : null;
    section.hits = hits;
    return section;
  }

  /** The registered phases in turn, with a pause point before each. */
  private *runPhases(exec: Execution, req: SearchRequest, hits: Array<{ hit: Record<string, unknown>; hitIndex: number }>, response: Record<string, unknown>, params: SearchParams, nowMs: number, laterPage = false): Generator<void, void> {
    for (const phase of this.phases) {
      if (laterPage && !phase.everyPage) continue;
      const sections: Record<string, unknown> = {};
      for (const k of phase.keys) if (k in req.extensions) sections[k] = req.extensions[k];
      if (Object.keys(sections).length === 0) continue;
      yield;
      const ctx = { exec, sections, hits, response, params, nowMs };
      if (phase.steps) yield* phase.steps(ctx);
      else phase.run(ctx);
    }
  }

  requestCacheStats(uuid: string): RequestCacheStats {
    return this.requestCache.stats(uuid);
  }

  clearRequestCache(uuids?: ReadonlySet<string>): void {
    this.requestCache.clear(uuids);
  }

  count(targets: SearchTarget[], body: Record<string, unknown>, params: SearchParams): Record<string, unknown> {
    return runSteps(this.countSteps(targets, body, params));
  }

  countAsync(targets: SearchTarget[], body: Record<string, unknown>, params: SearchParams, pace?: Pacer | AbortSignal): Promise<Record<string, unknown>> {
    return runPaced(this.countSteps(targets, body, params), pace);
  }

  private *countSteps(targets: SearchTarget[], body: Record<string, unknown>, params: SearchParams): Generator<void, Record<string, unknown>> {
    const reads: ClockReads = { usedNow: false };
    return yield* trackClockReads(this.trackedCountSteps(targets, body, params, reads), reads);
  }

  /** `_count` is a search of size 0: the request cache takes it by default, as Elasticsearch's. */
  private *trackedCountSteps(targets: SearchTarget[], body: Record<string, unknown>, params: SearchParams, reads: ClockReads): Generator<void, Record<string, unknown>> {
    // runtime values are computed per search (their definitions may change without a refresh): not cached
    const runtime = targets.some((t) => t.view.mapping.fieldPaths().some((p) => t.view.mapping.field(p)?.runtime !== undefined));
    const plan = runtime ? undefined : this.requestCache.plan(targets, body ?? {}, params, 0, { scroll: false, pit: false, kind: 'count' });
    const cached = plan ? this.requestCache.lookup(plan) : undefined;
    if (cached) return cached;
    const response = yield* this.uncachedCountSteps(targets, body, params);
    if (plan && !reads.usedNow && (response._shards as { failed?: number } | undefined)?.failed === 0) this.requestCache.store(plan, response);
    return response;
  }

  private *uncachedCountSteps(targets: SearchTarget[], body: Record<string, unknown>, params: SearchParams): Generator<void, Record<string, unknown>> {
    const queryBody: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body ?? {})) {
      if (k === 'query') queryBody.query = v;
      else throw parsingError(`request does not support [${k}]`);
    }
    if (queryBody.query === undefined && typeof params.q !== 'string') queryBody.query = { match_all: {} };
    else if (queryBody.query !== undefined) parseQuery(queryBody.query);
    const countParams: SearchParams = { ...(typeof params.q === 'string' ? { q: params.q } : {}) };
    for (const k of ['df', 'default_operator', 'lenient', 'terminate_after']) if (params[k] !== undefined) countParams[k] = params[k];
    const req = parseSearchRequest({ ...queryBody, size: 0, track_total_hits: true, ...(params.min_score !== undefined ? { min_score: params.min_score } : {}) }, countParams, this.extensionKeys);
    targets = yield* withRuntimeFields(targets, undefined, body);
    const exec = yield* executeSteps(targets, req, { nowMs: this.now(), ...settingsOptions(params), pit: false, window: { size: 0, scroll: false } });
    return { count: exec.total, _shards: this.shards(exec) };
  }

  scroll(scrollId: string, keepAlive: string | undefined, params: SearchParams): Record<string, unknown> {
    return runSteps(this.scrollSteps(scrollId, keepAlive, params));
  }

  scrollAsync(scrollId: string, keepAlive: string | undefined, params: SearchParams, pace?: Pacer | AbortSignal): Promise<Record<string, unknown>> {
    return runPaced(this.scrollSteps(scrollId, keepAlive, params), pace);
  }

  private *scrollSteps(scrollId: string, keepAlive: string | undefined, params: SearchParams): Generator<void, Record<string, unknown>> {
    const started = this.now();
    const keep = keepAlive !== undefined ? parseTimeValue(keepAlive, 'scroll') : undefined;
    const ctx = this.contexts.scroll(scrollId, keep);
    const page = ctx.ranked.subarray(ctx.position, ctx.position + ctx.size);
    ctx.position += page.length;
    const hits = yield* buildHitsSteps(ctx.exec, page, ctx.withSort);
    addJoinInnerHits(ctx.exec, hits, this.shardSearch);
    const response: Record<string, unknown> = {
      _scroll_id: scrollId,
      ...this.envelope(ctx.exec, started),
      hits: this.hitsSection(ctx.exec, ctx.exec.req, hits.map((h) => h.hit)),
    };
    yield* this.runPhases(ctx.exec, ctx.exec.req, hits, response, params, started, true);
    return response;
  }

  clearScroll(scrollIds: string[] | '_all'): { succeeded: boolean; num_freed: number } {
    return { succeeded: true, num_freed: this.contexts.clearScroll(scrollIds) };
  }

  openPointInTime(targets: SearchTarget[], keepAlive: string): { id: string } {
    return { id: this.contexts.openPit(targets, parseTimeValue(keepAlive, 'keep_alive')) };
  }

  closePointInTime(id: string): { succeeded: boolean; num_freed: number } {
    return { succeeded: true, num_freed: this.contexts.closePit(id) };
  }

  pointInTimeTargets(id: string, keepAlive?: string): SearchTarget[] {
    return this.contexts.pit(id, keepAlive !== undefined ? parseTimeValue(keepAlive, 'keep_alive') : undefined).targets;
  }
}


/** The execute options a search's settings give: its script policy and search.allow_expensive_queries. */
function settingsOptions(params: SearchParams): { scripts?: ScriptPolicy; allowExpensiveQueries?: boolean; documents?: DocumentLookup } {
  const s = searchSettingsOf(params);
  return s ? { scripts: s.scripts, allowExpensiveQueries: s.allowExpensiveQueries, ...(s.documents ? { documents: s.documents } : {}) } : {};
}

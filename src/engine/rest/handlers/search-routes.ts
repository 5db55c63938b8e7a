import type { DfsStatistics, IndexView, SearchParams, SearchTarget } from '../../contract.js';
import type { SearchSettings } from '../../search/search-settings.js';
import { EngineError, illegalArgument, unsupported } from '../../errors.js';
import { errorResult } from '../router.js';
import { jsonBody, jsonBodyPaced, jsonParseError, parseJsonPaced, searchParams } from '../request-params.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { ok } from '../rest-types.js';
import { resolveTermsLookups } from '../../search/terms-lookup.js';
import { documentLookup } from './document-lookup.js';
import { JsonDouble, withDoubleScores } from '../../search/float-format.js';
import { planLookups, resolveLookups } from './lookup-fields.js';
import { getResult, sourceFilterFromParams, valuesAt } from './document-routes.js';
import { resolveOptions } from './index-routes.js';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Which shards of each index a search reads: `routing`, `preference`, and `search_type`. */
export interface ShardSelection {
  /** Comma-separated routing values: only the shards they hash to (OperationRouting.searchShards). */
  routing?: string;
  /** `_shards:0,2` restricts the shards; `_local`, `_only_local` and custom strings are all the same on one node. */
  preference?: string;
  /** `dfs_query_then_fetch`: term and field statistics gathered over every shard searched. */
  searchType?: string;
}

/** The shards `_shards:0,2[|...]` names (OperationRouting.preferenceActiveShardIterator), or undefined. */
function preferredShards(preference: string | undefined): Set<number> | undefined {
  if (preference === undefined || !preference.startsWith('_shards:')) {
    if (preference !== undefined && preference.startsWith('_') && !['_local', '_only_local', '_prefer_nodes', '_only_nodes'].some((p) => preference === p || preference.startsWith(`${p}:`))) {
      throw illegalArgument(`no Preference for [${preference.split(':')[0]}]`);
    }
    return undefined;
  }
  const list = preference.slice('_shards:'.length).split('|')[0]!;
  const out = new Set<number>();
  for (const part of list.split(',')) {
    const n = Number(part.trim());
    if (!Number.isInteger(n)) throw new EngineError(400, 'number_format_exception', `For input string: "${part.trim()}"`);
    out.add(n);
  }
  return out;
}

/**
 * Resolves a target expression to the shard views searches read, one target per shard (refreshing
 * lazily per index.refresh_interval), restricted by `routing` and `preference=_shards:`.
 */
export function searchTargets(ctx: RestContext, expression: string | undefined, options: ReturnType<typeof resolveOptions>, selection: ShardSelection = {}): SearchTarget[] {
  const preferred = preferredShards(selection.preference);
  const targets: SearchTarget[] = [];
  const requested = selection.routing?.split(',').map((v) => v.trim());
  for (const { service, filter, searchRouting } of ctx.indices.resolve(expression, { allowNoIndices: true, ...options })) {
    const views = service.searchViews();
    // an alias's search_routing, intersected with the request's routing (resolveSearchRouting)
    let routing = searchRouting && requested ? searchRouting.filter((v) => requested.includes(v)) : (searchRouting ?? requested);
    if (routing !== undefined && routing.length === 0) routing = undefined;
    const wanted = routing !== undefined ? service.routing.searchShards(routing.join(',')) : views.map((_, i) => i);
    for (const shardId of wanted) {
      if (preferred && !preferred.has(shardId)) continue;
      targets.push({ view: views[shardId]!, ...(filter ? { aliasFilter: filter } : {}) });
    }
  }
  return selection.searchType === 'dfs_query_then_fetch' ? withGlobalStatistics(targets) : targets;
}

/** The request's shard selection from its URL parameters (or an `_msearch` header). */
export function shardSelection(source: Record<string, unknown>): ShardSelection {
  const pick = (key: string): string | undefined => (source[key] === undefined ? undefined : Array.isArray(source[key]) ? (source[key] as unknown[]).join(',') : String(source[key]));
  const routing = pick('routing');
  const preference = pick('preference');
  const searchType = pick('search_type');
  return { ...(routing !== undefined ? { routing } : {}), ...(preference !== undefined ? { preference } : {}), ...(searchType !== undefined ? { searchType } : {}) };
}

/**
 * DFS (DfsPhase + SearchPhaseController.aggregateDfs): every shard scores with the term and
 * collection statistics summed over all the shards searched, so scores do not depend on placement.
 */
function withGlobalStatistics(targets: SearchTarget[]): SearchTarget[] {
  if (targets.length <= 1) return targets;
  const views = targets.map((t) => t.view);
  const fieldStats = new Map<string, ReturnType<IndexView['fieldStats']>>();
  const global = {
    fieldStats(field: string): ReturnType<IndexView['fieldStats']> {
      if (fieldStats.has(field)) return fieldStats.get(field);
      let sum: ReturnType<IndexView['fieldStats']>;
      for (const view of views) {
        const st = view.fieldStats(field);
        if (!st) continue;
        sum ??= { docCount: 0, sumTotalTermFreq: 0, sumDocFreq: 0 };
        sum.docCount += st.docCount;
        sum.sumTotalTermFreq += st.sumTotalTermFreq;
        sum.sumDocFreq += st.sumDocFreq;
      }
      fieldStats.set(field, sum);
      return sum;
    },
    docFreq(field: string, term: string): number {
      let n = 0;
      for (const view of views) n += view.docFreq(field, term);
      return n;
    },
  };
  return targets.map((t) => {
    // each shard's statistics reads are timed: its `dfs` profile (DfsProfiler's term and collection statistics)
    const dfs: DfsStatistics = { termNanos: 0n, termCount: 0, collectionNanos: 0n, collectionCount: 0 };
    const fieldStatsOf = (field: string): ReturnType<IndexView['fieldStats']> => {
      const start = process.hrtime.bigint();
      try {
        return global.fieldStats(field);
      } finally {
        dfs.collectionNanos += process.hrtime.bigint() - start;
        dfs.collectionCount++;
      }
    };
    const docFreqOf = (field: string, term: string): number => {
      const start = process.hrtime.bigint();
      try {
        return global.docFreq(field, term);
      } finally {
        dfs.termNanos += process.hrtime.bigint() - start;
        dfs.termCount++;
      }
    };
    return { ...t, view: Object.create(t.view, { fieldStats: { value: fieldStatsOf }, docFreq: { value: docFreqOf }, localView: { value: t.view }, dfsStatistics: { value: dfs } }) as IndexView };
  });
}

function pitTargets(ctx: RestContext, req: RestRequest, body: Json): SearchTarget[] | undefined {
  if (!isRecord(body.pit)) return undefined;
  if (req.params.index !== undefined) {
    throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: [indices] cannot be used with point in time. Do not specify any index with point in time.;');
  }
  const id = body.pit.id;
  if (typeof id !== 'string') throw illegalArgument('[pit] requires an [id]');
  return ctx.search.pointInTimeTargets(id, typeof body.pit.keep_alive === 'string' ? body.pit.keep_alive : undefined);
}

/**
 * `terminate_after` and `pre_filter_shard_size`, checked alike by `_search` and `_count`. `_search`
 * runs the can_match phase (search/can-match.ts); `_count` does not, so there a query it could skip
 * shards for is refused rather than answered with `skipped: 0`.
 */
function validateShardOptions(body: Json, params: SearchParams, canMatchPhase: boolean): void {
  if (typeof params.terminate_after === 'number' && params.terminate_after < 0) throw illegalArgument('terminateAfter must be > 0');
  const preFilter = (params as Record<string, unknown>).pre_filter_shard_size;
  if (typeof preFilter === 'number') {
    if (preFilter < 1) throw illegalArgument('preFilterShardSize must be >= 1');
    const query = body.query as Json | undefined;
    if (!canMatchPhase && query !== undefined && !(Object.keys(query).length === 1 && 'match_all' in query)) throw unsupported('pre_filter_shard_size with a query in _count (the can_match pre-filter phase)');
  }
}

/** The request checks Elasticsearch makes before it resolves an index (RestSearchAction, SearchRequest.validate). */
function validateSearch(req: RestRequest, body: Json, params: SearchParams): void {
  const searchType = req.query.search_type;
  if (searchType !== undefined && searchType !== 'query_then_fetch' && searchType !== 'dfs_query_then_fetch') throw illegalArgument(`No search type for [${searchType}]`);
  validateShardOptions(body, params, true);
  if (req.query.scroll !== undefined) {
    const problems: string[] = [];
    if (req.query.request_cache === 'true') problems.push('[request_cache] cannot be used in a scroll context');
    if (body.size === 0 || params.size === 0) problems.push('[size] cannot be [0] in a scroll context');
    if (problems.length > 0) throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: ${problems.map((p, i) => `${i + 1}: ${p};`).join('')}`);
  }
}

/**
 * `indices_boost` names indices, aliases or wildcards: each resolves to concrete indices, the first
 * entry naming an index wins, and a name matching nothing is `no such index` (SearchService).
 */
function resolveIndicesBoost(ctx: RestContext, body: Json, ignoreUnavailable: boolean): Json {
  const spec = body.indices_boost;
  if (spec === undefined) return body;
  const entries: [string, unknown][] = [];
  for (const item of Array.isArray(spec) ? spec : [spec]) if (isRecord(item)) entries.push(...Object.entries(item));
  if (entries.length === 0) return body;
  const concrete: Json = {};
  for (const [expression, boost] of entries) {
    for (const { service } of ctx.indices.resolve(expression, { allowNoIndices: ignoreUnavailable, ignoreUnavailable })) {
      if (!(service.name in concrete)) concrete[service.name] = boost;
    }
  }
  return { ...body, indices_boost: Object.entries(concrete).map(([name, boost]) => ({ [name]: boost })) };
}

/** What a search obeys of the cluster and node settings (expensive queries, scripts). */
export function searchSettings(ctx: RestContext): SearchSettings {
  return {
    allowExpensiveQueries: ctx.settings.bool('search.allow_expensive_queries'),
    rewriteToFilterByFilter: ctx.settings.bool('search.aggs.rewrite_to_filter_by_filter'),
    scripts: ctx.scriptPolicy,
    documents: documentLookup(ctx),
    metricScripts: {
      onlyAllowed: ctx.settings.bool('search.aggs.only_allowed_metric_scripts'),
      inline: ctx.settings.list('search.aggs.allowed_inline_metric_scripts'),
      stored: ctx.settings.list('search.aggs.allowed_stored_metric_scripts'),
    },
  };
}

/**
 * The cluster settings a search reads: `search.max_buckets`, `search.default_allow_partial_results`,
 * and the settings of {@link searchSettings}.
 */
function withClusterDefaults(ctx: RestContext, params: SearchParams, body: Json): SearchParams {
  const out: SearchParams = { ...params, max_buckets: ctx.settings.int('search.max_buckets'), search_settings: searchSettings(ctx) };
  if (out.allow_partial_search_results === undefined && body.allow_partial_search_results === undefined && !ctx.settings.bool('search.default_allow_partial_results')) out.allow_partial_search_results = false;
  return out;
}

/** The search body with its terms lookups resolved: each document fetched once, realtime (GetRequest's default). */
function withTermsLookups(ctx: RestContext, body: Json): Json {
  return resolveTermsLookups(body, (lookup) => {
    const service = ctx.indices.resolveSingle(lookup.index);
    const doc = service.get(lookup.id, lookup.routing);
    return doc?.source ? valuesAt(doc.source, lookup.path.split('.')) : [];
  });
}

/** A `_search` of `source` with the request's URL parameters `params` (`_search`, `_search/template`). */
export async function runSearch(req: RestRequest, ctx: RestContext, source: Json, urlParams: SearchParams): Promise<Json> {
  const body = withTermsLookups(ctx, resolveIndicesBoost(ctx, source, req.query.ignore_unavailable === 'true'));
  const params = withClusterDefaults(ctx, urlParams, body);
  validateSearch(req, body, params);
  const targets = pitTargets(ctx, req, body) ?? searchTargets(ctx, req.params.index, resolveOptions(req), shardSelection(req.query));
  const plan = planLookups(body, targets);
  if (!plan) return withDoubleScores(await ctx.search.searchAsync(targets, body, params, req.pace ?? req.signal));
  const response = await ctx.search.searchAsync(targets, plan.body, params, req.pace ?? req.signal);
  // FetchLookupFieldsPhase: one search of the target index per input value, its first hit's fields
  const lookupParams = withClusterDefaults(ctx, {} as SearchParams, {});
  await resolveLookups(response, plan, async (spec, value) => {
    const text = value instanceof JsonDouble ? (value.javaText() ?? String(value.value)) : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
    const lookupBody = { query: { term: { [spec.targetField]: text } }, size: 1, fields: spec.fetchFields, _source: false };
    const found = (await ctx.search.searchAsync(searchTargets(ctx, spec.targetIndex, {}), lookupBody, lookupParams, req.pace ?? req.signal)) as { hits: { hits: Array<{ fields?: Json }> } };
    return found.hits.hits[0]?.fields;
  });
  return withDoubleScores(response);
}

async function search(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  return ok(await runSearch(req, ctx, await jsonBodyPaced(req), searchParams(req) as SearchParams));
}

/** KnnSearchRequestParser: what the deprecated `_knn_search` body may hold besides `knn` and `filter`. */
const KNN_SEARCH_KEYS = ['fields', '_source', 'docvalue_fields', 'stored_fields'];

/**
 * The deprecated `_knn_search` endpoint (8.0 to 8.x, removed in 9.0): its `knn` (k and
 * num_candidates required) with the top-level `filter` run as a search's `knn`, `size` k.
 */
async function knnSearch(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  const body = await jsonBodyPaced(req);
  const knn = body.knn;
  if (!isRecord(knn)) throw new EngineError(400, 'parsing_exception', '[knn] field is required', { line: 1, col: 1 });
  const missing = ['k', 'num_candidates'].filter((key) => knn[key] === undefined);
  if (missing.length > 0) throw new EngineError(400, 'x_content_parse_exception', `[knn] failed to parse: Required [${missing.join(', ')}]`);
  const rest: Json = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'knn' || key === 'filter') continue;
    if (!KNN_SEARCH_KEYS.includes(key)) throw new EngineError(400, 'parsing_exception', `Unknown key for a ${Array.isArray(value) ? 'START_ARRAY' : isRecord(value) ? 'START_OBJECT' : 'VALUE'} in [${key}].`, { line: 1, col: 1 });
    rest[key] = value;
  }
  const searchBody: Json = { ...rest, size: knn.k, knn: body.filter === undefined ? knn : { ...knn, filter: body.filter } };
  const params = withClusterDefaults(ctx, searchParams(req) as SearchParams, searchBody);
  const targets = searchTargets(ctx, req.params.index, resolveOptions(req), shardSelection(req.query));
  return ok(withDoubleScores(await ctx.search.searchAsync(targets, searchBody, params, req.pace ?? req.signal)));
}

/** `_count` (RestCountAction); `_cat/count` answers through it too. */
export async function countRequest(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  const body = withTermsLookups(ctx, await jsonBodyPaced(req));
  const params: SearchParams = { ...(searchParams(req) as SearchParams), search_settings: searchSettings(ctx) };
  validateShardOptions(body, params, false);
  const targets = searchTargets(ctx, req.params.index, resolveOptions(req), shardSelection(req.query));
  return ok(await ctx.search.countAsync(targets, body, params, req.pace ?? req.signal));
}

async function scroll(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  const body = jsonBody(req);
  const id = (body.scroll_id as string | undefined) ?? req.params.scroll_id ?? req.query.scroll_id;
  if (typeof id !== 'string' || id === '') {
    throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: scrollId is missing;');
  }
  const keepAlive = (body.scroll as string | undefined) ?? req.query.scroll;
  return ok(withDoubleScores(await ctx.search.scrollAsync(id, keepAlive, searchParams(req) as SearchParams, req.pace ?? req.signal)));
}

function clearScroll(req: RestRequest, ctx: RestContext): RestResult {
  const body = jsonBody(req);
  const raw = body.scroll_id ?? req.params.scroll_id;
  if (raw === undefined) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: no scroll ids specified;');
  const list = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  const ids: string[] | '_all' = list.includes('_all') ? '_all' : list;
  const result = ctx.search.clearScroll(ids);
  return ok(result, result.num_freed > 0 || ids === '_all' ? 200 : 404);
}

function openPit(req: RestRequest, ctx: RestContext): RestResult {
  const keepAlive = req.query.keep_alive;
  if (!keepAlive) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: [keep_alive] is not specified;');
  const targets = searchTargets(ctx, req.params.index, resolveOptions(req), shardSelection(req.query));
  const { id } = ctx.search.openPointInTime(targets, keepAlive);
  return ok({ id, _shards: { total: targets.length, successful: targets.length, skipped: 0, failed: 0 } });
}

function closePit(req: RestRequest, ctx: RestContext): RestResult {
  const body = jsonBody(req, true);
  if (typeof body.id !== 'string') throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: [id] is missing;');
  const result = ctx.search.closePointInTime(body.id);
  return ok(result, result.num_freed > 0 ? 200 : 404);
}

/** One search of a multi-search: its header's indices and options over the request's, and `status: 200` in its response. */
export async function runMsearchItem(req: RestRequest, ctx: RestContext, header: Json, body: Json): Promise<Json> {
  const index = header.index === undefined ? req.params.index : Array.isArray(header.index) ? header.index.join(',') : String(header.index);
  const options = {
    ...resolveOptions(req),
    ...(header.ignore_unavailable !== undefined ? { ignoreUnavailable: header.ignore_unavailable === true || header.ignore_unavailable === 'true' } : {}),
    ...(header.allow_no_indices !== undefined ? { allowNoIndices: header.allow_no_indices !== false && header.allow_no_indices !== 'false' } : {}),
    ...(header.expand_wildcards !== undefined ? { expandWildcards: String(header.expand_wildcards) } : {}),
  };
  const params = withClusterDefaults(ctx, { ...(searchParams(req) as SearchParams) }, body);
  for (const key of ['search_type', 'preference', 'routing', 'request_cache']) delete params[key];
  const targets = isRecord(body.pit) ? ctx.search.pointInTimeTargets(String(body.pit.id), body.pit.keep_alive as string | undefined) : searchTargets(ctx, index, options, shardSelection({ ...req.query, ...header }));
  return { ...(await ctx.search.searchAsync(targets, withTermsLookups(ctx, body), params, req.pace ?? req.signal)), status: 200 };
}

async function msearch(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  const started = Date.now();
  const lines = req.rawBody.split('\n');
  const responses: Json[] = [];
  for (let i = 0; i < lines.length; i++) {
    const headerLine = lines[i]!.trim();
    if (headerLine === '') continue;
    const bodyLine = lines[i + 1] ?? '';
    i++;
    let header: Json;
    let body: Json;
    try {
      header = JSON.parse(headerLine) as Json;
      body = bodyLine.trim() === '' ? {} : ((await parseJsonPaced(bodyLine, req)) as Json);
    } catch (error) {
      if (error instanceof EngineError) throw error;
      throw jsonParseError(error);
    }
    const upTo = body.track_total_hits;
    if (req.query.rest_total_hits_as_int === 'true' && typeof upTo === 'number' && upTo !== 2147483647 && upTo !== -1) {
      // RestMultiSearchAction checks rest_total_hits_as_int per item while parsing: the whole _msearch fails
      throw new EngineError(400, 'illegal_argument_exception', `[rest_total_hits_as_int] cannot be used if the tracking of total hits is not accurate, got ${String(upTo)}`);
    }
    if (isRecord(body.pit) && header.index !== undefined) {
      // SearchRequest.validate fails the whole _msearch (MultiSearchRequest), as for _search.
      throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: [indices] cannot be used with point in time. Do not specify any index with point in time.;');
    }
    try {
      responses.push(await runMsearchItem(req, ctx, header, body));
    } catch (error) {
      const result = errorResult(error);
      responses.push(result.body as Json);
    }
  }
  return ok({ took: Date.now() - started, responses });
}

/**
 * `_explain/{id}` (RestExplainAction, TransportExplainAction): the body holds only `query` (or the
 * URL gives `q`); the document is looked up as a non-realtime get, then the query (with the
 * alias filter) is run with `explain: true` restricted to that id by a post_filter, so the
 * explanation is the one a search hit carries. A document that exists but does not match answers
 * `matched: false` with a zero explanation; a missing one answers 404. `get` holds the
 * document's `_source` when `_source`/`stored_fields` ask for it.
 */
const EXPLAIN_PARAMS = ['analyze_wildcard', 'analyzer', 'default_operator', 'df', 'lenient', 'preference', 'q', 'routing', '_source', '_source_excludes', '_source_includes', 'stored_fields'];

async function explainDoc(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  const body = jsonBody(req);
  for (const key of Object.keys(body)) if (key !== 'query') throw new EngineError(400, 'parsing_exception', `request does not support [${key}]`);
  const params = searchParams(req) as SearchParams;
  if (body.query === undefined && typeof params.q !== 'string') throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: query is missing;');
  // stored fields of the get part are not built: refused rather than answered with _source
  if (req.query.stored_fields !== undefined) throw unsupported('stored_fields in _explain');
  const service = ctx.indices.resolveSingle(req.params.index!);
  const id = req.params.id!;
  const head = { _index: service.name, _id: id };
  const filter = sourceFilterFromParams({ _source: req.query._source, _source_includes: req.query._source_includes, _source_excludes: req.query._source_excludes });
  const wantsGet = (req.query._source !== undefined && req.query._source !== 'false') || req.query._source_includes !== undefined || req.query._source_excludes !== undefined;
  // TransportExplainAction reads the document from the engine; only the `get` part goes through the shard's get service (GetStats)
  const doc = getResult(service, id, filter, false, undefined, undefined, wantsGet);
  if (doc.found !== true) return ok({ ...head, matched: false }, 404);
  // the index's own target(s), with the alias filter when the request named a filtered alias
  const targets = searchTargets(ctx, req.params.index, {}).filter((t) => t.view.index === service.name);
  const searchBody: Json = { ...(body.query !== undefined ? withTermsLookups(ctx, { query: body.query }) : {}), explain: true, size: 1, _source: false, post_filter: { ids: { values: [id] } } };
  const searchOnly: Json = { search_settings: searchSettings(ctx) };
  for (const key of ['q', 'df', 'default_operator', 'lenient', 'analyze_wildcard', 'analyzer']) if (params[key] !== undefined) searchOnly[key] = params[key];
  const result = (await ctx.search.searchAsync(targets, searchBody, searchOnly as SearchParams, req.pace ?? req.signal)) as { hits: { hits: Array<{ _explanation?: unknown }> } };
  const hit = result.hits.hits[0];
  const get: Json = {};
  if (wantsGet) for (const [k, v] of Object.entries(doc)) if (k !== '_index' && k !== '_id' && k !== '_version') get[k] = v;
  return ok({
    ...head,
    matched: hit !== undefined,
    explanation: hit?._explanation ?? { value: 0, description: 'no matching term', details: [] },
    ...(wantsGet ? { get } : {}),
  });
}

export const SEARCH_ROUTES: Route[] = [
  { method: 'GET', pattern: '/{index}/_explain/{id}', handler: explainDoc, params: EXPLAIN_PARAMS },
  { method: 'POST', pattern: '/{index}/_explain/{id}', handler: explainDoc, params: EXPLAIN_PARAMS },
  { method: 'GET', pattern: '/_search', handler: search },
  { method: 'POST', pattern: '/_search', handler: search },
  { method: 'GET', pattern: '/{index}/_search', handler: search },
  { method: 'POST', pattern: '/{index}/_search', handler: search },
  { method: 'GET', pattern: '/{index}/_knn_search', handler: knnSearch },
  { method: 'POST', pattern: '/{index}/_knn_search', handler: knnSearch },
  { method: 'GET', pattern: '/_count', handler: countRequest },
  { method: 'POST', pattern: '/_count', handler: countRequest },
  { method: 'GET', pattern: '/{index}/_count', handler: countRequest },
  { method: 'POST', pattern: '/{index}/_count', handler: countRequest },
  { method: 'GET', pattern: '/_search/scroll', handler: scroll },
  { method: 'POST', pattern: '/_search/scroll', handler: scroll },
  { method: 'GET', pattern: '/_search/scroll/{scroll_id}', handler: scroll },
  { method: 'POST', pattern: '/_search/scroll/{scroll_id}', handler: scroll },
  { method: 'DELETE', pattern: '/_search/scroll', handler: clearScroll },
  { method: 'DELETE', pattern: '/_search/scroll/{scroll_id}', handler: clearScroll },
  { method: 'POST', pattern: '/{index}/_pit', handler: openPit },
  { method: 'DELETE', pattern: '/_pit', handler: closePit },
  { method: 'GET', pattern: '/_msearch', handler: msearch },
  { method: 'POST', pattern: '/_msearch', handler: msearch },
  { method: 'GET', pattern: '/{index}/_msearch', handler: msearch },
  { method: 'POST', pattern: '/{index}/_msearch', handler: msearch },
];

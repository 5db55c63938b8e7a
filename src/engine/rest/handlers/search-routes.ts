import type { SearchParams, SearchTarget } from '../../contract.js';
import { EngineError, illegalArgument, unsupported } from '../../errors.js';
import { errorResult } from '../router.js';
import { jsonBody, jsonParseError, searchParams } from '../request-params.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { ok } from '../rest-types.js';
import { getResult, sourceFilterFromParams } from './document-routes.js';
import { resolveOptions } from './index-routes.js';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resolves a target expression to the views searches read (refreshing lazily per index.refresh_interval). */
export function searchTargets(ctx: RestContext, expression: string | undefined, options: ReturnType<typeof resolveOptions>): SearchTarget[] {
  return ctx.indices.resolve(expression, { allowNoIndices: true, ...options }).map(({ service, filter }) => ({
    view: service.searchView(),
    ...(filter ? { aliasFilter: filter } : {}),
  }));
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

/** The request checks Elasticsearch makes before it resolves an index (RestSearchAction, SearchRequest.validate). */
function validateSearch(req: RestRequest, body: Json, params: SearchParams): void {
  const searchType = req.query.search_type;
  if (searchType !== undefined && searchType !== 'query_then_fetch' && searchType !== 'dfs_query_then_fetch') throw illegalArgument(`No search type for [${searchType}]`);
  if (typeof params.terminate_after === 'number' && params.terminate_after < 0) throw illegalArgument('terminateAfter must be > 0');
  // named queries with their scores (a map instead of the list) are not built: refused, never the list
  if (req.query.include_named_queries_score === 'true') throw unsupported('include_named_queries_score');
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

/** The cluster settings a search reads: `search.max_buckets`, `search.default_allow_partial_results`. */
function withClusterDefaults(ctx: RestContext, params: SearchParams, body: Json): SearchParams {
  const out: SearchParams = { ...params, max_buckets: ctx.settings.int('search.max_buckets') };
  if (out.allow_partial_search_results === undefined && body.allow_partial_search_results === undefined && !ctx.settings.bool('search.default_allow_partial_results')) out.allow_partial_search_results = false;
  return out;
}

async function search(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  const body = resolveIndicesBoost(ctx, jsonBody(req), req.query.ignore_unavailable === 'true');
  const params = withClusterDefaults(ctx, searchParams(req) as SearchParams, body);
  validateSearch(req, body, params);
  const targets = pitTargets(ctx, req, body) ?? searchTargets(ctx, req.params.index, resolveOptions(req));
  return ok(await ctx.search.searchAsync(targets, body, params, req.signal));
}

function count(req: RestRequest, ctx: RestContext): RestResult {
  const body = jsonBody(req);
  const params = searchParams(req) as SearchParams;
  if (typeof params.terminate_after === 'number' && params.terminate_after < 0) throw illegalArgument('terminateAfter must be > 0');
  const targets = searchTargets(ctx, req.params.index, resolveOptions(req));
  return ok(ctx.search.count(targets, body, params));
}

function scroll(req: RestRequest, ctx: RestContext): RestResult {
  const body = jsonBody(req);
  const id = (body.scroll_id as string | undefined) ?? req.params.scroll_id ?? req.query.scroll_id;
  if (typeof id !== 'string' || id === '') {
    throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: scrollId is missing;');
  }
  const keepAlive = (body.scroll as string | undefined) ?? req.query.scroll;
  return ok(ctx.search.scroll(id, keepAlive, searchParams(req) as SearchParams));
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
  const targets = searchTargets(ctx, req.params.index, resolveOptions(req));
  const { id } = ctx.search.openPointInTime(targets, keepAlive);
  return ok({ id, _shards: { total: targets.length, successful: targets.length, skipped: 0, failed: 0 } });
}

function closePit(req: RestRequest, ctx: RestContext): RestResult {
  const body = jsonBody(req, true);
  if (typeof body.id !== 'string') throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: [id] is missing;');
  const result = ctx.search.closePointInTime(body.id);
  return ok(result, result.num_freed > 0 ? 200 : 404);
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
      body = bodyLine.trim() === '' ? {} : (JSON.parse(bodyLine) as Json);
    } catch (error) {
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
      const index = header.index === undefined ? req.params.index : Array.isArray(header.index) ? header.index.join(',') : String(header.index);
      const options = {
        ...resolveOptions(req),
        ...(header.ignore_unavailable !== undefined ? { ignoreUnavailable: header.ignore_unavailable === true || header.ignore_unavailable === 'true' } : {}),
        ...(header.allow_no_indices !== undefined ? { allowNoIndices: header.allow_no_indices !== false && header.allow_no_indices !== 'false' } : {}),
        ...(header.expand_wildcards !== undefined ? { expandWildcards: String(header.expand_wildcards) } : {}),
      };
      const params = withClusterDefaults(ctx, { ...(searchParams(req) as SearchParams) }, body);
      for (const key of ['search_type', 'preference', 'routing', 'request_cache']) delete params[key];
      const targets = isRecord(body.pit) ? ctx.search.pointInTimeTargets(String(body.pit.id), body.pit.keep_alive as string | undefined) : searchTargets(ctx, index, options);
      responses.push({ ...(await ctx.search.searchAsync(targets, body, params, req.signal)), status: 200 });
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
  const doc = getResult(service, id, filter, false);
  if (doc.found !== true) return ok({ ...head, matched: false }, 404);
  // the index's own target(s), with the alias filter when the request named a filtered alias
  const targets = searchTargets(ctx, req.params.index, {}).filter((t) => t.view.index === service.name);
  const searchBody: Json = { ...(body.query !== undefined ? { query: body.query } : {}), explain: true, size: 1, _source: false, post_filter: { ids: { values: [id] } } };
  const searchOnly: Json = {};
  for (const key of ['q', 'df', 'default_operator', 'lenient', 'analyze_wildcard', 'analyzer']) if (params[key] !== undefined) searchOnly[key] = params[key];
  const result = (await ctx.search.searchAsync(targets, searchBody, searchOnly as SearchParams, req.signal)) as { hits: { hits: Array<{ _explanation?: unknown }> } };
  const hit = result.hits.hits[0];
  const wantsGet = (req.query._source !== undefined && req.query._source !== 'false') || req.query._source_includes !== undefined || req.query._source_excludes !== undefined;
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
  { method: 'GET', pattern: '/_count', handler: count },
  { method: 'POST', pattern: '/_count', handler: count },
  { method: 'GET', pattern: '/{index}/_count', handler: count },
  { method: 'POST', pattern: '/{index}/_count', handler: count },
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

import type { SearchParams, SearchTarget } from '../../contract.js';
import { EngineError, illegalArgument } from '../../errors.js';
import { errorResult } from '../router.js';
import { jsonBody, jsonParseError, searchParams } from '../request-params.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { ok } from '../rest-types.js';
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

async function search(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  const body = jsonBody(req);
  const params = searchParams(req) as SearchParams;
  const targets = pitTargets(ctx, req, body) ?? searchTargets(ctx, req.params.index, resolveOptions(req));
  return ok(await ctx.search.searchAsync(targets, body, params, req.signal));
}

function count(req: RestRequest, ctx: RestContext): RestResult {
  const body = jsonBody(req);
  const params = searchParams(req) as SearchParams;
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
    try {
      const index = header.index === undefined ? req.params.index : Array.isArray(header.index) ? header.index.join(',') : String(header.index);
      const options = {
        ...resolveOptions(req),
        ...(header.ignore_unavailable !== undefined ? { ignoreUnavailable: header.ignore_unavailable === true || header.ignore_unavailable === 'true' } : {}),
        ...(header.allow_no_indices !== undefined ? { allowNoIndices: header.allow_no_indices !== false && header.allow_no_indices !== 'false' } : {}),
        ...(header.expand_wildcards !== undefined ? { expandWildcards: String(header.expand_wildcards) } : {}),
      };
      const params = { ...(searchParams(req) as SearchParams) };
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

export const SEARCH_ROUTES: Route[] = [
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

import type { SearchParams } from '../../contract.js';
import { EngineError, illegalArgument } from '../../errors.js';
import { parseRenderedTemplate, parseSearchTemplateRequest, renderSearchTemplate, templateValidationErrors, validationFailed } from '../../search/search-template.js';
import type { SearchTemplateRequest } from '../../search/search-template.js';
import { errorResult } from '../router.js';
import { boolParam, intParam, jsonBodyPaced, jsonParseError, parseJsonPaced, searchParams } from '../request-params.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { ok } from '../rest-types.js';
import { runMsearchItem, runSearch } from './search-routes.js';

/**
 * Search templates (modules/lang-mustache): `[/{index}]/_search/template`, `_render/template[/{id}]`
 * and `[/{index}]/_msearch/template`. The template is rendered (search/search-template.ts), its
 * text becomes the search body, and the search runs as `_search` does with the URL's request-level
 * parameters (the body's source replaces the URL's `size`, `sort`, `q`... as in
 * TransportSearchTemplateAction); `explain` and `profile` come from the template request, a URL
 * `explain` winning.
 */

type Json = Record<string, unknown>;

/** The URL parameters of `_search` that belong to the SearchRequest rather than to its source. */
const REQUEST_LEVEL = new Set([
  'search_type', 'batched_reduce_size', 'pre_filter_shard_size', 'max_concurrent_shard_requests', 'allow_partial_search_results', 'request_cache', 'scroll', 'routing',
  'preference', 'ignore_unavailable', 'allow_no_indices', 'expand_wildcards', 'ignore_throttled', 'ccs_minimize_roundtrips', 'typed_keys', 'rest_total_hits_as_int',
]);

/** The body (parsed a slice at a time when large); none is `request body or source parameter is required`. */
async function templateBody(req: RestRequest): Promise<Json> {
  if (req.rawBody.trim() === '') throw new EngineError(400, 'parse_exception', 'request body or source parameter is required');
  return jsonBodyPaced(req);
}

/** The search body a template request renders to, with its `explain` and `profile`. */
function renderedSearch(template: SearchTemplateRequest, ctx: RestContext): Json {
  const source = parseRenderedTemplate(renderSearchTemplate(template, ctx.scriptPolicy), true);
  const { explain: _explain, profile: _profile, ...rest } = source;
  return { ...rest, ...(template.explain ? { explain: true } : {}), ...(template.profile ? { profile: true } : {}) };
}

function requestLevelParams(req: RestRequest): SearchParams {
  const params = searchParams(req);
  return Object.fromEntries(Object.entries(params).filter(([key]) => REQUEST_LEVEL.has(key))) as SearchParams;
}

async function searchTemplate(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  const template = parseSearchTemplateRequest(await templateBody(req));
  if (req.query.explain !== undefined) template.explain = boolParam(req, 'explain', false);
  const errors = templateValidationErrors(template);
  if (errors.length > 0) throw validationFailed(errors);
  return ok(await runSearch(req, ctx, renderedSearch(template, ctx), requestLevelParams(req)));
}

async function renderTemplate(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  const template = parseSearchTemplateRequest(await templateBody(req));
  const id = req.params.id;
  if (id !== undefined) {
    template.id = id;
    delete template.source;
  }
  const script = template.source ?? template.id;
  if (script === undefined || script === '') throw validationFailed(templateValidationErrors(template));
  return ok({ template_output: parseRenderedTemplate(renderSearchTemplate(template, ctx.scriptPolicy), false) });
}

const SEARCH_TYPES = ['query_then_fetch', 'dfs_query_then_fetch'];

/** RestMultiSearchTemplateAction: NDJSON header and template lines; each template rendered and searched on its own. */
async function msearchTemplate(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  const started = Date.now();
  const maxConcurrent = intParam(req, 'max_concurrent_searches');
  if (maxConcurrent !== undefined && maxConcurrent < 1) throw illegalArgument('maxConcurrentSearchRequests must be positive');
  const searchType = req.query.search_type;
  if (searchType !== undefined && !SEARCH_TYPES.includes(searchType)) throw illegalArgument(`No search type for [${searchType}]`);
  const items: { header: Json; template: SearchTemplateRequest }[] = [];
  const lines = req.rawBody.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const headerLine = (lines[i] as string).trim();
    if (headerLine === '') continue;
    const bodyLine = (lines[i + 1] ?? '').trim();
    i++;
    let header: unknown;
    let body: unknown;
    try {
      header = JSON.parse(headerLine);
      body = bodyLine === '' ? {} : await parseJsonPaced(bodyLine, req);
    } catch (error) {
      if (error instanceof EngineError) throw error;
      throw jsonParseError(error);
    }
    if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new EngineError(400, 'illegal_argument_exception', 'Unexpected token while parsing the header of a multi search request');
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new EngineError(400, 'parse_exception', 'request body or source parameter is required');
    items.push({ header: header as Json, template: parseSearchTemplateRequest(body as Json) });
  }
  if (items.length === 0) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: no requests added;');
  const errors = items.flatMap((item) => templateValidationErrors(item.template));
  if (errors.length > 0) throw validationFailed(errors);
  const responses: Json[] = [];
  for (const { header, template } of items) {
    try {
      responses.push(await runMsearchItem(req, ctx, header, renderedSearch(template, ctx)));
    } catch (error) {
      responses.push(errorResult(error).body as Json);
    }
  }
  return ok({ took: Date.now() - started, responses });
}

const MSEARCH_PARAMS = ['search_type', 'typed_keys', 'max_concurrent_searches', 'rest_total_hits_as_int', 'ccs_minimize_roundtrips'];

export const SEARCH_TEMPLATE_ROUTES: Route[] = [
  { method: 'GET', pattern: '/_search/template', handler: searchTemplate },
  { method: 'POST', pattern: '/_search/template', handler: searchTemplate },
  { method: 'GET', pattern: '/{index}/_search/template', handler: searchTemplate },
  { method: 'POST', pattern: '/{index}/_search/template', handler: searchTemplate },
  { method: 'GET', pattern: '/_render/template', handler: renderTemplate, params: [] },
  { method: 'POST', pattern: '/_render/template', handler: renderTemplate, params: [] },
  { method: 'GET', pattern: '/_render/template/{id}', handler: renderTemplate, params: [] },
  { method: 'POST', pattern: '/_render/template/{id}', handler: renderTemplate, params: [] },
  { method: 'GET', pattern: '/_msearch/template', handler: msearchTemplate, params: MSEARCH_PARAMS },
  { method: 'POST', pattern: '/_msearch/template', handler: msearchTemplate, params: MSEARCH_PARAMS },
  { method: 'GET', pattern: '/{index}/_msearch/template', handler: msearchTemplate, params: MSEARCH_PARAMS },
  { method: 'POST', pattern: '/{index}/_msearch/template', handler: msearchTemplate, params: MSEARCH_PARAMS },
];

import type { SearchParams } from '../../contract.js';
import { EngineError, illegalArgument } from '../../errors.js';
import { parseRankEvalSpec } from '../../rank-eval/rank-eval-spec.js';
import { runRankEval } from '../../rank-eval/rank-eval.js';
import { jsonBody } from '../request-params.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { ok } from '../rest-types.js';
import { resolveOptions } from './index-routes.js';
import { searchSettings, searchTargets } from './search-routes.js';

const SEARCH_TYPES = ['query_then_fetch', 'dfs_query_then_fetch'];

/** `GET|POST [/{index}]/_rank_eval`: the ranking evaluation API (modules/rank-eval). */
function rankEval(req: RestRequest, ctx: RestContext): RestResult {
  if (req.rawBody.trim() === '') throw new EngineError(400, 'parse_exception', 'request body or source parameter is required');
  const searchType = req.query.search_type;
  if (searchType !== undefined && !SEARCH_TYPES.includes(searchType)) throw illegalArgument(`No search type for [${searchType}]`);
  const spec = parseRankEvalSpec(jsonBody(req, true));
  const options = resolveOptions(req);
  // every rated request searches the indices of the URL (all of them without one), as Elasticsearch does
  return ok(runRankEval(spec, (body) => ctx.search.search(searchTargets(ctx, req.params.index, options), body, { search_settings: searchSettings(ctx) } as SearchParams), ctx.scriptPolicy));
}

const PARAMS = ['allow_no_indices', 'expand_wildcards', 'ignore_unavailable', 'search_type'];

export const RANK_EVAL_ROUTES: Route[] = [
  { method: 'GET', pattern: '/_rank_eval', handler: rankEval, params: PARAMS },
  { method: 'POST', pattern: '/_rank_eval', handler: rankEval, params: PARAMS },
  { method: 'GET', pattern: '/{index}/_rank_eval', handler: rankEval, params: PARAMS },
  { method: 'POST', pattern: '/{index}/_rank_eval', handler: rankEval, params: PARAMS },
];

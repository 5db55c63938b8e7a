import { EngineError } from '../../errors.js';
import { jsonBody } from '../request-params.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { ok } from '../rest-types.js';
import { resolveOptions } from './index-routes.js';
import { searchTargets } from './search-routes.js';

/**
 * The requests the OpenSearch client sends where OpenSearch's REST API differs from
 * Elasticsearch's, answered as OpenSearch 2.x answers them, so the toolkit runs over the
 * embedded engine with either client. Point-in-time: OpenSearch 2.4+ opens one with
 * `POST /<index>/_search/point_in_time?keep_alive=` (answering `pit_id` and `creation_time`)
 * and closes with `DELETE /_search/point_in_time` and `{ "pit_id": [ids] }` (answering each
 * id's outcome); a search over it is the same `pit: { id, keep_alive }` as Elasticsearch's.
 */
function openPit(req: RestRequest, ctx: RestContext): RestResult {
  const keepAlive = req.query.keep_alive;
  if (!keepAlive) throw new EngineError(400, 'illegal_argument_exception', 'Keep alive cannot be empty');
  const targets = searchTargets(ctx, req.params.index, resolveOptions(req));
  const { id } = ctx.search.openPointInTime(targets, keepAlive);
  return ok({ pit_id: id, _shards: { total: targets.length, successful: targets.length, skipped: 0, failed: 0 }, creation_time: Date.now() });
}

function closePits(req: RestRequest, ctx: RestContext): RestResult {
  const body = jsonBody(req, true);
  const ids = typeof body.pit_id === 'string' ? [body.pit_id] : body.pit_id;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id): id is string => typeof id === 'string')) {
    throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: no pit ids specified;');
  }
  const pits = ids.map((id) => ({ pit_id: id, successful: ctx.search.closePointInTime(id).num_freed > 0 }));
  return ok({ pits }, pits.every((p) => p.successful) ? 200 : 404);
}

export const OPENSEARCH_ROUTES: Route[] = [
  { method: 'POST', pattern: '/{index}/_search/point_in_time', handler: openPit },
  { method: 'DELETE', pattern: '/_search/point_in_time', handler: closePits },
];

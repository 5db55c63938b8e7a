import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { ok } from '../rest-types.js';

/**
 * `GET /_capabilities` (Elasticsearch's RestNodesCapabilitiesAction): whether the node's handler
 * for a method and path supports the named capabilities. The engine claims a capability only
 * for what it answers as Elasticsearch 8.19 does; anything else is `supported: false`.
 */
const SEARCH_PATHS = ['/_search', '/{index}/_search'];

/** Capabilities claimed per handler (its paths, for GET and POST). */
const CLAIMED: Array<{ paths: string[]; capabilities: ReadonlySet<string> }> = [
  // the `regexp` and `range` rules of the intervals query
  { paths: SEARCH_PATHS, capabilities: new Set(['range_regexp_interval_queries']) },
];

function capabilities(req: RestRequest, ctx: RestContext): RestResult {
  const method = (req.query.method ?? 'GET').toUpperCase();
  const path = req.query.path ?? '/';
  const wanted = (req.query.capabilities ?? '').split(',').filter((c) => c !== '');
  const params = (req.query.parameters ?? '').split(',').filter((p) => p !== '');
  const handler = method === 'GET' || method === 'POST' ? CLAIMED.find((c) => c.paths.includes(path)) : undefined;
  // request parameters are not tracked per handler: a check that names any is not claimed
  const supported = handler !== undefined && params.length === 0 && wanted.every((c) => handler.capabilities.has(c));
  return ok({ _nodes: { total: 1, successful: 1, failed: 0 }, cluster_name: ctx.cluster.clusterName, supported });
}

export const CAPABILITIES_ROUTES: Route[] = [{ method: 'GET', pattern: '/_capabilities', handler: capabilities, params: ['method', 'path', 'parameters', 'capabilities', 'local_only', 'timeout'] }];

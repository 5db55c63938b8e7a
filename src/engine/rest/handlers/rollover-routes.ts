import { rollover } from '../../indices/rollover.js';
import { boolParam, jsonBody } from '../request-params.js';
import { ok } from '../rest-types.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';

/** `POST /<alias>/_rollover[/<new_index>]` (RestRolloverIndexAction). */
function rolloverIndex(req: RestRequest, ctx: RestContext): RestResult {
  return ok(
    rollover(ctx.indices, {
      target: req.params.alias!,
      ...(req.params.new_index !== undefined ? { newIndex: req.params.new_index } : {}),
      dryRun: boolParam(req, 'dry_run', false),
      lazy: boolParam(req, 'lazy', false),
      body: jsonBody(req),
    }),
  );
}

const PARAMS = ['dry_run', 'lazy', 'master_timeout', 'timeout', 'wait_for_active_shards'];

export const ROLLOVER_ROUTES: Route[] = [
  { method: 'POST', pattern: '/{alias}/_rollover', handler: rolloverIndex, params: PARAMS },
  { method: 'POST', pattern: '/{alias}/_rollover/{new_index}', handler: rolloverIndex, params: PARAMS },
];

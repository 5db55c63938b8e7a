import { EngineError } from '../../errors.js';
import { jsonBody } from '../request-params.js';
import { ok } from '../rest-types.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';

/** Stored scripts: `PUT|POST _scripts/<id>[/<context>]`, `GET _scripts/<id>`, `DELETE _scripts/<id>` (RestPutStoredScriptAction and friends). */

function putScript(req: RestRequest, ctx: RestContext): RestResult {
  ctx.scripts.put(req.params.id as string, jsonBody(req, true));
  return ok({ acknowledged: true });
}

function getScript(req: RestRequest, ctx: RestContext): RestResult {
  const id = req.params.id as string;
  const script = ctx.scripts.get(id);
  if (!script) return ok({ _id: id, found: false }, 404);
  return ok({ _id: id, found: true, script: { lang: script.lang, source: script.source, ...(script.options ? { options: script.options } : {}) } });
}

function deleteScript(req: RestRequest, ctx: RestContext): RestResult {
  const id = req.params.id as string;
  if (!ctx.scripts.delete(id)) throw new EngineError(404, 'resource_not_found_exception', `stored script [${id}] does not exist`);
  return ok({ acknowledged: true });
}

const PUT_PARAMS = ['context', 'master_timeout', 'timeout'];

export const SCRIPT_ROUTES: Route[] = [
  { method: 'PUT', pattern: '/_scripts/{id}', handler: putScript, params: PUT_PARAMS },
  { method: 'POST', pattern: '/_scripts/{id}', handler: putScript, params: PUT_PARAMS },
  { method: 'PUT', pattern: '/_scripts/{id}/{context}', handler: putScript, params: PUT_PARAMS },
  { method: 'POST', pattern: '/_scripts/{id}/{context}', handler: putScript, params: PUT_PARAMS },
  { method: 'GET', pattern: '/_scripts/{id}', handler: getScript, params: ['master_timeout'] },
  { method: 'DELETE', pattern: '/_scripts/{id}', handler: deleteScript, params: ['master_timeout', 'timeout'] },
];

import { EngineError, illegalArgument } from '../../errors.js';
import { parseJson } from '../../json-numbers.js';
import type { WriteOp } from '../../indices/indices-service.js';
import type { IndexService, WriteResult } from '../../indices/index-service.js';
import { generateId } from '../../indices/index-names.js';
import { refreshParam } from '../request-params.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { ok } from '../rest-types.js';
import { ROUTE_PARAMS } from '../route-params.js';
import { sourceFilterFromParams } from './document-routes.js';
import { acknowledge, aliasRouting, validateCreate, writeOptions, writeResponse, writeStatus } from '../write-support.js';

type Json = Record<string, unknown>;

const ACTIONS = ['index', 'create', 'update', 'delete'] as const;
type BulkAction = (typeof ACTIONS)[number];

const METADATA = new Set(['_index', '_id', 'routing', 'if_seq_no', 'if_primary_term', 'version', 'version_type', 'require_alias', 'retry_on_conflict', '_source', 'pipeline', 'dynamic_templates', 'list_executed_pipelines', 'op_type', 'require_data_stream']);

interface BulkItem {
  action: BulkAction;
  meta: Json;
  body?: Json;
  rawBody?: string;
  bodyError?: EngineError;
}

function malformed(line: number, detail: string): EngineError {
  return illegalArgument(`Malformed action/metadata line [${line}], ${detail}`);
}

/** Splits the NDJSON body into action/metadata + source pairs, rejecting malformed lines as Elasticsearch does. */
function parseBulk(raw: string): BulkItem[] {
  if (raw.length > 0 && !raw.endsWith('\n')) throw illegalArgument('The bulk request must be terminated by a newline [\\n]');
  const lines = raw.split('\n');
  const items: BulkItem[] = [];
  let i = 0;
  while (i < lines.length) {
    const lineNo = i + 1;
    const line = lines[i]!.trim();
    i++;
    if (line === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw malformed(lineNo, 'expected START_OBJECT or END_OBJECT but found [VALUE_STRING]');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw malformed(lineNo, `expected START_OBJECT but found [${Array.isArray(parsed) ? 'START_ARRAY' : 'VALUE_STRING'}]`);
    }
    const keys = Object.keys(parsed);
    if (keys.length === 0) throw malformed(lineNo, 'expected FIELD_NAME but found [END_OBJECT]');
    if (keys.length !== 1) throw malformed(lineNo, `expected field [create], [delete], [index] or [update] but found [${keys.join(', ')}]`);
    const action = keys[0]! as BulkAction;
    if (!ACTIONS.includes(action)) {
      throw malformed(lineNo, `expected field [create], [delete], [index] or [update] but found [${action}]`);
    }
    const meta = (parsed as Json)[action];
    if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
      throw malformed(lineNo, 'expected START_OBJECT but found [VALUE_STRING]');
    }
    for (const key of Object.keys(meta)) {
      if (!METADATA.has(key)) throw illegalArgument(`Action/metadata line [${lineNo}] contains an unknown parameter [${key}]`);
    }
    const item: BulkItem = { action, meta: meta as Json };
    if (action !== 'delete') {
      const sourceLine = lines[i];
      i++;
      // BulkRequestParser: an action line with no newline-terminated line after it ends the request
      if (sourceLine === undefined || (i === lines.length && sourceLine === '')) break;
      if (sourceLine.trim() === '') {
        throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: 1: ${action === 'update' ? 'script or doc is missing' : 'source is missing'};`);
      }
      try {
        const body = parseJson(sourceLine);
        if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
        item.body = body as Json;
        item.rawBody = sourceLine;
      } catch (error) {
        item.bodyError = new EngineError(400, 'document_parsing_exception', `[1:1] failed to parse: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    items.push(item);
  }
  return items;
}

function runItem(item: BulkItem, defaultIndex: string | undefined, ctx: RestContext, touched: Set<IndexService>, requireAlias: boolean, sourceDefaults: Json, requireDataStream = false): Json {
  const { action, meta } = item;
  const indexName = (meta._index as string | undefined) ?? defaultIndex;
  const idValue = meta._id;
  const base: Json = { _index: indexName, _id: idValue === undefined ? null : String(idValue) };
  try {
    if (!indexName) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: index is missing;');
    if (item.bodyError) throw item.bodyError;
    if (meta.pipeline !== undefined) throw illegalArgument('[ingest pipelines] is not supported by the indexkit embedded engine');
    // a per-item require_alias overrides the request's (BulkRequestParser)
    const itemRequireAlias = meta.require_alias === undefined ? requireAlias : meta.require_alias === true || meta.require_alias === 'true';
    if (itemRequireAlias && ctx.indices.aliasTargets(indexName).length === 0) {
      throw new EngineError(404, 'index_not_found_exception', `no such index [${indexName}] and [require_alias] request flag is [true] and [${indexName}] is not an alias`, { index: indexName });
    }
    // a bulk `index` without an id is still op_type index (only the REST index API defaults it to create)
    const opType = action === 'index' ? (meta.op_type === 'create' ? 'create' : 'index') : action;
    const conditional = meta.if_seq_no !== undefined || meta.if_primary_term !== undefined;
    // a per-item require_data_stream overrides the request's (BulkRequestParser)
    const itemRequireDataStream = meta.require_data_stream === undefined ? requireDataStream : meta.require_data_stream === true || meta.require_data_stream === 'true';
    const service = ctx.indices.resolveWrite(indexName, action !== 'delete', { type: opType as WriteOp['type'], conditional, requireDataStream: itemRequireDataStream && action !== 'delete' && action !== 'update', ...(meta.routing !== undefined && meta.routing !== null ? { routing: String(meta.routing) } : {}) });
    base._index = service.name;
    touched.add(service);
    const options = writeOptions(meta);
    const routing = aliasRouting(service, indexName, options.routing ?? sourceDefaults.routing as string | undefined);
    if (routing !== undefined) options.routing = routing;
    let result: WriteResult;
    if (action === 'index' || action === 'create') {
      const id = idValue === undefined || idValue === null ? generateId() : String(idValue);
      base._id = id;
      if (id === '') throw illegalArgument('if _id is specified it must not be empty');
      if (action === 'create' || idValue === undefined) options.opType = 'create';
      validateCreate(options);
      result = service.index(id, item.body!, options, item.rawBody);
    } else if (action === 'delete') {
      if (idValue === undefined) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: id is missing;');
      result = service.delete(String(idValue), options);
    } else {
      if (idValue === undefined) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: id is missing;');
      const { _source: sourceSpec, ...body } = item.body!;
      const spec = meta._source ?? sourceSpec ?? sourceDefaults._source;
      const wantSource = (spec !== undefined && spec !== false && spec !== 'false') || sourceDefaults._source_includes !== undefined;
      result = service.update(String(idValue), body, { ifSeqNo: options.ifSeqNo, ifPrimaryTerm: options.ifPrimaryTerm, ...(options.routing !== undefined ? { routing: options.routing } : {}), wantSource });
      const response: Json = { ...writeResponse(service, result, false), status: writeStatus(result) };
      if (wantSource && result.source) {
        const filtered = sourceFilterFromParams(
          spec !== undefined && spec !== true && spec !== 'true' ? { _source: spec } : { _source_includes: sourceDefaults._source_includes, _source_excludes: sourceDefaults._source_excludes },
        )(result.source);
        response.get = { _seq_no: result.seqNo, _primary_term: 1, found: true, ...(filtered ? { _source: filtered } : {}) };
      }
      return response;
    }
    return { ...writeResponse(service, result, false), status: writeStatus(result) };
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    return { ...base, status: error.status, error: error.toBody() };
  }
}

async function bulk(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  const started = Date.now();
  const refresh = refreshParam(req);
  if (req.query.pipeline !== undefined) throw illegalArgument('[ingest pipelines] is not supported by the indexkit embedded engine');
  const items = parseBulk(req.rawBody);
  if (items.length === 0) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: no requests added;');
  const touched = new Set<IndexService>();
  const requireAlias = req.query.require_alias === 'true';
  const defaults: Json = {};
  for (const key of ['_source', '_source_includes', '_source_excludes', 'routing']) if (req.query[key] !== undefined) defaults[key] = req.query[key];
  const results: Json[] = [];
  let errors = false;
  for (const item of items) {
    const response = runItem(item, req.params.index, ctx, touched, requireAlias, defaults, req.query.require_data_stream === 'true');
    if (response.error) errors = true;
    results.push({ [item.action === 'index' && item.meta.op_type === 'create' ? 'create' : item.action]: response });
  }
  acknowledge(touched, refresh);
  return ok({ took: Date.now() - started, errors, items: results });
}

export const BULK_ROUTES: Route[] = [
  { method: 'POST', pattern: '/_bulk', handler: bulk, params: ROUTE_PARAMS.bulk },
  { method: 'PUT', pattern: '/_bulk', handler: bulk, params: ROUTE_PARAMS.bulk },
  { method: 'POST', pattern: '/{index}/_bulk', handler: bulk, params: ROUTE_PARAMS.bulk },
  { method: 'PUT', pattern: '/{index}/_bulk', handler: bulk, params: ROUTE_PARAMS.bulk },
];

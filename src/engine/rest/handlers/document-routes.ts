import { countTokens } from '../../analysis/token-count.js';
import { EngineError, illegalArgument, indexNotFound, unsupported } from '../../errors.js';
import type { IndexService } from '../../indices/index-service.js';
import { generateId } from '../../indices/index-names.js';
import { filterSource } from '../../indices/source-filter.js';
import { parseJson } from '../../json-numbers.js';
import { boolParam, jsonBody, jsonParseError, listParam, refreshParam } from '../request-params.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { ok } from '../rest-types.js';
import { ROUTE_PARAMS } from '../route-params.js';
import { acknowledge, aliasRouting, validateCreate, writeOptions, writeResponse, writeStatus } from '../write-support.js';
import { withCopiedValues } from '../../search/doc-fields.js';

type Json = Record<string, unknown>;

function documentBody(req: RestRequest): Json {
  const text = req.rawBody.trim();
  if (text === '') throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: source is missing;');
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (error) {
    const cause = jsonParseError(error);
    throw new EngineError(400, 'document_parsing_exception', 'failed to parse', {}, cause);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EngineError(400, 'document_parsing_exception', 'failed to parse, document is empty');
  }
  return value as Json;
}

/** `_source`, `_source_includes`, `_source_excludes` applied to one source. */
export function sourceFilterFromParams(
  params: { _source?: unknown; _source_includes?: unknown; _source_excludes?: unknown },
): (source: Json | undefined) => Json | undefined | false {
  const list = (value: unknown): string[] =>
    value === undefined ? [] : Array.isArray(value) ? value.map(String) : String(value).split(',').filter((s) => s !== '');
  let includes = list(params._source_includes);
  const excludes = list(params._source_excludes);
  const flag = params._source;
  if (flag === false || flag === 'false') return () => false;
  if (flag !== undefined && flag !== true && flag !== 'true' && flag !== '') {
    if (typeof flag === 'object' && flag !== null && !Array.isArray(flag)) {
      const record = flag as Json;
      includes = list(record.includes ?? record.include);
      return (source) => (source ? filterSource(source, includes, list(record.excludes ?? record.exclude)) : source);
    }
    includes = list(flag);
  }
  return (source) => (source ? filterSource(source, includes, excludes) : source);
}

/** Values at a dotted path of a source (arrays flattened), for `stored_fields`. */
export function valuesAt(source: unknown, parts: string[], keepNull = false): unknown[] {
  if (Array.isArray(source)) return source.flatMap((item) => valuesAt(item, parts, keepNull));
  if (parts.length === 0) return source === null ? (keepNull ? [null] : []) : source === undefined ? [] : [source];
  if (typeof source !== 'object' || source === null) return [];
  const record = source as Json;
  const out: unknown[] = [];
  for (let i = 1; i <= parts.length; i++) {
    const key = parts.slice(0, i).join('.');
    if (key in record) out.push(...valuesAt(record[key], parts.slice(i), keepNull));
  }
  return out;
}

const NUMERIC_TYPES = new Set(['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long']);

/**
 * `stored_fields`: the values of the requested fields mapped with `store: true` (others are not
 * stored and are left out, as Elasticsearch does); `_source` in the list keeps the source.
 */
function storedFields(service: IndexService, source: Json | undefined, names: string[]): Json | undefined {
  const lookup = service.mapping.lookup();
  const fields: Json = {};
  for (const name of names) {
    if (name === '_source') continue;
    const info = lookup.field(name);
    if (!info?.stored) continue;
    // a token_count's null is stored as its null_value
    const given = (source ? withCopiedValues(lookup, source, info.path) : undefined) ?? valuesAt(source, info.path.split('.'), info.type === 'token_count' && info.nullTokenCount !== undefined);
    const values = given.map((v) =>
      info.type === 'token_count' && info.analyzer
        ? v === null
          ? info.nullTokenCount
          : countTokens(info.analyzer, String(v), info.enablePositionIncrements !== false)
        : NUMERIC_TYPES.has(info.type) && typeof v === 'string' ? Number(v) : v,
    ).filter((v) => v !== undefined);
    if (values.length > 0) fields[name] = values;
  }
  return Object.keys(fields).length > 0 ? fields : undefined;
}

/**
 * `force_synthetic_source`: the source of an index that stores it, synthesized as if it did not.
 * Its documents lack what synthetic source needs from indexing (values over ignore_above, text
 * without a keyword sub-field...), so only an index whose source is already synthetic takes it.
 */
function checkForceSynthetic(req: RestRequest, service: IndexService): void {
  if (boolParam(req, 'force_synthetic_source', false) && service.mapping.sourceMode !== 'synthetic') {
    throw unsupported(`force_synthetic_source on index [${service.name}] whose _source is ${service.mapping.sourceMode}`);
  }
}

/** A GET-style answer for one id (shared by GET and _mget). */
export function getResult(service: IndexService, id: string, filter: ReturnType<typeof sourceFilterFromParams>, realtime: boolean, stored?: { names: string[]; sourceRequested: boolean }, routing?: string, counted = true): Json {
  const doc = realtime ? service.get(id, routing) : counted ? nonRealtimeGet(service, id, routing) : readFromView(service, id, routing);
  if (!doc) return { _index: service.name, _id: id, found: false };
  const body: Json = { _index: service.name, _id: id, _version: doc.version, _seq_no: doc.seqNo, _primary_term: 1, found: true };
  if (doc.routing !== undefined && !service.mapping.routingDocValues) body._routing = doc.routing;
  const source = stored && !stored.sourceRequested ? false : filter(doc.source);
  if (source !== false && source !== undefined) body._source = source;
  if (stored) {
    const fields = storedFields(service, doc.original, stored.names);
    if (fields) body.fields = fields;
  }
  return body;
}

function storedFieldsParam(value: unknown, sourceParam: unknown): { names: string[]; sourceRequested: boolean } | undefined {
  if (value === undefined) return undefined;
  const names = Array.isArray(value) ? value.map(String) : String(value).split(',').filter((s) => s !== '');
  return { names, sourceRequested: names.includes('_source') || (sourceParam !== undefined && sourceParam !== false && sourceParam !== 'false') };
}

function nonRealtimeGet(service: IndexService, id: string, routing?: string): { version: number; seqNo: number; source: Json | undefined; original: Json | undefined; routing?: string } | undefined {
  service.checkRouting(id, routing);
  return service.gets.record(() => readFromView(service, id, routing));
}

/** A get from the last refreshed view (realtime=false). */
export function readFromView(service: IndexService, id: string, routing?: string): { version: number; seqNo: number; source: Json | undefined; original: Json | undefined; routing?: string } | undefined {
  const view = service.searchViews()[service.routing.shardId(id, routing)]!;
  for (const segment of view.segments) {
    for (let doc = segment.maxDoc - 1; doc >= 0; doc--) {
      if (segment.isLive(doc) && segment.nestedPath(doc) === undefined && segment.id(doc) === id) {
        const docRouting = view.routingOf(id);
        return { version: segment.version(doc), seqNo: segment.seqNo(doc), source: segment.source(doc), original: segment.storedSource(doc), ...(docRouting !== undefined ? { routing: docRouting } : {}) };
      }
    }
  }
  return undefined;
}

function indexDoc(mode: 'index' | 'create' | 'auto') {
  return (req: RestRequest, ctx: RestContext): RestResult => {
    const source = documentBody(req);
    const opType = mode === 'index' && req.query.op_type !== 'create' ? 'index' : 'create';
    const conditional = req.query.if_seq_no !== undefined || req.query.if_primary_term !== undefined;
    const service = ctx.indices.resolveWrite(req.params.index!, req.query.require_alias !== 'true', { type: opType, conditional, requireDataStream: req.query.require_data_stream === 'true', ...(req.query.routing !== undefined ? { routing: req.query.routing } : {}) });
    if (req.query.require_alias === 'true' && ctx.indices.get(req.params.index!)) {
      throw new EngineError(404, 'index_not_found_exception', `no such index [${req.params.index!}] and [require_alias] request flag is [true] and [${req.params.index!}] is not an alias`, { index: req.params.index! });
    }
    if (req.query.pipeline !== undefined) throw illegalArgument('[ingest pipelines] is not supported by the indexkit embedded engine');
    const options = writeOptions(req.query);
    const routing = aliasRouting(service, req.params.index!, options.routing);
    if (routing !== undefined) options.routing = routing;
    if (mode === 'create') options.opType = 'create';
    const id = mode === 'auto' ? generateId() : req.params.id!;
    if (mode === 'auto') options.opType = 'create';
    validateCreate(options);
    const refresh = refreshParam(req);
    const result = service.index(id, source, options, req.rawBody.trim());
    acknowledge([service], refresh);
    return ok(writeResponse(service, result, refresh === 'true'), writeStatus(result));
  };
}

function getDoc(req: RestRequest, ctx: RestContext): RestResult {
  // GetRequest.toString names the request a red index could not serve
  const service = ctx.indices.resolveSingle(req.params.index!, `get [${req.params.index!}][${req.params.id!}]: routing [${req.query.routing ?? 'null'}]`);
  checkForceSynthetic(req, service);
  if (boolParam(req, 'refresh', false)) service.refresh();
  const filter = sourceFilterFromParams({
    _source: req.query._source,
    _source_includes: listParam(req, '_source_includes'),
    _source_excludes: listParam(req, '_source_excludes'),
  });
  const stored = storedFieldsParam(req.query.stored_fields, req.query._source ?? req.query._source_includes ?? req.query._source_excludes);
  const body = getResult(service, req.params.id!, filter, boolParam(req, 'realtime', true), stored, aliasRouting(service, req.params.index!, req.query.routing));
  const version = req.query.version;
  if (body.found && version !== undefined && Number(version) !== body._version) {
    throw new EngineError(409, 'version_conflict_engine_exception', `[${req.params.id!}]: version conflict, current version [${String(body._version)}] is different than the one provided [${version}]`, { index_uuid: service.uuid, shard: String(service.routing.shardId(req.params.id!, req.query.routing)), index: service.name });
  }
  return ok(body, body.found ? 200 : 404);
}

function getSource(req: RestRequest, ctx: RestContext): RestResult {
  const service = ctx.indices.resolveSingle(req.params.index!);
  if (boolParam(req, 'refresh', false)) service.refresh();
  const routing = aliasRouting(service, req.params.index!, req.query.routing);
  const doc = boolParam(req, 'realtime', true) ? service.get(req.params.id!, routing) : nonRealtimeGet(service, req.params.id!, routing);
  if (!doc) {
    throw new EngineError(404, 'resource_not_found_exception', `Document not found [${service.name}]/[${req.params.id!}]`);
  }
  if (!doc.source) {
    throw new EngineError(404, 'resource_not_found_exception', `Source not available [${service.name}]/[${req.params.id!}]`);
  }
  const filter = sourceFilterFromParams({ _source: req.query._source, _source_includes: listParam(req, '_source_includes'), _source_excludes: listParam(req, '_source_excludes') });
  const source = filter(doc.source);
  return ok(source === false ? {} : source);
}

function deleteDoc(req: RestRequest, ctx: RestContext): RestResult {
  const service = ctx.indices.get(req.params.index!) ?? ctx.indices.resolveWrite(req.params.index!, false, { type: 'delete' });
  const refresh = refreshParam(req);
  const options = writeOptions(req.query);
  const routing = aliasRouting(service, req.params.index!, options.routing);
  if (routing !== undefined) options.routing = routing;
  const result = service.delete(req.params.id!, options);
  acknowledge([service], refresh);
  return ok(writeResponse(service, result, refresh === 'true'), writeStatus(result));
}

function updateDoc(req: RestRequest, ctx: RestContext): RestResult {
  const body = jsonBody(req, true);
  if (req.query.require_alias === 'true' && ctx.indices.aliasTargets(req.params.index!).length === 0) {
    throw new EngineError(404, 'index_not_found_exception', `no such index [${req.params.index!}] and [require_alias] request flag is [true] and [${req.params.index!}] is not an alias`, { index: req.params.index! });
  }
  const service = ctx.indices.resolveWrite(req.params.index!, true, { type: 'update' });
  const refresh = refreshParam(req);
  const sourceParam: unknown = req.query._source ?? body._source;
  const wantSource = sourceParam !== undefined && sourceParam !== false && sourceParam !== 'false';
  const { _source: _ignored, ...rest } = body;
  void _ignored;
  const options = writeOptions({ if_seq_no: req.query.if_seq_no, if_primary_term: req.query.if_primary_term, routing: aliasRouting(service, req.params.index!, req.query.routing) });
  const result = service.update(req.params.id!, rest, { ...options, wantSource });
  acknowledge([service], refresh);
  const response = writeResponse(service, result, refresh === 'true' && result.result !== 'noop');
  if (wantSource && result.source) {
    const filter = sourceFilterFromParams({ _source: sourceParam === true ? undefined : sourceParam, _source_includes: listParam(req, '_source_includes'), _source_excludes: listParam(req, '_source_excludes') });
    const filtered = filter(result.source);
    response.get = { _seq_no: result.seqNo, _primary_term: 1, found: true, ...(filtered ? { _source: filtered } : {}) };
  }
  return ok(response, writeStatus(result));
}

const MGET_DOC_KEYS = new Set(['_index', '_id', 'routing', 'stored_fields', 'version', 'version_type', '_source']);

function mget(req: RestRequest, ctx: RestContext): RestResult {
  const body = jsonBody(req, true);
  const defaultIndex = req.params.index;
  const realtime = boolParam(req, 'realtime', true);
  if (boolParam(req, 'refresh', false)) for (const r of ctx.indices.resolve(defaultIndex)) r.service.refresh();
  const paramFilter = { _source: req.query._source, _source_includes: listParam(req, '_source_includes'), _source_excludes: listParam(req, '_source_excludes') };
  let requests: Json[];
  if (Array.isArray(body.docs)) requests = body.docs as Json[];
  else if (Array.isArray(body.ids)) requests = body.ids.map((id) => ({ _id: id }));
  else throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: no documents to get;');
  if (requests.length === 0) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: no documents to get;');
  // MultiGetRequest: unknown keys are a parse error; a missing index or id fails the whole request.
  const problems: string[] = [];
  requests.forEach((spec, i) => {
    if (typeof spec !== 'object' || spec === null) return;
    for (const key of Object.keys(spec)) {
      if (!MGET_DOC_KEYS.has(key)) throw new EngineError(400, 'parse_exception', `failed to parse multi get request. unknown field [${key}]`);
    }
    if ((spec._index ?? defaultIndex) === undefined) problems.push(`index is missing for doc ${i}`);
    if (spec._id === undefined || spec._id === null) problems.push(`id is missing for doc ${i}`);
  });
  if (problems.length > 0) throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: ${problems.map((p, i) => `${i + 1}: ${p};`).join('')}`);
  const docs = requests.map((spec) => {
    const index = ((spec._index as string | undefined) ?? defaultIndex)!;
    const id = String(spec._id);
    let service: IndexService;
    try {
      service = ctx.indices.resolveSingle(index);
    } catch (error) {
      const failure = error instanceof EngineError ? error : indexNotFound(index);
      return { _index: index, _id: id, error: failure.toResponse().error };
    }
    const filter = sourceFilterFromParams(spec._source !== undefined ? { _source: spec._source } : paramFilter);
    const stored = storedFieldsParam(spec.stored_fields ?? req.query.stored_fields, spec._source ?? req.query._source ?? req.query._source_includes ?? req.query._source_excludes);
    const requested = spec.routing ?? req.query.routing;
    try {
      checkForceSynthetic(req, service);
      const routing = aliasRouting(service, index, requested === undefined || requested === null ? undefined : String(requested));
      return getResult(service, id, filter, realtime, stored, routing);
    } catch (error) {
      if (!(error instanceof EngineError) || error.type !== 'routing_missing_exception') throw error;
      return { _index: index, _id: id, error: error.toResponse().error };
    }
  });
  return ok({ docs });
}

export const DOCUMENT_ROUTES: Route[] = [
  { method: 'PUT', pattern: '/{index}/_doc/{id}', handler: indexDoc('index'), params: ROUTE_PARAMS.index },
  { method: 'POST', pattern: '/{index}/_doc/{id}', handler: indexDoc('index'), params: ROUTE_PARAMS.index },
  { method: 'POST', pattern: '/{index}/_doc', handler: indexDoc('auto'), params: ROUTE_PARAMS.index },
  { method: 'PUT', pattern: '/{index}/_create/{id}', handler: indexDoc('create'), params: ROUTE_PARAMS.create },
  { method: 'POST', pattern: '/{index}/_create/{id}', handler: indexDoc('create'), params: ROUTE_PARAMS.create },
  { method: 'GET', pattern: '/{index}/_doc/{id}', handler: getDoc, params: ROUTE_PARAMS.get },
  { method: 'HEAD', pattern: '/{index}/_doc/{id}', handler: (req, ctx) => ({ ...getDoc(req, ctx), body: '' }), params: ROUTE_PARAMS.get },
  { method: 'GET', pattern: '/{index}/_source/{id}', handler: getSource, params: ROUTE_PARAMS.get },
  { method: 'HEAD', pattern: '/{index}/_source/{id}', handler: getSource, params: ROUTE_PARAMS.get },
  { method: 'DELETE', pattern: '/{index}/_doc/{id}', handler: deleteDoc, params: ROUTE_PARAMS.delete },
  { method: 'POST', pattern: '/{index}/_update/{id}', handler: updateDoc, params: ROUTE_PARAMS.update },
  { method: 'GET', pattern: '/_mget', handler: mget, params: ROUTE_PARAMS.mget },
  { method: 'POST', pattern: '/_mget', handler: mget, params: ROUTE_PARAMS.mget },
  { method: 'GET', pattern: '/{index}/_mget', handler: mget, params: ROUTE_PARAMS.mget },
  { method: 'POST', pattern: '/{index}/_mget', handler: mget, params: ROUTE_PARAMS.mget },
];

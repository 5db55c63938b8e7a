import type { Analyzer, IndexView } from '../../contract.js';
import { EngineError, illegalArgument, unsupported } from '../../errors.js';
import type { IndexService } from '../../indices/index-service.js';
import { DEFAULT_FILTER, analyzeValues, renderTermVectors } from '../../search/term-vectors.js';
import type { FieldVector, FilterSettings, TermVectorsFlags } from '../../search/term-vectors.js';
import { jsonBody } from '../request-params.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { ok } from '../rest-types.js';
import { aliasRouting } from '../write-support.js';
import { readFromView, valuesAt } from './document-routes.js';

type Json = Record<string, unknown>;

/**
 * `_termvectors` and `_mtermvectors` (RestTermVectorsAction, TermVectorsService): the term vectors
 * of an indexed document (stored ones per the `term_vector` mapping, others generated from
 * `_source` for the `fields` asked for) or of an artificial `doc`, with the statistics of the shard
 * the document routes to (an artificial doc without routing: the first shard).
 */
interface TermVectorsRequest {
  index?: string;
  id?: string;
  doc?: Json;
  routing?: string;
  version?: number;
  versionType?: string;
  realtime: boolean;
  fields?: string[];
  perFieldAnalyzer?: Record<string, string>;
  filter?: FilterSettings;
  flags: TermVectorsFlags;
}

const PARAMS = ['fields', 'field_statistics', 'offsets', 'payloads', 'positions', 'preference', 'realtime', 'routing', 'term_statistics', 'version', 'version_type'];
const STORED_TERM_VECTORS = new Set(['yes', 'with_positions', 'with_offsets', 'with_positions_offsets', 'with_positions_payloads', 'with_positions_offsets_payloads']);
/** Metadata fields of a string type that a wildcard can select (their values are not in `_source`). */
const STRING_METADATA = new Set(['_routing', '_ignored', '_nested_path']);

function parseError(reason: string): EngineError {
  return new EngineError(400, 'parse_exception', reason);
}

function booleanValue(value: unknown, name: string): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw parseError(`failed to parse term vectors request. [${name}] must be a boolean`);
}

/** The request template the URL gives (RestTermVectorsAction.readURIParameters). */
function fromUrl(req: RestRequest): TermVectorsRequest {
  const q = req.query;
  const bool = (name: string, fallback: boolean): boolean => (q[name] === undefined ? fallback : q[name] === '' || booleanValue(q[name], name));
  const out: TermVectorsRequest = {
    realtime: bool('realtime', true),
    flags: { positions: bool('positions', true), offsets: bool('offsets', true), payloads: bool('payloads', true), termStatistics: bool('term_statistics', false), fieldStatistics: bool('field_statistics', true) },
  };
  if (q.routing !== undefined) out.routing = q.routing;
  if (q.version !== undefined) out.version = Number(q.version);
  if (q.version_type !== undefined) out.versionType = q.version_type;
  if (q.fields !== undefined) out.fields = q.fields.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (q.preference !== undefined) throw unsupported('preference of the term vectors API');
  return out;
}

function readFilter(value: unknown): FilterSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw parseError('failed to parse term vectors request. [filter] must be an object');
  const out = { ...DEFAULT_FILTER };
  const keys: Record<string, keyof FilterSettings> = { max_num_terms: 'maxNumTerms', min_term_freq: 'minTermFreq', max_term_freq: 'maxTermFreq', min_doc_freq: 'minDocFreq', max_doc_freq: 'maxDocFreq', min_word_length: 'minWordLength', max_word_length: 'maxWordLength' };
  for (const [key, raw] of Object.entries(value as Json)) {
    const target = keys[key];
    if (!target) throw parseError(`failed to parse term vectors request. the field [${key}] is not valid for filter parameter for term vector request`);
    const n = Number(raw);
    if (!Number.isInteger(n)) throw parseError(`failed to parse term vectors request. [${key}] must be an integer`);
    out[target] = n;
  }
  return out;
}

/** TermVectorsRequest.parseRequest: the body's keys over the template. */
function parseBody(template: TermVectorsRequest, body: Json): TermVectorsRequest {
  const out: TermVectorsRequest = { ...template, flags: { ...template.flags } };
  for (const [key, value] of Object.entries(body)) {
    switch (key) {
      case 'fields':
        if (!Array.isArray(value)) throw parseError('failed to parse term vectors request. field [fields] must be an array');
        out.fields = value.map(String);
        break;
      case 'offsets':
      case 'positions':
      case 'payloads':
        out.flags[key] = booleanValue(value, key);
        break;
      case 'term_statistics':
      case 'termStatistics':
        out.flags.termStatistics = booleanValue(value, key);
        break;
      case 'field_statistics':
      case 'fieldStatistics':
        out.flags.fieldStatistics = booleanValue(value, key);
        break;
      case 'dfs':
        throw illegalArgument('distributed frequencies is not supported anymore for term vectors');
      case 'per_field_analyzer':
      case 'perFieldAnalyzer':
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw parseError('failed to parse term vectors request. [per_field_analyzer] must be an object');
        out.perFieldAnalyzer = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, String(v)]));
        break;
      case 'filter':
        out.filter = readFilter(value);
        break;
      case '_index':
        out.index = String(value);
        break;
      case '_id':
        if (out.doc !== undefined) throw parseError('failed to parse term vectors request. either [id] or [doc] can be specified, but not both!');
        out.id = String(value);
        break;
      case 'doc':
        if (out.id !== undefined) throw parseError('failed to parse term vectors request. either [id] or [doc] can be specified, but not both!');
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw parseError('failed to parse term vectors request. [doc] must be an object');
        out.doc = value as Json;
        break;
      case 'routing':
      case '_routing':
        out.routing = String(value);
        break;
      case 'version':
      case '_version':
        out.version = Number(value);
        break;
      case 'version_type':
      case '_version_type':
        out.versionType = String(value);
        break;
      default:
        throw parseError(`failed to parse term vectors request. unknown field [${key}]`);
    }
  }
  return out;
}

function validate(request: TermVectorsRequest): string[] {
  const problems: string[] = [];
  if (request.index === undefined) problems.push('index is missing');
  if (request.id === undefined && request.doc === undefined) problems.push('id or doc is missing');
  return problems;
}

function validationError(problems: string[]): EngineError {
  return new EngineError(400, 'action_request_validation_exception', `Validation Failed: ${problems.map((p, i) => `${i + 1}: ${p};`).join('')}`);
}

/** MappingLookup#getMatchingFieldNames of every `fields` pattern: names that are not mapped drop out. */
function selectedFields(service: IndexService, patterns: readonly string[]): Set<string> {
  const known = [...service.mapping.lookup().fieldPaths()];
  const out = new Set<string>();
  for (const pattern of patterns) {
    if (pattern.includes('*')) {
      const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      for (const path of known) if (re.test(path)) out.add(path);
      for (const name of STRING_METADATA) if (re.test(name)) out.add(name);
    } else if (known.includes(pattern) || STRING_METADATA.has(pattern)) out.add(pattern);
  }
  return out;
}

/** TermVectorsService.isValidField: a mapped string field (text, keyword) that is indexed; other string types are not built. */
function validField(service: IndexService, path: string): boolean {
  if (STRING_METADATA.has(path)) throw unsupported(`term vectors of the metadata field [${path}]`);
  const info = service.mapping.lookup().field(path);
  if (!info || info.path !== path) {
    if (service.mapping.lookup().aliasTarget?.(path) !== undefined) throw unsupported('term vectors of a field alias');
    return false;
  }
  if (info.runtime || info.type === 'constant_keyword') return false;
  if (info.sayt || info.matchOnly || info.flattened || info.join || info.metadata) throw unsupported(`term vectors of a field of type [${service.mapping.leaf(path)?.type ?? info.type}]`);
  if (info.type !== 'text' && info.type !== 'keyword') return false;
  return info.indexed;
}

function termVectorSetting(service: IndexService, path: string): string | undefined {
  const value = service.mapping.leaf(path)?.params.term_vector;
  return typeof value === 'string' && STORED_TERM_VECTORS.has(value) ? value : undefined;
}

/** A multi-field (`title.raw`) is indexed from its parent's values. */
function indexedFrom(service: IndexService, path: string): string {
  const dot = path.lastIndexOf('.');
  if (dot > 0 && service.mapping.leaf(path.slice(0, dot))?.multiFields.get(path.slice(dot + 1))?.path === path) return path.slice(0, dot);
  return path;
}

function isCopyToTarget(service: IndexService, path: string): boolean {
  return service.mapping
    .lookup()
    .fieldPaths()
    .some((p) => service.mapping.leaf(p)?.copyTo.includes(path) === true);
}

/** XContentMapValues.extractRawValues, each value's text as Java's toString gives it. */
function rawValues(source: Json | undefined, path: string): string[] {
  if (!source) return [];
  const out: string[] = [];
  for (const v of valuesAt(source, path.split('.'), true)) {
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 53)) out.push(String(v));
    else throw unsupported('term vectors of a value that is not a string, an integer or a boolean');
  }
  return out;
}

/** MapperService#indexAnalyzer or the per_field_analyzer entry (unknown names: the index's default analyzer). */
function analyzerFor(service: IndexService, path: string, perField: Record<string, string> | undefined, values: readonly string[]): { analyzer?: Analyzer; normalize?: (s: string) => string } {
  const analysis = service.mapping.lookup();
  const info = analysis.field(path)!;
  const registry = service.analysis;
  if (perField && path in perField) {
    // a pre-built analyzer's position increment gap (0) differs from a custom one's (100): one value only
    if (values.length > 1) throw unsupported('per_field_analyzer on a field with several values');
    return { analyzer: registry.analyzer(perField[path]!) ?? registry.analyzer('default') };
  }
  if (info.type === 'text') return { analyzer: info.analyzer ?? registry.analyzer('default') };
  return info.normalizer ? { normalize: (s) => info.normalizer!.normalize(s) } : {};
}

/** A vector generated in a MemoryIndex: positions always, offsets when the request asks for them. */
function generated(service: IndexService, path: string, values: readonly string[], request: TermVectorsRequest): FieldVector | undefined {
  if (values.length === 0) return undefined;
  const { analyzer, normalize } = analyzerFor(service, path, request.perFieldAnalyzer, values);
  const terms = analyzeValues(values, analyzer, normalize);
  if (terms.size === 0) return undefined;
  return { hasPositions: true, hasOffsets: request.flags.offsets, hasPayloads: false, terms };
}

/** A vector stored at index time, rebuilt from the values the document was indexed with. */
function stored(service: IndexService, path: string, setting: string, original: Json | undefined): FieldVector | undefined {
  if (isCopyToTarget(service, path)) throw unsupported('stored term vectors of a copy_to target');
  const values = rawValues(original, indexedFrom(service, path));
  if (values.length === 0) return undefined;
  const info = service.mapping.lookup().field(path)!;
  const { analyzer, normalize } = info.type === 'text' ? { analyzer: info.analyzer, normalize: undefined } : analyzerFor(service, path, undefined, values);
  const terms = analyzeValues(values, analyzer, normalize);
  if (terms.size === 0) return undefined;
  return { hasPositions: setting.includes('positions'), hasOffsets: setting.includes('offsets'), hasPayloads: setting.includes('payloads'), terms };
}

/** The vectors of an indexed document (TermVectorsService: stored ones, then generated ones for selected fields). */
function documentVectors(service: IndexService, original: Json | undefined, request: TermVectorsRequest): Map<string, FieldVector> {
  const vectors = new Map<string, FieldVector>();
  const selected = request.fields ? selectedFields(service, request.fields) : undefined;
  const paths = service.mapping.lookup().fieldPaths();
  for (const path of paths) {
    const setting = termVectorSetting(service, path);
    if (!setting || (selected && !selected.has(path))) continue;
    if (request.perFieldAnalyzer && path in request.perFieldAnalyzer) continue;
    if (!validField(service, path)) continue;
    // a nested field's vectors are stored with its nested Lucene document, not the root one read here
    if (service.mapping.lookup().field(path)!.nestedPath !== undefined) continue;
    const vector = stored(service, path, setting, original);
    if (vector) vectors.set(path, vector);
  }
  // per_field_analyzer without `fields`: the stored fields it names are generated again
  const toGenerate = selected ?? new Set(Object.keys(request.perFieldAnalyzer ?? {}).filter((p) => termVectorSetting(service, p) !== undefined));
  for (const path of toGenerate) {
    if (!validField(service, path)) continue;
    if (termVectorSetting(service, path) && !(request.perFieldAnalyzer && path in request.perFieldAnalyzer)) continue;
    // generated from `_source` by the field's own path (a multi-field or copy_to target has none there)
    const vector = generated(service, path, rawValues(original, path), request);
    if (vector) vectors.set(path, vector);
    else vectors.delete(path);
  }
  return vectors;
}

/** The vectors of an artificial document: its mapped text fields (unmapped ones are not added to the mapping). */
function artificialVectors(service: IndexService, doc: Json, request: TermVectorsRequest): Map<string, FieldVector> {
  service.parseDetached(doc);
  const vectors = new Map<string, FieldVector>();
  const selected = request.fields ? selectedFields(service, request.fields) : undefined;
  for (const path of service.mapping.lookup().fieldPaths()) {
    if (selected && !selected.has(path)) continue;
    if (!validField(service, path)) continue;
    // only the root document's fields: nested ones are other Lucene documents
    if (service.mapping.lookup().field(path)!.nestedPath !== undefined) continue;
    const values = rawValues(doc, indexedFrom(service, path));
    if (isCopyToTarget(service, path)) throw unsupported('term vectors of a copy_to target in an artificial document');
    if (values.length === 0) continue;
    // a keyword is indexed as bytes, which the parsed document's string values leave out
    if (service.mapping.lookup().field(path)!.type === 'keyword') throw unsupported('term vectors of a keyword field of an artificial document');
    const vector = generated(service, path, values, request);
    if (vector) vectors.set(path, vector);
  }
  return vectors;
}

/** The term vectors of one request, as TermVectorsService answers on the document's shard. */
function termVectors(ctx: RestContext, request: TermVectorsRequest, indexName: string): Json {
  const started = Date.now();
  const service = ctx.indices.resolveSingle(indexName);
  if (request.versionType !== undefined && request.versionType !== 'internal') throw unsupported(`version_type [${request.versionType}] of the term vectors API`);
  const routing = aliasRouting(service, indexName, request.routing);
  if (request.doc !== undefined) {
    const shard = routing !== undefined ? service.routing.shardId('', routing) : 0;
    const view = service.searchViews()[shard]!;
    const vectors = artificialVectors(service, request.doc, request);
    return { _index: service.name, _version: 0, found: true, took: Date.now() - started, term_vectors: renderTermVectors(view, vectors, request.flags, request.filter) };
  }
  const id = request.id!;
  service.checkRouting(id, routing);
  const shardId = service.routing.shardId(id, routing);
  const doc = request.realtime ? service.get(id, routing) : readFromView(service, id, routing);
  // a realtime read of a document not refreshed yet refreshes the shard's internal reader first
  const view: IndexView | undefined = request.realtime ? service.shards[shardId]!.realtimeView(id) : service.searchViews()[shardId]!;
  const head = { _index: service.name, _id: id };
  if (!doc) return { ...head, _version: 0, found: false, took: Date.now() - started };
  if (request.version !== undefined && request.version !== doc.version) {
    throw new EngineError(409, 'version_conflict_engine_exception', `[${id}]: version conflict, current version [${doc.version}] is different than the one provided [${request.version}]`, { index_uuid: service.uuid, shard: String(shardId), index: service.name });
  }
  const vectors = documentVectors(service, doc.original ?? doc.source, request);
  if (!view && vectors.size > 0 && (request.flags.fieldStatistics || request.flags.termStatistics || request.filter)) {
    throw unsupported('term vector statistics of a realtime read after writes the engine cannot place in the shard\'s internal reader (use realtime=false or refresh first)');
  }
  return { ...head, _version: doc.version, found: true, took: Date.now() - started, term_vectors: renderTermVectors(view, vectors, request.flags, request.filter) };
}

function termVectorsRoute(req: RestRequest, ctx: RestContext): RestResult {
  let request = fromUrl(req);
  request.index = req.params.index;
  if (req.params.id !== undefined) request.id = req.params.id;
  const body = jsonBody(req);
  if (Object.keys(body).length > 0) request = parseBody(request, body);
  const problems = validate(request);
  if (problems.length > 0) throw validationError(problems);
  const result = termVectors(ctx, request, request.index!);
  return ok(result);
}

/** Metadata.resolveIndexRouting's check of an alias to several indices, as multi term vectors items meet it. */
function checkSingleIndexAlias(ctx: RestContext, name: string): void {
  if (ctx.indices.get(name)) return;
  const targets = ctx.indices.aliasTargets(name);
  if (targets.length > 1) throw illegalArgument(`Alias [${name}] has more than one index associated with it [[${targets.map((t) => t.name).join(', ')}]], can't execute a single index op`);
}

function multiTermVectors(req: RestRequest, ctx: RestContext): RestResult {
  const template = fromUrl(req);
  if (req.params.index !== undefined) template.index = req.params.index;
  const body = jsonBody(req);
  const requests: TermVectorsRequest[] = [];
  for (const id of req.query.ids?.split(',').filter((s) => s !== '') ?? []) requests.push({ ...template, flags: { ...template.flags }, id });
  let base = template;
  for (const [key, value] of Object.entries(body)) {
    if (key === 'docs' && Array.isArray(value)) {
      for (const item of value) {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) throw parseError('failed to parse multi term vectors request. docs must hold objects');
        requests.push(parseBody(base, item as Json));
      }
    } else if (key === 'ids' && Array.isArray(value)) {
      for (const id of value) requests.push({ ...base, flags: { ...base.flags }, id: String(id) });
    } else if (key === 'parameters' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      base = parseBody(base, value as Json);
    } else if (Array.isArray(value)) {
      throw parseError(`no parameter named [${key}] and type ARRAY`);
    } else if (typeof value === 'object' && value !== null) {
      throw parseError(`no parameter named [${key}] and type OBJECT`);
    } else {
      throw parseError(`_mtermvectors: Parameter [${key}] not supported`);
    }
  }
  if (requests.length === 0) throw validationError(['multi term vectors: no documents requested']);
  const problems = requests.flatMap(validate);
  if (problems.length > 0) throw validationError(problems);
  const docs = requests.map((request) => {
    const index = request.index!;
    try {
      checkSingleIndexAlias(ctx, index);
      const service = ctx.indices.resolveSingle(index);
      try {
        // TransportMultiTermVectorsAction checks routing for every item, an artificial one (no id) too
        service.checkRouting(request.id ?? 'null', aliasRouting(service, index, request.routing));
      } catch (error) {
        if (error instanceof EngineError) return { _index: service.name, _id: request.id, error: error.toResponse().error };
        throw error;
      }
      return termVectors(ctx, request, index);
    } catch (error) {
      // a refusal (a feature not built) fails the whole request rather than one item
      if (!(error instanceof EngineError) || error.message.includes('is not supported by the indexkit embedded engine')) throw error;
      return { _index: index, _id: request.id, error: error.toResponse().error };
    }
  });
  return ok({ docs });
}

export const TERMVECTORS_ROUTES: Route[] = [
  { method: 'GET', pattern: '/{index}/_termvectors', handler: termVectorsRoute, params: PARAMS },
  { method: 'POST', pattern: '/{index}/_termvectors', handler: termVectorsRoute, params: PARAMS },
  { method: 'GET', pattern: '/{index}/_termvectors/{id}', handler: termVectorsRoute, params: PARAMS },
  { method: 'POST', pattern: '/{index}/_termvectors/{id}', handler: termVectorsRoute, params: PARAMS },
  { method: 'GET', pattern: '/_mtermvectors', handler: multiTermVectors, params: [...PARAMS, 'ids'] },
  { method: 'POST', pattern: '/_mtermvectors', handler: multiTermVectors, params: [...PARAMS, 'ids'] },
  { method: 'GET', pattern: '/{index}/_mtermvectors', handler: multiTermVectors, params: [...PARAMS, 'ids'] },
  { method: 'POST', pattern: '/{index}/_mtermvectors', handler: multiTermVectors, params: [...PARAMS, 'ids'] },
];

import { EngineError, illegalArgument, indexNotFound, unsupported } from '../../errors.js';
import { synthesizeSource } from '../../index/mapping/synthetic-source.js';
import { checkRoutingRequired } from '../../indices/index-modes.js';
import { Mapping } from '../../index/mapping/mapping.js';
import { aliasToJSON } from '../../indices/alias-definition.js';
import type { IndexService } from '../../indices/index-service.js';
import type { FlatSettings } from '../../indices/index-settings.js';
import { availableParallelism } from 'node:os';
import { isIndexSortSetting } from '../../indices/index-sort.js';
import { SimilarityService, checkFieldSimilarities } from '../../search/similarity/similarity-settings.js';
import { INDEX_SETTING_DEFAULTS, applyAutoExpandReplicas, flattenSettings, isDynamicSetting, unflattenSettings, validateMergeScheduler, validateSettingKeys, validateSettingValues } from '../../indices/index-settings.js';
import type { ResolveOptions } from '../../indices/indices-service.js';
import { boolParam, jsonBody } from '../request-params.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { ok } from '../rest-types.js';
import { metadataFieldMapping, metadataFieldNames } from '../../indices/metadata-field-mappings.js';
import { closeIndices, openIndices } from '../../indices/index-state.js';
import { ROUTE_PARAMS } from '../route-params.js';

type Json = Record<string, unknown>;

/** ignore_unavailable / allow_no_indices / expand_wildcards from the URL. */
export function resolveOptions(req: RestRequest, defaults: ResolveOptions = {}): ResolveOptions {
  const options: ResolveOptions = { ...defaults };
  if (req.query.ignore_unavailable !== undefined) options.ignoreUnavailable = boolParam(req, 'ignore_unavailable', false);
  if (req.query.allow_no_indices !== undefined) options.allowNoIndices = boolParam(req, 'allow_no_indices', true);
  if (req.query.expand_wildcards !== undefined) options.expandWildcards = req.query.expand_wildcards;
  return options;
}

/** Full settings as Elasticsearch reports them (string values, private settings included). */
export function settingsOf(service: IndexService): FlatSettings {
  return {
    ...service.meta.settings,
    'index.creation_date': String(service.meta.creationDate),
    'index.provided_name': service.name,
    'index.uuid': service.uuid,
    'index.version.created': '8536000',
    'index.routing.allocation.include._tier_preference': service.meta.settings['index.routing.allocation.include._tier_preference'] ?? 'data_content',
  };
}

function renderSettings(service: IndexService, req: RestRequest): Json {
  const flat = settingsOf(service);
  return boolParam(req, 'flat_settings', false) ? Object.fromEntries(Object.keys(flat).sort().map((k) => [k, flat[k]])) : unflattenSettings(flat);
}

function aliasesOf(service: IndexService): Json {
  const out: Json = {};
  for (const name of Object.keys(service.meta.aliases).sort()) out[name] = aliasToJSON(service.meta.aliases[name]!);
  return out;
}

function createIndex(req: RestRequest, ctx: RestContext): RestResult {
  const body = jsonBody(req);
  const service = ctx.indices.create(req.params.index!, body);
  return ok({ acknowledged: true, shards_acknowledged: true, index: service.name });
}

function deleteIndex(req: RestRequest, ctx: RestContext): RestResult {
  ctx.indices.delete(req.params.index!, { ...resolveOptions(req), destructiveRequiresName: ctx.settings.bool('action.destructive_requires_name') });
  return ok({ acknowledged: true });
}

function getIndex(req: RestRequest, ctx: RestContext): RestResult {
  const resolved = ctx.indices.resolve(req.params.index!, resolveOptions(req, { allowClosed: true }));
  const out: Json = {};
  const features = (req.query.features ?? 'aliases,mappings,settings').split(',');
  for (const { service } of resolved) {
    const entry: Json = {};
    if (features.includes('aliases')) entry.aliases = aliasesOf(service);
    if (features.includes('mappings')) entry.mappings = service.mappingSource();
    if (features.includes('settings')) entry.settings = renderSettings(service, req);
    // GetIndexResponse: a backing index names its data stream
    const stream = ctx.indices.dataStreams.parentOf(service.name);
    if (stream) entry.data_stream = stream.name;
    out[service.name] = entry;
  }
  return ok(out);
}

function indexExists(req: RestRequest, ctx: RestContext): RestResult {
  try {
    const resolved = ctx.indices.resolve(req.params.index!, resolveOptions(req, { allowClosed: true }));
    return { status: resolved.length > 0 ? 200 : 404, body: '' };
  } catch {
    return { status: 404, body: '' };
  }
}

function getMapping(req: RestRequest, ctx: RestContext): RestResult {
  const remote = (req.params.index ?? '').split(',').filter((name) => name.includes(':'));
  if (remote.length > 0) throw illegalArgument(`Cross-cluster calls are not supported in this context but remote indices were requested: [${remote.join(', ')}]`);
  const out: Json = {};
  for (const { service } of ctx.indices.resolve(req.params.index, resolveOptions(req, { allowClosed: true }))) out[service.name] = { mappings: service.mappingSource() };
  return ok(out);
}

function putMapping(req: RestRequest, ctx: RestContext): RestResult {
  const body = jsonBody(req, true);
  // RestPutMappingAction: a mapping wrapped in `_doc` is a typed request (MapperService.isMappingSourceTyped)
  const keys = Object.keys(body);
  if (keys.length === 1 && keys[0] === '_doc') throw illegalArgument('Types cannot be provided in put mapping requests');
  const targets = ctx.indices.resolve(req.params.index!, resolveOptions(req, { allowClosed: true }));
  if (targets.length === 0) throw indexNotFound(req.params.index!);
  // MetadataMappingService builds the index's mappers, with its analysis: a red index's failure again
  for (const { service } of targets) if (service.failure) throw service.failure;
  // Validate against every target first so a conflict changes nothing (all or nothing).
  for (const { service } of targets) {
    const probe = JSON.parse(JSON.stringify(service.mapping.toJSON())) as Json;
    const trial = Mapping.parse(probe, service.analysis, service.mapping.fieldLimit, service.mapping.depthLimit, service.mapping.defaults, service.mapping.modes);
    trial.applyLimits(service.meta.settings);
    trial.merge(body);
    checkFieldSimilarities(trial.lookup(), service.similarities);
    service.checkSourceModeChange(trial.sourceMode, (source) => synthesizeSource(source, trial, false));
    if (trial.modes.indexMode === 'time_series') {
      // IndexMode.TIME_SERIES#validateMapping on the merged mapping
      if (trial.lookup().nestedPaths().length > 0) throw illegalArgument('cannot have nested fields when index is in [index.mode=time_series]');
      checkRoutingRequired('time_series', trial.routingRequired);
    }
    if (service.indexSort && trial.lookup().nestedPaths().length > 0) throw illegalArgument('cannot have nested fields when index sort is activated');
    service.checkPartitionedMapping(trial);
  }
  for (const { service } of targets) {
    if (service.mapping.merge(body)) service.persistMeta();
  }
  return ok({ acknowledged: true });
}

/** The sub-fields a search_as_you_type field makes for itself, which get-field-mapping does not list (elastic/elasticsearch#118636). */
const SAYT_SUBFIELD = /^_(index_prefix|\dgram)$/;

/** Regex.simpleMatch: `*` matches any run of characters. */
function simpleMatch(pattern: string, value: string): boolean {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);
}

function getFieldMapping(req: RestRequest, ctx: RestContext): RestResult {
  // every mapper's defaults (analyzer: default, index: true...) are not kept apart from what was set
  if (boolParam(req, 'include_defaults', false)) throw unsupported('include_defaults of the get field mapping API');
  const fields = req.params.fields!.split(',');
  const out: Json = {};
  for (const { service } of ctx.indices.resolve(req.params.index, resolveOptions(req, { allowClosed: true }))) {
    const mappings: Json = {};
    for (const pattern of fields) {
      for (const path of service.mapping.lookup().fieldPaths()) {
        if (pattern !== path && !(pattern.includes('*') && simpleMatch(pattern, path))) continue;
        const leaf = service.mapping.leaf(path);
        if (!leaf) continue;
        const dot = path.lastIndexOf('.');
        if (pattern !== path && dot > 0 && SAYT_SUBFIELD.test(path.slice(dot + 1)) && service.mapping.leaf(path.slice(0, dot))?.type === 'search_as_you_type') continue;
        const name = path.split('.').pop()!;
        mappings[path] = { full_name: path, mapping: { [name]: { type: leaf.type, ...leaf.params } } };
      }
      // metadata mappers are field mappers too (MappingLookup#fieldMappers): listed by name or pattern
      for (const name of metadataFieldNames(service.mapping)) {
        if (name in mappings || !(pattern === name || (pattern.includes('*') && simpleMatch(pattern, name)))) continue;
        mappings[name] = { full_name: name, mapping: metadataFieldMapping(service.mapping, name) };
      }
    }
    out[service.name] = { mappings };
  }
  return ok(out);
}

function getSettings(req: RestRequest, ctx: RestContext): RestResult {
  const out: Json = {};
  // paramAsStringArrayOrEmptyIfAll: `_all` names every setting
  const names = req.params.name === '_all' ? undefined : req.params.name?.split(',');
  const flatOut = boolParam(req, 'flat_settings', false);
  const wanted = (key: string): boolean => !names || names.some((n) => n === key || (n.includes('*') && new RegExp(`^${n.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(key)));
  const includeDefaults = boolParam(req, 'include_defaults', false);
  // GetSettingsRequest's default IndicesOptions expand wildcards to open and closed indices
  for (const { service } of ctx.indices.resolve(req.params.index, resolveOptions(req, { allowClosed: true, expandWildcards: 'open,closed' }))) {
    let settings = renderSettings(service, req);
    const flat = settingsOf(service);
    // include_defaults: the defaults of the settings the index does not set, next to `settings`
    const defaults: FlatSettings = {};
    if (includeDefaults) for (const [key, value] of Object.entries(INDEX_SETTING_DEFAULTS)) if (!(key in flat) && wanted(key)) defaults[key] = value;
    const hasDefaults = Object.keys(defaults).length > 0;
    if (names) {
      const picked: FlatSettings = {};
      for (const [key, value] of Object.entries(flat)) if (wanted(key)) picked[key] = value;
      if (Object.keys(picked).length === 0 && !hasDefaults) continue;
      settings = flatOut ? picked : unflattenSettings(picked);
    }
    out[service.name] = includeDefaults ? { settings, defaults: flatOut ? defaults : unflattenSettings(defaults) } : { settings };
  }
  return ok(out);
}

function putSettings(req: RestRequest, ctx: RestContext): RestResult {
  const body = jsonBody(req, true);
  const flat = flattenSettings(body.settings !== undefined && Object.keys(body).length === 1 ? body.settings : body);
  validateSettingKeys(flat, false);
  validateSettingValues(flat);
  const targets = ctx.indices.resolve(req.params.index, resolveOptions(req, { allowClosed: true }));
  const nonDynamic = Object.keys(flat).filter((key) => !isDynamicSetting(key));
  if (nonDynamic.includes('index.number_of_shards')) throw illegalArgument(`final index setting [index.number_of_shards], not updateable`);
  // IndexSortConfig's settings are Property.Final: set at creation only
  const finalSort = nonDynamic.find(isIndexSortSetting);
  if (finalSort) throw illegalArgument(`final index setting [${finalSort}], not updateable`);
  // MetadataUpdateSettingsService: non-dynamic settings may change on closed indices only; with
  // reopen (8.12) open indices are closed and reopened around the change, which for the engine is
  // applying it between two requests (nothing is served half-updated)
  const open = targets.filter(({ service }) => !service.closed);
  if (nonDynamic.length > 0 && open.length > 0 && !boolParam(req, 'reopen', false)) {
    const list = open.map(({ service }) => `${service.name}/${service.uuid}`).join(', ');
    throw illegalArgument(`Can't update non dynamic settings [[${nonDynamic.join(', ')}]] for open indices [[${list}]]`);
  }
  const preserve = boolParam(req, 'preserve_existing', false);
  const updated = targets.map(({ service }) => {
    const settings = { ...service.meta.settings };
    for (const [key, value] of Object.entries(flat)) {
      if (preserve && settings[key] !== undefined) continue;
      if (value === null) delete settings[key];
      else settings[key] = value;
    }
    // every index is checked before any is changed, as the cluster state update is all or nothing
    validateMergeScheduler(settings, availableParallelism());
    // SimilarityService is rebuilt from the merged settings (a group may change one parameter)
    new SimilarityService(settings);
    settings['index.number_of_replicas'] ??= '1';
    return { service, settings: applyAutoExpandReplicas(settings) };
  });
  for (const { service, settings } of updated) {
    service.meta.settings = settings;
    service.applySettings();
    service.persistMeta();
  }
  // a cached result was checked against the old settings (limits such as index.max_terms_count)
  ctx.search.clearRequestCache(new Set(updated.map(({ service }) => service.uuid)));
  return ok({ acknowledged: true });
}

/** `_shards` of a broadcast over indices: every primary answers, replicas are never assigned on one node. */
export function broadcastShards(services: IndexService[]): Json {
  let total = 0;
  let successful = 0;
  for (const service of services) {
    const shards = service.routing.numShards;
    total += shards * (1 + Number(service.meta.settings['index.number_of_replicas'] ?? 1));
    if (!service.failure) successful += shards;
  }
  return { total, successful, failed: 0 };
}

// a red index's shards are counted in the total, neither successful nor failed (a broadcast action
// does not collect shard-not-available failures)
function refresh(req: RestRequest, ctx: RestContext): RestResult {
  const targets = ctx.indices.resolve(req.params.index, resolveOptions(req, { allowFailed: true })).map((r) => r.service);
  for (const service of targets) {
    if (service.failure) continue;
    service.sync();
    service.refresh();
  }
  return ok({ _shards: broadcastShards(targets) });
}

function flush(req: RestRequest, ctx: RestContext): RestResult {
  const targets = ctx.indices.resolve(req.params.index, resolveOptions(req, { allowFailed: true })).map((r) => r.service);
  for (const service of targets) if (!service.failure) service.flush();
  return ok({ _shards: broadcastShards(targets) });
}

export function healthOf(service: IndexService): 'green' | 'yellow' | 'red' {
  // a red index: its primaries failed to allocate (IndexService.failure)
  if (service.failure) return 'red';
  return Number(service.meta.settings['index.number_of_replicas'] ?? 1) > 0 ? 'yellow' : 'green';
}

function closeIndex(req: RestRequest, ctx: RestContext): RestResult {
  return ok(closeIndices(ctx.indices, req.params.index!, { ...resolveOptions(req), destructiveRequiresName: ctx.settings.bool('action.destructive_requires_name') }));
}

function openIndex(req: RestRequest, ctx: RestContext): RestResult {
  return ok(openIndices(ctx.indices, req.params.index!, resolveOptions(req)));
}

function unsupportedIndexOp(feature: string) {
  return (): RestResult => {
    throw new EngineError(400, 'illegal_argument_exception', `[${feature}] is not supported by the indexkit embedded engine`);
  };
}

export const INDEX_ROUTES: Route[] = [
  { method: 'PUT', pattern: '/{index}', handler: createIndex, params: ROUTE_PARAMS.createIndex },
  { method: 'POST', pattern: '/{index}', handler: unsupportedIndexOp('POST /{index}') },
  { method: 'DELETE', pattern: '/{index}', handler: deleteIndex, params: ROUTE_PARAMS.deleteIndex },
  { method: 'GET', pattern: '/{index}', handler: getIndex, params: ROUTE_PARAMS.getIndex },
  { method: 'HEAD', pattern: '/{index}', handler: indexExists, params: ROUTE_PARAMS.getIndex },
  { method: 'GET', pattern: '/_mapping', handler: getMapping, params: ROUTE_PARAMS.getMapping },
  { method: 'GET', pattern: '/{index}/_mapping', handler: getMapping, params: ROUTE_PARAMS.getMapping },
  { method: 'PUT', pattern: '/{index}/_mapping', handler: putMapping, params: ROUTE_PARAMS.putMapping },
  { method: 'POST', pattern: '/{index}/_mapping', handler: putMapping, params: ROUTE_PARAMS.putMapping },
  { method: 'GET', pattern: '/_mapping/field/{fields}', handler: getFieldMapping },
  { method: 'GET', pattern: '/{index}/_mapping/field/{fields}', handler: getFieldMapping },
  { method: 'GET', pattern: '/_settings', handler: getSettings, params: ROUTE_PARAMS.getSettings },
  { method: 'GET', pattern: '/{index}/_settings', handler: getSettings, params: ROUTE_PARAMS.getSettings },
  { method: 'GET', pattern: '/{index}/_settings/{name}', handler: getSettings, params: ROUTE_PARAMS.getSettings },
  { method: 'GET', pattern: '/_settings/{name}', handler: getSettings, params: ROUTE_PARAMS.getSettings },
  { method: 'PUT', pattern: '/_settings', handler: putSettings, params: ROUTE_PARAMS.putSettings },
  { method: 'PUT', pattern: '/{index}/_settings', handler: putSettings, params: ROUTE_PARAMS.putSettings },
  { method: 'POST', pattern: '/_refresh', handler: refresh, params: ROUTE_PARAMS.refresh },
  { method: 'GET', pattern: '/_refresh', handler: refresh, params: ROUTE_PARAMS.refresh },
  { method: 'POST', pattern: '/{index}/_refresh', handler: refresh, params: ROUTE_PARAMS.refresh },
  { method: 'GET', pattern: '/{index}/_refresh', handler: refresh, params: ROUTE_PARAMS.refresh },
  { method: 'POST', pattern: '/_flush', handler: flush, params: ROUTE_PARAMS.flush },
  { method: 'GET', pattern: '/_flush', handler: flush, params: ROUTE_PARAMS.flush },
  { method: 'POST', pattern: '/{index}/_flush', handler: flush, params: ROUTE_PARAMS.flush },
  { method: 'GET', pattern: '/{index}/_flush', handler: flush, params: ROUTE_PARAMS.flush },
  { method: 'POST', pattern: '/{index}/_close', handler: closeIndex },
  { method: 'POST', pattern: '/{index}/_open', handler: openIndex },
  { method: 'POST', pattern: '/{index}/_forcemerge', handler: flush },
  { method: 'POST', pattern: '/_forcemerge', handler: flush },
];

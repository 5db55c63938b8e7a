import { indexNotFound, unsupported } from '../../errors.js';
import type { DataStream } from '../../indices/data-streams.js';
import { TIMESTAMP_FIELD } from '../../indices/data-streams.js';
import { modifyDataStreams } from '../../indices/data-stream-modify.js';
import { migrateToDataStream } from '../../indices/data-stream-migrate.js';
import type { IndexService } from '../../indices/index-service.js';
import { isWildcard, wildcardMatch } from '../../indices/index-names.js';
import { wildcardStates } from '../../indices/index-state.js';
import { jsonBody } from '../request-params.js';
import { ok } from '../rest-types.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { healthOf } from './index-routes.js';
import { renderLifecycle } from './lifecycle-render.js';
import { isInternalStream } from '../../indices/data-stream-lifecycle.js';
import { managedBy } from '../../indices/data-stream-lifecycle-service.js';

type Json = Record<string, unknown>;

/**
 * DataStreamsActionUtil.getDataStreamNames: a comma list of names and `*` patterns, `-` excluding
 * what came before; a missing plain name is `index_not_found_exception`, a pattern may match nothing.
 * `expand_wildcards` (default open) decides whether patterns reach hidden streams.
 */
export function streamsNamed(req: RestRequest, ctx: RestContext, expression: string | undefined): DataStream[] {
  const states = wildcardStates(req.query.expand_wildcards ?? 'open');
  const parts = expression === undefined || expression === '' || expression === '_all' ? ['*'] : expression.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const chosen = new Map<string, DataStream>();
  parts.forEach((part, i) => {
    if (part.startsWith('-') && i > 0) {
      for (const name of [...chosen.keys()]) if (wildcardMatch(part.slice(1), name)) chosen.delete(name);
      return;
    }
    if (isWildcard(part)) {
      // a data stream is neither open nor closed: only `hidden` (and `none`) change what a pattern reaches
      if (states.none) return;
      for (const stream of ctx.indices.dataStreams.match(part, states.hidden)) chosen.set(stream.name, stream);
      return;
    }
    const stream = ctx.indices.dataStreams.get(part);
    if (!stream) throw indexNotFound(part);
    chosen.set(stream.name, stream);
  });
  return [...chosen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function backingServices(ctx: RestContext, stream: DataStream): IndexService[] {
  return stream.indices.map((name) => ctx.indices.get(name)).filter((s): s is IndexService => s !== undefined);
}

/** `PUT /_data_stream/<name>` (CreateDataStreamAction). */
function createDataStream(req: RestRequest, ctx: RestContext): RestResult {
  ctx.indices.createDataStream(req.params.name!);
  return ok({ acknowledged: true });
}

function ilmFields(settings: Readonly<Record<string, unknown>>): Json {
  const policy = settings['index.lifecycle.name'];
  return {
    ...(policy !== undefined && policy !== null && policy !== '' ? { ilm_policy: String(policy) } : {}),
    prefer_ilm: String(settings['index.lifecycle.prefer_ilm'] ?? true) !== 'false',
  };
}

/** `GET /_data_stream[/<name>]` (GetDataStreamAction.Response.DataStreamInfo.toXContent, 8.x). */
function getDataStreams(req: RestRequest, ctx: RestContext): RestResult {
  const streams = streamsNamed(req, ctx, req.params.name);
  const out = streams.map((stream) => {
    const services = backingServices(ctx, stream);
    const template = ctx.indices.templates.findComposable(stream.name, stream.hidden);
    const status = services.some((s) => healthOf(s) === 'yellow') ? 'YELLOW' : 'GREEN';
    // the stream's own ILM fields read the settings its template gives the next backing index
    const templateSettings = template ? ctx.indices.templates.compose(template.template).settings : {};
    const { prefer_ilm: preferIlm, ilm_policy: ilmPolicy } = ilmFields(templateSettings);
    const body: Json = {
      name: stream.name,
      timestamp_field: { name: TIMESTAMP_FIELD },
      indices: services.map((s) => {
        const { ilm_policy: policy, prefer_ilm: prefer } = ilmFields(s.meta.settings);
        return { index_name: s.name, index_uuid: s.uuid, ...(policy !== undefined ? { ilm_policy: policy } : {}), prefer_ilm: prefer, managed_by: managedBy(stream, s.meta.settings) };
      }),
      generation: stream.generation,
    };
    if (stream.meta !== undefined) body._meta = stream.meta;
    body.status = status;
    if (template) body.template = template.name;
    if (stream.lifecycle !== undefined) body.lifecycle = renderLifecycle(stream.lifecycle, req, ctx, { effective: true, internal: isInternalStream(stream.name) });
    Object.assign(body, {
      next_generation_managed_by: managedBy(stream, templateSettings),
      prefer_ilm: preferIlm,
      ...(ilmPolicy !== undefined ? { ilm_policy: ilmPolicy } : {}),
      hidden: stream.hidden,
      system: false,
      allow_custom_routing: stream.allowCustomRouting,
      replicated: false,
      rollover_on_write: stream.rolloverOnWrite,
    });
    return body;
  });
  return ok({ data_streams: out });
}

/** `DELETE /_data_stream/<name>` (DeleteDataStreamAction): the streams and their backing indices. */
function deleteDataStreams(req: RestRequest, ctx: RestContext): RestResult {
  for (const stream of streamsNamed(req, ctx, req.params.name)) ctx.indices.deleteDataStream(stream);
  return ok({ acknowledged: true });
}

/**
 * `GET /_data_stream[/<name>]/_stats` (DataStreamsStatsAction): backing index counts, store sizes
 * and each stream's largest `@timestamp` among its live documents (0 when it has none).
 */
async function dataStreamStats(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  const streams = streamsNamed(req, ctx, req.params.name);
  let shards = 0;
  let backing = 0;
  let total = 0;
  const rows: Json[] = [];
  for (const stream of streams) {
    const services = backingServices(ctx, stream);
    let bytes = 0;
    let max = 0;
    for (const service of services) {
      shards += service.routing.numShards;
      bytes += service.stats().bytes;
      for (const view of service.searchViews()) {
        for (const segment of view.segments) {
          for (let doc = 0; doc < segment.maxDoc; doc++) {
            if (req.pace?.due) await req.pace.pause();
            if (!segment.isLive(doc)) continue;
            for (const value of segment.numericValues(TIMESTAMP_FIELD, doc) ?? []) if (value > max) max = value;
          }
        }
      }
    }
    backing += services.length;
    total += bytes;
    rows.push({ data_stream: stream.name, backing_indices: services.length, store_size_bytes: bytes, maximum_timestamp: max });
  }
  return ok({ _shards: { total: shards, successful: shards, failed: 0 }, data_stream_count: streams.length, backing_indices: backing, total_store_size_bytes: total, data_streams: rows });
}

/** `POST /_data_stream/_modify`. */
function modify(req: RestRequest, ctx: RestContext): RestResult {
  modifyDataStreams(ctx.indices, jsonBody(req, true));
  return ok({ acknowledged: true });
}

/** Cross-cluster replication's promote API: there is no follower stream on one embedded node. */
function promote(): RestResult {
  throw unsupported('promoting a replicated data stream (_data_stream/_promote, cross-cluster replication)');
}

/** `POST /_data_stream/_migrate/<alias>`. */
function migrate(req: RestRequest, ctx: RestContext): RestResult {
  migrateToDataStream(ctx.indices, req.params.name!);
  return ok({ acknowledged: true });
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `GET /_resolve/index/<names>` (ResolveIndexAction): the indices, aliases and data streams the
 * names and patterns reach themselves (not their members), each index with its sorted attributes
 * (hidden, open or closed) and its stream; a missing plain name is `index_not_found_exception`.
 */
function resolveIndex(req: RestRequest, ctx: RestContext): RestResult {
  const states = wildcardStates(req.query.expand_wildcards ?? 'open');
  const ignoreUnavailable = req.query.ignore_unavailable === 'true';
  const indices = new Map<string, IndexService>();
  const aliases = new Set<string>();
  const streams = new Map<string, DataStream>();
  const parts = req.params.name!.split(',').map((p) => p.trim()).filter((p) => p !== '');
  parts.forEach((part, i) => {
    if (part.startsWith('-') && i > 0) {
      const pattern = part.slice(1);
      for (const name of [...indices.keys()]) if (wildcardMatch(pattern, name)) indices.delete(name);
      for (const name of [...aliases]) if (wildcardMatch(pattern, name)) aliases.delete(name);
      for (const name of [...streams.keys()]) if (wildcardMatch(pattern, name)) streams.delete(name);
      return;
    }
    if (part === '_all' || isWildcard(part)) {
      if (states.none) return;
      const pattern = part === '_all' ? '*' : part;
      const dotted = pattern.startsWith('.');
      for (const service of ctx.indices.all()) {
        const hidden = service.meta.settings['index.hidden'] === 'true' || service.name.startsWith('.');
        if (hidden && !states.hidden && !dotted) continue;
        if (!(service.closed ? states.closed : states.open)) continue;
        if (wildcardMatch(pattern, service.name)) indices.set(service.name, service);
      }
      for (const alias of ctx.indices.allAliasNames()) {
        const hidden = ctx.indices.aliasTargets(alias).some((t) => t.meta.aliases[alias]!.is_hidden === true);
        if (hidden && !states.hidden && !dotted) continue;
        if (wildcardMatch(pattern, alias)) aliases.add(alias);
      }
      for (const alias of ctx.indices.dataStreams.aliases()) if (wildcardMatch(pattern, alias.name)) aliases.add(alias.name);
      for (const stream of ctx.indices.dataStreams.match(pattern, states.hidden)) streams.set(stream.name, stream);
      return;
    }
    const service = ctx.indices.get(part);
    const stream = ctx.indices.dataStreams.get(part);
    if (service) indices.set(part, service);
    else if (stream) streams.set(part, stream);
    else if (ctx.indices.aliasTargets(part).length > 0 || ctx.indices.dataStreams.alias(part)) aliases.add(part);
    else if (!ignoreUnavailable) throw indexNotFound(part);
  });
  return ok({
    indices: [...indices.values()]
      .sort((a, b) => byName(a.name, b.name))
      .map((service) => {
        const own = Object.keys(service.meta.aliases).sort(byName);
        const hidden = service.meta.settings['index.hidden'] === 'true' || service.name.startsWith('.');
        const attributes = [...(hidden ? ['hidden'] : []), service.closed ? 'closed' : 'open'].sort(byName);
        const stream = ctx.indices.dataStreams.parentOf(service.name);
        return { name: service.name, ...(own.length > 0 ? { aliases: own } : {}), attributes, ...(stream ? { data_stream: stream.name } : {}) };
      }),
    // a data stream alias lists its data streams (ResolveIndexAction.ResolvedAlias)
    aliases: [...aliases].sort(byName).map((alias) => ({ name: alias, indices: (ctx.indices.dataStreams.alias(alias)?.data_streams ?? ctx.indices.aliasTargets(alias).map((t) => t.name)).slice().sort(byName) })),
    data_streams: [...streams.values()].sort((a, b) => byName(a.name, b.name)).map((stream) => ({ name: stream.name, backing_indices: stream.indices, timestamp_field: TIMESTAMP_FIELD })),
  });
}

const GET_PARAMS = ['expand_wildcards', 'include_defaults', 'master_timeout', 'verbose'];

export const DATA_STREAM_ROUTES: Route[] = [
  { method: 'PUT', pattern: '/_data_stream/{name}', handler: createDataStream, params: ['master_timeout', 'timeout'] },
  { method: 'GET', pattern: '/_data_stream', handler: getDataStreams, params: GET_PARAMS },
  { method: 'GET', pattern: '/_data_stream/{name}', handler: getDataStreams, params: GET_PARAMS },
  { method: 'DELETE', pattern: '/_data_stream/{name}', handler: deleteDataStreams, params: ['expand_wildcards', 'master_timeout'] },
  { method: 'GET', pattern: '/_data_stream/_stats', handler: dataStreamStats, params: ['expand_wildcards'] },
  { method: 'GET', pattern: '/_data_stream/{name}/_stats', handler: dataStreamStats, params: ['expand_wildcards'] },
  { method: 'POST', pattern: '/_data_stream/_modify', handler: modify },
  { method: 'POST', pattern: '/_data_stream/_promote/{name}', handler: promote, params: ['master_timeout'] },
  { method: 'POST', pattern: '/_data_stream/_migrate/{name}', handler: migrate, params: ['master_timeout', 'timeout'] },
  { method: 'GET', pattern: '/_resolve/index/{name}', handler: resolveIndex, params: ['expand_wildcards', 'ignore_unavailable', 'allow_no_indices'] },
];

import { EngineError } from '../../errors.js';
import type { IndexService } from '../../indices/index-service.js';
import { boolParam } from '../request-params.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { ok } from '../rest-types.js';
import { broadcastShards, healthOf, resolveOptions } from './index-routes.js';

type Json = Record<string, unknown>;

/**
 * `GET /_stats` (RestIndicesStatsAction) with the metrics the engine keeps, and
 * `POST /_cache/clear` (RestClearIndicesCacheAction). The others (search, merges, segments...)
 * are refused with a 400 naming them rather than answered with made-up figures.
 */
const STATS_METRICS = ['docs', 'store', 'indexing', 'get', 'fielddata', 'request_cache'];

/** Comma lists of `fielddata_fields` and `fields` (which applies to fielddata too). */
function fieldPatterns(req: RestRequest): string[] | undefined {
  const raw = [req.query.fielddata_fields, req.query.fields].filter((v): v is string => typeof v === 'string' && v !== '');
  return raw.length === 0 ? undefined : raw.flatMap((v) => v.split(',').map((f) => f.trim()));
}

function add(into: Json, from: Json): void {
  for (const [k, v] of Object.entries(from)) {
    if (typeof v === 'number') into[k] = ((into[k] as number | undefined) ?? 0) + v;
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const inner = (into[k] as Json | undefined) ?? {};
      into[k] = inner;
      add(inner, v as Json);
    }
  }
}

function indexStats(service: IndexService, ctx: RestContext, fields: string[] | undefined): Json {
  const s = service.stats();
  const bytes = s.bytes + service.translogBytes;
  return {
    docs: { count: s.count, deleted: s.deleted },
    store: { size_in_bytes: bytes, total_data_set_size_in_bytes: bytes, reserved_in_bytes: 0 },
    indexing: { ...service.indexing },
    get: service.gets.toJson(),
    fielddata: service.fielddataStats(fields),
    request_cache: { ...ctx.search.requestCacheStats(service.uuid) },
  };
}

function stats(req: RestRequest, ctx: RestContext): RestResult {
  const asked = req.params.metric === undefined || req.params.metric === '_all' ? STATS_METRICS : req.params.metric.split(',');
  const missing = asked.filter((m) => !STATS_METRICS.includes(m));
  if (missing.length > 0) throw new EngineError(400, 'illegal_argument_exception', `[_stats metric [${missing.join(',')}]] is not supported by the indexkit embedded engine`);
  const fields = fieldPatterns(req);
  // a red index's shards count in `_shards.total` only: IndicesStatsResponse lists the indices of the shards that answered
  const targets = ctx.indices.resolve(req.params.index, resolveOptions(req, { allowFailed: true }));
  const pick = (block: Json): Json => Object.fromEntries(Object.entries(block).filter(([k]) => asked.includes(k)));
  const indices: Json = {};
  const total: Json = {};
  for (const { service } of targets) {
    if (service.failure) continue;
    const block = pick(indexStats(service, ctx, fields));
    add(total, block);
    indices[service.name] = { uuid: service.uuid, health: healthOf(service), status: 'open', primaries: block, total: block };
  }
  // every metric asked for appears in _all, zeroed when no index matched
  const all = pick(indexStatsZero());
  add(all, total);
  // shard_max_value_count is a maximum, not a sum
  fixMaxValueCounts(all, Object.values(indices).map((i) => (i as { total: Json }).total));
  return ok({ _shards: broadcastShards(targets.map((r) => r.service)), _all: { primaries: all, total: all }, indices });
}

function indexStatsZero(): Json {
  return {
    docs: { count: 0, deleted: 0 },
    store: { size_in_bytes: 0, total_data_set_size_in_bytes: 0, reserved_in_bytes: 0 },
    indexing: { index_total: 0, delete_total: 0, noop_update_total: 0 },
    get: { total: 0, time_in_millis: 0, exists_total: 0, exists_time_in_millis: 0, missing_total: 0, missing_time_in_millis: 0, current: 0 },
    fielddata: { memory_size_in_bytes: 0, evictions: 0, global_ordinals: { build_time_in_millis: 0 } },
    request_cache: { memory_size_in_bytes: 0, evictions: 0, hit_count: 0, miss_count: 0 },
  };
}

function fixMaxValueCounts(all: Json, perIndex: Json[]): void {
  const fields = ((all.fielddata as Json | undefined)?.global_ordinals as Json | undefined)?.fields as Record<string, Json> | undefined;
  if (!fields) return;
  for (const [field, entry] of Object.entries(fields)) {
    let max = 0;
    for (const block of perIndex) {
      const f = (((block.fielddata as Json | undefined)?.global_ordinals as Json | undefined)?.fields as Record<string, Json> | undefined)?.[field];
      if (f) max = Math.max(max, f.shard_max_value_count as number);
    }
    entry.shard_max_value_count = max;
  }
}

/**
 * `POST /_cache/clear`: `request=true` drops the indices' shard request cache entries,
 * `fielddata=true` their global ordinals, `query=true` the query cache (the engine keeps none);
 * with none of them, all of them (the hit and miss counters stay, as in Elasticsearch).
 */
function clearCache(req: RestRequest, ctx: RestContext): RestResult {
  const targets = ctx.indices.resolve(req.params.index, resolveOptions(req)).map((r) => r.service);
  const request = boolParam(req, 'request', false);
  const fielddata = boolParam(req, 'fielddata', false) || req.query.fields !== undefined;
  const query = boolParam(req, 'query', false);
  const all = !request && !fielddata && !query;
  if (all || request) ctx.search.clearRequestCache(new Set(targets.map((s) => s.uuid)));
  if (all || fielddata) for (const service of targets) service.clearFielddata();
  return ok({ _shards: broadcastShards(targets) });
}

export const STATS_ROUTES: Route[] = [
  { method: 'GET', pattern: '/_stats', handler: stats },
  { method: 'GET', pattern: '/{index}/_stats', handler: stats },
  { method: 'GET', pattern: '/_stats/{metric}', handler: stats },
  { method: 'GET', pattern: '/{index}/_stats/{metric}', handler: stats },
  { method: 'POST', pattern: '/_cache/clear', handler: clearCache },
  { method: 'POST', pattern: '/{index}/_cache/clear', handler: clearCache },
];

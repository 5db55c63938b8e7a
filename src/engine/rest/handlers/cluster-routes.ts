import { nestSettings } from '../../cluster-settings.js';
import type { SettingValue } from '../../cluster-settings.js';
import { EngineError } from '../../errors.js';
import { boolParam, jsonBody } from '../request-params.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { ok } from '../rest-types.js';
import { healthOf, resolveOptions } from './index-routes.js';

type Json = Record<string, unknown>;

/** The Elasticsearch version the engine answers as. */
export const ES_VERSION = {
  number: '8.19.0',
  build_flavor: 'default',
  build_type: 'tar',
  build_hash: 'indexkit-embedded',
  build_date: '2025-07-01T00:00:00.000Z',
  build_snapshot: false,
  lucene_version: '9.12.2',
  minimum_wire_compatibility_version: '7.17.0',
  minimum_index_compatibility_version: '7.0.0',
};

function root(_req: RestRequest, ctx: RestContext): RestResult {
  return ok({
    name: ctx.cluster.name,
    cluster_name: ctx.cluster.clusterName,
    cluster_uuid: ctx.cluster.clusterUuid,
    version: ES_VERSION,
    tagline: 'You Know, for Search',
  });
}

const STATUS_RANK = { green: 0, yellow: 1, red: 2 } as const;

function health(req: RestRequest, ctx: RestContext): RestResult {
  // ClusterHealthRequest's IndicesOptions: open, closed and hidden indices (closed ones keep their shards)
  const services = req.params.index ? ctx.indices.resolve(req.params.index, resolveOptions(req, { allowClosed: true, expandWildcards: 'all' })).map((r) => r.service) : ctx.indices.all();
  let status: keyof typeof STATUS_RANK = 'green';
  let unassigned = 0;
  for (const service of services) {
    const h = healthOf(service);
    if (STATUS_RANK[h] > STATUS_RANK[status]) status = h;
    unassigned += service.routing.numShards * Number(service.meta.settings['index.number_of_replicas'] ?? 1);
  }
  const wanted = req.query.wait_for_status as keyof typeof STATUS_RANK | undefined;
  if (wanted !== undefined && !(wanted in STATUS_RANK)) throw new EngineError(400, 'illegal_argument_exception', `unknown cluster health status [${wanted}]`);
  const timedOut = wanted !== undefined && STATUS_RANK[status] > STATUS_RANK[wanted];
  let active = 0;
  for (const service of services) active += service.routing.numShards;
  const body: Json = {
    cluster_name: ctx.cluster.clusterName,
    status,
    timed_out: timedOut,
    number_of_nodes: 1,
    number_of_data_nodes: 1,
    active_primary_shards: active,
    active_shards: active,
    relocating_shards: 0,
    initializing_shards: 0,
    unassigned_shards: unassigned,
    unassigned_primary_shards: 0,
    delayed_unassigned_shards: 0,
    number_of_pending_tasks: 0,
    number_of_in_flight_fetch: 0,
    task_max_waiting_in_queue_millis: 0,
    active_shards_percent_as_number: active + unassigned === 0 ? 100 : (active / (active + unassigned)) * 100,
  };
  if (req.query.level === 'indices') {
    const indices: Json = {};
    for (const service of services) {
      const replicas = Number(service.meta.settings['index.number_of_replicas'] ?? 1);
      const shards = service.routing.numShards;
      indices[service.name] = { status: healthOf(service), number_of_shards: shards, number_of_replicas: replicas, active_primary_shards: shards, active_shards: shards, relocating_shards: 0, initializing_shards: 0, unassigned_shards: shards * replicas, unassigned_primary_shards: 0 };
    }
    body.indices = indices;
  }
  return { status: timedOut ? 408 : 200, body };
}

function formatBytes(bytes: number): string {
  const units = ['b', 'kb', 'mb', 'gb', 'tb'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value}b` : `${Number(value.toFixed(1))}${units[unit]}`;
}

function catTable(req: RestRequest, rows: Json[], columns: string[]): RestResult {
  const selected = req.query.h ? req.query.h.split(',') : columns;
  const sortKeys = req.query.s ? req.query.s.split(',') : [];
  const sorted = [...rows];
  for (const key of [...sortKeys].reverse()) {
    const [name, dir] = key.split(':') as [string, string | undefined];
    sorted.sort((a, b) => {
      const x = a[name];
      const y = b[name];
      const cmp = Number.isFinite(Number(x)) && Number.isFinite(Number(y)) ? Number(x) - Number(y) : String(x).localeCompare(String(y));
      return dir === 'desc' ? -cmp : cmp;
    });
  }
  if (req.query.format === 'json') return ok(sorted.map((row) => Object.fromEntries(selected.map((c) => [c, row[c] ?? null]))));
  const table = sorted.map((row) => selected.map((c) => (row[c] === undefined || row[c] === null ? '' : String(row[c]))));
  const verbose = boolParam(req, 'v', false);
  if (verbose) table.unshift(selected);
  const widths = selected.map((_c, i) => Math.max(0, ...table.map((r) => r[i]!.length)));
  const text = table.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join(' ').trimEnd()).join('\n');
  return { status: 200, body: table.length > 0 ? `${text}\n` : '', text: true };
}

function catIndices(req: RestRequest, ctx: RestContext): RestResult {
  // RestIndicesAction: IndicesOptions.strictExpand(), open and closed indices; a closed one has no stats
  const services = ctx.indices.resolve(req.params.index, resolveOptions(req, { allowClosed: true, expandWildcards: 'open,closed' })).map((r) => r.service);
  const useBytes = req.query.bytes;
  const rows = services.map((service) => {
    if (service.closed) {
      return { health: healthOf(service), status: 'close', index: service.name, uuid: service.uuid, pri: String(service.routing.numShards), rep: String(service.meta.settings['index.number_of_replicas'] ?? '1') };
    }
    const s = service.stats();
    const bytes = s.bytes + service.translogBytes;
    const size = useBytes === 'b' ? String(bytes) : formatBytes(bytes);
    return {
      health: healthOf(service),
      status: 'open',
      index: service.name,
      uuid: service.uuid,
      pri: String(service.routing.numShards),
      rep: String(service.meta.settings['index.number_of_replicas'] ?? '1'),
      'docs.count': String(s.count),
      'docs.deleted': String(s.deleted),
      'store.size': size,
      'pri.store.size': size,
      'dataset.size': size,
    };
  });
  return catTable(req, rows, ['health', 'status', 'index', 'uuid', 'pri', 'rep', 'docs.count', 'docs.deleted', 'store.size', 'pri.store.size', 'dataset.size']);
}

function catAliases(req: RestRequest, ctx: RestContext): RestResult {
  const rows: Json[] = [];
  for (const service of ctx.indices.all()) {
    for (const [alias, meta] of Object.entries(service.meta.aliases)) {
      if (req.params.name && !req.params.name.split(',').includes(alias)) continue;
      rows.push({ alias, index: service.name, filter: meta.filter ? '*' : '-', 'routing.index': meta.index_routing ?? '-', 'routing.search': meta.search_routing ?? '-', is_write_index: meta.is_write_index === undefined ? '-' : String(meta.is_write_index) });
    }
  }
  return catTable(req, rows, ['alias', 'index', 'filter', 'routing.index', 'routing.search', 'is_write_index']);
}

/** `_cat/shards`: each primary started on the one node, each replica unassigned (a single-node cluster). */
function catShards(req: RestRequest, ctx: RestContext): RestResult {
  const services = ctx.indices.resolve(req.params.index, resolveOptions(req)).map((r) => r.service);
  const rows: Json[] = [];
  for (const service of services) {
    const replicas = Number(service.meta.settings['index.number_of_replicas'] ?? 1);
    service.shards.forEach((shard, k) => {
      const s = shard.stats();
      const size = req.query.bytes === 'b' ? String(s.bytes) : formatBytes(s.bytes);
      rows.push({ index: service.name, shard: String(k), prirep: 'p', state: 'STARTED', docs: String(s.count), store: size, dataset: size, ip: '127.0.0.1', node: ctx.cluster.name });
      for (let r = 0; r < replicas; r++) rows.push({ index: service.name, shard: String(k), prirep: 'r', state: 'UNASSIGNED', docs: null, store: null, dataset: null, ip: null, node: null });
    });
  }
  return catTable(req, rows, ['index', 'shard', 'prirep', 'state', 'docs', 'store', 'dataset', 'ip', 'node']);
}

function catCount(req: RestRequest, ctx: RestContext): RestResult {
  let total = 0;
  for (const { service } of ctx.indices.resolve(req.params.index, resolveOptions(req))) for (const view of service.searchViews()) total += view.numDocs;
  const now = Date.now();
  return catTable(req, [{ epoch: String(Math.floor(now / 1000)), timestamp: new Date(now).toISOString().slice(11, 19), count: String(total) }], ['epoch', 'timestamp', 'count']);
}

function catHealth(req: RestRequest, ctx: RestContext): RestResult {
  const result = health({ ...req, query: {} }, ctx).body as Json;
  const now = Date.now();
  return catTable(req, [{ epoch: String(Math.floor(now / 1000)), timestamp: new Date(now).toISOString().slice(11, 19), cluster: result.cluster_name, status: result.status, 'node.total': '1', 'node.data': '1', shards: String(result.active_shards), pri: String(result.active_primary_shards), relo: '0', init: '0', unassign: String(result.unassigned_shards), 'unassign.pri': '0', pending_tasks: '0', max_task_wait_time: '-', active_shards_percent: `${Number(result.active_shards_percent_as_number).toFixed(1)}%` }], ['epoch', 'timestamp', 'cluster', 'status', 'node.total', 'node.data', 'shards', 'pri', 'relo', 'init', 'unassign', 'unassign.pri', 'pending_tasks', 'max_task_wait_time', 'active_shards_percent']);
}

function renderSettings(req: RestRequest, flat: Record<string, SettingValue>): Json {
  return boolParam(req, 'flat_settings', false) ? Object.fromEntries(Object.keys(flat).sort().map((k) => [k, flat[k]])) : nestSettings(flat);
}

function getClusterSettings(req: RestRequest, ctx: RestContext): RestResult {
  // the defaults are hundreds of node settings the engine does not have: refused rather than a partial list
  if (boolParam(req, 'include_defaults', false)) throw new EngineError(400, 'illegal_argument_exception', '[include_defaults] of GET /_cluster/settings is not supported by the indexkit embedded engine');
  return ok({ persistent: renderSettings(req, ctx.settings.view('persistent')), transient: renderSettings(req, ctx.settings.view('transient')) });
}

function putClusterSettings(req: RestRequest, ctx: RestContext): RestResult {
  const changed = ctx.settings.update(jsonBody(req, true));
  // a cached result was checked against the old settings (search.max_buckets...)
  ctx.search.clearRequestCache();
  return ok({ acknowledged: true, persistent: renderSettings(req, changed.persistent), transient: renderSettings(req, changed.transient) });
}

export const CLUSTER_ROUTES: Route[] = [
  { method: 'GET', pattern: '/', handler: root },
  { method: 'HEAD', pattern: '/', handler: root },
  { method: 'GET', pattern: '/_cluster/settings', handler: getClusterSettings, params: ['flat_settings', 'include_defaults', 'master_timeout', 'timeout', 'local'] },
  { method: 'PUT', pattern: '/_cluster/settings', handler: putClusterSettings, params: ['flat_settings', 'master_timeout', 'timeout'] },
  { method: 'GET', pattern: '/_cluster/health', handler: health },
  { method: 'GET', pattern: '/_cluster/health/{index}', handler: health },
  { method: 'GET', pattern: '/_cat/indices', handler: catIndices },
  { method: 'GET', pattern: '/_cat/indices/{index}', handler: catIndices },
  { method: 'GET', pattern: '/_cat/aliases', handler: catAliases },
  { method: 'GET', pattern: '/_cat/aliases/{name}', handler: catAliases },
  { method: 'GET', pattern: '/_cat/shards', handler: catShards },
  { method: 'GET', pattern: '/_cat/shards/{index}', handler: catShards },
  { method: 'GET', pattern: '/_cat/count', handler: catCount },
  { method: 'GET', pattern: '/_cat/count/{index}', handler: catCount },
  { method: 'GET', pattern: '/_cat/health', handler: catHealth },
];

import { EngineError } from '../../errors.js';
import { aliasSelector } from '../../indices/alias-patterns.js';
import type { IndexService } from '../../indices/index-service.js';
import { wildcardStates } from '../../indices/index-state.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { clusterHealth } from '../handlers/cluster-routes.js';
import { healthOf, resolveOptions } from '../handlers/index-routes.js';
import { countRequest } from '../handlers/search-routes.js';
import { ByteSize, renderCat, timestampCells, timestampColumns } from './cat-table.js';
import type { CatCell, CatColumn } from './cat-table.js';

/**
 * `_cat/aliases`, `_cat/count`, `_cat/health`, `_cat/indices` and `_cat/shards` with the columns of
 * Elasticsearch's RestAliasAction, RestCountAction, RestHealthAction, RestIndicesAction and
 * RestShardsAction (the last two only with the statistics the engine keeps, see `partial`).
 */

type Row = Record<string, CatCell>;

const ALIAS_COLUMNS: CatColumn[] = [
  { name: 'alias', aliases: ['a'], desc: 'alias name' },
  { name: 'index', aliases: ['i', 'idx'], desc: 'index alias points to' },
  { name: 'filter', aliases: ['f', 'fi'], desc: 'filter' },
  { name: 'routing.index', aliases: ['ri', 'routingIndex'], desc: 'index routing' },
  { name: 'routing.search', aliases: ['rs', 'routingSearch'], desc: 'search routing' },
  { name: 'is_write_index', aliases: ['w', 'isWriteIndex'], desc: 'write index' },
];

function catAliases(req: RestRequest, ctx: RestContext): RestResult {
  // GetAliasesRequest's names, as Metadata.findAliases reads them (patterns, later `-` exclusions)
  const names = req.params.name === undefined || req.params.name === '' ? undefined : req.params.name.split(',').map((n) => n.trim()).filter((n) => n !== '');
  const matches = aliasSelector(names);
  const rows: Row[] = [];
  // GetAliasesRequest's IndicesOptions: every index, open, closed or hidden, unless expand_wildcards narrows them
  const states = wildcardStates(req.query.expand_wildcards ?? 'all');
  const services = [...ctx.indices.all()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const service of services) {
    const hidden = service.name.startsWith('.') || service.meta.settings['index.hidden'] === 'true';
    if (!(service.closed ? states.closed : states.open) || (hidden && !states.hidden)) continue;
    for (const alias of Object.keys(service.meta.aliases).sort()) {
      if (!matches(alias)) continue;
      const meta = service.meta.aliases[alias]!;
      rows.push({
        alias,
        index: service.name,
        filter: meta.filter ? '*' : '-',
        'routing.index': meta.index_routing ? String(meta.index_routing) : '-',
        'routing.search': meta.search_routing ? String(meta.search_routing) : '-',
        is_write_index: meta.is_write_index === undefined || meta.is_write_index === null ? '-' : String(meta.is_write_index),
      });
    }
  }
  return renderCat(req, { columns: ALIAS_COLUMNS, rows });
}

const COUNT_COLUMNS: CatColumn[] = [...timestampColumns(), { name: 'count', aliases: ['dc', 'docs.count', 'docsCount'], desc: 'the document count' }];

/** RestCountAction: a search of size 0 tracking every hit, with the `q` parameters or a body query. */
async function catCount(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  if (req.query.help === 'true' || req.query.help === '') return renderCat(req, { columns: COUNT_COLUMNS, rows: [] });
  const query = Object.fromEntries(Object.entries(req.query).filter(([k]) => !CAT_PARAMS.has(k)));
  const result = await countRequest({ ...req, query }, ctx);
  const count = (result.body as { count: number }).count;
  return renderCat(req, { columns: COUNT_COLUMNS, rows: [{ ...timestampCells(), count }] });
}

/** AbstractCatAction.RESPONSE_PARAMS and `help`: parameters of the table, not of the request under it. */
const CAT_PARAMS = new Set(['format', 'h', 'v', 'ts', 'pri', 'bytes', 'size', 'time', 's', 'help', 'local', 'master_timeout']);

const HEALTH_COLUMNS: CatColumn[] = [
  ...timestampColumns(),
  { name: 'cluster', aliases: ['cl'], desc: 'cluster name' },
  { name: 'status', aliases: ['st'], desc: 'health status' },
  { name: 'node.total', aliases: ['nt', 'nodeTotal'], right: true, desc: 'total number of nodes' },
  { name: 'node.data', aliases: ['nd', 'nodeData'], right: true, desc: 'number of nodes that can store data' },
  { name: 'shards', aliases: ['t', 'sh', 'shards.total', 'shardsTotal'], right: true, desc: 'total number of shards' },
  { name: 'pri', aliases: ['p', 'shards.primary', 'shardsPrimary'], right: true, desc: 'number of primary shards' },
  { name: 'relo', aliases: ['r', 'shards.relocating', 'shardsRelocating'], right: true, desc: 'number of relocating nodes' },
  { name: 'init', aliases: ['i', 'shards.initializing', 'shardsInitializing'], right: true, desc: 'number of initializing nodes' },
  { name: 'unassign', aliases: ['u', 'shards.unassigned', 'shardsUnassigned'], right: true, desc: 'number of unassigned shards' },
  { name: 'unassign.pri', aliases: ['up', 'shards.unassigned.primary', 'shardsUnassignedPrimary'], right: true, desc: 'number of unassigned primary shards' },
  { name: 'pending_tasks', aliases: ['pt', 'pendingTasks'], right: true, desc: 'number of pending tasks' },
  { name: 'max_task_wait_time', aliases: ['mtwt', 'maxTaskWaitTime'], right: true, desc: 'wait time of longest task pending' },
  { name: 'active_shards_percent', aliases: ['asp', 'activeShardsPercent'], right: true, desc: 'active number of shards in percent' },
];

function catHealth(req: RestRequest, ctx: RestContext): RestResult {
  const h = clusterHealth(ctx, undefined);
  const row: Row = {
    ...timestampCells(),
    cluster: h.cluster_name,
    status: h.status,
    'node.total': 1,
    'node.data': 1,
    shards: h.active_shards,
    pri: h.active_primary_shards,
    relo: 0,
    init: 0,
    unassign: h.unassigned_shards,
    'unassign.pri': h.unassigned_primary_shards,
    pending_tasks: 0,
    max_task_wait_time: '-',
    active_shards_percent: `${h.active_shards_percent_as_number.toFixed(1)}%`,
  };
  return renderCat(req, { columns: HEALTH_COLUMNS, rows: [row] });
}

const INDICES_COLUMNS: CatColumn[] = [
  { name: 'health', aliases: ['h'], desc: 'current health status' },
  { name: 'status', aliases: ['s'], desc: 'open/close status' },
  { name: 'index', aliases: ['i', 'idx'], desc: 'index name' },
  { name: 'uuid', aliases: ['id', 'uuid'], desc: 'index uuid' },
  { name: 'pri', aliases: ['p', 'shards.primary', 'shardsPrimary'], right: true, desc: 'number of primary shards' },
  { name: 'rep', aliases: ['r', 'shards.replica', 'shardsReplica'], right: true, desc: 'number of replica shards' },
  { name: 'docs.count', aliases: ['dc', 'docsCount'], right: true, desc: 'available docs' },
  { name: 'docs.deleted', aliases: ['dd', 'docsDeleted'], right: true, desc: 'deleted docs' },
  { name: 'creation.date', aliases: ['cd'], hidden: true, desc: 'index creation date (millisecond value)' },
  { name: 'creation.date.string', aliases: ['cds'], hidden: true, desc: 'index creation date (as string)' },
  { name: 'store.size', aliases: ['ss', 'storeSize'], right: true, desc: 'store size of primaries & replicas' },
  { name: 'pri.store.size', right: true, desc: 'store size of primaries' },
  { name: 'dataset.size', right: true, desc: 'total size of dataset' },
];

const HEALTH_STATUSES = ['green', 'yellow', 'red'];

/** RestIndicesAction: open and closed indices (a closed one has no statistics), filtered by `health`. */
function catIndices(req: RestRequest, ctx: RestContext): RestResult {
  const wanted = req.query.health;
  if (wanted !== undefined && !HEALTH_STATUSES.includes(wanted.toLowerCase())) throw new EngineError(400, 'illegal_argument_exception', `unknown cluster health status [${wanted}]`);
  const services = ctx.indices.resolve(req.params.index, resolveOptions(req, { allowClosed: true, expandWildcards: 'open,closed' })).map((r) => r.service);
  const rows = services.filter((service) => wanted === undefined || healthOf(service) === wanted.toLowerCase()).map((service) => indexRow(service));
  return renderCat(req, { columns: INDICES_COLUMNS, rows, partial: '_cat/indices' });
}

function indexRow(service: IndexService): Row {
  const created = Number(service.meta.creationDate);
  const base: Row = {
    health: healthOf(service),
    status: service.closed ? 'close' : 'open',
    index: service.name,
    uuid: service.uuid,
    pri: service.routing.numShards,
    rep: Number(service.meta.settings['index.number_of_replicas'] ?? 1),
    'creation.date': created,
    'creation.date.string': new Date(created).toISOString(),
  };
  // a closed index has no statistics, nor a red one (no started primary to read them from)
  if (service.closed || service.failure) return base;
  const s = service.stats();
  const bytes = new ByteSize(s.bytes + service.translogBytes);
  return { ...base, 'docs.count': s.count, 'docs.deleted': s.deleted, 'store.size': bytes, 'pri.store.size': bytes, 'dataset.size': bytes };
}

const SHARDS_COLUMNS: CatColumn[] = [
  { name: 'index', aliases: ['i', 'idx'], desc: 'index name' },
  { name: 'shard', aliases: ['s', 'sh'], desc: 'shard name' },
  { name: 'prirep', aliases: ['p', 'pr', 'primaryOrReplica'], desc: 'primary or replica' },
  { name: 'state', aliases: ['st'], desc: 'shard state' },
  { name: 'docs', aliases: ['d', 'dc'], right: true, desc: 'number of docs in shard' },
  { name: 'store', aliases: ['sto'], right: true, desc: 'store size of shard (how much disk it uses)' },
  { name: 'dataset', right: true, desc: 'total size of dataset' },
  { name: 'ip', desc: 'ip of node where it lives' },
  { name: 'node', aliases: ['n'], desc: 'name of node where it lives' },
];

/** `_cat/shards`: each primary started on the one node, each replica unassigned (a single-node cluster). */
function catShards(req: RestRequest, ctx: RestContext): RestResult {
  const services = ctx.indices.resolve(req.params.index, resolveOptions(req, { allowFailed: true })).map((r) => r.service);
  const rows: Row[] = [];
  for (const service of services) {
    const replicas = Number(service.meta.settings['index.number_of_replicas'] ?? 1);
    if (service.failure) {
      // a red index: every copy unassigned
      for (let k = 0; k < service.routing.numShards; k++) {
        for (let r = 0; r <= replicas; r++) rows.push({ index: service.name, shard: k, prirep: r === 0 ? 'p' : 'r', state: 'UNASSIGNED', docs: null, store: null, dataset: null, ip: null, node: null });
      }
      continue;
    }
    service.shards.forEach((shard, k) => {
      const s = shard.stats();
      rows.push({ index: service.name, shard: k, prirep: 'p', state: 'STARTED', docs: s.count, store: new ByteSize(s.bytes), dataset: new ByteSize(s.bytes), ip: '127.0.0.1', node: ctx.cluster.name });
      for (let r = 0; r < replicas; r++) rows.push({ index: service.name, shard: k, prirep: 'r', state: 'UNASSIGNED', docs: null, store: null, dataset: null, ip: null, node: null });
    });
  }
  return renderCat(req, { columns: SHARDS_COLUMNS, rows, partial: '_cat/shards' });
}

export const CAT_ROUTES: Route[] = [
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

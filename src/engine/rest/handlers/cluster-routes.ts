import { nestSettings } from '../../cluster-settings.js';
import type { SettingValue } from '../../cluster-settings.js';
import { EngineError } from '../../errors.js';
import { boolParam, jsonBody } from '../request-params.js';
import type { IndexService } from '../../indices/index-service.js';
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

/** ClusterHealthResponse's figures for the cluster (one node) or the indices named. */
export interface ClusterHealth {
  cluster_name: string;
  status: keyof typeof STATUS_RANK;
  active_primary_shards: number;
  active_shards: number;
  unassigned_shards: number;
  unassigned_primary_shards: number;
  active_shards_percent_as_number: number;
  services: IndexService[];
}

export function clusterHealth(ctx: RestContext, req: RestRequest | undefined): ClusterHealth {
  // ClusterHealthRequest's IndicesOptions: open, closed and hidden indices (closed ones keep their shards)
  // (IndicesOptions.lenientExpandHidden: a missing index is skipped, not an error)
  const services = req?.params.index ? ctx.indices.resolve(req.params.index, resolveOptions(req, { allowClosed: true, expandWildcards: 'all', ignoreUnavailable: true, allowNoIndices: true })).map((r) => r.service) : ctx.indices.all();
  let status: keyof typeof STATUS_RANK = 'green';
  let unassigned = 0;
  let unassignedPrimaries = 0;
  let active = 0;
  for (const service of services) {
    const h = healthOf(service);
    if (STATUS_RANK[h] > STATUS_RANK[status]) status = h;
    const copies = shardCopies(service);
    unassigned += copies.unassigned;
    unassignedPrimaries += copies.unassignedPrimaries;
    active += copies.active;
  }
  return {
    cluster_name: ctx.cluster.clusterName,
    status,
    active_primary_shards: active,
    active_shards: active,
    unassigned_shards: unassigned,
    unassigned_primary_shards: unassignedPrimaries,
    active_shards_percent_as_number: active + unassigned === 0 ? 100 : (active / (active + unassigned)) * 100,
    services,
  };
}

/**
 * An index's shard copies on the one node: each primary started and each replica unassigned, or,
 * for a red index (failed at start-up), every copy unassigned.
 */
function shardCopies(service: IndexService): { active: number; unassigned: number; unassignedPrimaries: number; replicas: number; shards: number } {
  const replicas = Number(service.meta.settings['index.number_of_replicas'] ?? 1);
  const shards = service.routing.numShards;
  if (service.failure) return { active: 0, unassigned: shards * (1 + replicas), unassignedPrimaries: shards, replicas, shards };
  return { active: shards, unassigned: shards * replicas, unassignedPrimaries: 0, replicas, shards };
}

/**
 * Whether the health request's waits (wait_for_status, wait_for_nodes, wait_for_active_shards)
 * are unmet. The engine's one node changes no shard state by itself, so a wait unmet now stays
 * unmet: the answer is the timed-out one at once rather than after `timeout`.
 */
function waitTimesOut(req: RestRequest, status: keyof typeof STATUS_RANK, active: number, unassigned: number): boolean {
  if (req.query.wait_for_relocating_shards !== undefined) throw new EngineError(400, 'illegal_argument_exception', 'wait_for_relocating_shards has been removed, use wait_for_no_relocating_shards [true/false] instead');
  let timedOut = false;
  const wantedStatus = req.query.wait_for_status?.toLowerCase();
  if (wantedStatus !== undefined) {
    if (!(wantedStatus in STATUS_RANK)) throw new EngineError(400, 'illegal_argument_exception', `No enum constant org.elasticsearch.cluster.health.ClusterHealthStatus.${wantedStatus.toUpperCase()}`);
    if (STATUS_RANK[status] > STATUS_RANK[wantedStatus as keyof typeof STATUS_RANK]) timedOut = true;
  }
  const nodes = req.query.wait_for_nodes;
  if (nodes !== undefined && nodes !== '' && !nodeCountMet(nodes, 1)) timedOut = true;
  const shards = req.query.wait_for_active_shards;
  if (shards !== undefined && shards !== '') {
    // ActiveShardCount: all (every copy, replicas included), default (the primaries), or a number
    if (shards === 'all') timedOut ||= unassigned > 0;
    else if (shards !== 'default') {
      const n = Number(shards);
      if (!Number.isInteger(n) || n < 0) throw new EngineError(400, 'illegal_argument_exception', `failed to parse value [${shards}] for [wait_for_active_shards]`);
      timedOut ||= active < n;
    }
  }
  return timedOut;
}

/** ClusterHealthRequest.waitForNodes: `N`, `>=N`, `ge(N)`, `<=N`, `le(N)`, `>N`, `gt(N)`, `<N`, `lt(N)`. */
function nodeCountMet(expression: string, nodes: number): boolean {
  const m = /^(>=|<=|>|<|ge\(|le\(|gt\(|lt\()?\s*(\d+)\)?$/.exec(expression.trim());
  if (!m) throw new EngineError(400, 'illegal_argument_exception', `failed to parse wait_for_nodes [${expression}]`);
  const n = Number(m[2]);
  switch (m[1]) {
    case '>=':
    case 'ge(':
      return nodes >= n;
    case '<=':
    case 'le(':
      return nodes <= n;
    case '>':
    case 'gt(':
      return nodes > n;
    case '<':
    case 'lt(':
      return nodes < n;
    default:
      return nodes === n;
  }
}

function health(req: RestRequest, ctx: RestContext): RestResult {
  const { status, services, active_primary_shards: activePrimaries, active_shards: active, unassigned_shards: unassigned, unassigned_primary_shards: unassignedPrimaries, active_shards_percent_as_number: percent } = clusterHealth(ctx, req);
  const timedOut = waitTimesOut(req, status, active, unassigned);
  const body: Json = {
    cluster_name: ctx.cluster.clusterName,
    status,
    timed_out: timedOut,
    number_of_nodes: 1,
    number_of_data_nodes: 1,
    active_primary_shards: activePrimaries,
    active_shards: active,
    relocating_shards: 0,
    initializing_shards: 0,
    unassigned_shards: unassigned,
    unassigned_primary_shards: unassignedPrimaries,
    delayed_unassigned_shards: 0,
    number_of_pending_tasks: 0,
    number_of_in_flight_fetch: 0,
    task_max_waiting_in_queue_millis: 0,
    active_shards_percent_as_number: percent,
  };
  // ClusterHealthRequest.Level: cluster (the default), indices, or shards (the indices with their shards)
  const level = (req.query.level ?? 'cluster').toLowerCase();
  if (!['cluster', 'indices', 'shards'].includes(level)) throw new EngineError(400, 'illegal_argument_exception', `No enum constant org.elasticsearch.action.admin.cluster.health.ClusterHealthRequest.Level.${level.toUpperCase()}`);
  if (level !== 'cluster') {
    const indices: Json = {};
    for (const service of services) {
      const { replicas, shards, active: activeCopies, unassigned: unassignedCopies, unassignedPrimaries: unassignedPrimaryCopies } = shardCopies(service);
      const index: Json = { status: healthOf(service), number_of_shards: shards, number_of_replicas: replicas, active_primary_shards: activeCopies, active_shards: activeCopies, relocating_shards: 0, initializing_shards: 0, unassigned_shards: unassignedCopies, unassigned_primary_shards: unassignedPrimaryCopies };
      if (level === 'shards') {
        // ClusterShardHealth: the primary started on the one node, every replica unassigned (a red index: nothing started)
        const perShard: Json = {};
        const red = service.failure !== undefined;
        for (let k = 0; k < shards; k++) perShard[String(k)] = { status: healthOf(service), primary_active: !red, active_shards: red ? 0 : 1, relocating_shards: 0, initializing_shards: 0, unassigned_shards: red ? 1 + replicas : replicas, unassigned_primary_shards: red ? 1 : 0 };
        index.shards = perShard;
      }
      indices[service.name] = index;
    }
    body.indices = indices;
  }
  // since 8.0 a health request that timed out answers 200 with timed_out: true (return_200_for_cluster_health_timeout is deprecated)
  return { status: 200, body };
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
];

import { EngineError, illegalArgument, indexNotFound, unsupported } from '../../errors.js';
import type { IndexService } from '../../indices/index-service.js';
import { allocationDetails } from '../../indices/unassigned-shards.js';
import { boolParam, jsonBody } from '../request-params.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { ok } from '../rest-types.js';

type Json = Record<string, unknown>;

/**
 * `_cluster/allocation/explain` for the shards of a red index (one the engine could not open at
 * start-up: its primaries failed to allocate and are not retried), and `_cluster/reroute?retry_failed`,
 * which tries to open those indices again. Other explanations (a started primary, an unassigned
 * replica of the one-node cluster) and reroute commands are refused by name.
 */

/** index.allocation.max_retries: the allocation attempts before the allocator gives up. */
const MAX_RETRIES = 5;

function explainShard(req: RestRequest, ctx: RestContext): RestResult {
  const body = jsonBody(req, false);
  for (const key of Object.keys(body)) {
    if (!['index', 'shard', 'primary', 'current_node'].includes(key)) throw new EngineError(400, 'x_content_parse_exception', `[1:2] [cluster/allocation/explain] unknown field [${key}]`);
  }
  if (body.current_node !== undefined) throw unsupported('_cluster/allocation/explain current_node');
  let service: IndexService;
  let shard: number;
  let primary: boolean;
  let note: string | undefined;
  if (body.index === undefined && body.shard === undefined && body.primary === undefined) {
    // the request explains "a randomly chosen unassigned shard": answered only where the choice is one
    const red = ctx.indices.failed();
    const only = red.length === 1 && red[0]!.routing.numShards === 1 && replicasOf(red[0]!) === 0 && ctx.indices.all().every((s) => s === red[0] || s.closed || replicasOf(s) === 0);
    if (!only) throw unsupported('_cluster/allocation/explain without a shard, but for the one unassigned shard of a red index');
    service = red[0]!;
    shard = 0;
    primary = true;
    note = 'No shard was specified in the explain API request, so this response explains a randomly chosen unassigned shard. There may be other unassigned shards in this cluster which cannot be assigned for different reasons. It may not be possible to assign this shard until one of the other shards is assigned correctly. To explain the allocation of other shards (whether assigned or unassigned) you must specify the target shard in the request to this API. See https://www.elastic.co/guide/en/elasticsearch/reference/8.19/cluster-allocation-explain.html for more information.';
  } else {
    if (typeof body.index !== 'string' || typeof body.shard !== 'number' || typeof body.primary !== 'boolean') {
      throw illegalArgument('No shard was specified in the request which means the response should explain a randomly-chosen unassigned shard, but there are no unassigned shards in this cluster. To explain the allocation of an assigned shard you must specify the target shard in the request.');
    }
    const found = ctx.indices.get(body.index);
    if (!found) throw indexNotFound(body.index);
    service = found;
    shard = body.shard;
    primary = body.primary;
    if (!Number.isInteger(shard) || shard < 0 || shard >= service.routing.numShards) throw illegalArgument(`No shard was found for [${service.name}][${shard}]`);
  }
  if (!service.failure || !primary) throw unsupported('_cluster/allocation/explain of a shard of an index that is not red, or of a replica');
  const at = new Date(service.failedAt ?? Date.now()).toISOString();
  const details = allocationDetails(service, ctx.cluster.nodeId);
  const info = `[reason=ALLOCATION_FAILED], at[${at}], failed_attempts[${MAX_RETRIES}], failed_nodes[[${ctx.cluster.nodeId}]], delayed=false, details[${details}], allocation_status[deciders_no]`;
  if (boolParam(req, 'include_disk_info', false)) throw unsupported('_cluster/allocation/explain include_disk_info');
  const out: Json = {
    ...(note ? { note } : {}),
    index: service.name,
    shard,
    primary,
    current_state: 'unassigned',
    unassigned_info: { reason: 'ALLOCATION_FAILED', at, failed_allocation_attempts: MAX_RETRIES, details, last_allocation_status: 'no' },
    can_allocate: 'no',
    allocate_explanation:
      "Elasticsearch isn't allowed to allocate this shard to any of the nodes in the cluster that hold an in-sync shard copy. Choose a node to which you expect this shard to be allocated, find this node in the node-by-node explanation, and address the reasons which prevent Elasticsearch from allocating this shard there.",
    node_allocation_decisions: [
      {
        node_id: ctx.cluster.nodeId,
        node_name: ctx.cluster.name,
        transport_address: '127.0.0.1:9300',
        node_attributes: {},
        roles: ['data', 'data_cold', 'data_content', 'data_frozen', 'data_hot', 'data_warm', 'ingest', 'master', 'ml', 'remote_cluster_client', 'transform'],
        node_decision: 'no',
        store: { in_sync: true, allocation_id: service.uuid },
        deciders: [
          {
            decider: 'max_retry',
            decision: 'NO',
            explanation: `shard has exceeded the maximum number of retries [${MAX_RETRIES}] on failed allocation attempts - manually call [POST /_cluster/reroute?retry_failed&metric=none] to retry, [unassigned_info[${info}]]`,
          },
        ],
      },
    ],
  };
  return ok(out);
}

function replicasOf(service: IndexService): number {
  return Number(service.meta.settings['index.number_of_replicas'] ?? 1);
}

/**
 * POST /_cluster/reroute: `retry_failed` opens again the indices that failed at start-up (those
 * whose files are back become green or yellow; the others stay red). Commands are not supported.
 */
function reroute(req: RestRequest, ctx: RestContext): RestResult {
  const body = jsonBody(req, false);
  const commands = body.commands;
  if (Array.isArray(commands) ? commands.length > 0 : commands !== undefined) throw unsupported('_cluster/reroute commands');
  if (boolParam(req, 'dry_run', false)) throw unsupported('_cluster/reroute dry_run');
  if (boolParam(req, 'explain', false)) throw unsupported('_cluster/reroute explain');
  const metric = req.query.metric;
  if (metric !== undefined && metric !== 'none') throw unsupported(`_cluster/reroute metric [${metric}]`);
  // 8.x answers the cluster state unless metric=none; the engine has no cluster state to show
  if (metric === undefined) throw unsupported('_cluster/reroute without metric=none (the cluster state in the response)');
  if (boolParam(req, 'retry_failed', false)) for (const service of ctx.indices.failed()) ctx.indices.retryFailed(service);
  return ok({ acknowledged: true });
}

export const ALLOCATION_ROUTES: Route[] = [
  { method: 'GET', pattern: '/_cluster/allocation/explain', handler: explainShard, params: ['include_disk_info', 'include_yes_decisions', 'master_timeout'] },
  { method: 'POST', pattern: '/_cluster/allocation/explain', handler: explainShard, params: ['include_disk_info', 'include_yes_decisions', 'master_timeout'] },
  { method: 'POST', pattern: '/_cluster/reroute', handler: reroute, params: ['dry_run', 'explain', 'retry_failed', 'metric', 'master_timeout', 'timeout'] },
];

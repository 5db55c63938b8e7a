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
  if (body.current_node !== undefined && typeof body.current_node !== 'string') throw parseError('current_node');
  if (body.current_node !== undefined) throw unsupported('_cluster/allocation/explain current_node');
  // the flags are read strictly, as the REST layer's paramAsBoolean does
  boolParam(req, 'include_disk_info', false);
  boolParam(req, 'include_yes_decisions', false);
  let service: IndexService;
  let shard: number;
  let primary: boolean;
  let note: string | undefined;
  if (body.index === undefined && body.shard === undefined && body.primary === undefined) {
    // the request explains "a randomly chosen unassigned shard": answered only where the choice is one
    const red = ctx.indices.failed();
    const unassigned = ctx.indices.all().some((s) => s.failure || (!s.closed && replicasOf(s) > 0));
    if (!unassigned) {
      throw illegalArgument(
        'There are no unassigned shards in this cluster. Specify an assigned shard in the request body to explain its allocation. See https://www.elastic.co/guide/en/elasticsearch/reference/8.19/cluster-allocation-explain.html for more information.',
      );
    }
    const only = red.length === 1 && red[0]!.routing.numShards === 1 && replicasOf(red[0]!) === 0 && ctx.indices.all().every((s) => s === red[0] || s.closed || replicasOf(s) === 0);
    if (!only) throw unsupported('_cluster/allocation/explain without a shard, but for the one unassigned shard of a red index');
    service = red[0]!;
    shard = 0;
    primary = true;
    note = 'No shard was specified in the explain API request, so this response explains a randomly chosen unassigned shard. There may be other unassigned shards in this cluster which cannot be assigned for different reasons. It may not be possible to assign this shard until one of the other shards is assigned correctly. To explain the allocation of other shards (whether assigned or unassigned) you must specify the target shard in the request to this API. See https://www.elastic.co/guide/en/elasticsearch/reference/8.19/cluster-allocation-explain.html for more information.';
  } else {
    const index = parseIndex(body.index);
    const shardNumber = parseShard(body.shard);
    const isPrimary = parsePrimary(body.primary);
    // ClusterAllocationExplainRequest.validate: all three, or none
    const missing = [index === undefined ? 'index' : undefined, shardNumber === undefined ? 'shard' : undefined, isPrimary === undefined ? 'primary' : undefined].filter((m): m is string => m !== undefined);
    if (missing.length > 0) throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: ${missing.map((m, i) => `${i + 1}: ${m} must be specified;`).join('')}`);
    const found = ctx.indices.get(index!);
    if (!found) throw indexNotFound(index!);
    service = found;
    shard = shardNumber!;
    primary = isPrimary!;
    if (shard >= service.routing.numShards) throw new EngineError(404, 'shard_not_found_exception', 'no such shard', { index_uuid: service.uuid, shard: String(shard), index: service.name });
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

/** The body's fields as ClusterAllocationExplainRequest's parser takes them (strings for numbers and booleans too). */
function parseError(field: string): EngineError {
  return new EngineError(400, 'x_content_parse_exception', `[1:2] [cluster/allocation/explain] failed to parse field [${field}]`);
}

function parseIndex(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw parseError('index');
  return value;
}

function parseShard(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  // an int field: a fraction is truncated, a value beyond int (or not a number) is refused
  if (!Number.isFinite(n) || Math.trunc(n) > 2147483647 || Math.trunc(n) < -2147483648) throw parseError('shard');
  return Math.trunc(n);
}

function parsePrimary(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw parseError('primary');
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

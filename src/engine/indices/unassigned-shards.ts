import { EngineError } from '../errors.js';
import type { IndexService } from './index-service.js';

/**
 * What Elasticsearch answers about an index whose shards failed to allocate (a red index): the
 * engine marks an index failed when it cannot open it at start-up (IndexService.failure).
 */

/**
 * A search reaching red indices: AbstractSearchAsyncAction fails each unassigned shard with a
 * NoShardAvailableActionException without a message (wrapped by forOnShardFailureWrapper, so no
 * shard id either), grouped per index (ExceptionsHelper.groupBy), 503.
 */
export function allShardsUnavailable(services: readonly IndexService[]): EngineError {
  // `reason: null` as the exception's null message prints
  const cause = new EngineError(503, 'no_shard_available_action_exception', '', { reason: null });
  const failedShards = services.map((service) => ({ shard: 0, index: service.name, node: null, reason: cause.toBody() }));
  return new EngineError(503, 'search_phase_execution_exception', 'all shards failed', { phase: 'query', grouped: true, failed_shards: failedShards }, cause);
}

/** TransportSingleShardAction (GET a document): NoShardAvailableActionException, without a shard id. */
export function noShardAvailable(request: string): EngineError {
  return new EngineError(503, 'no_shard_available_action_exception', `No shard available for [${request}]`);
}

/**
 * TransportReplicationAction's reroute phase (a write): the primary never becomes active, and
 * after the request's timeout (1m by default) UnavailableShardsException names the shard. The
 * engine answers at once: nothing would start the shard while the request waited.
 */
export function unavailableShards(service: IndexService, shard: number, timeout = '1m'): EngineError {
  return new EngineError(503, 'unavailable_shards_exception', `[${service.name}][${shard}] primary shard is not active Timeout: [${timeout}]`, {
    index_uuid: service.uuid,
    shard: String(shard),
    index: service.name,
  });
}

/** UnassignedInfo's `details` of a failed allocation: the failure and its cause. */
export function allocationDetails(service: IndexService, nodeId: string): string {
  const cause = service.failure!;
  return `failed shard on node [${nodeId}]: failed to create index, failure ${javaName(cause.type)}[${cause.reason}]`;
}

/** `illegal_argument_exception` -> IllegalArgumentException (how Elasticsearch prints an exception). */
function javaName(type: string): string {
  if (type === 'exception') return 'ElasticsearchException';
  return type.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('').replace(/Exception$/, 'Exception');
}

import type { SearchTarget } from '../contract.js';
import { EngineError } from '../errors.js';

/** Elasticsearch's wrapping of per-shard failures (each search target is one shard of an index). */

export const NODE_ID = 'indexkit-embedded-node';

export interface ShardFailure {
  index: string;
  error: EngineError;
  /** The shard's number in its index (0 when absent). */
  shard?: number;
}

/**
 * A failure Elasticsearch confines to one shard, because of that shard's mapping or data (a
 * `value_type` its field does not have, an hdr histogram fed a negative value): the search drops
 * that shard, lists it in `_shards.failures` and reduces the others (200), or answers `all shards
 * failed` when none is left. Thrown by the code that knows which target it is working on; the
 * search service catches it and runs the search again without that target.
 */
export class ShardTargetFailure extends Error {
  override readonly name = 'ShardTargetFailure';
  constructor(
    readonly target: SearchTarget,
    readonly error: EngineError,
  ) {
    super(error.message);
  }

  /** The failure as `_shards.failures` lists it. */
  toShardFailure(): ShardFailure {
    return { index: this.target.view.index, error: this.error, shard: this.target.view.shardId ?? 0 };
  }
}

/** Whether an error raised while running a search on one index is a shard failure (vs a request error). */
export const isShardError = (e: unknown): e is EngineError => e instanceof EngineError && e.type !== 'parsing_exception';

export function shardFailureBody(f: ShardFailure): Record<string, unknown> {
  return { shard: f.shard ?? 0, index: f.index, node: NODE_ID, reason: f.error.toBody() };
}

/** `search_phase_execution_exception: all shards failed`, status and root cause from the first shard's error. */
export function allShardsFailed(failures: ShardFailure[], phase = 'query'): EngineError {
  const first = failures[0] as ShardFailure;
  const seen = new Set<string>();
  const grouped = failures.filter((f) => {
    const key = `${f.index}\u0000${f.error.type}\u0000${f.error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return new EngineError(
    first.error.status,
    'search_phase_execution_exception',
    'all shards failed',
    { phase, grouped: true, failed_shards: grouped.map(shardFailureBody) },
    first.error,
  );
}

/** `search_context_missing_exception` as a scroll or PIT lookup reports it (404). */
export function searchContextMissing(id: string): EngineError {
  const cause = new EngineError(404, 'search_context_missing_exception', `No search context found for id [${id}]`);
  return new EngineError(
    404,
    'search_phase_execution_exception',
    'all shards failed',
    { phase: 'query', grouped: true, failed_shards: [{ shard: -1, index: null, reason: cause.toBody() }] },
    cause,
  );
}

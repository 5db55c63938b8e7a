import { SYNC_OUTBOX_TABLE } from '../db/migrations/0002-sync-outbox.js';
import type { SqlStatement } from './capture-sql.js';

/** One claimed outbox entry. */
export interface OutboxEntry {
  id: string;
  source: string;
  row_key: string;
  attempts: number;
  created_at: Date;
}

const T = SYNC_OUTBOX_TABLE;

/**
 * Claims up to `limit` pending entries, oldest first, in one statement: a CTE selects them
 * `FOR UPDATE SKIP LOCKED`, the UPDATE marks them in flight for this worker and RETURNING hands
 * them back. Trade-off: SKIP LOCKED lets several workers claim disjoint batches without waiting
 * on each other, at the price of strict global order: a worker may take entries 101–200 while
 * another still holds 1–100, so two workers can send changes of the same row in either order.
 * The external version (the outbox id) is what keeps the older one from overwriting the newer.
 * `locked_pid` records the claiming backend so that a crashed worker's entries can be reclaimed
 * as soon as its session is gone.
 */
export function claimSql(worker: string, limit: number): SqlStatement {
  return {
    sql: `WITH claimed AS (
  SELECT id FROM ?? WHERE status = 'pending' AND available_at <= now() ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED
)
UPDATE ?? AS o SET status = 'in_flight', locked_by = ?, locked_pid = pg_backend_pid(), locked_at = now(), attempts = o.attempts + 1
FROM claimed WHERE o.id = claimed.id
RETURNING o.id, o.source, o.row_key, o.attempts, o.created_at`,
    bindings: [T, limit, T, worker],
  };
}

/**
 * Puts back in-flight entries whose worker is gone: held longer than `leaseMs`, or claimed by a
 * database session that no longer exists (a worker killed with SIGKILL loses its connections at
 * once, so its entries come back without waiting for the lease).
 */
export function reclaimSql(leaseMs: number): SqlStatement {
  return {
    sql: `UPDATE ?? SET status = 'pending', locked_by = NULL, locked_pid = NULL, locked_at = NULL
WHERE status = 'in_flight' AND (locked_at < now() - make_interval(secs => ?::double precision / 1000)
  OR NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = locked_pid))`,
    bindings: [T, leaseMs],
  };
}

/** Done: the search side acknowledged these entries. */
export function completeSql(ids: readonly string[]): SqlStatement {
  return { sql: 'DELETE FROM ?? WHERE id = ANY(?::bigint[])', bindings: [T, ids] };
}

/**
 * A failed attempt: back to pending after an exponential delay with equal jitter
 * (d/2 + random·d/2, d = min(max, base·2^(attempts-1))), or dead once `maxAttempts` is reached.
 */
export function failSql(ids: readonly string[], error: string, options: { maxAttempts: number; baseMs: number; maxMs: number }): SqlStatement {
  return {
    sql: `UPDATE ?? SET
  status = CASE WHEN attempts >= ? THEN 'dead' ELSE 'pending' END,
  available_at = now() + make_interval(secs => least(?::double precision, ?::double precision * power(2, greatest(attempts - 1, 0))) * (0.5 + random() * 0.5) / 1000),
  last_error = ?, locked_by = NULL, locked_pid = NULL, locked_at = NULL
WHERE id = ANY(?::bigint[])`,
    bindings: [T, options.maxAttempts, options.maxMs, options.baseMs, error, ids],
  };
}

/**
 * Re-enqueues rows under a fresh (higher) outbox id: used when the search side holds a higher
 * version than the one sent (a change captured earlier but committed later than a newer one),
 * so the current row is sent again with a version that wins. The new entry carries the attempts
 * of the old one, so a conflict that never resolves (an index holding versions from elsewhere,
 * or an outbox recreated with its sequence back at 1) ends dead with its error instead of looping.
 */
export function requeueSql(source: string, keys: readonly string[], attempts: readonly number[], error: string, maxAttempts: number): SqlStatement {
  return {
    sql: `INSERT INTO ?? (source, row_key, attempts, status, last_error)
SELECT ?, u.k, u.a, CASE WHEN u.a >= ? THEN 'dead' ELSE 'pending' END, ? FROM unnest(?::text[], ?::int[]) AS u(k, a)`,
    bindings: [T, source, maxAttempts, error, keys, attempts],
  };
}

/** Counts for `search sync status`. */
export function statusSql(): SqlStatement {
  return {
    sql: `SELECT
  count(*) FILTER (WHERE status = 'pending')::int AS pending,
  count(*) FILTER (WHERE status = 'pending' AND available_at > now())::int AS waiting_retry,
  count(*) FILTER (WHERE status = 'in_flight')::int AS in_flight,
  count(*) FILTER (WHERE status = 'dead')::int AS dead,
  extract(epoch FROM now() - min(created_at)) AS oldest_age_seconds,
  extract(epoch FROM now() - min(created_at) FILTER (WHERE status <> 'dead')) AS lag_seconds
FROM ??`,
    bindings: [T],
  };
}

/** The most recent dead entries with their errors. */
export function deadEntriesSql(limit: number): SqlStatement {
  return { sql: "SELECT id, source, row_key, attempts, last_error, created_at FROM ?? WHERE status = 'dead' ORDER BY id DESC LIMIT ?", bindings: [T, limit] };
}

/** Re-queues dead entries (all, or of one source table): attempts start again. */
export function retryDeadSql(source?: string): SqlStatement {
  return {
    sql: `UPDATE ?? SET status = 'pending', attempts = 0, available_at = now(), last_error = NULL WHERE status = 'dead'${source === undefined ? '' : ' AND source = ?'} RETURNING id`,
    bindings: source === undefined ? [T] : [T, source],
  };
}

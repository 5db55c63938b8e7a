import type { Knex } from 'knex';
import { SYNC_OUTBOX_TABLE } from '../db/migrations/0002-sync-outbox.js';
import { SyncError } from '../errors.js';
import { deadEntriesSql, retryDeadSql, statusSql } from './outbox-sql.js';

export interface DeadEntry {
  id: string;
  source: string;
  key: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
}

/** `search sync status`: what the outbox holds. */
export interface SyncStatus {
  /** Waiting to be sent (including entries waiting for a retry). */
  pending: number;
  /** Pending entries whose retry time has not come yet. */
  waitingRetry: number;
  inFlight: number;
  dead: number;
  /** Seconds since the oldest entry of any status was captured (null when empty). */
  oldestAgeSeconds: number | null;
  /** Seconds the index trails the database: age of the oldest entry not yet sent (null when caught up). */
  lagSeconds: number | null;
  /** The most recent dead entries with their errors. */
  deadEntries: DeadEntry[];
}

async function requireOutbox(db: Knex): Promise<void> {
  if (!(await db.schema.hasTable(SYNC_OUTBOX_TABLE))) throw new SyncError('SYNC_OUTBOX_MISSING', `the outbox table ${SYNC_OUTBOX_TABLE} does not exist; run search sync install (or search migrate) first`);
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export async function syncStatus(db: Knex, options: { deadLimit?: number } = {}): Promise<SyncStatus> {
  await requireOutbox(db);
  const s = statusSql();
  const row = (await db.raw(s.sql, s.bindings as Knex.RawBinding[])).rows[0] as Record<string, unknown>;
  const d = deadEntriesSql(options.deadLimit ?? 10);
  const dead = (await db.raw(d.sql, d.bindings as Knex.RawBinding[])).rows as Array<{ id: string; source: string; row_key: string; attempts: number; last_error: string | null; created_at: Date }>;
  return {
    pending: Number(row.pending),
    waitingRetry: Number(row.waiting_retry),
    inFlight: Number(row.in_flight),
    dead: Number(row.dead),
    oldestAgeSeconds: num(row.oldest_age_seconds),
    lagSeconds: num(row.lag_seconds),
    deadEntries: dead.map((e) => ({ id: String(e.id), source: e.source, key: e.row_key, attempts: e.attempts, lastError: e.last_error, createdAt: e.created_at })),
  };
}

/** `search sync retry`: dead entries (all, or of one source table) back to pending with fresh attempts. */
export async function retryDead(db: Knex, options: { source?: string } = {}): Promise<{ requeued: number }> {
  await requireOutbox(db);
  const s = retryDeadSql(options.source);
  const result = await db.raw(s.sql, s.bindings as Knex.RawBinding[]);
  return { requeued: (result.rows as unknown[]).length };
}

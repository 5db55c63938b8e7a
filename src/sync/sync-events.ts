import { TypedEvents } from '../typed-events.js';
import type { Row } from '../models/search-model.js';

/** What happened to one document after an action. */
export const SYNC_OUTCOMES = ['sent', 'skipped', 'removed', 'disabled', 'failed'] as const;
export type SyncOutcome = (typeof SYNC_OUTCOMES)[number];

export interface PreActionEvent {
  model: string;
  index: string;
  id: string;
  row: Row;
  /** The document about to be sent (undefined for deletes and when sending is off). */
  document?: Record<string, unknown>;
  /** Built-in sending is off for this call (autoSync, neverAutoSync, withoutSearchUpdates): route the work yourself. */
  disabled: boolean;
}

export interface PostActionEvent extends PreActionEvent {
  outcome: SyncOutcome;
  /** Set when outcome is `failed`. */
  error?: unknown;
}

/**
 * The sync events. Actions: before (`preIndex`, `preUpdate`, `preDelete`), after (`postIndex`,
 * `postUpdate`, `postDelete` with an outcome: success or failure). Worker: `batch` after each
 * acknowledged batch, `dead` when entries are parked, `warning` (LISTEN unavailable, a batch
 * that failed), `listening` when notifications work again.
 */
export interface SyncEventMap {
  preIndex: PreActionEvent;
  preUpdate: PreActionEvent & { updateFields?: readonly string[] };
  preDelete: PreActionEvent;
  postIndex: PostActionEvent;
  postUpdate: PostActionEvent & { updateFields?: readonly string[] };
  postDelete: PostActionEvent;
  batch: { claimed: number; rows: number; sent: number; removed: number; failed: number; requeued: number; durationMs: number; keys: Array<{ source: string; key: string; version: number }> };
  dead: { count: number; error: string };
  warning: { message: string; error?: unknown };
  listening: { channel: string };
}

export type SyncEventName = keyof SyncEventMap;

/** The sync events; `safeEmit` never throws (see TypedEvents). */
export class SyncEvents extends TypedEvents<SyncEventMap> {
  constructor() {
    super('sync');
  }
}

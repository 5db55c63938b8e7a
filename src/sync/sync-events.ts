import { EventEmitter } from 'node:events';
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
type Listener<K extends SyncEventName> = (event: SyncEventMap[K]) => void;

/**
 * A typed emitter whose one way out, `safeEmit`, never throws: a listener's exception is caught
 * and reported on stderr, so an application's broken listener cannot break a save or the worker.
 */
export class SyncEvents {
  private readonly emitter = new EventEmitter();

  on<K extends SyncEventName>(name: K, listener: Listener<K>): this {
    this.emitter.on(name, listener);
    return this;
  }

  once<K extends SyncEventName>(name: K, listener: Listener<K>): this {
    this.emitter.once(name, listener);
    return this;
  }

  off<K extends SyncEventName>(name: K, listener: Listener<K>): this {
    this.emitter.off(name, listener);
    return this;
  }

  listenerCount(name: SyncEventName): number {
    return this.emitter.listenerCount(name);
  }

  /** Calls every listener of `name` in order; exceptions are reported, never thrown. */
  safeEmit<K extends SyncEventName>(name: K, event: SyncEventMap[K]): void {
    for (const listener of this.emitter.listeners(name) as Array<Listener<K>>) {
      try {
        listener(event);
      } catch (error) {
        process.stderr.write(`indexkit: a sync "${name}" listener threw: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  }
}

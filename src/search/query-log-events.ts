import { EventEmitter } from 'node:events';

/** What the query log reports. None of these is an exception: a search never fails because of its log. */
export interface QueryLogEventMap {
  /** A batch reached the database. */
  flushed: { count: number; durationMs: number };
  /** A batch could not be written; it stays queued (oldest dropped past `maxQueue`) and is retried. */
  writeFailed: { error: unknown; count: number; queued: number; consecutiveFailures: number };
  /** Queued queries were dropped, oldest first, because the queue was full. */
  dropped: { count: number; totalDropped: number; queued: number };
  /** A write succeeded after failures. */
  recovered: { failures: number; droppedMeanwhile: number };
}

export type QueryLogEventName = keyof QueryLogEventMap;
type Listener<K extends QueryLogEventName> = (event: QueryLogEventMap[K]) => void;

/**
 * A typed emitter whose `emit` never throws: a listener's exception is caught and reported on
 * stderr (once per listener error), so a broken listener cannot break the search or the write
 * path that emitted.
 */
export class QueryLogEvents {
  private readonly emitter = new EventEmitter();

  on<K extends QueryLogEventName>(name: K, listener: Listener<K>): this {
    this.emitter.on(name, listener);
    return this;
  }

  once<K extends QueryLogEventName>(name: K, listener: Listener<K>): this {
    this.emitter.once(name, listener);
    return this;
  }

  off<K extends QueryLogEventName>(name: K, listener: Listener<K>): this {
    this.emitter.off(name, listener);
    return this;
  }

  /** Calls every listener of `name`; exceptions are reported, never thrown. */
  safeEmit<K extends QueryLogEventName>(name: K, event: QueryLogEventMap[K]): void {
    for (const listener of this.emitter.listeners(name) as Array<Listener<K>>) {
      try {
        listener(event);
      } catch (error) {
        process.stderr.write(`indexkit: a query log "${name}" listener threw: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  }
}

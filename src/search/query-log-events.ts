import { TypedEvents } from '../typed-events.js';

/** What the query log reports. None of these is an exception: a search never fails because of its log. */
export interface QueryLogEventMap {
  /** A batch reached the database. */
  flushed: { count: number; conversions: number; durationMs: number };
  /** A batch could not be written; it stays queued (oldest dropped past `maxQueue`) and is retried. */
  writeFailed: { error: unknown; count: number; queued: number; consecutiveFailures: number };
  /** Queued queries were dropped, oldest first, because the queue was full. */
  dropped: { count: number; totalDropped: number; queued: number };
  /** A write succeeded after failures. */
  recovered: { failures: number; droppedMeanwhile: number };
}

export type QueryLogEventName = keyof QueryLogEventMap;

/** The query log's events; `safeEmit` never throws (see TypedEvents). */
export class QueryLogEvents extends TypedEvents<QueryLogEventMap> {
  constructor() {
    super('query log');
  }
}

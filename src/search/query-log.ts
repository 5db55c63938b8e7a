import type { Knex } from 'knex';
import { settingDefault } from '../config/setting-defaults.js';
import type { QueryLogSettings } from '../config/settings-types.js';
import { SEARCH_QUERIES_TABLE } from '../db/migrations/0001-search-queries.js';
import { conversionOf, insertConversionsSql, placeConversionsSql, type Conversion, type ConversionInput } from './conversions.js';
import { QueryLogEvents } from './query-log-events.js';
import { toQueryLogRow } from './query-log-row.js';
import type { SearchQuery } from './search-query.js';

export interface QueryLogOptions extends Partial<QueryLogSettings> {
  /** The database the log table lives in (after `search migrate`). */
  db: Knex;
  /** Where the one-line warnings go (default: stderr). */
  logger?: { warn(message: string): void };
  /** Applied to every message logged (a Redactor's `redact`), so no secret reaches a log. */
  redact?: (text: string) => string;
}

// After failures, retries back off up to this delay, so a dead database costs one attempt per 30 s.
const MAX_BACKOFF_MS = 30_000;

/**
 * The query log's write path. `record()` is synchronous and O(1): it puts the query on a
 * bounded in-memory queue and returns, so a search never waits for the database. Batches of
 * up to `maxBatch` rows are inserted behind the requests, every `flushIntervalMs` or as soon as
 * a batch is full, one insert at a time. When the database fails, the batch goes back to the
 * queue and is retried with backoff; the failure is reported through `events` (`writeFailed`)
 * and one log line per outage (not per attempt); past `maxQueue` the oldest queries are dropped
 * and counted (`dropped`). `flush()` writes what is queued now; `close()` stops the timer and
 * flushes, for shutdown and tests. Queries still queued when the process exits without
 * `close()` are lost: the log is an audit trail, not a ledger.
 *
 * @example
 * const log = new QueryLog({ db, ...config.settings.queryLog });
 * log.events.on('writeFailed', ({ error }) => metrics.increment('query_log.failed'));
 * const result = await executeSearch('blog', body, { client, log, searchTerms: q });
 * await log.close(); // at shutdown
 */
export class QueryLog {
  readonly events = new QueryLogEvents();
  readonly settings: QueryLogSettings;
  private readonly db: Knex;
  private readonly logger: { warn(message: string): void };
  private readonly redact: (text: string) => string;
  private queue: SearchQuery[] = [];
  private conversions: Conversion[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private failures = 0;
  private droppedInOutage = 0;
  private closed = false;
  private inFlight = 0;
  /** Totals since the log was made (`conversions`: recorded; `conversionsWritten`: sent to the database, repeats included). */
  readonly counters = { recorded: 0, written: 0, dropped: 0, failedWrites: 0, conversions: 0, conversionsWritten: 0 };

  constructor(options: QueryLogOptions) {
    this.db = options.db;
    const FALLBACK = settingDefault<QueryLogSettings>('queryLog');
    this.settings = {
      enabled: options.enabled ?? FALLBACK.enabled,
      flushIntervalMs: options.flushIntervalMs ?? FALLBACK.flushIntervalMs,
      maxBatch: Math.max(1, options.maxBatch ?? FALLBACK.maxBatch),
      maxQueue: Math.max(1, options.maxQueue ?? FALLBACK.maxQueue),
    };
    this.logger = options.logger ?? { warn: (message) => process.stderr.write(`${message}\n`) };
    this.redact = options.redact ?? ((text) => text);
  }

  /** Queries waiting to be written. */
  get pending(): number {
    return this.queue.length;
  }

  /** Conversions waiting to be written. */
  get pendingConversions(): number {
    return this.conversions.length;
  }

  /** Queues `query` for writing. Never throws, never waits. */
  record(query: SearchQuery): void {
    if (!this.settings.enabled || this.closed) return;
    this.counters.recorded++;
    this.queue.push(query);
    this.trim();
    if (this.queue.length >= this.settings.maxBatch && this.failures === 0 && !this.writing) {
      this.cancelTimer();
      this.schedule(0);
    } else this.schedule(this.delay());
  }

  /**
   * Records that a person converted on a hit of a logged search (clicked it, bought it): queued
   * like the queries and written behind them in the same batches, so a conversion that comes
   * before its query's row is written is not lost; its position (the hit's rank in that search)
   * is looked up from the logged hits once the row is there, even when another process logged
   * the search. One conversion per (query, hit, kind): recording it again changes nothing.
   * Throws SearchQueryError (SEARCH_QUERY_INVALID) for a malformed argument; never waits.
   *
   * @example
   * app.get('/r/:query/:post', (req, res) => {
   *   log.recordConversion(req.params.query, { hitId: req.params.post });
   *   res.redirect(`/posts/${req.params.post}`);
   * });
   */
  recordConversion(queryId: string, input: ConversionInput): void {
    const conversion = conversionOf(queryId, input);
    if (!this.settings.enabled || this.closed) return;
    this.counters.conversions++;
    this.conversions.push(conversion);
    if (this.conversions.length > this.settings.maxQueue) {
      const excess = this.conversions.length - this.settings.maxQueue;
      this.conversions.splice(0, excess);
      this.counters.dropped += excess;
      this.events.safeEmit('dropped', { count: excess, totalDropped: this.counters.dropped, queued: this.queue.length + this.conversions.length });
    }
    this.schedule(this.failures === 0 && !this.writing && this.conversions.length >= this.settings.maxBatch ? 0 : this.delay());
  }

  /** Writes everything queued now, in batches; resolves when done or when a write failed (see `events`). */
  async flush(): Promise<{ written: number; failed: boolean }> {
    this.cancelTimer();
    let written = 0;
    for (;;) {
      if (this.writing) await this.writing;
      if (!this.queue.length && !this.conversions.length) return { written, failed: false };
      const before = this.counters.written + this.counters.conversionsWritten;
      this.writing = this.writeBatch();
      await this.writing;
      this.writing = undefined;
      const n = this.counters.written + this.counters.conversionsWritten - before;
      written += n;
      if (n === 0) return { written, failed: true };
    }
  }

  /**
   * Stops the timer and makes one last flush; later `record()` calls are ignored. Waits at most
   * `timeoutMs` (default 10 s), so a hanging database cannot hold up a shutdown: what is not
   * written by then is reported as `unwritten`.
   */
  async close({ timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<{ written: number; failed: boolean; unwritten: number }> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<{ written: number; failed: boolean }>((resolve) => {
      timer = setTimeout(() => resolve({ written: 0, failed: true }), timeoutMs);
      timer.unref();
    });
    const result = await Promise.race([this.flush(), timeout]);
    clearTimeout(timer);
    this.cancelTimer();
    return { ...result, unwritten: this.queue.length + this.conversions.length + this.inFlight };
  }

  /**
   * One write: a batch of queries, then a batch of conversions (after the queries, so that a
   * conversion of a query in this batch finds its hits), then the positions of conversions
   * that came before their query rows (from this process or another).
   */
  private async writeBatch(): Promise<void> {
    const batch = this.queue.splice(0, this.settings.maxBatch);
    const conversions = this.conversions.splice(0, this.settings.maxBatch);
    if (!batch.length && !conversions.length) return;
    const started = performance.now();
    this.inFlight = batch.length + conversions.length;
    let step: 'queries' | 'conversions' = 'queries';
    try {
      if (batch.length) await this.db(SEARCH_QUERIES_TABLE).insert(batch.map(toQueryLogRow));
      this.counters.written += batch.length;
      step = 'conversions';
      if (conversions.length) await insertConversionsSql(this.db, conversions);
      // A database migrated before conversions existed (no 0003 table) still takes the queries.
      if (batch.length) await placeConversionsSql(this.db, batch.map((q) => q.id)).catch((error: unknown) => {
        if (conversions.length || (error as { code?: string })?.code !== '42P01') throw error;
      });
      this.counters.conversionsWritten += conversions.length;
    } catch (error) {
      this.inFlight = 0;
      this.failures++;
      this.counters.failedWrites++;
      // Back to the front, in order; the oldest go first if the queue overflowed meanwhile.
      if (step === 'queries') this.queue = batch.concat(this.queue);
      // Conversions are retried whole (a repeat is a no-op); positions of this batch's queries are looked up when they are inserted.
      this.conversions = conversions.concat(this.conversions);
      this.trim();
      if (this.failures === 1) this.logger.warn(this.redact(`indexkit: query log write failed (${describe(error)}); ${this.queue.length} queries${this.conversions.length ? ` and ${this.conversions.length} conversions` : ''} kept in memory, retrying with backoff`));
      this.events.safeEmit('writeFailed', { error, count: batch.length, queued: this.queue.length, consecutiveFailures: this.failures });
      if (!this.closed) this.schedule(this.delay());
      return;
    }
    this.inFlight = 0;
    if (this.failures > 0) {
      this.logger.warn(`indexkit: query log writes resumed after ${this.failures} failed attempts; ${this.droppedInOutage} queries were dropped meanwhile`);
      this.events.safeEmit('recovered', { failures: this.failures, droppedMeanwhile: this.droppedInOutage });
      this.failures = 0;
      this.droppedInOutage = 0;
    }
    this.events.safeEmit('flushed', { count: batch.length, conversions: conversions.length, durationMs: performance.now() - started });
    const queued = Math.max(this.queue.length, this.conversions.length);
    if (queued && !this.closed) this.schedule(queued >= this.settings.maxBatch ? 0 : this.delay());
  }

  private trim(): void {
    const excess = this.queue.length - this.settings.maxQueue;
    if (excess <= 0) return;
    this.queue.splice(0, excess);
    this.counters.dropped += excess;
    this.droppedInOutage += excess;
    if (this.droppedInOutage === excess) this.logger.warn(`indexkit: query log queue is full (maxQueue ${this.settings.maxQueue}); dropping the oldest queries`);
    this.events.safeEmit('dropped', { count: excess, totalDropped: this.counters.dropped, queued: this.queue.length });
  }

  private delay(): number {
    if (this.failures === 0) return this.settings.flushIntervalMs;
    return Math.min(MAX_BACKOFF_MS, Math.max(this.settings.flushIntervalMs, 100) * 2 ** Math.min(this.failures, 10));
  }

  private schedule(ms: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.writing) return this.schedule(this.delay());
      this.writing = this.writeBatch().finally(() => {
        this.writing = undefined;
      });
    }, ms);
    // The log never keeps a process alive; close() is how a shutdown keeps its last queries.
    this.timer.unref();
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length) return describe(error.errors[0]);
  if (error instanceof Error) return (error as { code?: string }).code ? `${(error as { code?: string }).code}: ${error.message}` : error.message;
  return String(error);
}

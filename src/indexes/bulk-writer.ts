import type { Client } from '@elastic/elasticsearch';
import { errors } from '@elastic/elasticsearch';
import { backoffDelay, isRetryable, sleep as defaultSleep, type BackoffOptions } from '../client/retry.js';

export type BulkOperation = 'index' | 'create' | 'update' | 'delete';

export interface BulkTarget {
  index: string;
  id: string;
  /** The caller's ordering key (the row's primary key), for the acknowledgement watermark. */
  key?: unknown;
  version?: number;
  versionType?: 'external' | 'external_gte';
  retryOnConflict?: number;
}

/** One document the search side finally refused, and why. */
export interface BulkFailure {
  index: string;
  id: string;
  operation: BulkOperation;
  status: number;
  type: string;
  reason: string;
}

export interface BulkWriterOptions {
  client: Client;
  /** Actions per request. */
  chunkSize: number;
  /** Bytes per request (a single larger document still goes, alone). */
  chunkBytes: number;
  /** Requests in flight. */
  concurrency: number;
  /** Retries of a retryable request or item (429, 502, 503, 504, connection errors). */
  maxRetries: number;
  refresh?: boolean | 'wait_for';
  backoff?: BackoffOptions;
  sleep?: (ms: number) => Promise<void>;
  /** Item statuses that are an expected outcome rather than a failure (e.g. 409 when filling with `create`). */
  tolerate?: (operation: BulkOperation, status: number) => boolean;
  /** Called in order as the watermark advances: every action with a key up to `key` has been answered. */
  onAcknowledged?: (progress: { key: unknown; succeeded: number; failed: number }) => void;
}

interface Item {
  operation: BulkOperation;
  target: BulkTarget;
  lines: string;
}

interface Chunk {
  items: Item[];
  done: boolean;
  lastKey: unknown;
}

const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * Streams actions to `_bulk`: requests capped by action count and by bytes, a bounded number
 * in flight (callers `await add()`, which is where backpressure comes from), whole requests
 * and single items retried with backoff when the failure is retryable, never when it is not.
 * Every item that finally fails is kept with its id and reason; nothing vanishes.
 */
export class BulkWriter {
  readonly stats = { succeeded: 0, failed: 0, tolerated: 0, retries: 0, requests: 0, bytes: 0 };
  readonly failures: BulkFailure[] = [];
  private items: Item[] = [];
  private bytes = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly order: Chunk[] = [];
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: BulkWriterOptions) {
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Queues one action; resolves when there is room for more (backpressure). */
  async add(operation: BulkOperation, target: BulkTarget, document?: Record<string, unknown>): Promise<void> {
    const meta: Record<string, unknown> = { _index: target.index, _id: target.id };
    if (target.version !== undefined) {
      meta.version = target.version;
      meta.version_type = target.versionType ?? 'external';
    }
    if (operation === 'update' && target.retryOnConflict) meta.retry_on_conflict = target.retryOnConflict;
    let lines = `${JSON.stringify({ [operation]: meta })}\n`;
    if (operation !== 'delete') lines += `${JSON.stringify(operation === 'update' ? { doc: document } : document)}\n`;
    const size = byteLength(lines);
    if (this.items.length > 0 && (this.items.length >= this.options.chunkSize || this.bytes + size > this.options.chunkBytes)) await this.dispatch();
    this.items.push({ operation, target, lines });
    this.bytes += size;
  }

  /** Sends what is queued and waits for every request in flight. */
  async flush(): Promise<void> {
    if (this.items.length > 0) await this.dispatch();
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async dispatch(): Promise<void> {
    const chunk: Chunk = { items: this.items, done: false, lastKey: this.items.at(-1)?.target.key };
    this.items = [];
    this.bytes = 0;
    this.order.push(chunk);
    while (this.inFlight.size >= this.options.concurrency) await Promise.race(this.inFlight);
    const sending: Promise<void> = this.send(chunk).finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  private async send(chunk: Chunk): Promise<void> {
    let pending = chunk.items;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const body = pending.map((item) => item.lines).join('');
      this.stats.requests++;
      this.stats.bytes += byteLength(body);
      let response: { errors?: boolean; items?: Array<Record<string, { status: number; error?: { type?: string; reason?: string; caused_by?: { reason?: string } } }>> };
      try {
        response = (await this.options.client.transport.request(
          { method: 'POST', path: '/_bulk', querystring: this.options.refresh === undefined ? {} : { refresh: String(this.options.refresh) }, bulkBody: body },
          { maxRetries: 0 },
        )) as typeof response;
      } catch (error) {
        if (isRetryable(error) && attempt < this.options.maxRetries) {
          this.stats.retries++;
          await this.sleep(backoffDelay(attempt, this.options.backoff));
          continue;
        }
        const { status, type, reason } = describeRequestError(error);
        for (const item of pending) this.fail(item, status, type, reason);
        break;
      }
      const results = response.items ?? [];
      const retry: Item[] = [];
      pending.forEach((item, i) => {
        const result = results[i] ? Object.values(results[i])[0] : undefined;
        if (!result) return this.fail(item, 500, 'invalid_bulk_response', `the bulk response has no item ${i}`);
        if (result.status < 300) {
          this.stats.succeeded++;
        } else if (result.status === 429 && attempt < this.options.maxRetries) {
          retry.push(item);
        } else if (this.options.tolerate?.(item.operation, result.status)) {
          this.stats.tolerated++;
        } else {
          const error = result.error ?? {};
          const reason = [error.reason, error.caused_by?.reason].filter(Boolean).join(': ') || `status ${result.status}`;
          this.fail(item, result.status, error.type ?? 'unknown', reason);
        }
      });
      if (retry.length === 0) break;
      this.stats.retries++;
      pending = retry;
      await this.sleep(backoffDelay(attempt, this.options.backoff));
    }
    chunk.done = true;
    this.advance();
  }

  private fail(item: Item, status: number, type: string, reason: string): void {
    this.stats.failed++;
    this.failures.push({ index: item.target.index, id: item.target.id, operation: item.operation, status, type, reason });
  }

  /** Reports the watermark over chunks finished in order (later chunks may finish first). */
  private advance(): void {
    while (this.order.length > 0 && this.order[0]!.done) {
      const chunk = this.order.shift()!;
      if (chunk.lastKey !== undefined) this.options.onAcknowledged?.({ key: chunk.lastKey, succeeded: this.stats.succeeded, failed: this.stats.failed });
    }
  }
}

function describeRequestError(error: unknown): { status: number; type: string; reason: string } {
  if (error instanceof errors.ResponseError) {
    const body = error.meta.body as { error?: { type?: string; reason?: string } | string } | undefined;
    const detail = typeof body?.error === 'object' ? body.error : undefined;
    return { status: error.statusCode ?? 500, type: detail?.type ?? 'response_error', reason: detail?.reason ?? (typeof body?.error === 'string' ? body.error : error.message) };
  }
  if (error instanceof Error) return { status: 0, type: error.name, reason: error.message };
  return { status: 0, type: 'unknown', reason: String(error) };
}

/** Failures grouped by reason (values quoted in the reason are folded so that one cause is one group). */
export interface FailureGroup {
  type: string;
  reason: string;
  count: number;
  ids: string[];
}

export function groupFailures(failures: readonly BulkFailure[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const f of failures) {
    const shape = `${f.type}\u0000${f.reason.replace(/'[^']*'/g, "'…'").replace(/\[\d+\]/g, '[…]')}`;
    let group = groups.get(shape);
    if (!group) {
      group = { type: f.type, reason: f.reason, count: 0, ids: [] };
      groups.set(shape, group);
    }
    group.count++;
    group.ids.push(f.id);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

import type { SearchSide as Client } from '../client/search-side.js';
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
  /** Where the item's action (and source) lines sit in its chunk's body. */
  offset: number;
  size: number;
}

interface Chunk {
  items: Item[];
  /** The request body: the items' lines, in order. */
  body: Buffer;
  /** The pooled buffer `body` is a view of. */
  buffer: Buffer;
  done: boolean;
  lastKey: unknown;
}

/**
 * Only what the writer reads of a bulk response: each item's status and error (by position).
 * The full response repeats index, id, version, shards and sequence numbers for every item,
 * several times the bytes to send, parse and keep while the next request is under way.
 */
const BULK_FILTER_PATH = 'errors,items.*.status,items.*.error';

const NEWLINE = 0x0a;

/** First capacity of a body buffer; it grows by doubling up to what a chunk needs. */
const INITIAL_BODY_BYTES = 64 * 1024;

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
  /**
   * Request bodies are written into reused buffers, one per request in flight plus the one
   * being filled, rather than kept as strings until answered. Lines kept for the ~100–300 ms
   * a request takes outlive a young-generation GC or two and get promoted, and a joined body
   * (~300 KB for 500 documents) is a large object allocated straight into the old generation:
   * either way V8 frees them only at its next full GC and lets the old generation grow to
   * several times the live heap first, so peak RSS grew with the length of the run (204 MB at
   * 200,000 rows vs 144 MB at 20,000 in bench/update-index.ts). Here each line is garbage as
   * soon as it is copied, and the bytes of a long run reuse the same memory.
   */
  private buffer: Buffer | undefined;
  private readonly freeBuffers: Buffer[] = [];
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
    const action = JSON.stringify({ [operation]: meta });
    const source = operation === 'delete' ? undefined : JSON.stringify(operation === 'update' ? { doc: document } : document);
    const actionBytes = byteLength(action);
    const size = actionBytes + 1 + (source === undefined ? 0 : byteLength(source) + 1);
    if (this.items.length > 0 && (this.items.length >= this.options.chunkSize || this.bytes + size > this.options.chunkBytes)) await this.dispatch();
    // Both lines go straight into the body, newline-terminated, without concatenating them first.
    const buffer = this.reserve(size);
    const offset = this.bytes;
    buffer.write(action, offset, actionBytes, 'utf8');
    buffer[offset + actionBytes] = NEWLINE;
    if (source !== undefined) {
      buffer.write(source, offset + actionBytes + 1, size - actionBytes - 2, 'utf8');
      buffer[offset + size - 1] = NEWLINE;
    }
    this.items.push({ operation, target, offset, size });
    this.bytes += size;
  }

  /** The current chunk's buffer, with room for `size` more bytes. */
  private reserve(size: number): Buffer {
    let buffer = this.buffer ?? this.freeBuffers.pop() ?? Buffer.allocUnsafe(INITIAL_BODY_BYTES);
    if (this.bytes + size > buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(buffer.length * 2, this.bytes + size));
      buffer.copy(grown, 0, 0, this.bytes);
      buffer = grown;
    }
    this.buffer = buffer;
    return buffer;
  }

  /** Returns a chunk's buffer for reuse once its request is answered (a buffer grown for an outsized document is let go). */
  private release(buffer: Buffer): void {
    if (buffer.length <= Math.max(INITIAL_BODY_BYTES, this.options.chunkBytes) && this.freeBuffers.length <= this.options.concurrency) this.freeBuffers.push(buffer);
  }

  /** Sends what is queued and waits for every request in flight. */
  async flush(): Promise<void> {
    if (this.items.length > 0) await this.dispatch();
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async dispatch(): Promise<void> {
    const buffer = this.buffer!;
    const chunk: Chunk = { items: this.items, body: buffer.subarray(0, this.bytes), buffer, done: false, lastKey: this.items.at(-1)?.target.key };
    this.items = [];
    this.bytes = 0;
    this.buffer = undefined;
    this.order.push(chunk);
    while (this.inFlight.size >= this.options.concurrency) await Promise.race(this.inFlight);
    const sending: Promise<void> = this.send(chunk).finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  private async send(chunk: Chunk): Promise<void> {
    let pending = chunk.items;
    for (let attempt = 0; pending.length > 0; attempt++) {
      // A retry of single items (429s) sends just their lines, copied out of the chunk's body.
      const body = pending === chunk.items ? chunk.body : Buffer.concat(pending.map((item) => chunk.body.subarray(item.offset, item.offset + item.size)));
      this.stats.requests++;
      this.stats.bytes += body.length;
      let response: { errors?: boolean; items?: Array<Record<string, { status: number; error?: { type?: string; reason?: string; caused_by?: { reason?: string } } }>> };
      try {
        response = (await this.options.client.transport.request(
          { method: 'POST', path: '/_bulk', querystring: { ...(this.options.refresh === undefined ? {} : { refresh: String(this.options.refresh) }), filter_path: BULK_FILTER_PATH }, bulkBody: body },
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
    // The request has been answered (or given up on), so the transport is done with the bytes.
    this.release(chunk.buffer);
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

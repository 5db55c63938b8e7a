import type { DatabaseSettings } from '../config/settings-types.js';
import { backoffDelay } from '../client/retry.js';
import type { SyncEvents } from './sync-events.js';

export interface NotifyListenerOptions {
  connection: DatabaseSettings['connection'];
  channel: string;
  onNotify: () => void;
  events: SyncEvents;
  /** Reconnect delays: exponential with jitter, capped (default 250 ms doubling to 30 s). */
  backoff?: { baseMs?: number; maxMs?: number };
}

interface PgClientLike {
  connect(): Promise<unknown>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'notification', listener: () => void): unknown;
  on(event: 'error' | 'end', listener: (error?: Error) => void): unknown;
}

/**
 * A dedicated LISTEN connection (not one of the pool's: a pooled connection is handed to other
 * queries and its LISTEN would be lost). Reconnects with jittered backoff after any failure and
 * reports a `warning` event while notifications are unavailable (PGlite has none): NOTIFY is a
 * latency hint, the worker's polling is the truth, so nothing is lost meanwhile.
 */
export class NotifyListener {
  private client?: PgClientLike;
  private closed = false;
  private attempt = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: NotifyListenerOptions) {}

  start(): void {
    const { connection } = this.options;
    if (typeof connection === 'string' && connection.startsWith('pglite:')) {
      this.options.events.safeEmit('warning', { message: 'LISTEN/NOTIFY is unavailable on PGlite; the worker polls the outbox instead' });
      return;
    }
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    try {
      const { default: pg } = await import('pg');
      const config = typeof this.options.connection === 'string' ? { connectionString: this.options.connection } : this.options.connection;
      const client = new pg.Client(config as ConstructorParameters<typeof pg.Client>[0]) as unknown as PgClientLike;
      client.on('error', () => undefined);
      client.on('end', () => this.lost(client, new Error('the LISTEN connection closed')));
      client.on('notification', () => this.options.onNotify());
      this.client = client;
      await client.connect();
      await client.query(`LISTEN ${this.options.channel}`);
      if (this.closed) return void (await client.end().catch(() => undefined));
      this.attempt = 0;
      this.options.events.safeEmit('listening', { channel: this.options.channel });
      // Changes made while the connection was down produced no notification: look now.
      this.options.onNotify();
    } catch (error) {
      this.lost(this.client, error);
    }
  }

  private lost(client: PgClientLike | undefined, error: unknown): void {
    if (this.closed || client !== this.client) return;
    this.client = undefined;
    void client?.end().catch(() => undefined);
    const delay = backoffDelay(this.attempt++, { baseMs: this.options.backoff?.baseMs ?? 250, maxMs: this.options.backoff?.maxMs ?? 30_000 });
    this.options.events.safeEmit('warning', { message: `LISTEN ${this.options.channel} is unavailable (${error instanceof Error ? error.message : String(error)}); polling, reconnecting in ${Math.round(delay)} ms`, error });
    this.timer = setTimeout(() => void this.connect(), delay);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

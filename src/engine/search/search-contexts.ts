import { randomBytes } from 'node:crypto';
import type { SearchTarget } from '../contract.js';
import { EngineError } from '../errors.js';
import type { Execution } from './executor.js';
import { searchContextMissing } from './shard-failure.js';

/**
 * Scroll and point-in-time contexts: what they froze, and when they expire. Expiry is checked
 * lazily on every access (no timers keep the process alive). Ids are opaque base64 strings.
 */

export interface ScrollContext {
  exec: Execution;
  /** Every hit, in rank order (indices into exec.hitIdx). */
  ranked: Int32Array;
  position: number;
  size: number;
  withSort: boolean;
  expiresAt: number;
}

export interface PitContext {
  targets: SearchTarget[];
  expiresAt: number;
}

const PREFIX = 'ikx';

function encode(kind: 'scroll' | 'pit', n: number): string {
  return Buffer.from(`${PREFIX}:${kind}:${n}:${randomBytes(6).toString('hex')}`).toString('base64');
}

function decode(kind: 'scroll' | 'pit', id: string): { n: number; key: string } | undefined {
  const text = Buffer.from(id, 'base64').toString('utf8');
  const m = new RegExp(`^${PREFIX}:${kind}:(\\d+):[0-9a-f]{12}$`).exec(text);
  return m ? { n: Number(m[1]), key: id } : undefined;
}

/** search.max_open_scroll_context's default. */
export const MAX_OPEN_SCROLL_CONTEXT = 500;

export class SearchContexts {
  private next = 1;
  private readonly scrolls = new Map<string, ScrollContext & { n: number; shards: number }>();
  private readonly pits = new Map<string, PitContext & { n: number }>();

  constructor(private readonly now: () => number) {}

  private sweep(): void {
    const t = this.now();
    for (const [k, c] of this.scrolls) if (c.expiresAt <= t) this.scrolls.delete(k);
    for (const [k, c] of this.pits) if (c.expiresAt <= t) this.pits.delete(k);
  }

  /**
   * search.max_open_scroll_context (500): a scroll holds one context per index (shard) it reads;
   * past the limit a new scroll is refused with Elasticsearch's 429, before the query runs.
   */
  checkScrollCapacity(shards: number, max = MAX_OPEN_SCROLL_CONTEXT): void {
    this.sweep();
    let open = 0;
    for (const c of this.scrolls.values()) open += c.shards;
    if (open + shards <= max) return;
    const cause = new EngineError(
      429,
      'too_many_scroll_contexts_exception',
      `Trying to create too many scroll contexts. Must be less than or equal to: [${max}]. This limit can be set by changing the [search.max_open_scroll_context] setting.`,
    );
    throw new EngineError(429, 'search_phase_execution_exception', 'all shards failed', { phase: 'query', grouped: true, failed_shards: [{ shard: 0, index: null, reason: cause.toBody() }] }, cause);
  }

  openScroll(ctx: ScrollContext & { shards?: number }): string {
    this.sweep();
    const n = this.next++;
    const id = encode('scroll', n);
    this.scrolls.set(id, { ...ctx, shards: ctx.shards ?? 1, n });
    return id;
  }

  /** The live scroll for an id, keep-alive renewed; 400 for a malformed id, 404 for an unknown or expired one. */
  scroll(id: string, keepAliveMs: number | undefined): ScrollContext {
    this.sweep();
    const d = decode('scroll', id);
    if (!d) throw new EngineError(400, 'illegal_argument_exception', 'Cannot parse scroll id');
    const c = this.scrolls.get(id);
    if (!c) throw searchContextMissing(String(d.n));
    if (keepAliveMs !== undefined) c.expiresAt = this.now() + keepAliveMs;
    return c;
  }

  clearScroll(ids: string[] | '_all'): number {
    this.sweep();
    if (ids === '_all') {
      const n = this.scrolls.size;
      this.scrolls.clear();
      return n;
    }
    let freed = 0;
    for (const id of ids) {
      if (!decode('scroll', id)) throw new EngineError(400, 'illegal_argument_exception', 'Cannot parse scroll id');
      if (this.scrolls.delete(id)) freed++;
    }
    return freed;
  }

  openPit(targets: SearchTarget[], keepAliveMs: number): string {
    this.sweep();
    const n = this.next++;
    const id = encode('pit', n);
    this.pits.set(id, { targets, expiresAt: this.now() + keepAliveMs, n });
    return id;
  }

  pit(id: string, keepAliveMs: number | undefined): PitContext {
    this.sweep();
    const d = decode('pit', id);
    if (!d) throw new EngineError(400, 'illegal_argument_exception', `invalid id: [${id}]`);
    const c = this.pits.get(id);
    if (!c) throw searchContextMissing(String(d.n));
    if (keepAliveMs !== undefined) c.expiresAt = this.now() + keepAliveMs;
    return c;
  }

  closePit(id: string): number {
    this.sweep();
    if (!decode('pit', id)) throw new EngineError(400, 'illegal_argument_exception', `invalid id: [${id}]`);
    return this.pits.delete(id) ? 1 : 0;
  }
}
